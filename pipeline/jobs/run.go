package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/relscope/relscope/config"
	"github.com/relscope/relscope/ingest"
	"github.com/relscope/relscope/models"
	"github.com/relscope/relscope/pipeline"
	"github.com/relscope/relscope/pipeline/notify"
)

// Runner runs the jobs of one jobs file against one warehouse. It is safe for concurrent
// use: runs take turns with the warehouse (DuckDB allows one writer), and the warehouse is
// closed between runs, so other processes can read it meanwhile.
type Runner struct {
	File    *File
	DBPath  string
	Config  *config.Config // nil: the defaults
	Version string
	Log     *slog.Logger
	// Ingest holds the date settings (time zone, day/month order) for every job's files.
	Ingest ingest.Options
	// Policy bounds each notification's retries.
	Policy notify.Policy
	// Warehouse is how each run opens the warehouse (its DuckDB memory limit and temp
	// directory: the program's decision; empty, DuckDB's own defaults).
	Warehouse models.Options
	// LockPoll is how often a run retries a warehouse another process holds (default 1 s),
	// until the file's lock_timeout.
	LockPoll time.Duration

	mu sync.Mutex // held while a run has the warehouse open
}

// Result is one run of one job.
type Result struct {
	Job        *Job
	RunID      int64
	Err        error
	Started    time.Time
	Finished   time.Time
	AsOf       time.Time
	Loaded     int // files loaded
	Skipped    int // files unchanged since they were ingested
	Snapshots  []ingest.SnapshotResult
	Outputs    []notify.Link
	Events     []notify.Event
	Deliveries []notify.Delivery
}

// Summary is the run's one line for `relscope run`.
func (r Result) Summary() string {
	took := r.Finished.Sub(r.Started).Round(100 * time.Millisecond)
	if r.Err != nil {
		return fmt.Sprintf("FAIL %s (%s): %v", r.Job.Name, took, r.Err)
	}
	s := fmt.Sprintf("ok   %s (%s): %d file(s) loaded, %d unchanged", r.Job.Name, took, r.Loaded, r.Skipped)
	var removed, restored int64
	applied := false
	for _, sr := range r.Snapshots {
		if sr.NotApplied == "" {
			applied = true
			removed += sr.Removed
			restored += sr.Restored
		}
	}
	if applied {
		s += fmt.Sprintf("; snapshot: %d item(s) marked removed, %d restored", removed, restored)
	}
	s += fmt.Sprintf("; %d output(s); %d event(s)", len(r.Outputs), len(r.Events))
	delivered, failed := 0, 0
	for _, d := range r.Deliveries {
		if d.Delivered {
			delivered++
		} else {
			failed++
		}
	}
	if delivered+failed > 0 {
		s += fmt.Sprintf("; %d notification(s) delivered", delivered)
		if failed > 0 {
			s += fmt.Sprintf(", %d failed", failed)
		}
	}
	return s
}

func (r *Runner) log() *slog.Logger {
	if r.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return r.Log
}

// ErrInterrupted is a run's error when it was cancelled (Ctrl-C, or serve stopping).
var ErrInterrupted = errors.New("interrupted")

// Run runs job once: ingest its sources, build, render its reports into staged files, observe
// the marts and diff them with the job's previous run, then replace the outputs together and
// record the run — or, on any failure, remove the staged files (the previous outputs stay)
// and record the failure. Then, with the warehouse closed, it notifies the job's targets and
// records each delivery in notification_log.
func (r *Runner) Run(ctx context.Context, job *Job) Result {
	res := Result{Job: job, Started: time.Now().UTC()}
	log := r.log().With("job", job.Name)
	log.Info("run started")
	obsErr := r.runLocked(ctx, job, &res, log)
	res.Finished = time.Now().UTC()
	if res.Err == nil && obsErr != nil {
		res.Err = obsErr
	}
	if res.Err != nil {
		log.Error("run failed", "run_id", res.RunID, "error", res.Err.Error())
	} else {
		log.Info("run finished", "run_id", res.RunID, "outputs", len(res.Outputs), "events", len(res.Events),
			"loaded", res.Loaded, "unchanged", res.Skipped, "took", res.Finished.Sub(res.Started).Round(time.Millisecond).String())
	}
	r.notify(ctx, job, &res, log)
	return res
}

// runLocked is the part of a run that holds the warehouse.
func (r *Runner) runLocked(ctx context.Context, job *Job, res *Result, log *slog.Logger) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	w, err := r.open(ctx, log)
	if err != nil {
		res.Err = err
		res.Outputs = r.existingOutputs(job)
		return nil
	}
	defer w.Close()
	if res.RunID, err = startRun(ctx, w, job, res.Started); err != nil {
		res.Err = err
		res.Outputs = r.existingOutputs(job)
		return nil
	}
	staged := r.stage(job, res.RunID)
	st := &pipeline.State{DBPath: r.DBPath, Config: r.Config, AsOf: job.AsOf, Warehouse: w,
		Out: r.File.Output, Logf: func(format string, args ...any) {
			log.Info(strings.TrimSpace(fmt.Sprintf(format, args...)))
		}}
	var obs notify.Observations
	steps := r.steps(job, res, staged, &obs, log)
	err = pipeline.Run(ctx, st, steps)
	if err == nil {
		err = staged.commit()
	}
	if err != nil {
		staged.discard()
		if ctx.Err() != nil {
			err = fmt.Errorf("%w (%v)", ErrInterrupted, err)
		}
		res.Err = err
		res.Events = nil
		res.Outputs = r.existingOutputs(job)
		if rerr := finishRun(context.Background(), w, job, res, nil); rerr != nil {
			log.Error("recording the failed run", "error", rerr.Error())
		}
		return nil
	}
	if st.Built != nil {
		res.AsOf = st.Built.AsOf
	}
	res.Outputs = staged.links
	return finishRun(context.Background(), w, job, res, obs)
}

// open opens the warehouse for writing, waiting while another process holds it — up to the
// file's lock_timeout — and then failing clearly.
func (r *Runner) open(ctx context.Context, log *slog.Logger) (*models.Warehouse, error) {
	poll := r.LockPoll
	if poll <= 0 {
		poll = time.Second
	}
	start := time.Now()
	waiting := false
	for {
		w, err := models.Open(ctx, r.DBPath, r.Warehouse)
		if err == nil {
			if waiting {
				log.Info("warehouse free again", "waited", time.Since(start).Round(time.Millisecond).String())
			}
			return w, nil
		}
		if !errors.Is(err, models.ErrLocked) {
			return nil, err
		}
		if time.Since(start) >= r.File.LockTimeout {
			return nil, fmt.Errorf("the warehouse %s is in use by another process and stayed so for %s (lock_timeout): %w",
				r.DBPath, r.File.LockTimeout, models.ErrLocked)
		}
		if !waiting {
			log.Warn("warehouse in use by another process; waiting", "lock_timeout", r.File.LockTimeout.String())
			waiting = true
		}
		t := time.NewTimer(poll)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, fmt.Errorf("%w while waiting for the warehouse", ErrInterrupted)
		case <-t.C:
		}
	}
}

// steps is the job as pipeline steps: its ingest groups, build, render, observe.
func (r *Runner) steps(job *Job, res *Result, staged *stagedOutputs, obs *notify.Observations, log *slog.Logger) []pipeline.Step {
	var steps []pipeline.Step
	if len(job.Ingest) > 0 {
		steps = append(steps, ingestSources{runner: r, job: job, res: res, log: log})
	}
	steps = append(steps, pipeline.Build{})
	if len(staged.targets) > 0 {
		steps = append(steps, pipeline.Render{Targets: staged.targets})
	}
	steps = append(steps, observe{job: job, res: res, obs: obs})
	return steps
}

// ingestSources is the job's ingest: each glob expanded (one matching nothing fails the
// run), the plain sources loaded together, each snapshot source on its own.
type ingestSources struct {
	runner *Runner
	job    *Job
	res    *Result
	log    *slog.Logger
}

func (ingestSources) String() string { return "ingest" }

// Run implements pipeline.Step.
func (in ingestSources) Run(ctx context.Context, s *pipeline.State) error {
	var plain []string
	type snap struct {
		pattern string
		files   []string
	}
	var snaps []snap
	for _, src := range in.job.Ingest {
		files, err := expandGlob(src.Path)
		if err != nil {
			return fmt.Errorf("%s: %w", src.Pattern, err)
		}
		if len(files) == 0 {
			return fmt.Errorf("%s matches no file", src.Pattern)
		}
		if src.Snapshot {
			snaps = append(snaps, snap{src.Pattern, files})
		} else {
			plain = append(plain, files...)
		}
	}
	report := func(f ingest.FileResult) {
		switch {
		case f.Err != nil:
			in.log.Error("file not loaded", "error", f.Err.Error())
		case f.SkippedAs > 0:
			in.res.Skipped++
			in.log.Debug("file unchanged, skipped", "file", f.File, "ingest_id", f.SkippedAs)
		default:
			in.res.Loaded++
			in.log.Info("file loaded", "file", f.File, "format", f.Format, "rows", f.Loaded, "rejected", f.Rejected)
		}
	}
	opts := in.runner.Ingest
	if len(plain) > 0 {
		if err := (pipeline.Ingest{Paths: plain, Options: opts, Report: report}).Run(ctx, s); err != nil {
			return err
		}
	}
	for _, sn := range snaps {
		o := opts
		o.Snapshot = true
		pattern := sn.pattern
		o.SnapshotDone = func(sr ingest.SnapshotResult) {
			in.res.Snapshots = append(in.res.Snapshots, sr)
			if sr.NotApplied != "" {
				in.log.Info("snapshot not applied", "source", pattern, "why", sr.NotApplied)
				return
			}
			in.log.Info("snapshot applied", "source", pattern, "projects", sr.Projects, "removed", sr.Removed, "restored", sr.Restored)
		}
		if err := (pipeline.Ingest{Paths: sn.files, Options: o, Report: report}).Run(ctx, s); err != nil {
			return err
		}
	}
	return nil
}

// expandGlob lists the regular files a path or glob names, sorted; a folder names the
// folder (ingest reads it recursively).
func expandGlob(pattern string) ([]string, error) {
	matches, err := filepath.Glob(pattern)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, m := range matches {
		info, err := os.Stat(m)
		if err != nil {
			continue
		}
		if info.Mode().IsRegular() || info.IsDir() {
			out = append(out, m)
		}
	}
	sort.Strings(out)
	return out, nil
}

// observe reads what the run sees in the freshly built marts and diffs it with what the
// job's previous finished run saw.
type observe struct {
	job *Job
	res *Result
	obs *notify.Observations
}

func (observe) String() string { return "observe" }

// Run implements pipeline.Step.
func (o observe) Run(ctx context.Context, s *pipeline.State) error {
	cur, err := notify.Observe(ctx, s.Warehouse.DB)
	if err != nil {
		return err
	}
	prev, err := notify.Previous(ctx, s.Warehouse.DB, o.job.Name, o.res.RunID)
	if err != nil {
		return err
	}
	o.res.Events = notify.Diff(prev, cur)
	*o.obs = cur
	return nil
}

// startRun records the run as running and returns its id.
func startRun(ctx context.Context, w *models.Warehouse, job *Job, started time.Time) (int64, error) {
	var id int64
	err := w.DB.QueryRowContext(ctx, `insert into job_runs (run_id, job, started_at, status)
select coalesce(max(run_id), 0) + 1, ?, ?, 'running' from job_runs returning run_id`, job.Name, started).Scan(&id)
	return id, models.CleanError(err)
}

// finishRun records the run's end, and what a finished run saw, in one transaction.
func finishRun(ctx context.Context, w *models.Warehouse, job *Job, res *Result, obs notify.Observations) error {
	tx, err := w.DB.BeginTx(ctx, nil)
	if err != nil {
		return models.CleanError(err)
	}
	defer tx.Rollback()
	status, errText := "finished", any(nil)
	if res.Err != nil {
		status, errText = "failed", res.Err.Error()
	}
	var asOf any
	if !res.AsOf.IsZero() {
		asOf = res.AsOf
	}
	outs := []string{}
	for _, l := range res.Outputs {
		outs = append(outs, l.Path)
	}
	events := []notify.Event{}
	if res.Events != nil {
		events = res.Events
	}
	evJSON, err := json.Marshal(events)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `update job_runs set finished_at = ?, status = ?, error = ?, as_of = ?,
    outputs = from_json(?, '["VARCHAR"]'), events = ? where run_id = ?`, time.Now().UTC(), status, errText, asOf, jsonList(outs), string(evJSON), res.RunID); err != nil {
		return fmt.Errorf("record the run: %w", models.CleanError(err))
	}
	if res.Err == nil {
		if err := notify.Save(ctx, tx, job.Name, res.RunID, obs); err != nil {
			return fmt.Errorf("record what the run saw: %w", err)
		}
	}
	return models.CleanError(tx.Commit())
}

// notify sends the run's message to the job's targets (the warehouse closed meanwhile) and
// records the deliveries.
func (r *Runner) notify(ctx context.Context, job *Job, res *Result, log *slog.Logger) {
	if len(job.Notify) == 0 {
		return
	}
	if ctx.Err() != nil {
		log.Warn("not notifying: the run was interrupted")
		return
	}
	m := notify.Message{Job: job.Name, RunID: res.RunID, Status: "finished", StartedAt: res.Started,
		FinishedAt: res.Finished, AsOf: res.AsOf, Outputs: res.Outputs}
	if res.Err != nil {
		m.Status, m.Error = "failed", res.Err.Error()
	}
	m.Events = append([]notify.Event{notify.FinishedEvent(m)}, res.Events...)
	for _, t := range job.Notify {
		kept := len(m.Filter(t.Events).Events)
		d, sent := notify.Deliver(ctx, t, m, r.Policy)
		if !sent {
			log.Debug("nothing to notify", "target", t.Name)
			continue
		}
		res.Deliveries = append(res.Deliveries, d)
		if d.Delivered {
			log.Info("notified", "target", t.Name, "format", string(t.Format), "events", kept, "types", strings.Join(d.Events, " "), "attempts", d.Attempts)
		} else {
			log.Error("notification not delivered", "target", t.Name, "format", string(t.Format), "attempts", d.Attempts, "error", d.Err.Error())
		}
	}
	if len(res.Deliveries) == 0 || res.RunID == 0 {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	w, err := r.open(ctx, log)
	if err != nil {
		log.Error("deliveries not recorded in notification_log", "error", err.Error())
		return
	}
	defer w.Close()
	if err := notify.Log(ctx, w.DB, job.Name, res.RunID, res.Deliveries); err != nil {
		log.Error("deliveries not recorded in notification_log", "error", err.Error())
	}
}

// link is how a notification points at an output: base_url + its path, else a file URL.
func (r *Runner) link(typ, rel string) notify.Link {
	l := notify.Link{Type: typ, Path: rel}
	if r.File.BaseURL != "" {
		var parts []string
		for _, p := range strings.Split(rel, "/") {
			parts = append(parts, url.PathEscape(p))
		}
		l.URL = r.File.BaseURL + strings.Join(parts, "/")
		return l
	}
	abs, err := filepath.Abs(filepath.Join(r.File.Output, filepath.FromSlash(rel)))
	if err != nil {
		abs = filepath.Join(r.File.Output, filepath.FromSlash(rel))
	}
	l.URL = (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}).String()
	return l
}

// existingOutputs links the job's outputs that exist now (after a failure: the previous ones).
func (r *Runner) existingOutputs(job *Job) []notify.Link {
	links := []notify.Link{}
	for _, rep := range job.Reports {
		if _, err := os.Stat(filepath.Join(r.File.Output, filepath.FromSlash(rep.Out))); err == nil {
			links = append(links, r.link(rep.Output.Name, rep.Out))
		}
	}
	return links
}

func jsonList(ss []string) string {
	b, _ := json.Marshal(ss)
	return string(b)
}
