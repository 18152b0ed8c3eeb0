package html

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/relscope/relscope/internal/browsertest"
)

func TestBrowserSample(t *testing.T) {
	dst := filepath.Join(t.TempDir(), "sample.html")
	if err := (Renderer{}).Render(context.Background(), sampleDoc(), dst); err != nil {
		t.Fatal(err)
	}
	p := browsertest.Check(t, dst, 1400, 1000)
	// The scatter's first point is labelled with the hostile title: its tooltip shows it as text.
	browsertest.Eval[bool](t, p, `window.relscopeCharts[0].chart.dispatchAction({type: "showTip", seriesIndex: 0, dataIndex: 0}) || true`)
	p.Wait(200 * time.Millisecond)
	tip := browsertest.Eval[string](t, p, `[...document.querySelectorAll(".echart div")].map(d => d.innerText).join(" | ")`)
	if !strings.Contains(tip, hostile) {
		t.Errorf("tooltip does not show the hostile label as text: %q", tip)
	}
	// The weekly bars' tooltip: 3 items for Payments, 1 item (not "1 items") for the other.
	browsertest.Eval[bool](t, p, `window.relscopeCharts[1].chart.dispatchAction({type: "showTip", seriesIndex: 0, dataIndex: 0}) || true`)
	p.Wait(200 * time.Millisecond)
	tip = browsertest.Eval[string](t, p, `[...document.querySelectorAll(".echart div")].map(d => d.innerText).join(" | ")`)
	if !strings.Contains(tip, "Payments: 3 items") || !strings.Contains(tip, ": 1 item") || strings.Contains(tip, "1 items") {
		t.Errorf("weekly tooltip, want \"Payments: 3 items\" and \": 1 item\": %q", tip)
	}
	// The team filter hides the other team's rows.
	browsertest.Eval[bool](t, p, `(() => { const s = document.getElementById("f-team"); s.value = "Payments"; s.dispatchEvent(new Event("change")); return true })()`)
	if n := browsertest.Eval[int](t, p, `document.querySelectorAll("#table-items tr.hidden").length`); n != 1 {
		t.Errorf("team filter hid %d rows of the items table, want 1", n)
	}
	// … and the tiles show Payments' numbers; a tile without them says so.
	tiles := browsertest.Eval[[]string](t, p, `[...document.querySelectorAll("#kpi-dora .tile")].map(t => [...t.querySelectorAll(".tile-numbers")].filter(n => !n.hidden).map(n => n.innerText.replace(/\s+/g, " ").trim()).join(" | "))`)
	if want := []string{"6.25 per week ELITE +25% vs 5 in the previous period", "— No data for this team in the period.", "— No data for this team in the period."}; strings.Join(tiles, "\n") != strings.Join(want, "\n") {
		t.Errorf("tiles with the Payments filter:\n%s\nwant\n%s", strings.Join(tiles, "\n"), strings.Join(want, "\n"))
	}
	// Every team again: the scope's numbers.
	browsertest.Eval[bool](t, p, `(() => { const s = document.getElementById("f-team"); s.value = ""; s.dispatchEvent(new Event("change")); return true })()`)
	if got := browsertest.Eval[string](t, p, `[...document.querySelectorAll("#kpi-dora .tile")][0].querySelector(".tile-numbers:not([hidden]) .tile-value").innerText`); got != "4.5 per week" {
		t.Errorf("first tile for every team: %q", got)
	}
	if dir := os.Getenv("RELSCOPE_SCREENSHOTS"); dir != "" {
		os.WriteFile(filepath.Join(dir, "sample-flow.png"), p.Screenshot(t, "#flow"), 0o644)
	}
}
