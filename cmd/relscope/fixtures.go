package main

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/relscope/relscope/fixtures"
)

type fixturesOptions struct {
	g       *globals
	scale   int
	seed    uint64
	out     string
	end     string
	formats string
	shape   string
}

func newFixturesCmd(g *globals) *cobra.Command {
	o := &fixturesOptions{g: g}
	cmd := &cobra.Command{
		Use:   "fixtures --scale N --out DIR [--seed S]",
		Short: "Generate a realistic organisation's exports at any size",
		Long: `fixtures writes the exports of a simulated delivery organisation: teams and services,
releases with freeze dates, work items moving through statuses with log-normal durations,
blocked spells and blocking links, estimates against actuals, deployments in several
environments (failures, rollbacks, hotfixes), incidents caused by some deployments, and
change records (some unapproved, some emergency). The same --seed and --scale give the same
files, byte for byte. A .manifest.json beside them lists what was written.

--shape says which exports the organisation keeps: mixed (the default: each team's tracker's
own export — Jira JSON and CSV, Azure DevOps, Linear, GitHub, GitLab, ServiceNow, PagerDuty,
Opsgenie — beside native CSVs), native (relscope's CSVs only), or jira-server (one Jira
Server / Data Center search over every project, saved as pages of 1,000 issues with
expand=changelog — about 1 MB each — beside native deployments, incidents and changes CSVs).`,
		Example: `  relscope fixtures --scale 2000 --out fixtures-demo
  relscope fixtures --scale 1000000 --seed 7 --out /tmp/bench
  relscope fixtures --shape jira-server --scale 200000 --out /tmp/jira-server`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runFixtures(cmd.Context(), o) },
	}
	f := cmd.Flags()
	f.IntVar(&o.scale, "scale", 2000, "number of work items")
	f.Uint64Var(&o.seed, "seed", 42, "random seed")
	f.StringVar(&o.out, "out", "", "output folder (required)")
	f.StringVar(&o.shape, "shape", "", "mixed, native or jira-server (default mixed; see above)")
	f.StringVar(&o.formats, "formats", "mixed", "the same as --shape, mixed or native (kept for older scripts)")
	f.StringVar(&o.end, "end", "", "last moment of the history, RFC 3339 (default "+fixtures.DefaultEnd.Format(time.RFC3339)+")")
	cmd.MarkFlagRequired("out")
	return cmd
}

func runFixtures(_ context.Context, o *fixturesOptions) error {
	if o.scale < 1 {
		return usagef("--scale %d: want at least 1", o.scale)
	}
	if o.formats != "mixed" && o.formats != "native" {
		return usagef("--formats %q: want mixed or native", o.formats)
	}
	shape := o.formats
	switch o.shape {
	case "":
	case fixtures.ShapeMixed, fixtures.ShapeNative, fixtures.ShapeJiraServer:
		shape = o.shape
	default:
		return usagef("--shape %q: want mixed, native or jira-server", o.shape)
	}
	opt := fixtures.Options{Scale: o.scale, Seed: o.seed, Out: o.out, Mixed: shape == fixtures.ShapeMixed, Shape: shape}
	if o.end != "" {
		end, err := time.Parse(time.RFC3339, o.end)
		if err != nil {
			return usagef("--end %q: want RFC 3339, e.g. 2026-10-30T18:00:00Z", o.end)
		}
		opt.End = end
	}
	// A progress line redrawn with \r belongs on a terminal, not in a redirected log.
	if o.scale >= 100000 && !o.g.quiet && o.g.stderrIsTerminal() {
		opt.Progress = func(done int) {
			fmt.Fprintf(o.g.stderr, "\rgenerating: %d / %d items", done, o.scale)
		}
	}
	start := time.Now()
	m, err := fixtures.Generate(opt)
	if opt.Progress != nil {
		fmt.Fprintln(o.g.stderr)
	}
	if err != nil {
		return fmt.Errorf("fixtures: %w", err)
	}
	o.g.infof("wrote %s (%d teams, %s):\n", o.out, len(m.Teams), time.Since(start).Round(time.Millisecond))
	for _, f := range m.Files {
		o.g.infof("  %-28s %-12s %9d rows %8.1f MB\n", f.Name, f.Format, f.Rows, float64(f.Bytes)/1e6)
	}
	return nil
}
