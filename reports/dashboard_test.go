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

// hostile is text from the data that runs code wherever it is not escaped.
const hostile = `</script><img src=x onerror=alert(1)>`

// The dashboard on the demo warehouse: every section is there, every named query it names
// exists and returned the columns it draws (Source.Table checks each), the headline tiles
// have values, every chart has data, and the page renders cleanly in a browser — with a
// hostile item title, release name and team name in the data, which stay text.
func TestDashboardOnDemo(t *testing.T) {
	w := demowarehouse.Open(t, demowarehouse.Demo)
	// Each mart is a view of its table in the build's mart schema: the data is planted there.
	marts, err := w.MartSchema(context.Background())
	if err != nil || marts == "" {
		t.Fatalf("mart schema %q: %v", marts, err)
	}
	for _, q := range []string{
		`update mart_aging_wip set title = $1 where item_key = (select max(item_key) from mart_aging_wip)`,
		`update mart_release_health set release = $1 || release where release = (select max(release) from mart_release_health where released_at is not null)`,
		`update mart_deployments set team = $1 where team = 'Mobile'`,
	} {
		if _, err := w.DB.Exec(strings.Replace(q, "update mart_", "update "+marts+".mart_", 1), hostile); err != nil {
			t.Fatal(err)
		}
	}
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
					// The page's team filter shows each team's numbers: the demo's 7 teams all
					// deploy; 4 of them have commitment points, so cycle times; all 7 have incidents.
					if want := map[string]int{"dora": 7, "flow-kpis": 4, "incident-kpis": 7}[b.ID]; len(k.Teams) != want {
						t.Errorf("tile %q has the numbers of %d teams, want %d", k.Label, len(k.Teams), want)
					}
				}
			case *document.Chart:
				charts++
				// A point without a value draws nothing: count the drawable ones.
				points := len(b.Nodes)
				for _, se := range b.Series {
					for _, pt := range se.Points {
						if pt.Y != nil {
							points++
						}
					}
				}
				if points == 0 {
					t.Errorf("chart %q has nothing to draw on the demo", b.Title)
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
	if charts < 17 {
		t.Errorf("%d charts", charts)
	}
	// The registers the demo organisation fills: its compliance findings, the readiness checks
	// that hold its upcoming releases back, the release rules it breaks, and the outlook.
	filled := map[string]bool{}
	for _, s := range doc.Sections {
		for _, b := range s.Blocks {
			switch b := b.(type) {
			case *document.Table:
				filled[b.ID] = len(b.Rows) > 0
			case *document.Chart:
				if b.Table != nil {
					filled[b.Table.ID] = len(b.Table.Rows) > 0
				}
			}
		}
	}
	for _, id := range []string{"gaps-register", "gaps-by-type", "readiness-checks", "release-violations", "release-outlook", "incident-register"} {
		if !filled[id] {
			t.Errorf("table %s is empty or missing on the demo", id)
		}
	}
	// Every named query used exists (Render ran them) — and the document lists them.
	if len(doc.Meta.Queries) < 15 {
		t.Errorf("%d queries used", len(doc.Meta.Queries))
	}

	page, err := os.ReadFile(dst)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(page), hostile) {
		t.Error("the page holds the hostile text raw")
	}
	p := browsertest.Check(t, dst, 1400, 1000)
	// The aging chart's point with the hostile title: its tooltip shows it as text.
	tip := browsertest.Eval[string](t, p, `(() => {
		const c = window.relscopeCharts.find(c => c.spec.id === "chart-aging-wip");
		const series = c.chart.getOption().series;
		for (let s = 0; s < series.length; s++) {
			const i = series[s].data.findIndex(d => String(d.name).includes("onerror"));
			if (i >= 0) { c.chart.dispatchAction({type: "showTip", seriesIndex: s, dataIndex: i}); return c.el.innerText; }
		}
		return "no point with the hostile title";
	})()`)
	if !strings.Contains(tip, hostile) {
		t.Errorf("the aging chart's tooltip does not show the hostile title as text: %q", tip)
	}
	if n := browsertest.Eval[int](t, p, `document.querySelectorAll("img, iframe, object, embed").length`); n != 0 {
		t.Errorf("%d img/iframe/object/embed elements after the hostile tooltip", n)
	}
	for _, d := range p.Dialogs() {
		t.Errorf("a script from the data ran: dialog %s", d)
	}
	// The team filter turns every tile to that team's numbers.
	browsertest.Eval[bool](t, p, `(() => { const s = document.getElementById("f-team"); s.value = "Payments"; s.dispatchEvent(new Event("change")); return true })()`)
	shown := browsertest.Eval[[]string](t, p, `[...document.querySelectorAll(".tile")].map(t => { const n = t.querySelector(".tile-numbers:not([hidden])"); return n ? (n.getAttribute("data-team") || "scope") : "none" })`)
	for i, s := range shown {
		if s != "Payments" {
			t.Errorf("tile %d shows %s with the Payments filter", i, s)
		}
	}
	browsertest.Eval[bool](t, p, `(() => { const s = document.getElementById("f-team"); s.value = ""; s.dispatchEvent(new Event("change")); return true })()`)
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
