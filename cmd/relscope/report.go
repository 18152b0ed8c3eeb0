package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/relscope/relscope/models"
	"github.com/relscope/relscope/reports"
)

type reportOptions struct {
	g     *globals
	name  string
	scope reports.Scope
	out   string
}

func newReportCmd(g *globals) *cobra.Command {
	o := &reportOptions{g: g}
	cmd := &cobra.Command{
		Use:   "report NAME [--team T] [--period P] [--out PATH]",
		Short: "Render the dashboard (html), workbook (xlsx) or monthly delivery report (pdf)",
		Long: `report renders one output from the warehouse's marts (run 'relscope build' first) and
writes it atomically: a reader sees the previous file or the new one, never half of either.

Outputs:
` + reportList() + `
--team keeps one team (the names 'relscope query @teams' lists); --period is YYYY-MM,
YYYY-Qn, YYYY or last-Nd (e.g. last-90d). Without --period: the last full month for pdf,
the last six months and the current one for html and xlsx. Every output says its as_of,
team, period, the relscope version and where the data could not support a number.`,
		Example: `  relscope report html
  relscope report html --team Payments --period 2025-Q2 --out payments.html
  relscope report xlsx --period last-90d
  relscope report pdf --period 2025-06 --out reports/2025-06.pdf`,
		Args: cobra.ExactArgs(1),
		ValidArgsFunction: func(_ *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
			if len(args) > 0 {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			var names []string
			for _, out := range reports.Outputs() {
				if out.Command == "" {
					names = append(names, out.Name+"\t"+out.Describe)
				}
			}
			return names, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			o.name = args[0]
			return runReport(cmd.Context(), o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.scope.Team, "team", "", "only this team (default: every team)")
	f.StringVar(&o.scope.Period, "period", "", "YYYY-MM, YYYY-Qn, YYYY or last-Nd (default: the output's own)")
	f.StringVar(&o.out, "out", "", "file to write (default: the output's own name, e.g. dashboard.html)")
	return cmd
}

// reportList is the outputs `report` renders, one a line, for its help.
func reportList() string {
	var b strings.Builder
	for _, out := range reports.Outputs() {
		if out.Command == "" {
			fmt.Fprintf(&b, "  %-6s %s (default --out %s)\n", out.Name, out.Describe, out.DefaultOut)
		}
	}
	if b.Len() == 0 {
		return "  (none in this version)\n"
	}
	return b.String()
}

func runReport(ctx context.Context, o *reportOptions) error {
	out, err := reports.Find(o.name)
	if err != nil {
		return usageError{err}
	}
	if out.Command != "" {
		return usagef("%s is rendered by `relscope %s`, not `relscope report`", out.Name, out.Command)
	}
	return renderOutput(ctx, o.g, out, o.scope, o.out)
}

// renderOutput is what every command that renders an output shares (report, brief, publish):
// it opens the warehouse read-only, renders out for scope to dst (out.DefaultOut when ""),
// and says what it wrote. A --team or --period the warehouse cannot answer is a usage error.
func renderOutput(ctx context.Context, g *globals, out reports.Output, scope reports.Scope, dst string) error {
	if dst == "" {
		dst = out.DefaultOut
	}
	scope.Version = relscopeVersion()
	start := time.Now()
	w, err := g.open(ctx, models.Options{ReadOnly: true})
	if err != nil {
		return err
	}
	defer w.Close()
	doc, err := reports.Render(ctx, w, out, scope, dst)
	var se *reports.ScopeError
	if errors.As(err, &se) {
		return usageError{err}
	}
	if err != nil {
		return err
	}
	who := "every team"
	if doc.Meta.Team != "" {
		who = "team " + doc.Meta.Team
	}
	g.infof("wrote %s: %s, %s, %s, as of %s (%s)\n", dst, out.Name, who, doc.Meta.Period,
		doc.Meta.AsOf.Format(time.RFC3339), time.Since(start).Round(time.Millisecond))
	return nil
}
