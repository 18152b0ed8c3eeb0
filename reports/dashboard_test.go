package reports

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/relscope/relscope/internal/browsertest"
	"github.com/relscope/relscope/internal/demowarehouse"
	"github.com/relscope/relscope/reports/document"
)

// The dashboard on the demo warehouse: every section is there, every named query it names
// exists and returned the columns it draws (Source.Table checks each), the headline tiles
// have values, every chart has data, and the page renders cleanly in a browser.
func TestDashboardOnDemo(t *testing.T) {
	w := demowarehouse.Open(t, demowarehouse.Demo)
	out, err := Find("html")
	if err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(t.TempDir(), "dashboard.html")
	doc, err := Render(context.Background(), w.Warehouse, out, Scope{Version: "test"}, dst)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, s := range doc.Sections {
		ids = append(ids, s.ID)
	}
	if got := strings.Join(ids, " "); got != "overview flow releases estimation dependencies pipelines incidents risk" {
		t.Errorf("sections: %s", got)
	}
	charts := 0
	for _, s := range doc.Sections {
		for _, b := range s.Blocks {
			switch b := b.(type) {
			case *document.KPIGroup:
				for _, k := range b.KPIs {
					if k.Value == nil {
						t.Errorf("tile %q has no value on the demo (%s)", k.Label, k.Note)
					}
				}
			case *document.Chart:
				charts++
				points := len(b.Nodes)
				for _, se := range b.Series {
					for _, pt := range se.Points {
						if pt.Y != nil {
							points++
						}
					}
				}
				if points == 0 {
					t.Errorf("chart %q has no data on the demo", b.Title)
				}
				if b.Title == "" || (b.Kind != document.Graph && (b.X.Name == "" || b.Y.Name == "")) {
					t.Errorf("chart %q lacks a title or an axis name", b.ID)
				}
				if b.Table == nil {
					t.Errorf("chart %q has no table beside it", b.Title)
				}
				if b.Source.Name == "" {
					t.Errorf("chart %q names no query", b.Title)
				}
			}
		}
	}
	if charts < 14 {
		t.Errorf("%d charts", charts)
	}
	// Every named query used exists (Render ran them) — and the document lists them.
	if len(doc.Meta.Queries) < 15 {
		t.Errorf("%d queries used", len(doc.Meta.Queries))
	}

	p := browsertest.Check(t, dst, 1400, 1000)
	if dir := os.Getenv("RELSCOPE_SCREENSHOTS"); dir != "" {
		for _, id := range ids {
			os.WriteFile(filepath.Join(dir, "desktop-"+id+".png"), p.Screenshot(t, "#"+id), 0o644)
		}
		phone := browsertest.Check(t, dst, 390, 844)
		for _, id := range ids {
			os.WriteFile(filepath.Join(dir, "phone-"+id+".png"), phone.Screenshot(t, "#"+id), 0o644)
		}
	}

	// One team: the filter is gone and every table holds that team only.
	if _, err := Render(context.Background(), w.Warehouse, out, Scope{Team: "Payments", Period: "2026-Q3"}, dst); err != nil {
		t.Fatal(err)
	}
	browsertest.Check(t, dst, 1400, 1000)
}
