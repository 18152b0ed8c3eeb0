package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"strings"

	"github.com/spf13/cobra"

	"github.com/relscope/relscope/config"
	"github.com/relscope/relscope/models"
)

// Exit codes (DESIGN §6).
const (
	exitOK        = 0
	exitError     = 1
	exitUsage     = 2
	exitDataTests = 3
)

// globals are the flags every command shares, plus the process's streams.
type globals struct {
	dbPath     string
	configPath string
	quiet      bool

	stdin          io.Reader
	stdout, stderr io.Writer
}

// usageError is a mistake in how relscope was called: exit 2.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }

// notYet is what a command not built yet returns: it says so and exits 1, rather than
// pretending to work.
func notYet(name string) error {
	return fmt.Errorf("`relscope %s` is not yet available in this version of relscope", name)
}

// run is the whole program: main only wires the process to it, and tests call it directly.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	g := &globals{stdin: stdin, stdout: stdout, stderr: stderr}
	root := newRootCmd(g)
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	if path := os.Getenv("RELSCOPE_CPUPROFILE"); path != "" {
		if stopProfile, err := startCPUProfile(path); err != nil {
			fmt.Fprintln(stderr, "relscope: cpu profile:", err)
		} else {
			defer stopProfile()
		}
	}
	err := root.ExecuteContext(ctx)
	if os.Getenv("RELSCOPE_PEAK_RSS") != "" {
		reportPeakRSS(stderr)
	}
	if err == nil {
		return exitOK
	}
	return printError(stderr, err)
}

// startCPUProfile writes a Go CPU profile of the whole run to path (RELSCOPE_CPUPROFILE), for
// `go tool pprof` when a run is slower than it should be.
func startCPUProfile(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

// reportPeakRSS prints this process's peak resident memory (Linux VmHWM), for `make bench`:
// unlike getrusage's maxrss, which a child inherits from the process that forked it, VmHWM
// starts afresh at exec.
func reportPeakRSS(w io.Writer) {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			fmt.Fprintf(w, "relscope peak RSS: %s\n", strings.TrimSpace(v))
		}
	}
}

// printError is the one place errors reach the user: once, lowercase, with a hint.
func printError(stderr io.Writer, err error) int {
	var dt *models.DataTestError
	var ue usageError
	switch {
	case errors.As(err, &dt):
		fmt.Fprintf(stderr, "relscope: %v\n", err)
		return exitDataTests
	case errors.As(err, &ue) || isCobraUsage(err):
		fmt.Fprintf(stderr, "relscope: %v\nrun 'relscope --help' for usage\n", err)
		return exitUsage
	case errors.Is(err, context.Canceled):
		fmt.Fprintln(stderr, "relscope: interrupted")
		return exitError
	}
	fmt.Fprintf(stderr, "relscope: %v\n", err)
	return exitError
}

// isCobraUsage recognises cobra's own usage errors, which it returns as plain errors.
func isCobraUsage(err error) bool {
	msg := err.Error()
	for _, p := range []string{"unknown command", "unknown flag", "unknown shorthand flag", "accepts ", "requires at least",
		"requires at most", "invalid argument", "flag needs an argument", "required flag"} {
		if strings.HasPrefix(msg, p) || strings.Contains(msg, " "+p) {
			return true
		}
	}
	return false
}

func newRootCmd(g *globals) *cobra.Command {
	root := &cobra.Command{
		Use:   "relscope",
		Short: "Release analytics from the exports you already have",
		Long: `relscope loads backlog, deployment, incident and change-request exports into an
embedded DuckDB warehouse, computes delivery metrics (cycle time, DORA, release health,
scope volatility, compliance gaps, forecasts) with SQL models, and renders them as an
offline HTML dashboard, Excel workbooks, PDF briefs and a public release log.

One binary, no server: the warehouse is a plain DuckDB file.`,
		Example: `  relscope init
  relscope ingest exports/
  relscope build
  relscope query @slowest_items --param team=PAY
  relscope demo --out demo-out`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	defaultDB := os.Getenv("RELSCOPE_DB")
	if defaultDB == "" {
		defaultDB = "relscope.duckdb"
	}
	pf := root.PersistentFlags()
	pf.StringVar(&g.dbPath, "db", defaultDB, "warehouse file (env RELSCOPE_DB)")
	pf.StringVar(&g.configPath, "config", "relscope.yaml", "configuration file (missing: defaults apply)")
	pf.BoolVarP(&g.quiet, "quiet", "q", false, "print only errors")

	root.AddCommand(
		newInitCmd(g),
		newIngestCmd(g),
		newBuildCmd(g),
		newQueryCmd(g),
		newSQLCmd(g),
		newSchemaCmd(g),
		newReportCmd(g),
		newBriefCmd(g),
		newPublishCmd(g),
		newForecastCmd(g),
		newRunJobsCmd(g),
		newServeCmd(g),
		newDemoCmd(g),
		newFixturesCmd(g),
	)
	for _, c := range root.Commands() {
		c.SetFlagErrorFunc(root.FlagErrorFunc())
	}
	return root
}

// loadConfig reads --config; the default path may be missing, an explicit one may not.
func (g *globals) loadConfig(cmd *cobra.Command) (*config.Config, error) {
	explicit := cmd.Flags().Changed("config")
	return config.Load(g.configPath, !explicit)
}

// openWarehouse opens --db for writing (creating or upgrading it).
func (g *globals) openWarehouse(ctx context.Context) (*models.Warehouse, error) {
	return models.Open(ctx, g.dbPath, models.Options{})
}

// infof prints a status message to stderr unless --quiet.
func (g *globals) infof(format string, args ...any) {
	if !g.quiet {
		fmt.Fprintf(g.stderr, format, args...)
	}
}

// stderrIsTerminal reports whether progress bars make sense.
func (g *globals) stderrIsTerminal() bool { return isTerminal(g.stderr) }
