package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/jedib0t/go-pretty/v6/table"
	"github.com/spf13/cobra"

	"github.com/relscope/relscope/fixtures"
	"github.com/relscope/relscope/models"
	"github.com/relscope/relscope/pipeline"
	"github.com/relscope/relscope/queries"
	"github.com/relscope/relscope/reports"
)

type demoOptions struct {
	g     *globals
	out   string
	scale int
	seed  uint64
}

func newDemoCmd(g *globals) *cobra.Command {
	o := &demoOptions{g: g}
	cmd := &cobra.Command{
		Use:   "demo [--out DIR]",
		Short: "Run the whole pipeline on generated fixtures",
		Long: `demo generates a realistic organisation's exports (see 'relscope fixtures'), ingests them
into a fresh warehouse in the output folder, and runs every pipeline step this version has,
then prints a summary of what it wrote. It never touches --db: the demo has its own
warehouse, DIR/relscope.duckdb, and uses the configuration generated with the exports
(DIR/fixtures/relscope.yaml). Explore it afterwards with:

  relscope --db DIR/relscope.duckdb --config DIR/fixtures/relscope.yaml query "select * from work_items limit 5"`,
		Example: `  relscope demo
  relscope demo --out /tmp/relscope-demo --scale 20000`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runDemo(cmd.Context(), o) },
	}
	f := cmd.Flags()
	f.StringVar(&o.out, "out", "demo-out", "output folder")
	f.IntVar(&o.scale, "scale", 2000, "number of work items to generate")
	f.Uint64Var(&o.seed, "seed", 42, "random seed")
	return cmd
}

func runDemo(ctx context.Context, o *demoOptions) error {
	g := o.g
	start := time.Now()
	st := &pipeline.State{
		DBPath: filepath.Join(o.out, "relscope.duckdb"),
		Out:    o.out,
		Scope:  reports.Scope{Version: relscopeVersion()},
		Logf:   g.infof,
	}
	defer st.Close()
	defer ingestMemoryPolicy()()
	steps := pipeline.Demo(fixtures.Options{Scale: o.scale, Seed: o.seed, Out: filepath.Join(o.out, "fixtures"), Mixed: true},
		builderWarehouse(defaultBuildMemoryLimit))
	if err := pipeline.Run(ctx, st, withStdin(steps, g.stdin)); err != nil {
		return fmt.Errorf("demo %w", err)
	}
	return printDemo(ctx, g, st, time.Since(start))
}

// withStdin gives the ingest steps standard input, for a "-" among their paths.
func withStdin(steps []pipeline.Step, stdin io.Reader) []pipeline.Step {
	for i, s := range steps {
		if in, ok := s.(pipeline.Ingest); ok {
			in.Options.Stdin = stdin
			steps[i] = in
		}
	}
	return steps
}

// printDemo prints what the demo wrote: the files loaded, the warehouse's tables, the marts
// and the outputs rendered.
func printDemo(ctx context.Context, g *globals, st *pipeline.State, elapsed time.Duration) error {
	m := st.Fixtures
	fmt.Fprintf(g.stdout, "relscope demo: %d teams, history %s to %s\n", len(m.Teams),
		m.Start.Format("2006-01-02"), m.End.Format("2006-01-02"))
	t := newTable(g.stdout, "file", "format", "rows loaded", "rejected", "time")
	for _, r := range st.Ingested {
		t.AppendRow(table.Row{filepath.Base(r.File), r.Format, r.Loaded, r.Rejected, r.Elapsed.Round(time.Millisecond)})
	}
	t.Render()
	docs, err := st.Warehouse.Catalog(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(g.stdout, "\nwarehouse %s:\n", st.DBPath)
	ct := newTable(g.stdout, "table", "rows")
	for _, d := range models.CanonicalFirst(docs) {
		ct.AppendRow(table.Row{d.Name, d.Rows})
	}
	ct.Render()
	built := st.Built
	fmt.Fprintf(g.stdout, "\nmarts as of %s (%d models, built in %s):\n", built.AsOf.Format(time.RFC3339), len(built.Models),
		built.Elapsed.Round(time.Millisecond))
	mt := newTable(g.stdout, "mart", "rows")
	for _, mr := range built.Models {
		if strings.HasPrefix(mr.Name, "mart_") {
			mt.AppendRow(table.Row{mr.Name, mr.Rows})
		}
	}
	mt.Render()
	if err := printOutlook(ctx, g, st.Warehouse); err != nil {
		return err
	}
	if len(st.Rendered) > 0 {
		fmt.Fprintf(g.stdout, "\noutputs:\n")
		rt := newTable(g.stdout, "output", "file")
		for _, r := range st.Rendered {
			rt.AppendRow(table.Row{r.Output.Name, r.Path})
		}
		rt.Render()
	}
	fmt.Fprintf(g.stdout, "\ndone in %s. Explore it with:\n  relscope --db %s query \"select team, month, deployments, change_failure_rate, change_failure_rate_band from mart_dora_monthly order by month desc, team limit 12\"\n",
		elapsed.Round(time.Millisecond), st.DBPath)
	return nil
}

// printOutlook prints the upcoming releases that hold items, with their forecast and readiness
// verdict (@release_outlook: the figures of mart_release_forecast and mart_release_readiness).
func printOutlook(ctx context.Context, g *globals, w *models.Warehouse) error {
	q, err := queries.Find("release_outlook")
	if err != nil {
		return err
	}
	params, err := q.Resolve(nil)
	if err != nil {
		return err
	}
	res, err := queries.Exec(ctx, w.DB, q.SQL, params)
	if err != nil {
		return models.CleanError(err)
	}
	col := map[string]int{}
	for i, c := range res.Columns {
		col[c] = i
	}
	val := func(row []any, name string) any {
		v := row[col[name]]
		switch x := v.(type) {
		case nil:
			return "-"
		case float64:
			if name == "p_on_time" {
				return fmt.Sprintf("%.0f%%", x*100)
			}
		}
		return queries.Text(v)
	}
	t := newTable(g.stdout, "release", "team", "planned", "items", "remaining", "P50", "P85", "P(on time)", "verdict", "why")
	empty := 0
	for _, row := range res.Rows {
		if fmt.Sprint(row[col["items"]]) == "0" {
			empty++
			continue
		}
		t.AppendRow(table.Row{val(row, "release"), val(row, "team"), val(row, "planned_date"), val(row, "items"), val(row, "remaining"),
			val(row, "p50_date"), val(row, "p85_date"), val(row, "p_on_time"), val(row, "verdict"), val(row, "why")})
	}
	fmt.Fprintf(g.stdout, "\nupcoming releases: forecast and readiness (%d more hold no items yet):\n", empty)
	t.Render()
	fmt.Fprintf(g.stdout, "  a release's checklist: relscope --db %s query @release_readiness --param release=NAME\n", w.Path)
	return nil
}

// newTable is a terminal table with a header, drawn to w.
func newTable(w io.Writer, header ...any) table.Writer {
	t := table.NewWriter()
	t.SetOutputMirror(w)
	t.SetStyle(table.StyleLight)
	t.AppendHeader(table.Row(header))
	return t
}
