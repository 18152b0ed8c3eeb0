package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/jedib0t/go-pretty/v6/table"
	"github.com/jedib0t/go-pretty/v6/text"
	"github.com/spf13/cobra"

	"github.com/relscope/relscope/models"
)

type schemaOptions struct {
	g      *globals
	name   string // one table's columns; "" lists every table
	format string
}

func newSchemaCmd(g *globals) *cobra.Command {
	o := &schemaOptions{g: g}
	cmd := &cobra.Command{
		Use:   "schema [TABLE]",
		Short: "List the warehouse's tables and marts, or one table's columns, with descriptions",
		Long: `schema lists every table and view of the warehouse — marts first, then the canonical
tables, intermediate and staging models and build settings — with its description and row
count (an intermediate model's as the last build counted it). Given a name, it lists that
table's columns with their types and descriptions. The descriptions are stored in the
warehouse (COMMENT ON), so DuckDB's own CLI and BI tools see them too
(duckdb_columns().comment). Metric definitions in full: models/METRICS.md.`,
		Example: `  relscope schema
  relscope schema mart_dora_monthly
  relscope schema deployments --format json`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				o.name = args[0]
			}
			return runSchema(cmd.Context(), o)
		},
	}
	cmd.Flags().StringVar(&o.format, "format", "table", "table, markdown or json")
	cmd.ValidArgsFunction = func(cmd *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
		w, err := g.open(cmd.Context(), models.Options{ReadOnly: true})
		if err != nil || len(args) > 0 {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		defer w.Close()
		docs, _ := w.Catalog(cmd.Context())
		var names []string
		for _, d := range docs {
			names = append(names, d.Name)
		}
		return names, cobra.ShellCompDirectiveNoFileComp
	}
	return cmd
}

func runSchema(ctx context.Context, o *schemaOptions) error {
	switch o.format {
	case "table", "markdown", "json":
	default:
		return usagef("--format %q: want table, markdown or json", o.format)
	}
	w, err := o.g.open(ctx, models.Options{ReadOnly: true})
	if err != nil {
		return err
	}
	defer w.Close()
	var v any
	t := table.NewWriter()
	if o.name != "" {
		d, err := w.DescribeTable(ctx, o.name)
		if err != nil {
			return err
		}
		v = d
		fmt.Fprintf(o.g.stdout, "%s (%s, %d rows)\n%s\n\n", d.Name, d.Layer, d.Rows, d.Description)
		t.AppendHeader(table.Row{"column", "type", "description"})
		for _, c := range d.Columns {
			t.AppendRow(table.Row{c.Name, c.Type, c.Description})
		}
	} else {
		docs, err := w.Catalog(ctx)
		if err != nil {
			return err
		}
		v = docs
		t.AppendHeader(table.Row{"name", "layer", "rows", "description"})
		for _, d := range docs {
			t.AppendRow(table.Row{d.Name, d.Layer, d.Rows, firstSentence(d.Description)})
		}
	}
	switch o.format {
	case "json":
		enc := json.NewEncoder(o.g.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	case "markdown":
		t.SetOutputMirror(o.g.stdout)
		t.RenderMarkdown()
		return nil
	}
	t.SetOutputMirror(o.g.stdout)
	t.SetStyle(table.StyleLight)
	t.Style().Format.Header = text.FormatDefault
	t.SetColumnConfigs([]table.ColumnConfig{{Name: "description", WidthMax: 90, WidthMaxEnforcer: text.WrapSoft}})
	t.Render()
	if o.name == "" {
		o.g.infof("relscope schema NAME shows a table's columns and its full description\n")
	}
	return nil
}

// firstSentence shortens a description for the overview; the full text is one
// `relscope schema NAME` away.
func firstSentence(s string) string {
	if i := strings.Index(s, ". "); i > 0 {
		return s[:i+1]
	}
	return s
}
