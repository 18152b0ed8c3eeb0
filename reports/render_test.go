package reports

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/relscope/relscope/config"
	"github.com/relscope/relscope/internal/atomicfile"
	"github.com/relscope/relscope/models"
	"github.com/relscope/relscope/reports/document"
)

// orgWarehouse is the hand-built organisation of models/testdata/org.sql (team PAY; its
// numbers are worked out in models/marts_test.go), plus one CHK item so there are two teams,
// built as of 2025-03-31.
func orgWarehouse(t *testing.T, build bool) *models.Warehouse {
	t.Helper()
	ctx := context.Background()
	w, err := models.Open(ctx, filepath.Join(t.TempDir(), "w.duckdb"), models.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	org, err := os.ReadFile(filepath.Join("..", "models", "testdata", "org.sql"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.DB.Exec(string(org)); err != nil {
		t.Fatal(err)
	}
	if _, err := w.DB.Exec(`insert into work_items (item_key, source, project, team, item_type, status, status_category, created_at, ingest_id)
        values ('CHK-1', 'native', 'CHK', 'Checkout', 'Story', 'To Do', 'backlog', '2025-03-01 00:00:00+00', 1)`); err != nil {
		t.Fatal(err)
	}
	if build {
		ms, _ := models.Models()
		if _, err := w.Build(ctx, ms, models.Settings{AsOf: time.Date(2025, 3, 31, 0, 0, 0, 0, time.UTC), Config: config.Default()}, nil); err != nil {
			t.Fatal(err)
		}
	}
	return w
}

// jsonRenderer writes the document as JSON (or fails, when fail is set), atomically.
type jsonRenderer struct{ fail bool }

func (jsonRenderer) Name() string { return "json" }
func (r jsonRenderer) Render(_ context.Context, doc *document.Document, dst string) error {
	return atomicfile.Write(dst, 0o644, func(w io.Writer) error {
		if r.fail {
			return errors.New("renderer failed")
		}
		return json.NewEncoder(w).Encode(doc)
	})
}

// testOutput builds a one-table document from @teams and records the scope it was given.
func testOutput(got *Scope, r document.Renderer) Output {
	return Output{
		Name: "test", DefaultOut: "test.json", Renderer: r,
		Build: func(ctx context.Context, src *Source, scope Scope) (*document.Document, error) {
			*got = scope
			t, err := src.Table(ctx, "teams", nil, []document.Column{{Name: "team"}, {Name: "releases", Type: document.TypeInt}})
			if err != nil {
				return nil, err
			}
			return &document.Document{Kind: "test", Title: "Test", Sections: []document.Section{{ID: "s", Title: "S", Blocks: []document.Block{t}}}}, nil
		},
	}
}

func TestRender(t *testing.T) {
	ctx := context.Background()
	w := orgWarehouse(t, true)
	dst := filepath.Join(t.TempDir(), "sub", "out.json")
	var got Scope
	doc, err := Render(ctx, w, testOutput(&got, jsonRenderer{}), Scope{Team: "PAY", Version: "v1.2.3"}, dst)
	if err != nil {
		t.Fatal(err)
	}
	asOf := time.Date(2025, 3, 31, 0, 0, 0, 0, time.UTC)
	// The default period: the six full months before as_of's month (September 2024 to
	// February 2025), then March up to as_of.
	wantStart := time.Date(2024, 9, 1, 0, 0, 0, 0, time.UTC)
	if !got.AsOf.Equal(asOf) || !got.Span.Start.Equal(wantStart) || !got.Span.End.Equal(asOf) {
		t.Errorf("Build saw as_of %s and span [%s, %s), want %s and [%s, %s)", got.AsOf, got.Span.Start, got.Span.End, asOf, wantStart, asOf)
	}
	if s, e := got.PeriodParams(); s != "2024-09-01T00:00:00Z" || e != "2025-03-31T00:00:00Z" || got.TeamPattern() != "PAY" {
		t.Errorf("params %s %s %s", s, e, got.TeamPattern())
	}
	m := doc.Meta
	if !m.AsOf.Equal(asOf) || m.Team != "PAY" || m.Version != "v1.2.3" || m.Period.Label != "last 6 months" || m.Generated.IsZero() {
		t.Errorf("meta %+v", m)
	}
	var names []string
	for _, q := range m.Queries {
		names = append(names, q.Name)
	}
	if strings.Join(names, " ") != "build_settings teams coverage_gaps teams" {
		t.Errorf("queries used: %v", names)
	}
	if len(m.Settings) != 5 || m.Settings[0] != (document.Setting{Name: "as_of", Value: "2025-03-31T00:00:00Z"}) ||
		m.Settings[3] != (document.Setting{Name: "dora_bands", Value: "2024"}) {
		t.Errorf("settings %+v", m.Settings)
	}
	// org.sql has no commitment for PAY-2, PAY-6, PAY-7 (no status history): 3 of 5 delivered
	// items without a cycle time; every note is PAY's.
	var cycle *document.Note
	for i, n := range doc.Coverage {
		if n.Team != "PAY" {
			t.Errorf("coverage note of team %q in PAY's scope", n.Team)
		}
		if n.Metric == "cycle_time" {
			cycle = &doc.Coverage[i]
		}
	}
	if cycle == nil || cycle.Text != "no commitment point (3 of 5)" || !strings.HasPrefix(cycle.Fill, "export the status history") {
		t.Errorf("cycle_time coverage note: %+v", cycle)
	}
	data, err := os.ReadFile(dst)
	if err != nil || !strings.Contains(string(data), `"Kind":"test"`) {
		t.Errorf("written: %s %v", data, err)
	}

	// --period is resolved against as_of; a bad one is a ScopeError.
	if _, err := Render(ctx, w, testOutput(&got, jsonRenderer{}), Scope{Period: "2025-Q1"}, dst); err != nil || got.Span.Label != "2025-Q1" {
		t.Errorf("2025-Q1: %v, span %+v", err, got.Span)
	}
	pdfLike := testOutput(&got, jsonRenderer{})
	pdfLike.DefaultPeriod = document.LastFullMonth
	if _, err := Render(ctx, w, pdfLike, Scope{}, dst); err != nil || got.Span.Label != "2025-02" {
		t.Errorf("default last full month: %v, span %+v", err, got.Span)
	}
	var se *ScopeError
	if _, err := Render(ctx, w, testOutput(&got, jsonRenderer{}), Scope{Period: "june"}, dst); !errors.As(err, &se) {
		t.Errorf("bad period: %v", err)
	}

	// An unknown team suggests the closest.
	_, err = Render(ctx, w, testOutput(&got, jsonRenderer{}), Scope{Team: "Checkuot"}, dst)
	if !errors.As(err, &se) || !strings.Contains(err.Error(), `no team "Checkuot"; did you mean "Checkout"? (teams: Checkout, PAY)`) {
		t.Errorf("unknown team: %v", err)
	}

	// A failing renderer leaves the previous file as it was.
	before, _ := os.ReadFile(dst)
	if _, err := Render(ctx, w, testOutput(&got, jsonRenderer{fail: true}), Scope{}, dst); err == nil || !strings.Contains(err.Error(), "renderer failed") {
		t.Errorf("failing renderer: %v", err)
	}
	if after, _ := os.ReadFile(dst); string(after) != string(before) {
		t.Error("a failed render changed the file")
	}
	if entries, _ := os.ReadDir(filepath.Dir(dst)); len(entries) != 1 {
		t.Errorf("left behind: %v", entries)
	}
}

func TestRenderNotBuilt(t *testing.T) {
	w := orgWarehouse(t, false)
	var got Scope
	_, err := Render(context.Background(), w, testOutput(&got, jsonRenderer{}), Scope{}, filepath.Join(t.TempDir(), "x.json"))
	if !errors.Is(err, ErrNotBuilt) || !strings.Contains(err.Error(), "run `relscope build` first") {
		t.Errorf("got %v", err)
	}
}
