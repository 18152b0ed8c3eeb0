// Package pipeline runs relscope's work as an explicit, ordered list of small steps —
// generate fixtures, open the warehouse, ingest, build, render (and notify, when jobs send
// notifications) — over one State that carries what the steps share. `relscope demo` runs
// Demo(); `relscope run` and `serve` build their own lists from a job: the same steps with
// the job's paths, configuration and scope.
//
// A step is a small type with a doc comment and a String() that names it in progress lines
// and errors; its own settings are its fields, what steps hand on to each other lives in the
// State. Cross-cutting concerns (logging, timing, skipping) wrap steps rather than being
// registered anywhere: the list is the whole pipeline.
package pipeline

import (
	"context"
	"fmt"
	"time"

	"github.com/relscope/relscope/config"
	"github.com/relscope/relscope/fixtures"
	"github.com/relscope/relscope/ingest"
	"github.com/relscope/relscope/models"
	"github.com/relscope/relscope/reports"
	"github.com/relscope/relscope/reports/document"
)

// Step is one stage of a pipeline.
type Step interface {
	// String names the step ("ingest"), for progress lines and errors.
	String() string
	// Run does the step's work on the state: it reads what earlier steps left there and
	// leaves its own results.
	Run(ctx context.Context, s *State) error
}

// State is what the steps of one run share. The caller sets where things are and the
// configuration; each step fills in its results for the steps after it and for the caller.
// A State belongs to one run: a scheduler running several jobs gives each its own.
type State struct {
	// DBPath is the warehouse file the OpenWarehouse step opens.
	DBPath string
	// Config holds the organisation's rules (nil: the defaults). The Fixtures step sets it
	// to the configuration generated with the exports.
	Config *config.Config
	// Inputs are the paths the Ingest step loads (files, folders, "-"). The Fixtures step
	// sets them to the folder it generated.
	Inputs []string
	// AsOf pins "now" for the Build step (zero: the time the step runs). The Fixtures step
	// sets it to the end of the generated history.
	AsOf time.Time
	// Out is the folder the Render step writes every output into, each as its DefaultOut.
	Out string
	// Scope is what the rendered outputs cover; Version is printed in each of them.
	Scope reports.Scope
	// Logf, when set, receives one progress line per step as it starts ("2/5 ingesting …").
	Logf func(format string, args ...any)

	// Warehouse is open from the OpenWarehouse step on; the caller closes it (Close).
	Warehouse *models.Warehouse
	// Results, by the step that produces them.
	Fixtures *fixtures.Manifest
	Ingested []ingest.FileResult
	Built    *models.BuildResult
	Rendered []Rendered

	step string // "i/n" of the step running, for Logf
}

// Rendered is one output the Render step wrote.
type Rendered struct {
	Output reports.Output
	Path   string
	Doc    *document.Document
}

// logf reports the running step's progress, prefixed with its place in the pipeline.
func (s *State) logf(format string, args ...any) {
	if s.Logf != nil {
		s.Logf("%s "+format+"\n", append([]any{s.step}, args...)...)
	}
}

// Close closes the warehouse if a step opened it.
func (s *State) Close() error {
	if s.Warehouse == nil {
		return nil
	}
	err := s.Warehouse.Close()
	s.Warehouse = nil
	return err
}

// Run runs steps in order on s and stops at the first that fails, returning its error as a
// *StepError. It does not close the warehouse: the caller reads the results first.
func Run(ctx context.Context, s *State, steps []Step) error {
	for i, st := range steps {
		if err := ctx.Err(); err != nil {
			return &StepError{Step: st, Err: err}
		}
		s.step = fmt.Sprintf("%d/%d", i+1, len(steps))
		if err := st.Run(ctx, s); err != nil {
			return &StepError{Step: st, Err: err}
		}
	}
	return nil
}

// StepError is the failure of one step: "ingest: …". It unwraps to the step's own error, so
// a data-test failure, an interruption or a usage mistake keeps its type.
type StepError struct {
	Step Step
	Err  error
}

func (e *StepError) Error() string { return e.Step.String() + ": " + e.Err.Error() }
func (e *StepError) Unwrap() error { return e.Err }

// Demo is the pipeline of `relscope demo`: generate the organisation's exports, ingest them
// into a fresh warehouse, build the models as of the end of the generated history, and render
// every registered output. opt.Out is where the fixtures go; open says how the warehouse is
// opened (its DuckDB memory limit: the program's decision).
func Demo(opt fixtures.Options, open models.Options) []Step {
	return []Step{
		Fixtures{Options: opt},
		OpenWarehouse{Fresh: true, Options: open},
		Ingest{},
		Build{},
		Render{},
	}
}
