package main

import (
	"context"
	"strings"

	"github.com/spf13/cobra"

	"github.com/relscope/relscope/reports"
)

type briefOptions struct {
	g       *globals
	release string
	out     string
}

func newBriefCmd(g *globals) *cobra.Command {
	o := &briefOptions{g: g}
	cmd := &cobra.Command{
		Use:   "brief --release R [--out PATH]",
		Short: "Render the two-page PDF release brief",
		Long: `brief writes a release's brief for non-technical readers, in two pages: what ships
(public items only, by category), impact and expected downtime (the change records' planned
windows), risk and outcome, compliance (approvals, back-out plans), the dates and the
delivery numbers. Run 'relscope build' first; the file is written atomically.

--release names the release as the backlog does (case-insensitive); an unknown name gets
the closest ones ('relscope query @releases' lists them all). Without --release, the brief
is of the latest released release with public changes.`,
		Example: `  relscope brief --release "PAY 2025.12"
  relscope brief --release "PAY 2025.12" --out briefs/pay-2025.12.pdf
  relscope query @releases --format csv      # the release names`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runBrief(cmd.Context(), o) },
	}
	cmd.Flags().StringVar(&o.release, "release", "", "release name (default: the latest released release with public changes)")
	cmd.Flags().StringVar(&o.out, "out", "", "file to write (default: brief.pdf)")
	return cmd
}

func runBrief(ctx context.Context, o *briefOptions) error {
	out, err := reports.Find("brief")
	if err != nil {
		return err
	}
	if o.release != "" && strings.TrimSpace(o.release) == "" {
		return usagef("--release is blank")
	}
	return renderOutput(ctx, o.g, out, reports.Scope{Release: o.release}, o.out)
}
