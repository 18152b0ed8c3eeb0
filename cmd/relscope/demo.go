package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jedib0t/go-pretty/v6/table"
	"github.com/spf13/cobra"

	"github.com/relscope/relscope/config"
	"github.com/relscope/relscope/fixtures"
	"github.com/relscope/relscope/ingest"
	"github.com/relscope/relscope/models"
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
		RunE: func(cmd *cobra.Command, _ []string) error { return runDemo(cmd, o) },
	}
	f := cmd.Flags()
	f.StringVar(&o.out, "out", "demo-out", "output folder")
	f.IntVar(&o.scale, "scale", 2000, "number of work items to generate")
	f.Uint64Var(&o.seed, "seed", 42, "random seed")
	return cmd
}

func runDemo(cmd *cobra.Command, o *demoOptions) error {
	g := o.g
	ctx := cmd.Context()
	start := time.Now()
	fixDir := filepath.Join(o.out, "fixtures")
	dbPath := filepath.Join(o.out, "relscope.duckdb")

	g.infof("1/4 generating %d work items into %s\n", o.scale, fixDir)
	m, err := fixtures.Generate(fixtures.Options{Scale: o.scale, Seed: o.seed, Out: fixDir, Mixed: true})
	if err != nil {
		return fmt.Errorf("demo fixtures: %w", err)
	}

	// The organisation's own configuration (its service → team map) comes with its exports.
	cfg, err := config.Load(filepath.Join(fixDir, fixtures.ConfigFile), false)
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}

	// A fresh warehouse each time, so the demo is repeatable.
	for _, p := range []string{dbPath, dbPath + ".wal"} {
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("demo: %w", err)
		}
	}
	w, err := models.Open(ctx, dbPath, models.Options{})
	if err != nil {
		return err
	}
	defer w.Close()

	g.infof("2/4 ingesting into %s\n", dbPath)
	var results []ingest.FileResult
	var failed error
	err = ingest.Run(ctx, w, []string{fixDir}, ingest.Options{Config: cfg, Stdin: g.stdin}, func(r ingest.FileResult) {
		if r.Err != nil && failed == nil {
			failed = r.Err
		}
		results = append(results, r)
	})
	if err == nil {
		err = failed
	}
	if err != nil {
		return fmt.Errorf("demo ingest: %w", err)
	}

	// The demo measures as of the end of its generated history, so its numbers do not drift
	// with the calendar.
	g.infof("3/4 building the models as of %s\n", m.End.Format(time.RFC3339))
	ms, err := models.Models()
	if err != nil {
		return err
	}
	built, err := w.Build(ctx, ms, models.Settings{AsOf: m.End, Config: cfg}, nil)
	if err != nil {
		return fmt.Errorf("demo build: %w", err)
	}

	// Every output the registry has, into the demo folder under its own name. (Until the
	// pipeline package's render step takes this over.)
	var wrote []string
	for _, out := range reports.Outputs() {
		dst := filepath.Join(o.out, out.DefaultOut)
		g.infof("4/4 rendering %s to %s\n", out.Name, dst)
		if _, err := reports.Render(ctx, w, out, reports.Scope{Version: relscopeVersion()}, dst); err != nil {
			return fmt.Errorf("demo: %w", err)
		}
		wrote = append(wrote, dst)
	}

	t := table.NewWriter()
	t.SetOutputMirror(g.stdout)
	t.SetStyle(table.StyleLight)
	t.AppendHeader(table.Row{"file", "format", "rows loaded", "rejected", "time"})
	for _, r := range results {
		t.AppendRow(table.Row{filepath.Base(r.File), r.Format, r.Loaded, r.Rejected, r.Elapsed.Round(time.Millisecond)})
	}
	fmt.Fprintf(g.stdout, "relscope demo: %d teams, history %s to %s\n", len(m.Teams),
		m.Start.Format("2006-01-02"), m.End.Format("2006-01-02"))
	t.Render()
	counts, err := tableCounts(cmd, w)
	if err != nil {
		return err
	}
	fmt.Fprintf(g.stdout, "\nwarehouse %s:\n", dbPath)
	ct := table.NewWriter()
	ct.SetOutputMirror(g.stdout)
	ct.SetStyle(table.StyleLight)
	ct.AppendHeader(table.Row{"table", "rows"})
	for _, c := range counts {
		ct.AppendRow(table.Row{c.name, c.rows})
	}
	ct.Render()
	fmt.Fprintf(g.stdout, "\nmarts as of %s (%d models, built in %s):\n", built.AsOf.Format(time.RFC3339), len(built.Models),
		built.Elapsed.Round(time.Millisecond))
	mt := table.NewWriter()
	mt.SetOutputMirror(g.stdout)
	mt.SetStyle(table.StyleLight)
	mt.AppendHeader(table.Row{"mart", "rows"})
	for _, mr := range built.Models {
		if strings.HasPrefix(mr.Name, "mart_") {
			mt.AppendRow(table.Row{mr.Name, mr.Rows})
		}
	}
	mt.Render()
	if len(wrote) > 0 {
		fmt.Fprintf(g.stdout, "\noutputs:\n")
		for _, p := range wrote {
			fmt.Fprintf(g.stdout, "  %s\n", p)
		}
	}
	fmt.Fprintf(g.stdout, "\ndone in %s. Explore it with:\n  relscope --db %s query \"select team, month, deployments, change_failure_rate, change_failure_rate_band from mart_dora_monthly order by month desc, team limit 12\"\n",
		time.Since(start).Round(time.Millisecond), dbPath)
	return nil
}

type tableCount struct {
	name string
	rows int64
}

// canonicalTables lists the tables the demo summarises, in DESIGN §3 order.
var canonicalTables = []string{"work_items", "work_item_transitions", "work_item_links", "releases",
	"deployments", "incidents", "changes", "ingest_runs", "ingest_rejects"}

func tableCounts(cmd *cobra.Command, w *models.Warehouse) ([]tableCount, error) {
	var out []tableCount
	for _, name := range canonicalTables {
		var n int64
		// The names come from the fixed list above, never from input.
		if err := w.DB.QueryRowContext(cmd.Context(), "select count(*) from "+name).Scan(&n); err != nil {
			return nil, models.CleanError(err)
		}
		out = append(out, tableCount{name, n})
	}
	return out, nil
}
