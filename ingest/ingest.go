// Package ingest loads export files into the warehouse's canonical tables: it detects each
// file's format, maps its records through that format's reader, rejects bad rows with their
// line and reason, and merges the rest — each file whole or not at all, in transactions that
// batch files together.
package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"

	"github.com/relscope/relscope/config"
	"github.com/relscope/relscope/ingest/loader"
	"github.com/relscope/relscope/models"
)

// Options controls an ingest run.
type Options struct {
	// Format forces a format by name; empty detects it per file.
	Format string
	// Dates reads the files' timestamps.
	Dates DateParser
	// Config supplies status, team and visibility rules.
	Config *config.Config
	// Force reloads a file even if identical content was ingested before.
	Force bool
	// Progress, when set, receives a progress bar for files over ProgressMinBytes.
	Progress io.Writer
	// Stdin is read for the path "-".
	Stdin io.Reader
	// Formats are the formats detection tries and Format may name (nil: Formats()).
	Formats []Format
	// Tuning sizes the run's transactions, parallelism and DuckDB threads; the zero value is
	// the measured defaults.
	Tuning Tuning
	// Snapshot says the files, together, hold every item of the projects they contain:
	// stored items of those projects that none of them holds are marked removed
	// (work_item_removals), in the transaction of the run's last file. A snapshot whose
	// files are all unchanged is skipped whole; otherwise every file of it is read, changed
	// or not, so that what it holds is known. If any file fails, nothing is marked removed.
	Snapshot bool
	// SnapshotDone, when set, is told what a snapshot run marked removed and restored.
	SnapshotDone func(SnapshotResult)
}

// Tuning holds the knobs of an ingest run's speed and memory. Zero fields take the defaults
// measured on the benchmark organisation (see the comments where each is used). The Go
// runtime's own policy (GC percent, memory limit) is the program's to set, not a library's:
// relscope's commands set it around their ingest (cmd/relscope).
type Tuning struct {
	// BatchBytes and BatchFiles: a batch of files is committed once it holds this much input
	// or this many files (defaults 1 GB and 1,000).
	BatchBytes int64
	BatchFiles int
	// ParallelMinRecords: a file with more records than this is mapped on every core, by the
	// formats that can (default 16; negative: every file, however small).
	ParallelMinRecords int
	// Threads is DuckDB's worker threads while the run lasts (default 1), restored after it.
	Threads int
	// BufferBytes bounds the rows in memory on their way from the readers into the warehouse:
	// queued for the loader's worker and in its Arrow blocks (default 64 MB; see
	// loader.Options). With it the run's Go heap holds no more of a file than this, however
	// big the file or long its rows. DuckDB's memory is its memory_limit's.
	BufferBytes int64
}

func (t Tuning) batchBytes() int64 { return orDefault(t.BatchBytes, batchMaxBytes) }
func (t Tuning) batchFiles() int   { return orDefault(t.BatchFiles, batchMaxFiles) }
func (t Tuning) threads() int      { return orDefault(t.Threads, 1) }

// parallelMin is the most records a file may have and still be mapped on one goroutine.
func (t Tuning) parallelMin() int {
	switch {
	case t.ParallelMinRecords < 0:
		return 0
	case t.ParallelMinRecords == 0:
		return parallelMinRecords
	}
	return t.ParallelMinRecords
}

func orDefault[T int | int64](v, def T) T {
	if v == 0 {
		return def
	}
	return v
}

// SnapshotResult is what applying a snapshot did. NotApplied says why nothing was marked
// removed, when so (a file failed, or every file was unchanged).
type SnapshotResult struct {
	Projects, Removed, Restored int64
	NotApplied                  string
}

// errInterrupted is a file's failure when the run was interrupted while it was read.
var errInterrupted = errors.New("interrupted; nothing of this file was loaded")

// ErrUnknownFormat is returned by Run when Options.Format names no format.
var ErrUnknownFormat = errors.New("unknown format")

// ProgressMinBytes is the size from which a file gets a progress bar.
const ProgressMinBytes = 4 << 20

// FileResult is what happened to one file.
type FileResult struct {
	File     string
	Format   string
	IngestID int64
	Read     int64
	Loaded   int64
	Rejected int64
	Rejects  []Reject // the first few, for the summary
	// SkippedAs is the earlier ingest_id of identical content, when the file was skipped.
	SkippedAs int64
	Err       error
	Elapsed   time.Duration
}

// Run ingests every file named by paths (files, folders searched recursively, or "-" for
// standard input), calling report after each, in the order given, once the file is committed
// (or has failed). It returns an error only when the paths themselves are unusable or ctx is
// cancelled; per-file failures are in the results.
func Run(ctx context.Context, w *models.Warehouse, paths []string, opt Options, report func(FileResult)) error {
	if opt.Config == nil {
		opt.Config = config.Default()
	}
	if opt.Formats == nil {
		opt.Formats = Formats()
	}
	if opt.Format != "" {
		if _, ok := formatIn(opt.Formats, opt.Format); !ok {
			return fmt.Errorf("%w %q: want one of %s", ErrUnknownFormat, opt.Format, strings.Join(namesOf(opt.Formats), ", "))
		}
	}
	if err := CheckColumns(opt.Config); err != nil {
		return err
	}
	files, err := expand(paths, warehouseFiles(w.Path))
	if err != nil {
		return err
	}
	snapshotSkipped := false
	if opt.Snapshot && !opt.Force {
		// Read whole unless every file is unchanged (then skipped whole, as any run would).
		known, err := allIngested(ctx, w, files)
		if err != nil {
			return err
		}
		snapshotSkipped = known
		opt.Force = !known
	}
	st := &runState{ctx: ctx, w: w, opt: opt, report: report, keys: loader.NewKeys(w.DB), totalFiles: int64(len(files)),
		fieldNames: fieldNamesOf(files)}
	if opt.Progress != nil && len(files) > 1 {
		st.sizes = map[string]int64{}
		for _, f := range files {
			if info, err := os.Stat(f); err == nil {
				st.sizes[f] = info.Size()
				st.totalBytes += info.Size()
			}
		}
	}
	defer st.stopBars()
	if err := st.init(); err != nil {
		return models.CleanError(err)
	}
	restore, err := models.ApplySettings(ctx, w.DB, ingestSettings(opt.Tuning))
	if err != nil {
		return models.CleanError(err)
	}
	runFirst := st.nextID
	// Restored whatever happens next, to what they were (a caller's threads, say), not to
	// DuckDB's defaults; after the final checkpoint.
	defer restore()
	defer w.DB.ExecContext(context.Background(), "checkpoint")
	for _, f := range files {
		if ctx.Err() != nil {
			break
		}
		st.file(f)
		if st.b != nil && (st.b.bytes >= opt.Tuning.batchBytes() || st.b.loaded >= opt.Tuning.batchFiles()) {
			st.commit()
		}
	}
	if ctx.Err() != nil {
		st.abort()
		return ctx.Err()
	}
	if opt.Snapshot {
		res := SnapshotResult{}
		switch {
		case snapshotSkipped:
			res.NotApplied = "every file is unchanged since it was last ingested"
		case st.failed > 0 || st.b != nil && st.b.failures() > 0:
			res.NotApplied = fmt.Sprintf("%d file(s) of the snapshot did not load: no item is marked removed", st.failed)
		default:
			var err error
			if res, err = st.applySnapshot(runFirst); err != nil {
				st.abort()
				return models.CleanError(err)
			}
		}
		if !st.commit() && res.NotApplied == "" {
			res = SnapshotResult{NotApplied: "the snapshot's last transaction failed: no item is marked removed"}
		}
		if opt.SnapshotDone != nil {
			opt.SnapshotDone(res)
		}
		return nil
	}
	st.commit()
	return nil
}

// ingestSettings are DuckDB settings for the length of a run, restored after it. They are
// global to the warehouse's DuckDB instance (DuckDB has no per-connection scope for them).
func ingestSettings(t Tuning) []models.Setting {
	return []models.Setting{
		// DuckDB checkpoints at a commit once its WAL passes checkpoint_threshold (16 MB): with
		// many files, every other commit rewrote the database file. 256 MB checkpoints a tenth as
		// often and ends the run with one (measured at 1M items: 55 s → 44 s, peak memory 1.45 →
		// 1.56 GB; with no threshold at all memory rose to 2 GB for no further gain).
		{Name: "checkpoint_threshold", Value: "'256MB'"},
		// DuckDB compresses and writes a transaction's rows to the file as row groups fill, but by
		// default only once five are waiting — on a 110 MB Jira CSV (420k issues, under four row
		// groups) all of it happened inside COMMIT, 1.45 s on one core after parsing had ended.
		// Writing each row group as it fills does that work while the file is still being read.
		{Name: "write_buffer_row_group_count", Value: "1"},
		// Ingest already keeps both cores busy (parsing in Go, appending in DuckDB). A second
		// DuckDB thread found little to do and its scheduler polled for tasks under a mutex: 18%
		// of the run's CPU on the same file. One thread: 4.0 → 3.6 s, CPU time 4.9 → 3.6 s.
		{Name: "threads", Value: strconv.Itoa(t.threads())},
	}
}

// allIngested reports whether the content of every file was ingested before (by sha256).
func allIngested(ctx context.Context, w *models.Warehouse, files []string) (bool, error) {
	for _, f := range files {
		if f == "-" {
			return false, nil
		}
		sum, err := fileSHA256(f)
		if err != nil {
			return false, nil // the run reports it
		}
		var n int64
		if err := w.DB.QueryRowContext(ctx, `select count(*) from ingest_runs where sha256 = ?`, sum).Scan(&n); err != nil {
			return false, models.CleanError(err)
		}
		if n == 0 {
			return false, nil
		}
	}
	return true, nil
}

func fileSHA256(path string) (string, error) {
	fh, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer fh.Close()
	h := sha256.New()
	if _, err := io.Copy(h, fh); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// applySnapshot marks removed, in the open batch (or a new one), the items of the
// snapshot's projects that the run's files (ingest ids from first on) do not hold.
func (st *runState) applySnapshot(first int64) (SnapshotResult, error) {
	if st.b == nil {
		if err := st.begin(); err != nil {
			return SnapshotResult{}, err
		}
	}
	s, err := st.b.tx.MarkRemoved(first, st.nextID-1, time.Now())
	if err != nil {
		return SnapshotResult{}, err
	}
	return SnapshotResult{Projects: s.Projects, Removed: s.Removed, Restored: s.Restored}, nil
}

// Files share a transaction, a batch: committing each on its own cost a few milliseconds per
// file (begin, bookkeeping, merge, commit) — over a folder of 700 Jira pages, 4.5 of the
// run's 11.7 s. A batch is committed once it holds batchMaxBytes of input or batchMaxFiles
// files, and at the end. Each file keeps its own ingest_id, counts and rejects, and the
// warehouse still never holds part of a file: a file that fails has its rows deleted from the
// open transaction, and if the transaction itself fails it is rolled back and its files are
// loaded again one per transaction, so a bad file never costs the others.
//
// Big batches are cheaper still: DuckDB moves a transaction's rows into a table wholesale only
// when it adds at least a row group (122,880 rows) to it; smaller additions go through the WAL
// and are written again at the checkpoint. The 1M-item organisation (588 MB) ingests in 20.5 s
// with 64 MB batches, 17.3 s with 256 MB, 15.1 s with 512 MB and 15.3 s with 1 GB, peak memory
// no higher; the price is that Ctrl-C rolls back a whole batch of input. (Committing in the
// background while the next batch is read was tried three times — DuckDB commits on one thread,
// so a core looked free: 64 MB batches 5% faster; 512 MB no faster, even with room for 2M rows
// read ahead (3.5 GB peak); and a retry path that must roll back two batches. Not worth it.)
// (Tuning.BatchBytes and BatchFiles change them for a run.) Smaller batches hold no less
// memory: under DuckDB's 512 MiB limit (the ingest command's default) the Jira Server
// organisation at 200k items (395 MB) ingests in 6.7 s at 1.13 GB peak with 512 MB batches,
// 7.2 s at 1.10 GB with 256 MB, 8.1 s at 1.13 GB with 128 MB. Fewer are cheaper: at 1M items
// (1.1 GB, three batches) the run's last checkpoint takes 7.9 s of CPU (inside DuckDB: which of
// its work grows with the batches is not yet known) against 0.2 s in one 2 GB batch (CPU 65 →
// 58 s, peak 1.37 → 1.25 GB); it is most of why an item costs more at 1M than at 200k.
// Measured again on 2026-12-04 at 1M Jira Server items (1,993 MB, 1,003 files; timing each
// batch's flush, merge and commit): with 512 MB batches (four) the batches were done 40 s into
// the run and closing the warehouse — its last checkpoint — took 9.3 s more; with 700 MB (three)
// or 1 GB (two) it took 0.7 s. Why four batches leave the checkpoint so much to do is not yet
// known (it is not the batches' own commits: 0.5–1.4 s each either way). Whole runs, each pair
// back to back: 512 MB 49.2–64.4 s, 1 GB 42.7–53.2 s, 2 GB 48.7–51.9 s, peak 1.24–1.37 GB in
// all. So 1 GB: Ctrl-C rolls back up to 1 GB of input (about 25 s of work at this rate).
const (
	batchMaxBytes int64 = 1 << 30
	batchMaxFiles       = 1000
)

// runState is one run of Run.
type runState struct {
	ctx    context.Context
	w      *models.Warehouse
	opt    Options
	report func(FileResult)
	keys   *loader.Keys
	// fieldNames are the names of Jira fields, from the run's field lists (jira-fields).
	fieldNames map[string]string
	// sums maps sha256 and format to the ingest of that content, for skipping it again.
	sums   map[string]int64
	nextID int64
	// solo commits after every file: the retry of a batch whose transaction failed.
	solo bool
	// failed counts the files reported as not loaded.
	failed int
	b      *batch

	// On a terminal: the bars, shown while files are read and stopped before results are
	// printed; the run's bar counts files and bytes read.
	bars                  *mpb.Progress
	runBar, fileBar       *mpb.Bar
	totalFiles, filesRead int64
	totalBytes, bytesRead int64
	sizes                 map[string]int64 // of each file, when the run's bar is shown
}

// batch is the open transaction and the files in it.
type batch struct {
	tx      *loader.Batch
	sink    *dbSink
	firstID int64
	bytes   int64
	loaded  int
	// results of the files since the batch began, in order; reported at commit.
	results []FileResult
	paths   []string // each result's path, to load it again
	inTx    []bool   // whether a result's rows are in the transaction
	sums    map[string]int64
	// broken is why the transaction can no longer be committed.
	broken error
}

func sumKey(sum, format string) string { return sum + "\x00" + format }

// init reads what earlier runs loaded: content already ingested and the next ingest id.
func (st *runState) init() error {
	st.sums = map[string]int64{}
	rows, err := st.w.DB.QueryContext(st.ctx, `select sha256, format, max(ingest_id) from ingest_runs group by all`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var sum, format string
		var id int64
		if err := rows.Scan(&sum, &format, &id); err != nil {
			return err
		}
		st.sums[sumKey(sum, format)] = id
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return st.w.DB.QueryRowContext(st.ctx, `select coalesce(max(ingest_id), 0) + 1 from ingest_runs`).Scan(&st.nextID)
}

// emit reports a result now, or with its batch when one is open.
func (st *runState) emit(res FileResult, path string, inTx bool) {
	if st.b == nil {
		st.say(res)
		return
	}
	st.b.results = append(st.b.results, res)
	st.b.paths = append(st.b.paths, path)
	st.b.inTx = append(st.b.inTx, inTx)
}

// say reports a result, stopping the bars first so the line is not drawn over.
func (st *runState) say(res FileResult) {
	if res.Err != nil {
		st.failed++
	}
	st.stopBars()
	st.report(res)
}

// progress returns the bars on a terminal (nil elsewhere), starting them — with the run's
// bar, when there is more than one file — if they are stopped.
func (st *runState) progress() *mpb.Progress {
	if st.opt.Progress == nil {
		return nil
	}
	if st.bars == nil {
		st.bars = mpb.NewWithContext(st.ctx, mpb.WithOutput(st.opt.Progress), mpb.WithWidth(40))
		if st.totalFiles > 1 {
			st.runBar = st.bars.AddBar(st.totalBytes,
				mpb.PrependDecorators(decor.Any(func(decor.Statistics) string {
					return fmt.Sprintf("%d/%d files", atomic.LoadInt64(&st.filesRead), st.totalFiles)
				}, decor.WCSyncSpaceR)),
				mpb.AppendDecorators(decor.CountersKibiByte("% .1f / % .1f")))
			st.runBar.SetCurrent(st.bytesRead)
		}
	}
	return st.bars
}

// fileRead counts a file as read on the run's bar.
func (st *runState) fileRead(path string) {
	atomic.AddInt64(&st.filesRead, 1)
	st.bytesRead += st.sizes[path]
	if st.runBar != nil {
		st.runBar.SetCurrent(st.bytesRead)
	}
}

// stopBars takes the bars off the terminal.
func (st *runState) stopBars() {
	if st.bars == nil {
		return
	}
	for _, b := range []**mpb.Bar{&st.runBar, &st.fileBar} {
		if *b != nil {
			(*b).Abort(true)
			*b = nil
		}
	}
	st.bars.Wait()
	st.bars = nil
}

// begin opens a batch: the loader's transaction, and its sink.
func (st *runState) begin() error {
	tx, err := loader.Begin(st.ctx, st.w.DB, st.keys, loader.Options{BufferBytes: st.opt.Tuning.BufferBytes})
	if err != nil {
		return err
	}
	st.b = &batch{tx: tx, sink: &dbSink{b: tx}, firstID: st.nextID, sums: map[string]int64{}}
	return nil
}

// rollback ends the open batch with nothing of it kept.
func (st *runState) rollback() *batch {
	b := st.b
	st.b = nil
	b.tx.Rollback()
	st.nextID = b.firstID
	return b
}

// commit merges and commits the open batch, then reports its files. If that fails, the batch
// is rolled back and its files loaded again one per transaction. It reports whether the
// batch was committed (true when none was open).
func (st *runState) commit() bool {
	if st.b == nil {
		return true
	}
	b := st.b
	err := b.broken
	if err == nil {
		err = b.tx.Commit(b.firstID, st.nextID-1)
	}
	if err != nil {
		st.rollback()
		if st.ctx.Err() != nil {
			st.interrupted(b)
			return false
		}
		for i, res := range b.results {
			switch {
			case !b.inTx[i]:
				st.say(res)
			case st.solo:
				st.say(notLoaded(res, models.CleanError(err)))
			default:
				// Which file broke the transaction is not known: each is loaded again in
				// its own, and only the culprit fails.
				st.solo = true
				st.file(b.paths[i])
				st.solo = false
			}
		}
		return false
	}
	st.b = nil
	for k, id := range b.sums {
		st.sums[k] = id
	}
	for _, res := range b.results {
		st.say(res)
	}
	return true
}

// failures counts the batch's files that failed and are not reported yet.
func (b *batch) failures() int {
	n := 0
	for _, res := range b.results {
		if res.Err != nil {
			n++
		}
	}
	return n
}

// abort rolls back the open batch after ctx was cancelled, reporting its files as not loaded.
func (st *runState) abort() {
	if st.b != nil {
		st.interrupted(st.rollback())
	}
}

func (st *runState) interrupted(b *batch) {
	for i, res := range b.results {
		if b.inTx[i] && res.Err == nil {
			res = notLoaded(res, errors.New("interrupted before it was committed; nothing of this file was loaded"))
		}
		st.say(res)
	}
}

// notLoaded turns the result of a file whose transaction was rolled back into its failure.
func notLoaded(res FileResult, err error) FileResult {
	res.Err = fmt.Errorf("%s: %w", res.File, err)
	res.IngestID, res.Read, res.Loaded, res.Rejected, res.Rejects = 0, 0, 0, 0, nil
	return res
}

// file ingests one file into the open batch (opening one if needed). Whatever goes wrong, the
// warehouse is left as it was before the file.
func (st *runState) file(path string) {
	defer st.fileRead(path)
	start := time.Now()
	res := FileResult{File: path}
	display := path
	emitErr := func(err error) {
		if st.ctx.Err() != nil {
			// Whatever failed (opening the batch, reading, writing), it failed because the
			// run was interrupted: say that, not the driver's "context canceled".
			err = errInterrupted
		}
		res.Err = fmt.Errorf("%s: %w", display, err)
		res.Elapsed = time.Since(start)
		st.emit(res, path, false)
	}
	if path == "-" {
		display = "stdin"
		res.File = display
		tmp, err := spool(st.opt.Stdin)
		if err != nil {
			res.Err = fmt.Errorf("read standard input: %w", err)
			st.emit(res, path, false)
			return
		}
		defer os.Remove(tmp)
		path = tmp
		// Standard input cannot be read twice, so it is never part of a batch to retry: it
		// gets a transaction of its own.
		if !st.solo {
			st.commit()
			st.solo = true
			defer func() { st.solo = false }()
		}
	}

	fh, err := os.Open(path)
	if err != nil {
		emitErr(unwrapPathErr(err))
		return
	}
	defer fh.Close()
	info, err := fh.Stat()
	if err != nil {
		emitErr(err)
		return
	}
	hasher := sha256.New()
	if _, err := io.Copy(hasher, fh); err != nil {
		emitErr(err)
		return
	}
	sum := hex.EncodeToString(hasher.Sum(nil))
	head := make([]byte, sniffSize)
	n, err := fh.ReadAt(head, 0)
	if err != nil && !errors.Is(err, io.EOF) {
		emitErr(err)
		return
	}
	head = head[:n]
	// A UTF-16 file is read through a decoder to UTF-8 (its head too, for detection); lone
	// carriage returns end lines (textReader).
	decodeUTF16, text, isUTF16 := utf16Text(head)
	if isUTF16 {
		head = text
	}
	head = loneCRs(head)

	format, sniff, err := chooseFrom(st.opt.Formats, st.opt.Config, display, head, st.opt.Format)
	if err != nil {
		emitErr(err)
		return
	}
	res.Format = format.Name()

	if !st.opt.Force {
		key := sumKey(sum, format.Name())
		prev, ok := st.sums[key]
		if st.b != nil && st.b.sums[key] != 0 {
			prev, ok = st.b.sums[key], true
		}
		if ok {
			res.SkippedAs = prev
			res.Elapsed = time.Since(start)
			st.emit(res, path, false)
			return
		}
	}

	if _, err := fh.Seek(0, io.SeekStart); err != nil {
		emitErr(err)
		return
	}
	var r io.Reader = fh
	if bars := st.progress(); bars != nil && info.Size() >= ProgressMinBytes {
		bar := bars.AddBar(info.Size(), mpb.BarRemoveOnComplete(),
			mpb.PrependDecorators(decor.Name(filepath.Base(display)+" ", decor.WCSyncSpaceR)),
			mpb.AppendDecorators(decor.CountersKibiByte("% .1f / % .1f"), decor.Name(" "), decor.AverageSpeed(decor.SizeB1024(0), "% .1f")))
		pr, err := bar.ProxyReader(fh)
		if err != nil {
			emitErr(err)
			return
		}
		st.fileBar = bar
		defer func() {
			pr.Close()
			if st.fileBar == bar {
				bar.Abort(true)
				st.fileBar = nil
			}
		}()
		r = pr
	}
	dates := st.opt.Dates
	if dates.Order == OrderAuto {
		dates.Order = sniff.dateOrder()
	}
	if isUTF16 {
		r = decodeUTF16(r)
	}
	input := &Input{R: newTextReader(r), File: display, Dates: &dates, Config: st.opt.Config, Tuning: st.opt.Tuning,
		Columns: userColumnsFor(format, st.opt.Config), FieldNames: st.fieldNames}

	if st.b == nil {
		if err := st.begin(); err != nil {
			emitErr(models.CleanError(err))
			return
		}
	}
	b := st.b
	id := st.nextID
	sink := b.sink
	sink.startFile(id, display)
	started := time.Now().UTC()
	err = format.Load(st.ctx, input, sink)
	if err != nil && sink.line > 0 {
		err = fmt.Errorf("line %d: %w", sink.line, err)
	}
	if err == nil && sink.read > 0 && sink.rejected == sink.read {
		first := sink.firstRejects[0]
		err = fmt.Errorf("every one of its %d rows was rejected (is it really a %s file?); the first: line %d: %s",
			sink.read, format.Name(), first.Line, first.Reason)
	}
	if err == nil {
		err = sink.fileDone(sum, format.Name(), started)
	}
	if err != nil {
		if st.ctx.Err() != nil {
			emitErr(errInterrupted)
			return
		}
		// Take the file's rows out of the transaction; if even that fails, the batch's
		// transaction is broken: it is rolled back and its files loaded again on their own.
		if derr := sink.discard(); derr != nil {
			b.broken = derr
		}
		emitErr(err)
		if b.broken != nil || st.solo {
			st.commit()
		}
		return
	}
	st.nextID++
	b.loaded++
	b.bytes += info.Size()
	b.sums[sumKey(sum, format.Name())] = id
	res.IngestID = id
	res.Read, res.Loaded, res.Rejected = sink.read, sink.read-sink.rejected, sink.rejected
	res.Rejects = sink.firstRejects
	res.Elapsed = time.Since(start)
	st.emit(res, path, true)
	if st.solo {
		st.commit()
	}
}

// warehouseFiles tells the warehouse's own files (the database, its WAL, DuckDB's spill
// folder beside it) from exports, for a folder that holds both: `relscope init` in the
// exports folder, then `relscope ingest .`.
func warehouseFiles(db string) func(path string) bool {
	abs, err := filepath.Abs(db)
	if err != nil || db == "" {
		return func(string) bool { return false }
	}
	return func(path string) bool {
		p, err := filepath.Abs(path)
		if err != nil {
			return false
		}
		return p == abs || p == abs+".wal" || strings.HasPrefix(p, abs+".tmp"+string(filepath.Separator))
	}
}

// expand turns the arguments into a list of files: folders are walked recursively in name
// order, skipping hidden entries, relscope.yaml and the warehouse's own files (isWarehouse);
// "-" stays as is.
func expand(paths []string, isWarehouse func(string) bool) ([]string, error) {
	var files []string
	for _, p := range paths {
		if p == "-" {
			files = append(files, p)
			continue
		}
		info, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("ingest %s: %w", p, unwrapPathErr(err))
		}
		if !info.IsDir() {
			files = append(files, p)
			continue
		}
		var found []string
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if path != p && strings.HasPrefix(d.Name(), ".") {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			// A relscope.yaml beside the exports is their configuration, not data.
			if d.Type().IsRegular() && d.Name() != "relscope.yaml" && d.Name() != "relscope.yml" && !isWarehouse(path) {
				found = append(found, path)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("ingest %s: %w", p, unwrapPathErr(err))
		}
		if len(found) == 0 {
			return nil, fmt.Errorf("ingest %s: the folder has no files", p)
		}
		sort.Strings(found)
		files = append(files, found...)
	}
	return files, nil
}

func unwrapPathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// chooseFormat applies --format or detection over every format relscope reads.
func chooseFormat(display string, head []byte, forced string) (Format, *Sniff, error) {
	return chooseFrom(Formats(), nil, display, head, forced)
}

// chooseFrom applies --format or detection over formats, and returns what it sniffed of the
// file.
// A CSV format sees the header in its own names — translated through its vocabulary and the
// user's columns: mapping (cfg) — and a format the user mapped a header of is preferred.
func chooseFrom(formats []Format, cfg *config.Config, display string, head []byte, forced string) (Format, *Sniff, error) {
	if why := binaryReason(head); why != "" {
		what := "a supported export"
		if forced != "" {
			what = "a " + forced + " file"
		}
		return nil, nil, fmt.Errorf("not a text file: %s; expected %s", why, what)
	}
	s := newSniff(display, head)
	if forced != "" {
		f, _ := formatIn(formats, forced)
		return f, s, nil
	}
	if len(strings.TrimSpace(string(head))) == 0 {
		return nil, nil, errors.New("the file is empty")
	}
	var best Format
	var bestScore float64
	var tied []string
	for _, f := range formats {
		score := detect(f, s, cfg)
		switch {
		case score <= 0:
		case score > bestScore:
			best, bestScore, tied = f, score, []string{f.Name()}
		case score == bestScore:
			tied = append(tied, f.Name())
		}
	}
	if best == nil {
		return nil, nil, fmt.Errorf("format not recognised (%s); tried %s — name one with --format, or map its columns in relscope.yaml (columns:)",
			s.describe(), strings.Join(namesOf(formats), ", "))
	}
	if len(tied) > 1 {
		return nil, nil, fmt.Errorf("the file could be any of %s: name one with --format", strings.Join(tied, ", "))
	}
	return best, s, nil
}

// detect scores f on the sniffed file, the header translated into f's own names when f is a
// CSV format with a vocabulary or a columns: mapping.
func detect(f Format, s *Sniff, cfg *config.Config) float64 {
	cf, ok := f.(csvFormat)
	if !ok || s.Header == nil {
		return f.Detect(s)
	}
	user := userColumnsFor(f, cfg)
	header, changed := cf.columns().translatedHeader(s.Header, user)
	if !changed {
		return f.Detect(s)
	}
	translated := s.withHeader(header)
	score := f.Detect(translated)
	mapped := 0
	for _, h := range s.Header {
		if _, ok := user[h]; ok {
			mapped++
		}
	}
	switch {
	case mapped == 0:
		return score
	case score > 0:
		return score + 1 // the user said how to read this format's files
	case mapped >= 2 && cf.columns().hasIdentity(translated):
		// A custom table the user mapped (u_begin_time: created_at …): its columns are the
		// user's, its identity the format's.
		return 3
	}
	return score
}

// spool copies standard input to a temporary file, so it can be hashed, sniffed and read.
func spool(r io.Reader) (string, error) {
	if r == nil {
		r = os.Stdin
	}
	f, err := os.CreateTemp("", "relscope-stdin-*")
	if err != nil {
		return "", err
	}
	defer f.Close()
	if _, err := io.Copy(f, r); err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}
