package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/relscope/relscope/fixtures"
	"github.com/relscope/relscope/internal/atomicfile"
	"github.com/relscope/relscope/models"
	"github.com/relscope/relscope/reports"
	"github.com/relscope/relscope/reports/document"
)

// The demo pipeline is the explicit list fixtures → warehouse → ingest → build → render.
func TestDemoSteps(t *testing.T) {
	var names []string
	for _, s := range Demo(fixtures.Options{}, models.Options{}) {
		names = append(names, s.String())
	}
	if got := strings.Join(names, " "); got != "fixtures warehouse ingest build render" {
		t.Errorf("Demo() = %s", got)
	}
}

// jsonRenderer writes a document as JSON, atomically.
type jsonRenderer struct{}

func (jsonRenderer) Name() string { return "json" }
func (jsonRenderer) Render(_ context.Context, doc *document.Document, dst string) error {
	return atomicfile.Write(dst, 0o644, func(w io.Writer) error { return json.NewEncoder(w).Encode(doc) })
}

// Running the demo's steps hands each step's results to the next: the generated folder and
// configuration to ingest, the end of the history to build as as_of, the built warehouse to
// render — every registered output into Out, and a jobs runner's own targets where given.
func TestRunDemo(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	var log strings.Builder
	st := &State{DBPath: filepath.Join(dir, "relscope.duckdb"), Out: dir,
		Logf: func(format string, args ...any) { log.WriteString(strings.TrimSpace(format) + "\n") }}
	defer st.Close()
	steps := Demo(fixtures.Options{Scale: 300, Seed: 1, Out: filepath.Join(dir, "fixtures"), Mixed: true}, models.Options{MemoryLimit: "1GB"})
	if err := Run(ctx, st, steps); err != nil {
		t.Fatal(err)
	}
	// The warehouse was opened as the program asked: 1GB (DuckDB prints 953.6 MiB), not its own
	// 80% of RAM.
	var limit string
	if err := st.Warehouse.DB.QueryRowContext(ctx, "select current_setting('memory_limit')").Scan(&limit); err != nil || limit != "953.6 MiB" {
		t.Errorf("memory_limit %q (%v), want 953.6 MiB", limit, err)
	}
	if st.Fixtures == nil || len(st.Inputs) != 1 || st.Config == nil || !st.AsOf.Equal(st.Fixtures.End) {
		t.Fatalf("after fixtures: inputs %v, config %v, as_of %v", st.Inputs, st.Config != nil, st.AsOf)
	}
	if len(st.Ingested) == 0 {
		t.Fatal("nothing ingested")
	}
	for _, r := range st.Ingested {
		if r.Err != nil || r.Loaded == 0 {
			t.Errorf("%s: loaded %d, %v", r.File, r.Loaded, r.Err)
		}
	}
	if st.Built == nil || !st.Built.AsOf.Equal(st.Fixtures.End) {
		t.Fatalf("built %+v", st.Built)
	}
	if len(st.Rendered) != len(reports.Outputs()) {
		t.Errorf("rendered %d outputs, %d registered", len(st.Rendered), len(reports.Outputs()))
	}
	for _, r := range st.Rendered {
		if _, err := os.Stat(r.Path); err != nil || filepath.Dir(r.Path) != dir && filepath.Dir(filepath.Dir(r.Path)) != dir {
			t.Errorf("%s: %s (%v)", r.Output.Name, r.Path, err)
		}
	}
	if !strings.HasPrefix(log.String(), "%s generating") {
		t.Errorf("progress lines:\n%s", log.String())
	}

	// A jobs runner's render step: its own outputs, scopes and paths, on the same state.
	out := reports.Output{Name: "test", DefaultOut: "t.json", Renderer: jsonRenderer{},
		Build: func(ctx context.Context, src *reports.Source, scope reports.Scope) (*document.Document, error) {
			tb, err := src.Table(ctx, "teams", nil, []document.Column{{Name: "team"}})
			if err != nil {
				return nil, err
			}
			return &document.Document{Kind: "test", Title: "T", Sections: []document.Section{{ID: "s", Title: "S", Blocks: []document.Block{tb}}}}, nil
		}}
	dst := filepath.Join(dir, "jobs", "payments.json")
	st.Rendered = nil
	if err := Run(ctx, st, []Step{Render{Targets: []Target{{Output: out, Scope: reports.Scope{Period: "2026-Q3"}, Path: dst}}}}); err != nil {
		t.Fatal(err)
	}
	if len(st.Rendered) != 1 || !strings.HasPrefix(st.Rendered[0].Doc.Meta.Period.String(), "2026-Q3") {
		t.Fatalf("rendered %+v", st.Rendered)
	}
	if _, err := os.Stat(dst); err != nil {
		t.Error(err)
	}
}

// A failing step stops the run with its name, keeping its error's type: a step that needs
// the warehouse before one is open, and a cancelled run.
func TestRunStops(t *testing.T) {
	st := &State{}
	err := Run(context.Background(), st, []Step{Build{}, Render{}})
	var se *StepError
	if !errors.As(err, &se) || se.Step.String() != "build" || !strings.HasPrefix(err.Error(), "build: no warehouse open") {
		t.Errorf("err = %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Run(ctx, st, []Step{Fixtures{}}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}
