// Package ingest loads export files into the warehouse's canonical tables: it detects each
// file's format, maps its records through that format's reader, rejects bad rows with their
// line and reason, and merges the rest in one transaction per file.
package ingest

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strings"
	"time"

	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"

	"github.com/relscope/relscope/config"
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
}

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
// standard input), calling report after each. It returns an error only when the paths
// themselves are unusable; per-file failures are in the results.
func Run(ctx context.Context, w *models.Warehouse, paths []string, opt Options, report func(FileResult)) error {
	if opt.Config == nil {
		opt.Config = config.Default()
	}
	if opt.Format != "" {
		if _, ok := FormatByName(opt.Format); !ok {
			return fmt.Errorf("unknown --format %q: want one of %s", opt.Format, strings.Join(FormatNames(), ", "))
		}
	}
	files, err := expand(paths)
	if err != nil {
		return err
	}
	keys := newKeyIndex(w.DB)
	// DuckDB checkpoints at a commit once its WAL passes checkpoint_threshold (16 MB): with
	// many files, every other commit rewrote the database file. 256 MB checkpoints a tenth as
	// often and ends the run with one (measured at 1M items: 55 s → 44 s, peak memory 1.45 →
	// 1.56 GB; with no threshold at all memory rose to 2 GB for no further gain).
	if _, err := w.DB.ExecContext(ctx, "set global checkpoint_threshold = '256MB'"); err == nil {
		defer func() {
			w.DB.ExecContext(context.Background(), "reset global checkpoint_threshold")
			w.DB.ExecContext(context.Background(), "checkpoint")
		}()
	}
	for _, f := range files {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		start := time.Now()
		res := ingestFile(ctx, w, f, opt, keys)
		res.Elapsed = time.Since(start)
		report(res)
	}
	return nil
}

// expand turns the arguments into a list of files: folders are walked recursively in name
// order, skipping hidden entries and relscope.yaml; "-" stays as is.
func expand(paths []string) ([]string, error) {
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
			if d.Type().IsRegular() && d.Name() != "relscope.yaml" && d.Name() != "relscope.yml" {
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

// ingestFile loads one file in one transaction. Whatever goes wrong, the warehouse is left
// as it was before the file.
func ingestFile(ctx context.Context, w *models.Warehouse, path string, opt Options, keys *keyIndex) (res FileResult) {
	res.File = path
	display := path
	if path == "-" {
		display = "stdin"
		res.File = display
		tmp, err := spool(opt.Stdin)
		if err != nil {
			res.Err = fmt.Errorf("read standard input: %w", err)
			return res
		}
		defer os.Remove(tmp)
		path = tmp
	}
	fail := func(err error) FileResult {
		res.Err = fmt.Errorf("%s: %w", display, err)
		return res
	}

	fh, err := os.Open(path)
	if err != nil {
		return fail(unwrapPathErr(err))
	}
	defer fh.Close()
	info, err := fh.Stat()
	if err != nil {
		return fail(err)
	}
	hasher := sha256.New()
	if _, err := io.Copy(hasher, fh); err != nil {
		return fail(err)
	}
	sum := hex.EncodeToString(hasher.Sum(nil))
	head := make([]byte, sniffSize)
	n, err := fh.ReadAt(head, 0)
	if err != nil && !errors.Is(err, io.EOF) {
		return fail(err)
	}
	head = head[:n]

	format, err := chooseFormat(display, head, opt.Format)
	if err != nil {
		return fail(err)
	}
	res.Format = format.Name()

	if !opt.Force {
		var prev int64
		err := w.DB.QueryRowContext(ctx, `select ingest_id from ingest_runs where sha256 = ? and format = ? order by ingest_id desc limit 1`,
			sum, format.Name()).Scan(&prev)
		if err == nil {
			res.SkippedAs = prev
			return res
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return fail(models.CleanError(err))
		}
	}

	if _, err := fh.Seek(0, io.SeekStart); err != nil {
		return fail(err)
	}
	var r io.Reader = fh
	if opt.Progress != nil && info.Size() >= ProgressMinBytes {
		p := mpb.NewWithContext(ctx, mpb.WithOutput(opt.Progress), mpb.WithWidth(40))
		bar := p.AddBar(info.Size(),
			mpb.PrependDecorators(decor.Name(filepath.Base(display)+" ", decor.WCSyncSpaceR)),
			mpb.AppendDecorators(decor.CountersKibiByte("% .1f / % .1f"), decor.Name(" "), decor.AverageSpeed(decor.SizeB1024(0), "% .1f")))
		pr, err := bar.ProxyReader(fh)
		if err != nil {
			return fail(err)
		}
		defer func() {
			pr.Close()
			bar.Abort(false)
			p.Wait()
		}()
		r = pr
	}
	input := &Input{R: newTextReader(r), File: display, Dates: &opt.Dates, Config: opt.Config}

	if err := load(ctx, w, format, input, display, sum, &res, keys); err != nil {
		if ctx.Err() != nil {
			err = fmt.Errorf("interrupted; nothing of this file was loaded")
		}
		return fail(err)
	}
	return res
}

// load runs the format inside a transaction on a dedicated connection.
func load(ctx context.Context, w *models.Warehouse, format Format, in *Input, display, sum string, res *FileResult, keys *keyIndex) (err error) {
	conn, err := w.DB.Conn(ctx)
	if err != nil {
		return models.CleanError(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "begin transaction"); err != nil {
		return models.CleanError(err)
	}
	committed := false
	defer func() {
		if !committed {
			// Background context: the rollback must happen even when ctx was cancelled.
			conn.ExecContext(context.Background(), "rollback")
		}
	}()

	started := time.Now().UTC()
	var id int64
	if err := conn.QueryRowContext(ctx, `select coalesce(max(ingest_id), 0) + 1 from ingest_runs`).Scan(&id); err != nil {
		return models.CleanError(err)
	}
	// Ingest allocates many short-lived strings; collecting less often is worth the memory.
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	sink, err := newSink(ctx, conn, id, display, keys)
	if err != nil {
		return err
	}
	loadErr := format.Load(ctx, in, sink)
	closeErr := sink.close()
	if loadErr != nil {
		if sink.line > 0 {
			return fmt.Errorf("line %d: %w", sink.line, loadErr)
		}
		return loadErr
	}
	if closeErr != nil {
		return models.CleanError(closeErr)
	}
	if sink.read > 0 && sink.rejected == sink.read {
		first := sink.firstRejects[0]
		return fmt.Errorf("every one of its %d rows was rejected (is it really a %s file?); the first: line %d: %s",
			sink.read, format.Name(), first.Line, first.Reason)
	}
	if err := sink.merge(); err != nil {
		return models.CleanError(err)
	}
	_, err = conn.ExecContext(ctx, `insert into ingest_runs values (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		id, display, sum, format.Name(), started, time.Now().UTC(), sink.read, sink.read-sink.rejected, sink.rejected)
	if err != nil {
		return models.CleanError(err)
	}
	if _, err := conn.ExecContext(ctx, "commit"); err != nil {
		return models.CleanError(err)
	}
	committed = true
	sink.committed()
	res.IngestID = id
	res.Read, res.Loaded, res.Rejected = sink.read, sink.read-sink.rejected, sink.rejected
	res.Rejects = sink.firstRejects
	return nil
}

// chooseFormat applies --format or detection.
func chooseFormat(display string, head []byte, forced string) (Format, error) {
	if why := binaryReason(head); why != "" {
		what := "a supported export"
		if forced != "" {
			what = "a " + forced + " file"
		}
		return nil, fmt.Errorf("not a text file: %s; expected %s", why, what)
	}
	if forced != "" {
		f, _ := FormatByName(forced)
		return f, nil
	}
	if len(strings.TrimSpace(string(head))) == 0 {
		return nil, errors.New("the file is empty")
	}
	s := newSniff(display, head)
	var best Format
	var bestScore float64
	var tied []string
	for _, f := range Formats() {
		score := f.Detect(s)
		switch {
		case score <= 0:
		case score > bestScore:
			best, bestScore, tied = f, score, []string{f.Name()}
		case score == bestScore:
			tied = append(tied, f.Name())
		}
	}
	if best == nil {
		header := ""
		if s.Header != nil {
			header = fmt.Sprintf(" (its header: %s)", strings.Join(s.Header, ", "))
		}
		return nil, fmt.Errorf("format not recognised%s; tried %s — name one with --format", header, strings.Join(FormatNames(), ", "))
	}
	if len(tied) > 1 {
		return nil, fmt.Errorf("the file could be any of %s: name one with --format", strings.Join(tied, ", "))
	}
	return best, nil
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
