package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

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
	// configSet: --config was given, so the file must exist (set from the flag by the root
	// command; tests that run a command without cobra set it themselves).
	configSet  bool
	configFlag *pflag.Flag
	// lockTimeout is how long a command waits for another process to release the warehouse
	// (--lock-timeout, $RELSCOPE_LOCK_TIMEOUT); lockEnvErr is a $RELSCOPE_LOCK_TIMEOUT that
	// is not a duration, reported when a warehouse is opened.
	lockTimeout time.Duration
	lockEnvErr  error

	stdin          io.Reader
	stdout, stderr io.Writer
}

// usageError is a mistake in how relscope was called: exit 2.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }

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
	cmd, err := root.ExecuteContextC(ctx)
	if os.Getenv("RELSCOPE_PEAK_RSS") != "" {
		reportPeakRSS(stderr)
	}
	if err == nil {
		return exitOK
	}
	return printError(stderr, err, cmd)
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
func printError(stderr io.Writer, err error, cmd *cobra.Command) int {
	var dt *models.DataTestError
	var ue usageError
	var le *models.LockError
	switch {
	case errors.As(err, &le):
		fmt.Fprintf(stderr, "relscope: %v\n  wait for that process to finish, or give relscope longer: --lock-timeout 5m (or RELSCOPE_LOCK_TIMEOUT=5m)\n", err)
		return exitError
	case errors.As(err, &dt):
		fmt.Fprintf(stderr, "relscope: %v\n", err)
		return exitDataTests
	case errors.As(err, &ue):
		path := "relscope"
		if cmd != nil {
			path = cmd.CommandPath() // the subcommand's own help says how to call it
		}
		fmt.Fprintf(stderr, "relscope: %v\nrun '%s --help' for usage\n", err, path)
		return exitUsage
	case errors.Is(err, context.Canceled):
		fmt.Fprintln(stderr, "relscope: interrupted")
		return exitError
	}
	fmt.Fprintf(stderr, "relscope: %v\n", err)
	return exitError
}

// typeUsageErrors makes every mistake cobra finds in how a command was called a usageError
// (exit 2), in one place, so no error is ever classified by its message: each command's Args
// validator is wrapped, required flags and flag groups are checked (by cobra's own functions)
// before cobra would, and flag parse errors pass through the flag error func. Commands added
// to the tree later are covered as long as they are added before run executes it.
func typeUsageErrors(c *cobra.Command) {
	c.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	if args := c.Args; args != nil {
		c.Args = func(cmd *cobra.Command, a []string) error {
			if err := args(cmd, a); err != nil {
				return usageError{err}
			}
			return nil
		}
	}
	if c.Runnable() && c.PreRun == nil {
		pre := c.PreRunE
		c.PreRunE = func(cmd *cobra.Command, a []string) error {
			if err := cmd.ValidateRequiredFlags(); err != nil {
				return usageError{err}
			}
			if err := cmd.ValidateFlagGroups(); err != nil {
				return usageError{err}
			}
			if pre != nil {
				return pre(cmd, a)
			}
			return nil
		}
	}
	for _, sub := range c.Commands() {
		typeUsageErrors(sub)
	}
}

// unknownCommand is the root's Args: a word that names no command is a usage error with
// cobra's suggestions. (Without it cobra would say so in an untyped error.)
func unknownCommand(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	msg := fmt.Sprintf("unknown command %q for %q", args[0], cmd.CommandPath())
	if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
		msg += "\n\nDid you mean this?\n\t" + strings.Join(s, "\n\t")
	}
	return usageError{errors.New(msg)}
}

func newRootCmd(g *globals) *cobra.Command {
	var showVersion bool
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
		// Runnable, so that cobra hands an unknown word to Args instead of failing untyped.
		Args: unknownCommand,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if showVersion {
				fmt.Fprintln(g.stdout, versionLine(cmd.Context()))
				return nil
			}
			return cmd.Help()
		},
		// cobra's own default, which SuggestionsFor does not apply by itself.
		SuggestionsMinimumDistance: 2,
	}
	defaultDB := os.Getenv("RELSCOPE_DB")
	if defaultDB == "" {
		defaultDB = "relscope.duckdb"
	}
	pf := root.PersistentFlags()
	pf.StringVar(&g.dbPath, "db", defaultDB, "warehouse file (env RELSCOPE_DB)")
	pf.StringVar(&g.configPath, "config", "relscope.yaml", "configuration file (missing: defaults apply)")
	pf.BoolVarP(&g.quiet, "quiet", "q", false, "print only errors")
	lockDefault := defaultLockTimeout
	if env := os.Getenv("RELSCOPE_LOCK_TIMEOUT"); env != "" {
		d, err := time.ParseDuration(env)
		if err != nil || d < 0 {
			g.lockEnvErr = usagef("RELSCOPE_LOCK_TIMEOUT=%q: want a duration such as 30s or 5m", env)
		}
		lockDefault = d
	}
	pf.DurationVar(&g.lockTimeout, "lock-timeout", lockDefault, "how long to wait while another process uses the warehouse (env RELSCOPE_LOCK_TIMEOUT; 0: fail at once)")
	g.configFlag = pf.Lookup("config")
	root.Flags().BoolVar(&showVersion, "version", false, "print relscope's version, commit and DuckDB version")

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
	typeUsageErrors(root)
	return root
}

// loadConfig reads --config; the default path may be missing, an explicit one may not.
func (g *globals) loadConfig() (*config.Config, error) {
	explicit := g.configSet || g.configFlag != nil && g.configFlag.Changed
	return config.Load(g.configPath, !explicit)
}

// defaultLockTimeout is how long a command waits for the warehouse by default: longer than a
// build of the 1M-item benchmark organisation, so a scheduled run and an analyst's query
// take turns instead of failing.
const defaultLockTimeout = 30 * time.Second

// openWarehouse opens --db for writing (creating or upgrading it).
func (g *globals) openWarehouse(ctx context.Context) (*models.Warehouse, error) {
	return g.open(ctx, models.Options{})
}

// open opens --db with opt, waiting up to --lock-timeout for another process to release it
// (and saying so on stderr when it has to wait).
func (g *globals) open(ctx context.Context, opt models.Options) (*models.Warehouse, error) {
	if g.lockEnvErr != nil {
		return nil, g.lockEnvErr
	}
	if g.lockTimeout < 0 {
		return nil, usagef("--lock-timeout %s: want 0 or more", g.lockTimeout)
	}
	opt.LockTimeout = g.lockTimeout
	opt.OnLockWait = func(holder string, pid int) {
		who := "another process"
		if pid > 0 {
			who = fmt.Sprintf("%s (PID %d)", filepath.Base(holder), pid)
		}
		g.infof("waiting up to %s for %s to release %s (--lock-timeout)…\n", g.lockTimeout, who, g.dbPath)
	}
	return models.Open(ctx, g.dbPath, opt)
}

// infof prints a status message to stderr unless --quiet.
func (g *globals) infof(format string, args ...any) {
	if !g.quiet {
		fmt.Fprintf(g.stderr, format, args...)
	}
}

// stderrIsTerminal reports whether progress bars make sense.
func (g *globals) stderrIsTerminal() bool { return isTerminal(g.stderr) }
