package reports

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/relscope/relscope/internal/browsertest"
	"github.com/relscope/relscope/internal/demowarehouse"
	"github.com/relscope/relscope/internal/xss"
)

// Every payload of internal/xss planted in the demo's marts — item titles, team, release
// and service names, each original value prefixed with the payload its hash picks, the same
// in every mart so joins and filters still match — and the dashboard rendered: no payload
// is in the page raw, Chromium runs none of them (no dialog, no element or handler of
// theirs, no request) with every chart's tooltips shown on the points that carry one, and
// each tooltip shows its payload as text.
func TestDashboardPayloadsStayInert(t *testing.T) {
	w := demowarehouse.Open(t, demowarehouse.Demo)
	ctx := context.Background()
	if _, err := w.DB.ExecContext(ctx, `create temp table xss (i integer, payload varchar)`); err != nil {
		t.Fatal(err)
	}
	for i := range xss.Payloads {
		if _, err := w.DB.ExecContext(ctx, `insert into xss values (?, ?)`, i, xss.Marked(i, " ")); err != nil {
			t.Fatal(err)
		}
	}
	// Each mart is a view of its table in the build's mart schema: the payloads are planted there.
	marts, err := w.MartSchema(ctx)
	if err != nil || marts == "" {
		t.Fatalf("mart schema %q: %v", marts, err)
	}
	rows, err := w.DB.QueryContext(ctx, `select table_name, column_name from information_schema.columns
		where table_schema = 'main' and table_name like 'mart_%' and data_type = 'VARCHAR'
		  and column_name in ('title', 'team', 'release', 'service', 'release_name') order by all`)
	if err != nil {
		t.Fatal(err)
	}
	var updates []string
	for rows.Next() {
		var tbl, col string
		rows.Scan(&tbl, &col)
		updates = append(updates, fmt.Sprintf(`update %[4]s.%[1]s set %[2]s = (select payload from xss where i = hash(%[2]s) %% %[3]d) || %[2]s where %[2]s is not null`,
			tbl, col, len(xss.Payloads), marts))
	}
	rows.Close()
	if len(updates) < 20 {
		t.Fatalf("%d mart columns to plant in", len(updates))
	}
	for _, u := range updates {
		if _, err := w.DB.ExecContext(ctx, u); err != nil {
			t.Fatalf("%s: %v", u, err)
		}
	}
	var planted int
	w.DB.QueryRowContext(ctx, `select count(distinct i) from xss where exists (select 1 from mart_aging_wip where title like payload || '%')
		or exists (select 1 from mart_deployments where team like payload || '%' or service like payload || '%')
		or exists (select 1 from mart_release_health where release like payload || '%')`).Scan(&planted)
	if planted < 20 {
		t.Errorf("only %d payloads reached the titles, teams, services and releases", planted)
	}

	out, err := Find("html")
	if err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(t.TempDir(), "dashboard.html")
	if _, err := Render(ctx, w.Warehouse, out, Scope{Version: "test"}, dst); err != nil {
		t.Fatal(err)
	}
	page, err := os.ReadFile(dst)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range xss.Raw(string(page)) {
		t.Errorf("the page holds %q raw", p)
	}
	p := browsertest.Check(t, dst, 1400, 1000)
	// Every chart, every series: show the tooltip of each point whose name or value names a
	// payload, read it as text, and check nothing of it became markup.
	tips := browsertest.Eval[[]string](t, p, `(() => {
		const shown = [];
		for (const c of window.relscopeCharts) {
			const series = c.chart.getOption().series || [];
			for (let s = 0; s < series.length; s++) {
				const data = series[s].data || [];
				for (let i = 0; i < data.length; i++) {
					if (!/xss\d+ /.test(JSON.stringify(data[i]))) continue;
					c.chart.dispatchAction({type: "showTip", seriesIndex: s, dataIndex: i});
					shown.push(c.spec.id + ": " + c.el.innerText);
				}
			}
			const axes = [].concat(c.chart.getOption().xAxis || [], c.chart.getOption().yAxis || []);
			for (const a of axes) for (let i = 0; i < (a.data || []).length; i++) {
				if (!/xss\d+ /.test(JSON.stringify(a.data[i]))) continue;
				c.chart.dispatchAction({type: "showTip", seriesIndex: 0, dataIndex: i});
				shown.push(c.spec.id + ": " + c.el.innerText);
			}
		}
		return shown;
	})()`)
	if len(tips) < 5 {
		t.Errorf("%d tooltips on planted points: the test shows too few to prove anything", len(tips))
	}
	text := 0
	for _, tip := range tips {
		for i := range xss.Payloads {
			if strings.Contains(tip, xss.Marked(i, "")) {
				text++
				break
			}
		}
	}
	if text == 0 {
		t.Errorf("no tooltip shows a payload as text (%d tooltips): %q", len(tips), tips[:min(3, len(tips))])
	}
	// The team filter, set to a planted team, redraws every tile from the data.
	browsertest.Eval[bool](t, p, `(() => { const s = document.getElementById("f-team"); const o = [...s.options].find(o => /xss\d+ /.test(o.value)); if (o) { s.value = o.value; s.dispatchEvent(new Event("change")); } return true })()`)
	xss.Inert(t, "dashboard", p)
	if dir := os.Getenv("RELSCOPE_SCREENSHOTS"); dir != "" {
		os.WriteFile(filepath.Join(dir, "xss-dashboard-releases.png"), p.Screenshot(t, "#releases"), 0o644)
		os.WriteFile(filepath.Join(dir, "xss-dashboard-flow.png"), p.Screenshot(t, "#flow"), 0o644)
	}
	t.Logf("%d payloads planted in %d mart columns; %d tooltips shown, %d with a payload as text", planted, len(updates), len(tips), text)
}
