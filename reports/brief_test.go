package reports

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/relscope/relscope/config"
	"github.com/relscope/relscope/internal/demowarehouse"
	"github.com/relscope/relscope/internal/golden"
	"github.com/relscope/relscope/internal/poppler"
	"github.com/relscope/relscope/models"
	"github.com/relscope/relscope/queries"
	"github.com/relscope/relscope/reports/document"
)

// The brief of PAY 1.0 on the hand-built organisation (models/marts_test.go has its numbers)
// with two change records: c1 (normal, approved, back-out plan, 03-10 09:00–12:00, its release
// field names PAY 1.0) and c2 (emergency, requested, no back-out plan, 03-10 11:00–11:30,
// carried by deployment d2). Expected:
//   - outcome Failed: d1 failed (status) and d2 failed (incident i1, 24 h after it) → "2 of 2
//     production deployments failed; 1 incident in the first 7 days";
//   - 2 items; 2 planned at the freeze, 1 added and 1 removed after it; volatility 100%;
//   - released 03-10 12:00 on its planned day → on time;
//   - downtime: the windows overlap (11:00–11:30 inside 09:00–12:00) → 3 hours, not 3.5;
//   - recoveries: d1 2 h (d2 succeeded 2 h later), d2 30 h (i1 resolved 03-11 18:00) → median 16;
//   - compliance (mart_compliance_gaps on d1 and d2): d2's change c2 is not approved and has no
//     back-out plan, c2 is an emergency change (listed), d1 has no change record.
func TestBriefOnOrg(t *testing.T) {
	ctx := context.Background()
	w := orgWarehouse(t, false)
	if _, err := w.DB.Exec(`
        insert into changes (change_id, source, type, state, risk, approval, planned_start, planned_end, backout_plan, service, release, ingest_id) values
            ('c1', 'native', 'normal', 'Closed', 'Low', 'approved', '2025-03-10 09:00:00+00', '2025-03-10 12:00:00+00', 'redeploy', 'pay-api', 'PAY 1.0', 1),
            ('c2', 'native', 'emergency', 'Closed', 'High', 'requested', '2025-03-10 11:00:00+00', '2025-03-10 11:30:00+00', null, 'pay-api', null, 1);
        update deployments set change_id = 'c2' where deployment_id = 'd2';`); err != nil {
		t.Fatal(err)
	}
	ms, _ := models.Models()
	if _, err := w.Build(ctx, ms, models.Settings{AsOf: time.Date(2025, 3, 31, 0, 0, 0, 0, time.UTC), Config: config.Default()}, nil); err != nil {
		t.Fatal(err)
	}
	out, err := Find("brief")
	if err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(t.TempDir(), "brief.pdf")
	doc, err := Render(ctx, w, out, Scope{Release: "pay 1.0", Version: "v1.2.3"}, dst)
	if err != nil {
		t.Fatal(err)
	}
	if doc.Meta.Team != "PAY" || doc.Meta.Period.String() != "release PAY 1.0" {
		t.Errorf("meta: team %q, period %q", doc.Meta.Team, doc.Meta.Period)
	}
	text := poppler.Text(t, dst)
	flat := strings.Join(strings.Fields(text), " ")
	for _, want := range []string{
		"Release brief: PAY 1.0", "Team PAY · released on Monday 10 March 2025, on its planned date",
		"Outcome Items in the release Schedule Expected downtime", "Failed 2 On time 3 hours",
		"2 change records cover this release, changing pay-api. Their planned windows add up to 3 hours",
		"c1 Mon 10 Mar 09:00–12:00 3 pay-api normal Low Approved",
		"c2 Mon 10 Mar 11:00–11:30 0.5 pay-api emergency High Requested",
		"2 deployments to production, of which 2 failed; service was restored after 16 hours at the median.",
		"1 incident followed in the first 7 days.",
		"1 deployment on a change that is not approved (d2).", "1 deployment on a change without a back-out plan (d2).",
		"1 deployment without a change record (d1).", "Emergency changes, listed for the audit: c2.",
		"Scope volatility 100%", "Production deployments 2 (2 failed)",
	} {
		if !strings.Contains(flat, want) {
			t.Errorf("brief lacks %q", want)
		}
	}
	if n := poppler.Pages(t, dst); n > 2 {
		t.Errorf("%d pages, want at most 2", n)
	}
	// The tiles' notes (pdftotext interleaves the tiles' lines).
	tiles := doc.Sections[0].Blocks[0].(*document.KPIGroup).KPIs
	if tiles[0].Band != "failed" || tiles[0].Note != "2 of 2 production deployments failed; 1 incident in the first 7 days." ||
		tiles[1].Note != "2 at the freeze; 1 added, 1 removed after it." || tiles[2].Band != "on_time" ||
		tiles[3].Value == nil || *tiles[3].Value != 3 {
		t.Errorf("tiles: %+v", tiles)
	}
	golden.File(t, filepath.Join("testdata", "brief_org.txt"), []byte(text), golden.Normalise(golden.PDFText), golden.Normalise(withoutGenerated))

	// PAY 1.1, upcoming (planned 04-10): its readiness checklist and forecast. PAY delivered on
	// 3 days of the 90-day window (03-04, 03-06, 03-10): fewer than 5, so no forecast, which
	// warns; PAY-4, its only item, is blocked by CHK-8, open → open_blockers warns; nothing
	// fails → at risk.
	up := filepath.Join(t.TempDir(), "up.pdf")
	if _, err := Render(ctx, w, out, Scope{Release: "PAY 1.1"}, up); err != nil {
		t.Fatal(err)
	}
	upText := strings.Join(strings.Fields(poppler.Text(t, up)), " ")
	for _, want := range []string{
		"planned for Thursday 10 April 2025, in 10 days", "Readiness verdict", "At risk", "Risk and readiness",
		"Verdict: At risk — warnings: forecast, open_blockers.", "Finishes by the planned date (forecast) Warn",
		"No open blockers Warn", "Forecast none: too little history: 3 day(s) with a delivery in the last 90 days, at least 5 needed",
		"Not deployed to production yet",
	} {
		if !strings.Contains(upText, want) {
			t.Errorf("upcoming brief lacks %q", want)
		}
	}

	// An unknown release suggests the closest names.
	var se *ScopeError
	_, err = Render(ctx, w, out, Scope{Release: "PAY 1.2"}, dst)
	if !errors.As(err, &se) || !strings.Contains(err.Error(), `no release "PAY 1.2"; did you mean "PAY 1.0" or "PAY 1.1"?`) {
		t.Errorf("unknown release: %v", err)
	}
}

// withoutGenerated drops the generation time from the footers: it is the time of the run.
func withoutGenerated(b []byte) []byte {
	return regexp.MustCompile(` · generated \d+ \w+ \d{4} \d\d:\d\d UTC`).ReplaceAll(b, nil)
}

// The demo's brief (no --release: its latest released release with items) fits two pages,
// embeds its font, has no raster image and names its release and numbers.
func TestBriefOnDemo(t *testing.T) {
	ctx := context.Background()
	w := demowarehouse.Open(t, demowarehouse.Demo)
	out, _ := Find("brief")
	dst := filepath.Join(t.TempDir(), "brief.pdf")
	doc, err := Render(ctx, w.Warehouse, out, Scope{}, dst)
	if err != nil {
		t.Fatal(err)
	}
	rel := strings.TrimPrefix(doc.Title, "Release brief: ")
	res, _, err := NewSource(w.DB).Query(ctx, "release_summary", map[string]string{"release": rel})
	if err != nil || len(res.Rows) == 0 {
		t.Fatalf("@release_summary %q: %v", rel, err)
	}
	text := strings.Join(strings.Fields(poppler.Text(t, dst)), " ")
	items := res.Rows[0][8]
	for _, want := range []string{"Release brief: " + rel, "At a glance", "Impact and expected downtime", "Risk and outcome",
		"Compliance", "Dates and delivery numbers", "Items in the release " + queries.Text(items)} {
		if !strings.Contains(text, want) {
			t.Errorf("demo brief lacks %q", want)
		}
	}
	if n := poppler.Pages(t, dst); n < 1 || n > 2 {
		t.Errorf("%d pages, want 1 or 2", n)
	}
	for _, f := range poppler.Fonts(t, dst) {
		if !f.Embedded {
			t.Errorf("font %s not embedded", f.Name)
		}
	}
	if n := poppler.Images(t, dst); n != 0 {
		t.Errorf("%d raster images", n)
	}
}

// What ships, on the hand-built release log of models/testdata/releaselog.sql (its rows are
// worked out in models/releaselog_test.go): WEB 1.0 ships WEB-1 (Added, "Pay by bank
// transfer", its release note) and WEB-2 (Fixed, a highlight) and knowingly WEB-4 (Known
// issues); WEB-3 is internal and its title and release note never appear.
func TestBriefWhatShips(t *testing.T) {
	ctx := context.Background()
	w, err := models.Open(ctx, filepath.Join(t.TempDir(), "w.duckdb"), models.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	data, err := os.ReadFile(filepath.Join("..", "models", "testdata", "releaselog.sql"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.DB.Exec(string(data)); err != nil {
		t.Fatal(err)
	}
	ms, _ := models.Models()
	if _, err := w.Build(ctx, ms, models.Settings{AsOf: time.Date(2025, 3, 31, 0, 0, 0, 0, time.UTC), Config: config.Default()}, nil); err != nil {
		t.Fatal(err)
	}
	out, _ := Find("brief")
	dst := filepath.Join(t.TempDir(), "brief.pdf")
	if _, err := Render(ctx, w, out, Scope{Release: "WEB 1.0"}, dst); err != nil {
		t.Fatal(err)
	}
	text := poppler.Text(t, dst)
	flat := strings.Join(strings.Fields(text), " ")
	for _, want := range []string{
		"What ships", "The release's public changes: 2 of its 4 items",
		"New features (1) • Pay by bank transfer", "Fixes (1) • ★ Totals wrong for EUR",
		"Known limitations • Exports slow for large accounts",
	} {
		if !strings.Contains(flat, want) {
			t.Errorf("brief lacks %q", want)
		}
	}
	if strings.Contains(text, "SECRET-PROJECT-ZEBRA") || strings.Contains(text, "WEB-3") {
		t.Error("an internal item reached the brief")
	}
	// Without --release: the latest released release with public changes, WEB 1.1 (WEB 1.2,
	// later, ships nothing public).
	doc, err := Render(ctx, w, out, Scope{}, dst)
	if err != nil || doc.Title != "Release brief: WEB 1.1" {
		t.Errorf("default release: %v %q", err, doc.Title)
	}
}
