package main

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/relscope/relscope/reports"
)

type publishOptions struct {
	g     *globals
	scope reports.Scope
	out   string
}

func newPublishCmd(g *globals) *cobra.Command {
	o := &publishOptions{g: g}
	cmd := &cobra.Command{
		Use:   "publish [--out DIR] [--team T]",
		Short: "Write the public release log (HTML, Atom, CHANGELOG.md, JSON, ICS)",
		Long: `publish writes the public release log from the warehouse's marts (run 'relscope build'
first) as a static site for a public web server: index.html (releases newest first, upcoming
ones with their planned dates), a page per release, feed.atom, CHANGELOG.md, releases.json
(with releases.schema.json) and calendar.ics.

Only public items are published (relscope.yaml 'public'), and of them only key, type, public
title and release; public titles and categories follow relscope.yaml 'release_log'.

DIR is replaced whole and in one step: a reader sees the previous site or the new one, and
a failed run leaves the previous site. DIR must be new, empty, or a site publish wrote
before (it carries a .relscope-site file); any other folder is refused.`,
		Example: `  relscope publish
  relscope publish --out /var/www/releases
  relscope publish --team Payments --out payments-releases`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runPublish(cmd.Context(), o) },
	}
	f := cmd.Flags()
	f.StringVar(&o.out, "out", "", "output folder (default: site)")
	f.StringVar(&o.scope.Team, "team", "", "only the releases of this team (default: every team)")
	return cmd
}

func runPublish(ctx context.Context, o *publishOptions) error {
	out, err := reports.Find("publish")
	if err != nil {
		return err
	}
	return renderOutput(ctx, o.g, out, o.scope, o.out)
}
