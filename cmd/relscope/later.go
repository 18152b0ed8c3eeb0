package main

import (
	"github.com/spf13/cobra"
)

// The commands in this file are part of relscope's stable command line (DESIGN §6) but are
// not built yet. They are registered so --help and completion show the whole interface, and
// they fail plainly (exit 1) instead of pretending to work.

func newForecastCmd(g *globals) *cobra.Command {
	var release, format string
	var seed int64
	cmd := &cobra.Command{
		Use:     "forecast --release R [--seed N] [--format text|json]",
		Short:   "Monte Carlo completion forecast for a release",
		Example: `  relscope forecast --release "PAY 2025.12" --format json`,
		Args:    cobra.NoArgs,
		RunE:    func(*cobra.Command, []string) error { return notYet("forecast") },
	}
	cmd.Flags().StringVar(&release, "release", "", "release name")
	cmd.Flags().Int64Var(&seed, "seed", 1, "random seed (the same seed gives the same forecast)")
	cmd.Flags().StringVar(&format, "format", "text", "text or json")
	return cmd
}
