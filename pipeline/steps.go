package pipeline

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/relscope/relscope/config"
	"github.com/relscope/relscope/fixtures"
	"github.com/relscope/relscope/ingest"
	"github.com/relscope/relscope/models"
	"github.com/relscope/relscope/reports"
)

// Fixtures generates a simulated organisation's exports (fixtures.Generate) and points the
// steps after it at them: State.Inputs becomes the folder, State.Config the relscope.yaml
// generated beside the exports (mixed fixtures) or the defaults, and State.AsOf — unless the
// caller pinned it — the end of the generated history, so the numbers do not drift with the
// calendar.
type Fixtures struct {
	Options fixtures.Options
}

func (Fixtures) String() string { return "fixtures" }

// Run implements Step.
func (f Fixtures) Run(_ context.Context, s *State) error {
	s.logf("generating %d work items into %s", f.Options.Scale, f.Options.Out)
	m, err := fixtures.Generate(f.Options)
	if err != nil {
		return err
	}
	s.Fixtures = m
	s.Inputs = []string{f.Options.Out}
	cfgPath := filepath.Join(f.Options.Out, fixtures.ConfigFile)
	if _, err := os.Stat(cfgPath); err == nil {
		if s.Config, err = config.Load(cfgPath, false); err != nil {
			return err
		}
	}
	if s.AsOf.IsZero() {
		s.AsOf = m.End
	}
	return nil
}

// OpenWarehouse opens State.DBPath for writing (creating or upgrading it) into
// State.Warehouse. Fresh removes the file first, for a repeatable run (the demo's own
// warehouse; never a user's).
type OpenWarehouse struct {
	Fresh   bool
	Options models.Options
}

func (OpenWarehouse) String() string { return "warehouse" }

// Run implements Step.
func (o OpenWarehouse) Run(ctx context.Context, s *State) error {
	if s.DBPath == "" {
		return errors.New("no warehouse path")
	}
	if s.Warehouse != nil {
		return nil
	}
	if o.Fresh {
		for _, p := range []string{s.DBPath, s.DBPath + ".wal"} {
			if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
				return err
			}
		}
	}
	w, err := models.Open(ctx, s.DBPath, o.Options)
	if err != nil {
		return err
	}
	s.Warehouse = w
	return nil
}

// Ingest loads State.Inputs into the warehouse (ingest.Run) with State.Config and keeps each
// file's result in State.Ingested. A file that did not load fails the step, after every
// other file was loaded (each loads whole or not at all).
type Ingest struct {
	// Paths, when set, are loaded instead of State.Inputs (a job's sources, one Ingest step
	// per group of files that are or are not a snapshot).
	Paths []string
	// Options are the run's format, dates, progress and force settings; Config is taken
	// from the State.
	Options ingest.Options
	// Report, when set, is told each file's result as its batch commits.
	Report func(ingest.FileResult)
}

func (Ingest) String() string { return "ingest" }

// Run implements Step.
func (in Ingest) Run(ctx context.Context, s *State) error {
	if s.Warehouse == nil {
		return errors.New("no warehouse open (an OpenWarehouse step comes first)")
	}
	opt := in.Options
	opt.Config = s.Config
	paths := s.Inputs
	if in.Paths != nil {
		paths = in.Paths
	}
	s.logf("ingesting %d path(s) into %s", len(paths), s.DBPath)
	failed, first := 0, error(nil)
	err := ingest.Run(ctx, s.Warehouse, paths, opt, func(r ingest.FileResult) {
		if r.Err != nil {
			failed++
			if first == nil {
				first = r.Err
			}
		}
		s.Ingested = append(s.Ingested, r)
		if in.Report != nil {
			in.Report(r)
		}
	})
	if err != nil {
		return err
	}
	if failed == 1 {
		return first
	}
	if failed > 1 {
		return fmt.Errorf("%d files not loaded; the first: %w", failed, first)
	}
	return nil
}

// Build materialises every model and runs the data tests (models.Build) as of State.AsOf
// (zero: now) with State.Config, keeping the result in State.Built. A failing data test is
// a *models.DataTestError and leaves the previous marts.
type Build struct {
	// Progress, when set, is told each model's name as it is built.
	Progress func(model string)
}

func (Build) String() string { return "build" }

// Run implements Step.
func (b Build) Run(ctx context.Context, s *State) error {
	if s.Warehouse == nil {
		return errors.New("no warehouse open (an OpenWarehouse step comes first)")
	}
	asOf := s.AsOf
	if asOf.IsZero() {
		asOf = time.Now().UTC().Truncate(time.Second)
	}
	s.logf("building the models as of %s", asOf.Format(time.RFC3339))
	ms, err := models.Models()
	if err != nil {
		return err
	}
	built, err := s.Warehouse.Build(ctx, ms, models.Settings{AsOf: asOf, Config: s.Config}, b.Progress)
	if err != nil {
		return err
	}
	s.Built = built
	return nil
}

// Render draws outputs from the built warehouse (reports.Render), each atomically, into
// State.Rendered. With no Targets it renders every output registered in reports.Outputs()
// for State.Scope, each to State.Out/<its DefaultOut> — so the demo shows whatever this
// version can render. A jobs runner gives its reports as Targets instead.
type Render struct {
	Targets []Target
}

// Target is one output to render: which, for what scope, to where.
type Target struct {
	Output reports.Output
	Scope  reports.Scope
	Path   string
	// Final, when set, is where the output ends up once the caller moves it from Path — a
	// jobs run renders each output under a hidden name beside its final path and renames it
	// into place when every output has rendered. A failure names Final, the file the user
	// knows, not the staged one.
	Final string
}

// named makes a render failure of t name its final path: the error's RenderError, and a
// file error about the staged output, a file inside it (a site folder) or the temporary
// file it was being written to (internal/atomicfile's ".NAME.tmp-*").
func (t Target) named(err error) error {
	if t.Final == "" {
		return err
	}
	var re *reports.RenderError
	if errors.As(err, &re) {
		re.Path = t.finalPath(re.Path)
	}
	var pe *os.PathError
	if errors.As(err, &pe) {
		pe.Path = t.finalPath(pe.Path)
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		le.Old, le.New = t.finalPath(le.Old), t.finalPath(le.New)
	}
	return err
}

// finalPath is p with the staged output's path replaced by the final one.
func (t Target) finalPath(p string) string {
	sep := string(filepath.Separator)
	switch {
	case p == t.Path:
		return t.Final
	case strings.HasPrefix(p, t.Path+sep):
		return t.Final + p[len(t.Path):]
	case filepath.Dir(p) == filepath.Dir(t.Path) && strings.HasPrefix(filepath.Base(p), "."+filepath.Base(t.Path)+".tmp-"):
		return t.Final
	}
	return p
}

func (Render) String() string { return "render" }

// Run implements Step.
func (r Render) Run(ctx context.Context, s *State) error {
	if s.Warehouse == nil {
		return errors.New("no warehouse open (an OpenWarehouse step comes first)")
	}
	targets := r.Targets
	if targets == nil {
		for _, out := range reports.Outputs() {
			targets = append(targets, Target{Output: out, Scope: s.Scope, Path: filepath.Join(s.Out, out.DefaultOut)})
		}
	}
	if len(targets) == 0 {
		s.logf("rendering: no outputs in this version")
		return nil
	}
	s.logf("rendering %d output(s) into %s", len(targets), s.Out)
	for _, t := range targets {
		doc, err := reports.Render(ctx, s.Warehouse, t.Output, t.Scope, t.Path)
		if err != nil {
			return t.named(err)
		}
		s.Rendered = append(s.Rendered, Rendered{Output: t.Output, Path: t.Path, Doc: doc})
	}
	return nil
}
