package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/relscope/relscope/config"
	"github.com/relscope/relscope/ingest"
	"github.com/relscope/relscope/models"
)

type ingestOptions struct {
	g         *globals
	paths     []string
	format    string
	tz        string
	dateOrder string
	force     bool
	snapshot  bool
	memLimit  string
	tempDir   string
	// batchSize and batchFiles: commit after this much input or this many files (0: the
	// defaults, 1 GB and 1,000).
	batchSize  string
	batchFiles int
}

func newIngestCmd(g *globals) *cobra.Command {
	o := &ingestOptions{g: g}
	cmd := &cobra.Command{
		Use:   "ingest [flags] FILE|DIR|- ...",
		Short: "Load export files into the warehouse",
		Long: `ingest loads export files into the warehouse's canonical tables. Each file's format is
detected from its header or shape (--format overrides); folders are read recursively; "-"
reads standard input. Every file loads whole or not at all: a file that cannot be read leaves
the warehouse exactly as it was, and the other files still load (files share transactions of
up to 1 GB; each file's line is printed when its batch commits). A row that cannot be
mapped is rejected with its line and reason (see the ingest_rejects table) while its
neighbours load.

Re-ingesting a file, or a newer export of the same data, updates rows in place: keys are
(source, external id). A file whose exact content was already ingested is skipped
(--force reloads it).

--snapshot says the files, together, are a full export of the projects they contain (not a
filtered search): items of those projects that none of them holds are marked removed — kept
in work_items, listed in work_item_removals and mart_coverage, left out of every mart. An
item that appears in a later export is restored. Without --snapshot nothing is ever removed.

Exports may hold any subset of columns: only what identifies a record (an item's key, an
incident's or change's number) is required, and each column a file lacks is one note
(ingest_notes, mart_coverage). Jira CSV headers are read in English, Spanish, German, French,
Portuguese and Russian; any other header is mapped with columns: in relscope.yaml.

Formats (the --format names):
` + formatList() + `
The README says how to export each from its product.`,
		Example: `  relscope ingest exports/
  relscope ingest --format deployments deploys-2025.csv
  relscope ingest --tz Europe/Berlin --date-order dmy servicenow/incidents.csv
  relscope ingest --memory-limit 600MB exports/     # a small machine: same speed, less memory
  relscope ingest --snapshot jira/                  # a full export: what it lacks was deleted or moved
  curl -s "$EXPORT_URL" | relscope ingest --format incidents -`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usagef("ingest needs at least one FILE, DIR or -")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			o.paths = args
			return runIngest(cmd.Context(), o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.format, "format", "", "force the format ("+strings.Join(ingest.FormatNames(), "|")+")")
	f.StringVar(&o.tz, "tz", "", "time zone for times without one (default: the config's timezone, else UTC)")
	f.StringVar(&o.dateOrder, "date-order", "auto", "order of ambiguous numeric dates: dmy, mdy or auto")
	f.BoolVar(&o.force, "force", false, "reload files whose content was already ingested")
	f.BoolVar(&o.snapshot, "snapshot", false, "the files hold every item of their projects: mark stored items they lack as removed")
	f.StringVar(&o.memLimit, "memory-limit", "", "DuckDB memory limit, e.g. 1GB (default 512MiB); the Go heap is held to about the same (256MB to 800MB)")
	f.StringVar(&o.tempDir, "temp-dir", "", "where DuckDB spills what exceeds --memory-limit (default: FILE.tmp beside the warehouse)")
	f.StringVar(&o.batchSize, "batch-size", "", "commit once a batch holds this much input, e.g. 64MB (default 1GB; smaller loses less to Ctrl-C, larger loads faster)")
	f.IntVar(&o.batchFiles, "batch-files", 0, "commit once a batch holds this many files (default 1000)")
	cmd.RegisterFlagCompletionFunc("format", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return ingest.FormatNames(), cobra.ShellCompDirectiveNoFileComp
	})
	return cmd
}

func runIngest(ctx context.Context, o *ingestOptions) error {
	g := o.g
	cfg, err := g.loadConfig()
	if err != nil {
		return err
	}
	opts, err := o.ingestOptions(cfg)
	if err != nil {
		return err
	}
	// Nothing is created until something can load: the mapping, the inputs and the
	// warehouse's folder are checked first, and a warehouse this run created is removed again
	// when no file loaded.
	if err := ingest.CheckColumns(cfg); err != nil {
		return err
	}
	for _, p := range o.paths {
		if p == "-" {
			continue
		}
		if _, err := os.Stat(p); err != nil {
			return fmt.Errorf("ingest %s: %w", p, unwrapPath(err))
		}
	}
	_, statErr := os.Stat(g.dbPath)
	created := errors.Is(statErr, fs.ErrNotExist)
	mem := ingestMemoryFor(o.memLimit, opts.Tuning)
	opts.Tuning = mem.tuning
	w, err := g.open(ctx, models.Options{MemoryLimit: mem.duckdb, TempDir: o.tempDir})
	if err != nil {
		return err
	}
	defer w.Close()
	defer mem.apply()()
	failed, loaded := 0, 0
	err = ingest.Run(ctx, w, o.paths, opts, func(r ingest.FileResult) {
		if r.Err != nil {
			failed++
			fmt.Fprintf(g.stderr, "relscope: %v\n", r.Err)
			return
		}
		loaded++
		reportFile(g, r)
	})
	removed := created && loaded == 0
	if removed {
		w.Close()
		os.Remove(g.dbPath)
		os.Remove(g.dbPath + ".wal")
	}
	if err != nil {
		return usageOrErr(err)
	}
	if failed > 0 && removed {
		return fmt.Errorf("%d file(s) not loaded; no warehouse was created", failed)
	}
	if failed > 0 {
		return fmt.Errorf("%d file(s) not loaded; the warehouse holds everything else", failed)
	}
	return nil
}

// ingestMemoryPolicy sets the Go runtime's memory policy for a command that ingests, and
// returns what restores it. Ingest allocates many short-lived strings: collecting less often
// (GC percent 400) is worth the memory — up to a point: with rows queued for the table
// writers, a heap five times the live one reached 2.1 GB at 1M items, and a soft limit of
// 800 MB (unless GOMEMLIMIT says otherwise) brought the run's peak to 1.6 GB at the same
// speed. It is the program's decision, not package ingest's: a long-running process (serve)
// running other work beside an ingest decides for itself. (The ingest command sizes the
// limit from --memory-limit: ingestMemoryFor.)
func ingestMemoryPolicy() (restore func()) { return goMemoryPolicy(800 << 20) }

// goMemoryPolicy is ingestMemoryPolicy with a soft limit of limit bytes.
func goMemoryPolicy(limit int64) (restore func()) {
	gc := debug.SetGCPercent(400)
	old := int64(-1)
	if os.Getenv("GOMEMLIMIT") == "" {
		old = debug.SetMemoryLimit(limit)
	}
	return func() {
		if old >= 0 {
			debug.SetMemoryLimit(old)
		}
		debug.SetGCPercent(gc)
	}
}

// ingestMemory is how an ingest run's memory is shared: DuckDB's memory_limit, the Go heap's
// soft limit, and the loader's buffer (ingest.Tuning.BufferBytes) within that heap.
type ingestMemory struct {
	duckdb  string // models.Options.MemoryLimit
	goLimit int64
	tuning  ingest.Tuning
}

// defaultIngestDuckDB is DuckDB's memory_limit for an ingest without --memory-limit. Left at
// DuckDB's own default (80% of RAM), DuckDB kept every block it wrote as cache: the 1M-item
// Jira Server organisation peaked at 5.2 GB resident in 49 s; under 512 MB it takes 38 s (less
// time faulting in pages), nothing spilled — ingest writes, it does not read back.
const defaultIngestDuckDB = 512 << 20

// ingestMemoryFor shares an ingest's memory from --memory-limit (empty: 512 MB for DuckDB):
// DuckDB gets the limit, the Go heap a soft limit of the same size (at least 256 MB, at most
// 800 MB), and the loader's buffer an eighth of that — so the whole process stays within
// about twice the limit plus DuckDB's own overhead. tuning is the run's other knobs, kept.
func ingestMemoryFor(memLimit string, tuning ingest.Tuning) ingestMemory {
	n := int64(defaultIngestDuckDB)
	duck := memLimit
	if memLimit == "" {
		duck = strconv.FormatInt(n>>20, 10) + "MiB"
	} else if v, err := parseSize(memLimit); err == nil && v > 0 {
		n = v
	} // else DuckDB rejects the setting with its own message
	m := ingestMemory{duckdb: duck, goLimit: min(max(n, 256<<20), 800<<20), tuning: tuning}
	if m.tuning.BufferBytes == 0 {
		m.tuning.BufferBytes = m.goLimit / 8
	}
	return m
}

// apply sets the Go runtime's policy for the run and returns what restores it.
func (m ingestMemory) apply() (restore func()) { return goMemoryPolicy(m.goLimit) }

// ingestOptions turns flags and config into ingest.Options.
func (o *ingestOptions) ingestOptions(cfg *config.Config) (ingest.Options, error) {
	order, err := ingest.ParseDateOrder(o.dateOrder)
	if err != nil {
		return ingest.Options{}, usageError{err}
	}
	loc, err := cfg.Location()
	if err != nil {
		return ingest.Options{}, err
	}
	if o.tz != "" {
		if loc, err = time.LoadLocation(o.tz); err != nil {
			return ingest.Options{}, usagef("--tz %q: %v", o.tz, err)
		}
	}
	if o.format != "" {
		if _, ok := ingest.FormatByName(o.format); !ok {
			return ingest.Options{}, usagef("unknown --format %q: want one of %s", o.format, strings.Join(ingest.FormatNames(), ", "))
		}
	}
	opts := ingest.Options{
		Format:   o.format,
		Dates:    ingest.DateParser{Loc: loc, Order: order},
		Config:   cfg,
		Force:    o.force,
		Stdin:    o.g.stdin,
		Snapshot: o.snapshot,
	}
	if o.snapshot {
		opts.SnapshotDone = func(r ingest.SnapshotResult) { reportSnapshot(o.g, r) }
	}
	if o.batchSize != "" {
		n, err := parseSize(o.batchSize)
		if err != nil || n <= 0 {
			return ingest.Options{}, usagef("--batch-size %q: want a size such as 64MB or 1GB", o.batchSize)
		}
		opts.Tuning.BatchBytes = n
	}
	if o.batchFiles < 0 {
		return ingest.Options{}, usagef("--batch-files %d: want at least 1", o.batchFiles)
	}
	opts.Tuning.BatchFiles = o.batchFiles
	if !o.g.quiet && o.g.stderrIsTerminal() {
		opts.Progress = o.g.stderr
	}
	return opts, nil
}

// unwrapPath turns "stat x: no such file or directory" into its cause, the path being said.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		if errors.Is(pe.Err, fs.ErrNotExist) {
			return errors.New("no such file or folder")
		}
		return pe.Err
	}
	return err
}

// reportFile prints one file's outcome to stderr.
func reportFile(g *globals, r ingest.FileResult) {
	if r.SkippedAs > 0 {
		g.infof("%s: unchanged since ingest %d, skipped (--force reloads it)\n", r.File, r.SkippedAs)
		return
	}
	g.infof("%s: %s, %d row(s) loaded", r.File, r.Format, r.Loaded)
	if r.Rejected > 0 {
		g.infof(", %d rejected", r.Rejected)
	}
	g.infof(" (ingest %d, %s)\n", r.IngestID, r.Elapsed.Round(time.Millisecond))
	for _, rej := range r.Rejects {
		g.infof("  rejected %s:%d: %s\n", r.File, rej.Line, rej.Reason)
	}
	if r.Rejected > int64(len(r.Rejects)) {
		g.infof("  … and %d more: relscope query \"select line, reason from ingest_rejects where ingest_id = %d\"\n",
			r.Rejected-int64(len(r.Rejects)), r.IngestID)
	}
}

// reportSnapshot prints what a snapshot did to stderr.
func reportSnapshot(g *globals, r ingest.SnapshotResult) {
	if r.NotApplied != "" {
		g.infof("snapshot not applied: %s\n", r.NotApplied)
		return
	}
	g.infof("snapshot of %d project(s): %d item(s) no longer exported marked removed, %d restored\n", r.Projects, r.Removed, r.Restored)
}

func usageOrErr(err error) error {
	if errors.Is(err, ingest.ErrUnknownFormat) {
		return usageError{err}
	}
	return err
}

// parseSize reads a size as DuckDB writes them: a number and a unit (B, KB, MB, GB, TB in
// powers of 1,000; KiB, MiB, GiB, TiB in powers of 1,024), case-insensitive; bare bytes too.
func parseSize(s string) (int64, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	num := strings.TrimRight(t, "abcdefghijklmnopqrstuvwxyz ")
	unit := strings.TrimSpace(t[len(num):])
	mult := map[string]float64{"": 1, "b": 1, "kb": 1e3, "mb": 1e6, "gb": 1e9, "tb": 1e12,
		"kib": 1 << 10, "mib": 1 << 20, "gib": 1 << 30, "tib": 1 << 40}[unit]
	v, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
	if err != nil || mult == 0 || v < 0 || v*mult > 1<<62 {
		return 0, fmt.Errorf("size %q: want a number and a unit (KB, MB, GB, KiB, MiB, GiB)", s)
	}
	return int64(v * mult), nil
}

// formatList is the --help table of formats: name and what it reads.
func formatList() string {
	var b strings.Builder
	for _, f := range ingest.Formats() {
		fmt.Fprintf(&b, "  %-22s %s\n", f.Name(), f.Describe())
	}
	return b.String()
}
