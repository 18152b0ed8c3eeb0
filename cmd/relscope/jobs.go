package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/spf13/cobra"

	"github.com/relscope/relscope/ingest"
	"github.com/relscope/relscope/models"
	"github.com/relscope/relscope/pipeline/jobs"
)

// jobsOptions are what run and serve share: the jobs file and how to log.
type jobsOptions struct {
	g         *globals
	file      string
	logFormat string
}

func (o *jobsOptions) flags(cmd *cobra.Command) {
	cmd.Flags().StringVar(&o.logFormat, "log-format", "text", "structured log lines on stderr: text or json")
}

// logger is the run's structured log on stderr (warnings and errors only with --quiet).
func (o *jobsOptions) logger() (*slog.Logger, error) {
	level := slog.LevelInfo
	if o.g.quiet {
		level = slog.LevelWarn
	}
	hopt := &slog.HandlerOptions{Level: level}
	switch o.logFormat {
	case "text":
		return slog.New(slog.NewTextHandler(o.g.stderr, hopt)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(o.g.stderr, hopt)), nil
	}
	return nil, usagef("--log-format %q: want text or json", o.logFormat)
}

// runner loads the configuration and the jobs file (refusing a file with any mistake,
// before anything runs) and returns the runner for them.
func (o *jobsOptions) runner() (*jobs.Runner, error) {
	log, err := o.logger()
	if err != nil {
		return nil, err
	}
	cfg, err := o.g.loadConfig()
	if err != nil {
		return nil, err
	}
	f, err := jobs.Load(o.file, nil)
	var fe *jobs.Error
	if errors.As(err, &fe) {
		return nil, usageError{fmt.Errorf("the jobs file is refused, nothing was run:\n%w", err)}
	}
	if err != nil {
		return nil, err
	}
	loc, err := cfg.Location()
	if err != nil {
		return nil, err
	}
	return &jobs.Runner{
		File:    f,
		DBPath:  o.g.dbPath,
		Config:  cfg,
		Version: relscopeVersion(),
		Log:     log,
		Ingest:  ingest.Options{Dates: ingest.DateParser{Loc: loc}},
		// A run ingests and builds on one handle: the build's limit (see defaultBuildMemoryLimit).
		Warehouse: builderWarehouse(defaultBuildMemoryLimit),
	}, nil
}

type runJobsOptions struct {
	jobsOptions
	job string
}

func newRunJobsCmd(g *globals) *cobra.Command {
	o := &runJobsOptions{jobsOptions: jobsOptions{g: g}}
	cmd := &cobra.Command{
		Use:   "run JOBS.yaml [--job NAME]",
		Short: "Run every job of a jobs file once (for cron, systemd timers, Kubernetes CronJobs)",
		Long: `run runs each job of the jobs file once, in order: ingest its sources (globs; files
unchanged since they were ingested are skipped), build, render its reports, notify. A jobs
file with any mistake is refused before anything runs, naming the key and its line (exit 2).

A run's outputs are replaced together, each by a rename in its folder, once every one of
them rendered: a failed run leaves the previous outputs in place. A warehouse another
process holds is waited for (lock_timeout, default 5m), then the run fails.

Each job ends with a one-line summary on stderr; the exit code is 1 if any job failed.
The README's "Jobs" section documents the file, the events and the webhook formats.`,
		Example: `  relscope run jobs.yaml
  relscope run jobs.yaml --job weekly
  relscope --db /var/lib/relscope/warehouse.duckdb run /etc/relscope/jobs.yaml --log-format json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.file = args[0]
			return runJobs(cmd.Context(), o)
		},
	}
	cmd.Flags().StringVar(&o.job, "job", "", "run only this job")
	o.flags(cmd)
	return cmd
}

func runJobs(ctx context.Context, o *runJobsOptions) error {
	r, err := o.runner()
	if err != nil {
		return err
	}
	defer ingestMemoryPolicy()()
	todo := r.File.Jobs
	if o.job != "" {
		todo = nil
		var names []string
		for _, j := range r.File.Jobs {
			if j.Name == o.job {
				todo = append(todo, j)
			}
			names = append(names, j.Name)
		}
		if todo == nil {
			msg := fmt.Sprintf("--job %q: the jobs file has no such job (jobs: %s)", o.job, strings.Join(names, ", "))
			if s := models.Closest(o.job, names); s != "" {
				msg = fmt.Sprintf("--job %q: the jobs file has no such job; did you mean %q? (jobs: %s)", o.job, s, strings.Join(names, ", "))
			}
			return usageError{errors.New(msg)}
		}
	}
	var results []jobs.Result
	for _, j := range todo {
		if ctx.Err() != nil {
			break
		}
		results = append(results, r.Run(ctx, j))
	}
	return summarise(ctx, o.g.stderr, o.g.quiet, todo, results)
}

// summarise prints a line per job and fails when any job failed or did not run.
func summarise(ctx context.Context, w io.Writer, quiet bool, todo []*jobs.Job, results []jobs.Result) error {
	failed := 0
	for _, res := range results {
		if res.Err != nil {
			failed++
		}
		if res.Err != nil || !quiet {
			fmt.Fprintln(w, res.Summary())
		}
	}
	for _, j := range todo[len(results):] {
		failed++
		fmt.Fprintf(w, "SKIP %s: not run (interrupted)\n", j.Name)
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d job(s) failed", failed, len(todo))
	}
	return nil
}

type serveOptions struct {
	jobsOptions
	listen string
	now    bool
}

func newServeCmd(g *globals) *cobra.Command {
	o := &serveOptions{jobsOptions: jobsOptions{g: g}}
	cmd := &cobra.Command{
		Use:   "serve JOBS.yaml [--listen ADDR] [--now]",
		Short: "Run the jobs of a jobs file on their schedules until stopped",
		Long: `serve keeps running the jobs of the jobs file on their schedules — a cron expression
("0 7 * * MON", in the job's or the file's timezone, or with CRON_TZ=Zone first) or
"@every 10m" — until SIGINT or SIGTERM; then it cancels the running job, waits for it to
stop, and exits 0. One job never runs twice at once (a run still going when the next is
due skips that turn), and runs take turns with the warehouse, which is closed between
runs: analysts can query it meanwhile. A warehouse another process holds is waited for
(lock_timeout), then that run fails; the server goes on. Logs are structured (slog):
--log-format text or json.

--listen ADDR serves the output folder read-only over HTTP so people can open the latest
reports: a port alone or ":PORT" listens on 127.0.0.1 only; give 0.0.0.0:PORT to listen on
every interface. Only files inside the folder are served: paths with ".." are refused,
dotfiles (and a run's staged outputs) are not served, symlinks leading out are not
followed; folders are listed.`,
		Example: `  relscope serve jobs.yaml
  relscope serve jobs.yaml --listen 8080 --log-format json
  relscope serve jobs.yaml --now          # run every job at start, then on schedule`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.file = args[0]
			return runServe(cmd.Context(), o)
		},
	}
	cmd.Flags().StringVar(&o.listen, "listen", "", "serve the output folder over HTTP at ADDR (PORT or :PORT = loopback)")
	cmd.Flags().BoolVar(&o.now, "now", false, "run every job once at start, then on its schedule")
	o.flags(cmd)
	return cmd
}

// runServe runs the scheduler until ctx ends (SIGINT/SIGTERM). A long-running process keeps
// Go's default memory policy (ingestMemoryPolicy is for one-shot commands).
func runServe(ctx context.Context, o *serveOptions) error {
	r, err := o.runner()
	if err != nil {
		return err
	}
	s := &jobs.Server{Runner: r, Listen: o.listen, Now: o.now}
	err = s.Serve(ctx)
	var fe *jobs.Error
	if errors.As(err, &fe) {
		return usageError{err}
	}
	return err
}
