package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/relscope/relscope/models"
)

type buildOptions struct {
	g           *globals
	asOf        string
	memoryLimit string
	tempDir     string
	threads     int
	timings     bool
	profile     string
	concurrency int
}

func newBuildCmd(g *globals) *cobra.Command {
	o := &buildOptions{g: g}
	cmd := &cobra.Command{
		Use:   "build [--as-of T]",
		Short: "Materialise the metric models and run the data tests",
		Long: `build (re)computes every model — staging views, intermediate models and the marts analysts
and reports read — from the canonical tables and relscope.yaml, two at a time, each as soon as
what it reads is built, and runs each model's data tests (unique keys, not-null columns,
accepted values, invariants such as cycle_time_days >= 0) as soon as it is built. Only when
every test passes does it make the new marts the warehouse's, in one transaction: a failing
test leaves the previous marts, and exits 3 listing the model, the test and sample failing
rows. Each mart is a view in the main schema of a table in relscope_marts_a or
relscope_marts_b, one build's each in turn; the staging and intermediate models are views of
their SQL (computed once per build, into an in-memory scratch database, for the marts).

--as-of pins "now" for every age-based metric (aging WIP, backlog age, open incidents); it is
recorded in the warehouse (relscope_meta) and shown on every report. Definitions of every
metric: models/METRICS.md.

--timings lists every model (staging, intermediate, mart, and the Go-computed forecasts) with
its rows and build time, slowest first, the part of that time counting its rows and running its
data tests took, and the CPU time the process used meanwhile (every thread's, the model
computed alongside it included: with --concurrency 1, what the model itself cost), then the
settings tables' and the final transaction's share (writing the settings and the models'
views, and committing) — where a slow build spends its time. --profile DIR writes, for each model computed into a table (marts and the
intermediate models; a staging view's work is in the plans of the models that read it),
DuckDB's profile of that statement to DIR/MODEL.json (EXPLAIN ANALYZE, FORMAT JSON: its latency
and CPU time, and the plan with every operator's time and rows) — why a model is slow. DuckDB
reads them:
  relscope query "select filename, latency, cpu_time from read_json('DIR/*.json', filename = true, maximum_depth = 1) order by latency desc limit 10"`,
		Example: `  relscope build
  relscope build --as-of 2025-06-30T00:00:00Z
  relscope build --memory-limit 2GB                                  # a little faster, if you have it
  relscope build --memory-limit 256MB --temp-dir /var/tmp/relscope   # spill to a roomier disk
  relscope build --timings
  relscope build --timings --concurrency 1                          # each model's time its own
  relscope build --profile prof/                                    # each model's query plan, timed`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runBuild(cmd.Context(), o) },
	}
	f := cmd.Flags()
	f.StringVar(&o.asOf, "as-of", "", "the moment age-based metrics are measured at (RFC 3339 or YYYY-MM-DD; default now)")
	f.StringVar(&o.memoryLimit, "memory-limit", defaultBuildMemoryLimit, "DuckDB memory limit, e.g. 2GB; what exceeds it spills to --temp-dir")
	f.StringVar(&o.tempDir, "temp-dir", "", "where DuckDB spills what exceeds --memory-limit (default: FILE.tmp beside the warehouse)")
	f.IntVar(&o.threads, "threads", 0, "DuckDB worker threads (default: one per core)")
	f.IntVar(&o.concurrency, "concurrency", 0, "models computed at once (default 2, or 1 with one thread)")
	f.BoolVar(&o.timings, "timings", false, "list every model's build time, slowest first (even with --quiet)")
	f.StringVar(&o.profile, "profile", "", "write DuckDB's profile of each model's statement to `DIR`/MODEL.json (created if missing)")
	return cmd
}

// defaultBuildMemoryLimit is DuckDB's memory_limit for a build without --memory-limit. Left at
// DuckDB's own default (80% of RAM) a build keeps what it wrote as cache: the 1M-item Jira
// Server organisation peaked at 4.16 GB resident. With the allocator returning freed memory
// (builderWarehouse) and the models built two at a time, 2026-12-04, `/usr/bin/time relscope
// -q build --memory-limit M` (two builds each at 200k and 100k; one at 1M for 2GB and 1GB):
//
//	                      2GB                 1GB                      512MB
//	1M Jira Server        25.2 s 2.22 GB      28.2 s 1.30 GB           29.4–31.4 s 0.89–0.90 GB
//	200k Jira Server      5.4–6.8 s 1.14 GB   5.4–5.7 s 1.12–1.13 GB   5.4–5.7 s   0.67–0.71 GB
//	100k mixed            —                   2.9–3.1 s 0.50–0.54 GB   2.86–2.88 s 0.51–0.53 GB
//
// 512MB keeps a 1M-item build under 1 GB; 1GB buys little; who has the memory and wants the
// seconds says --memory-limit 2GB (15% faster at 1M, nothing at 200k).
const defaultBuildMemoryLimit = "512MB"

// builderWarehouse is how build, and the commands that build (demo, run, serve), open the
// warehouse: under memoryLimit, DuckDB's allocator returning what a model freed to the system
// (models.Options.ReturnMemory — the process's allocator policy, decided here).
func builderWarehouse(memoryLimit string) models.Options {
	return models.Options{MemoryLimit: memoryLimit, ReturnMemory: true}
}

func runBuild(ctx context.Context, o *buildOptions) error {
	g := o.g
	asOf := time.Now().UTC().Truncate(time.Second)
	if o.asOf != "" {
		t, err := parseAsOf(o.asOf)
		if err != nil {
			return usageError{err}
		}
		asOf = t
	}
	cfg, err := g.loadConfig()
	if err != nil {
		return err
	}
	if o.concurrency < 0 {
		return usageError{fmt.Errorf("--concurrency %d: want 1 or more (0: the default)", o.concurrency)}
	}
	if o.profile != "" {
		if err := os.MkdirAll(o.profile, 0o755); err != nil {
			return fmt.Errorf("--profile: %w", err)
		}
	}
	ms, err := models.Models()
	if err != nil {
		return err
	}
	opt := builderWarehouse(o.memoryLimit)
	opt.Threads, opt.TempDir = o.threads, o.tempDir
	w, err := g.open(ctx, opt)
	if err != nil {
		return err
	}
	defer w.Close()
	res, err := w.Build(ctx, ms, models.Settings{AsOf: asOf, Config: cfg, Profile: o.profile, Concurrency: o.concurrency}, nil)
	if err != nil {
		return err
	}
	tests := 0
	for _, m := range res.Models {
		tests += m.Tests
	}
	g.infof("built %d models as of %s, %d data tests passed (%s)\n", len(res.Models), res.AsOf.Format(time.RFC3339),
		tests, res.Elapsed.Round(time.Millisecond))
	if o.timings {
		printTimings(g.stderr, res)
		return nil
	}
	for _, m := range res.Models {
		if strings.HasPrefix(m.Name, "mart_") {
			g.infof("  %-30s %9d rows %8s\n", m.Name, m.Rows, m.Elapsed.Round(time.Millisecond))
		}
	}
	return nil
}

// printTimings lists every model with its rows and build time (its data tests included),
// slowest first, one "model NAME ROWS rows SECONDS s (tests T s, cpu C s)" line each: the
// part its data tests took, and the CPU time the process used meanwhile (every thread's, the
// models computed alongside included). The settings tables and the final transaction follow,
// as "build settings|commit SECONDS s (cpu C s)".
func printTimings(w io.Writer, res *models.BuildResult) {
	sorted := slices.Clone(res.Models)
	slices.SortStableFunc(sorted, func(a, b models.ModelResult) int { return cmp.Compare(b.Elapsed, a.Elapsed) })
	for _, m := range sorted {
		fmt.Fprintf(w, "model %-34s %10d rows %9.3f s (tests %.3f s, cpu %.3f s)\n", m.Name, m.Rows, m.Elapsed.Seconds(), m.TestsElapsed.Seconds(), m.CPU.Seconds())
	}
	fmt.Fprintf(w, "build settings %9.3f s (cpu %.3f s)\n", res.Settings.Elapsed.Seconds(), res.Settings.CPU.Seconds())
	fmt.Fprintf(w, "build commit %11.3f s (cpu %.3f s)\n", res.Commit.Elapsed.Seconds(), res.Commit.CPU.Seconds())
}

// parseAsOf reads --as-of: RFC 3339, or a date meaning its start in UTC.
func parseAsOf(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("--as-of %q: want RFC 3339 (2025-06-30T00:00:00Z) or a date (2025-06-30)", s)
}
