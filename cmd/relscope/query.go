package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/jedib0t/go-pretty/v6/table"
	"github.com/spf13/cobra"

	"github.com/relscope/relscope/models"
	"github.com/relscope/relscope/queries"
)

type queryOptions struct {
	g      *globals
	args   []string // the SQL, @name or -
	format string
	out    string
	params []string
	list   bool
	write  bool
}

func newQueryCmd(g *globals) *cobra.Command {
	o := &queryOptions{g: g}
	cmd := &cobra.Command{
		Use:   "query [flags] SQL|@name|-",
		Short: "Run SQL or a named query against the warehouse",
		Long: `query runs one SQL statement, a named query (@name, see --list) or SQL read from standard
input (-) against the warehouse, and prints the result. The warehouse is opened read-only
unless --write is given. Parameters are DuckDB named parameters ($team) bound from
--param team=PAY — never spliced into the SQL.

Formats: table (aligned, NULL shown as NULL), csv (header row), json (one array of objects,
times RFC 3339 UTC), markdown, parquet (needs --out; written by DuckDB's own writer).`,
		Example: `  relscope query "select team, count(*) from work_items group by all"
  relscope query @deployments_by_week --param team=Payments --format csv
  relscope query --list
  relscope query --format parquet --out deployments.parquet "from deployments"
  echo "select count(*) from incidents" | relscope query -`,
		RunE: func(cmd *cobra.Command, args []string) error {
			o.args = args
			return runQuery(cmd.Context(), o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.format, "format", "table", "table, csv, json, markdown or parquet")
	f.StringVar(&o.out, "out", "", "write to this file instead of standard output")
	f.StringArrayVar(&o.params, "param", nil, "bind a named parameter: k=v (repeatable)")
	f.BoolVar(&o.list, "list", false, "list the named queries (with --format json: as JSON)")
	f.BoolVar(&o.write, "write", false, "allow statements that change the warehouse")
	cmd.RegisterFlagCompletionFunc("format", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return append(slices.Clone(queries.Formats), "parquet"), cobra.ShellCompDirectiveNoFileComp
	})
	return cmd
}

func runQuery(ctx context.Context, o *queryOptions) error {
	g := o.g
	args := o.args
	if o.list {
		if len(args) > 0 {
			return usagef("--list takes no SQL")
		}
		return listQueries(g.stdout, o.format)
	}
	if len(args) != 1 {
		return usagef("query needs one SQL statement, @name or - (got %d arguments; quote the SQL)", len(args))
	}
	if o.format != "parquet" && !slices.Contains(queries.Formats, o.format) {
		return usagef("--format %q: want table, csv, json, markdown or parquet", o.format)
	}
	if o.format == "parquet" && o.out == "" {
		return usagef("--format parquet needs --out FILE")
	}
	params := map[string]string{}
	for _, p := range o.params {
		k, v, ok := strings.Cut(p, "=")
		if !ok || k == "" {
			return usagef("--param %q: want name=value", p)
		}
		params[strings.TrimPrefix(k, "$")] = v
	}
	sqlText := args[0]
	switch {
	case sqlText == "-":
		b, err := io.ReadAll(g.stdin)
		if err != nil {
			return fmt.Errorf("read SQL from standard input: %w", err)
		}
		sqlText = string(b)
	case strings.HasPrefix(sqlText, "@"):
		q, err := queries.Find(sqlText[1:])
		if err != nil {
			return usageError{err}
		}
		if params, err = q.Resolve(params); err != nil {
			return usageError{err}
		}
		sqlText = q.SQL
	}
	if strings.TrimSpace(sqlText) == "" {
		return usagef("the SQL is empty")
	}
	// One statement, one result: a second one would print only the last result.
	if n := len(queries.Statements(sqlText)); n > 1 {
		return usagef("query runs one statement and this SQL has %d; run each with its own query, or all of them with relscope sql (relscope sql < statements.sql)", n)
	}

	w, err := g.open(ctx, models.Options{ReadOnly: !o.write})
	if err != nil {
		return err
	}
	defer w.Close()

	if o.format == "parquet" {
		if err := queries.CopyParquet(ctx, w.DB, sqlText, params, o.out); err != nil {
			return queryError(err, o.write)
		}
		g.infof("wrote %s\n", o.out)
		return nil
	}
	res, err := queries.Exec(ctx, w.DB, sqlText, params)
	if err != nil {
		return queryError(err, o.write)
	}
	out := g.stdout
	if o.out != "" {
		f, err := os.Create(o.out)
		if err != nil {
			return err
		}
		defer f.Close()
		out = f
	}
	if err := res.Write(out, o.format); err != nil {
		return err
	}
	if o.format == "table" {
		g.infof("(%d row%s)\n", len(res.Rows), queries.Plural(len(res.Rows)))
	}
	return nil
}

// queryError gives DuckDB's own message (with its position and suggestions), and says what
// to do when a read-only query tried to write.
func queryError(err error, write bool) error {
	err = models.CleanError(err)
	if !write && errors.Is(err, models.ErrReadOnly) {
		return fmt.Errorf("%w\n(query is read-only; add --write to change the warehouse)", err)
	}
	return err
}

func listQueries(w io.Writer, format string) error {
	qs, err := queries.All()
	if err != nil {
		return err
	}
	if format == "json" {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(qs)
	}
	t := table.NewWriter()
	t.SetOutputMirror(w)
	t.SetStyle(table.StyleLight)
	t.AppendHeader(table.Row{"NAME", "PARAMETERS", "DESCRIPTION"})
	for _, q := range qs {
		var ps []string
		for _, p := range q.Params {
			s := "$" + p.Name
			if p.HasDefault {
				s += "=" + p.Default
			}
			ps = append(ps, s)
		}
		t.AppendRow(table.Row{"@" + q.Name, strings.Join(ps, " "), q.Description})
	}
	t.Render()
	return nil
}
