package html

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/relscope/relscope/internal/golden"
	"github.com/relscope/relscope/reports/document"
)

// hostile is a title that breaks out of a <script> and runs code unless escaped everywhere.
const hostile = `</script><img src=x onerror=alert(1)>`

func f(v float64) *float64 { return &v }

// sampleDoc has one block of every kind and the hostile text in every place data reaches:
// a KPI label, chart titles, series names, point labels, graph nodes, table cells, a
// coverage note, a query parameter.
func sampleDoc() *document.Document {
	day := func(d int) time.Time { return time.Date(2025, 6, d, 0, 0, 0, 0, time.UTC) }
	table := &document.Table{ID: "items", Title: "Items " + hostile, Columns: []document.Column{
		{Name: "item_key", Label: "Item"}, {Name: "team", Label: "Team"}, {Name: "title", Label: "Title"},
		{Name: "delivered_at", Label: "Delivered", Type: document.TypeDateTime},
		{Name: "cycle_time_days", Label: "Cycle time (days)", Type: document.TypeDays},
		{Name: "share", Label: "Share", Type: document.TypePercent},
		{Name: "status", Label: "Status", Type: document.TypeStatus},
		{Name: "url", Label: "Link", Type: document.TypeURL},
	}, Rows: [][]any{
		{"PAY-1", "Payments", hostile, day(2).Add(13 * time.Hour), 8.5, 0.25, "at_risk", "https://example.com/PAY-1"},
		{"CHK-2", hostile, "Checkout flow", day(20), 3.0, nil, "go", "javascript:alert(1)"},
	}, Total: 3, Source: document.QueryRef{Name: "slowest_items", Params: map[string]string{"team": hostile}}}
	return &document.Document{
		Kind: "dashboard", Title: "Delivery dashboard", Subtitle: "Acme " + hostile,
		Meta: document.Meta{
			AsOf: time.Date(2025, 6, 30, 18, 0, 0, 0, time.UTC), Generated: time.Date(2025, 7, 1, 8, 0, 0, 0, time.UTC),
			Period:  document.Period{Label: "2025-Q2", Start: time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)},
			Version: "v0.0.0-test", Queries: []document.QueryRef{{Name: "slowest_items", Params: map[string]string{"team": "%"}}},
			Settings: []document.Setting{{Name: "as_of", Value: "2025-06-30T18:00:00Z"}, {Name: "dora_bands", Value: "2024"}},
		},
		Coverage: []document.Note{{Metric: "cycle_time", Team: "Payments", Text: "no commitment point (3 of 5)", Fill: "export the status history " + hostile}},
		Sections: []document.Section{
			{ID: "overview", Title: "Overview", Intro: "How delivery went.", Blocks: []document.Block{
				&document.KPIGroup{ID: "dora", Title: "DORA", KPIs: []document.KPI{
					{Label: "Deployment frequency", Value: f(4.5), Unit: "per week", Type: document.TypeNumber, Band: "high", Previous: f(3), Better: document.BetterHigher,
						Teams: []document.TeamKPI{{Team: "Payments", Value: f(6.25), Previous: f(5), Band: "elite"}, {Team: hostile, Value: f(1), Band: "low", Note: "few " + hostile}}},
					{Label: "Change failure rate " + hostile, Value: f(0.12), Type: document.TypePercent, Band: "medium", Previous: f(0.1), Better: document.BetterLower},
					{Label: "Recovery time", Type: document.TypeHours, Note: "no failed deployments"},
				}},
			}},
			{ID: "flow", Title: "Flow", Blocks: []document.Block{
				&document.Chart{ID: "scatter", Title: "Cycle time " + hostile, Kind: document.Scatter,
					X: document.Axis{Name: "Delivered", Type: document.AxisTime}, Y: document.Axis{Name: "Cycle time", Unit: "days", Type: document.AxisValue},
					Series: []document.Series{{Name: "Payments " + hostile, Points: []document.Point{
						{X: day(2), Y: f(8.5), Label: "PAY-1 " + hostile}, {X: day(20), Y: f(3), Label: "CHK-2"}}}},
					MarkLines: []document.MarkLine{{Name: "P50", Value: 5.75}, {Name: "P85 " + hostile, Value: 7.7}},
					Note:      "2 of 2 items shown", Table: table},
				&document.Chart{ID: "throughput", Title: "Weekly throughput", Kind: document.StackedBar,
					X: document.Axis{Name: "Week", Type: document.AxisCategory, Categories: []string{"2025-06-02", "2025-06-09"}},
					Y: document.Axis{Name: "Items", Unit: "items", Type: document.AxisValue},
					Series: []document.Series{{Name: "Payments", Points: []document.Point{{X: "2025-06-02", Y: f(3)}, {X: "2025-06-09", Y: f(5)}}},
						{Name: hostile, Points: []document.Point{{X: "2025-06-02", Y: f(1)}, {X: "2025-06-09", Y: nil}}}}},
				&document.Chart{ID: "cfd", Title: "Cumulative flow", Kind: document.StackedArea,
					X: document.Axis{Name: "Day", Type: document.AxisTime}, Y: document.Axis{Name: "Items", Type: document.AxisValue},
					Series: []document.Series{{Name: "Done", Points: []document.Point{{X: day(1), Y: f(1)}, {X: day(2), Y: f(2)}}},
						{Name: "In progress", Points: []document.Point{{X: day(1), Y: f(3)}, {X: day(2), Y: f(2)}}}}},
				&document.Chart{ID: "trend", Title: "Monthly trend", Kind: document.Line,
					X:      document.Axis{Name: "Month", Type: document.AxisCategory, Categories: []string{"2025-04", "2025-05", "2025-06"}},
					Y:      document.Axis{Name: "P50 cycle time", Unit: "days"},
					Series: []document.Series{{Name: "Payments", Points: []document.Point{{X: "2025-04", Y: f(5)}, {X: "2025-05", Y: f(6)}, {X: "2025-06", Y: f(4)}}}}},
				&document.Chart{ID: "empty", Title: "Nothing here", Kind: document.Bar, X: document.Axis{Name: "Bin", Type: document.AxisCategory}, Y: document.Axis{Name: "Items"}},
			}},
			{ID: "dependencies", Title: "Dependencies", Blocks: []document.Block{
				&document.Chart{ID: "graph", Title: "Who blocks whom", Kind: document.Graph,
					Nodes: []document.Node{{ID: "a", Label: "Payments", Value: 3}, {ID: "b", Label: hostile, Value: 10}},
					Edges: []document.Edge{{From: "b", To: "a", Value: 4.5}}},
				&document.Text{ID: "howto", Title: "Reading this", Paragraphs: []string{"Arrows point from the blocking team " + hostile}, Bullets: []string{"one", "two"}},
			}},
		},
	}
}

var libRe = regexp.MustCompile(`(?s)<script>\s*/\*.*?</script>`)

// normalise drops the embedded library and its content hash, which golden files need not hold.
func normalise(page []byte) []byte {
	s := libRe.ReplaceAllLiteralString(string(page), "<script>/* echarts.min.js */</script>")
	s = regexp.MustCompile(`'sha256-[A-Za-z0-9+/=]+'`).ReplaceAllString(s, "'sha256-…'")
	if i := strings.Index(s, `<pre class="licence">`); i >= 0 {
		if j := strings.Index(s[i:], "</pre>"); j >= 0 {
			s = s[:i] + `<pre class="licence">…` + s[i+j:]
		}
	}
	return []byte(s)
}

func TestRenderGolden(t *testing.T) {
	var buf bytes.Buffer
	if err := Write(&buf, sampleDoc()); err != nil {
		t.Fatal(err)
	}
	golden.File(t, filepath.Join("testdata", "sample.html.golden"), buf.Bytes(), golden.Normalise(normalise))
}

// The hostile title never appears raw: not in tables, not in the chart data, not in titles.
func TestEscaping(t *testing.T) {
	var buf bytes.Buffer
	if err := Write(&buf, sampleDoc()); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	if strings.Contains(page, hostile) {
		t.Error("the page holds the hostile title raw")
	}
	page = string(normalise(buf.Bytes())) // the library itself holds "<img" and the like
	for _, bad := range []string{"<img", `href="javascript:`} {
		if strings.Contains(page, bad) {
			t.Errorf("the page holds %q raw", bad)
		}
	}
	// One <script> for the library, one for the data, one for the page script: nothing else.
	if n := strings.Count(page, "<script"); n != 3 {
		t.Errorf("%d <script> tags, want 3", n)
	}
	if n := strings.Count(page, "</script>"); n != 3 {
		t.Errorf("%d </script> tags, want 3", n)
	}
	if !strings.Contains(page, `&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;`) {
		t.Error("the hostile title is not shown as text")
	}
	if !strings.Contains(page, `\u003c/script\u003e\u003cimg src=x onerror=alert(1)\u003e`) {
		t.Error("the hostile series name is not in the chart data, escaped")
	}
	// No request can leave the page: no src or href to anywhere but the data's http(s) links
	// and in-page anchors, and the policy forbids everything else.
	for _, m := range regexp.MustCompile(`(?:src|href)="([^"#][^"]*)"`).FindAllStringSubmatch(page, -1) {
		if !strings.HasPrefix(m[1], "https://example.com/") {
			t.Errorf("reference to %q", m[1])
		}
	}
	if !strings.Contains(page, `content="default-src &#39;none&#39;; script-src &#39;sha256-`) {
		t.Error("no Content-Security-Policy")
	}
}

func TestFormat(t *testing.T) {
	for _, tc := range []struct {
		v    any
		typ  document.ValueType
		want string
	}{
		{int64(1234567), document.TypeInt, "1,234,567"},
		{int64(-1234), document.TypeInt, "-1,234"},
		{0.125, document.TypePercent, "12.5%"},
		{0.5, document.TypePercent, "50%"},
		{8.46, document.TypeDays, "8.5"},
		{2.0, document.TypeNumber, "2"},
		{2.345, document.TypeNumber, "2.35"},
		{1234.0, document.TypeNumber, "1,234"},
		{nil, document.TypeDays, ""},
		{[]string{"a", "b"}, document.TypeList, "a, b"},
		{time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC), document.TypeDate, "2025-06-01"},
		{time.Date(2025, 6, 1, 13, 5, 0, 0, time.UTC), document.TypeDateTime, "2025-06-01 13:05 UTC"},
		{true, document.TypeBool, "yes"},
	} {
		if got := formatValue(tc.v, tc.typ); got != tc.want {
			t.Errorf("formatValue(%v, %s) = %q, want %q", tc.v, tc.typ, got, tc.want)
		}
	}
	// A long list (a release's items) shows its first 25 values and how many more there are.
	var keys []string
	for i := 1; i <= 30; i++ {
		keys = append(keys, fmt.Sprintf("K-%d", i))
	}
	want := strings.Join(keys[:25], ", ") + " … and 5 more"
	if got := cellOf(keys, document.TypeList).Text; got != want {
		t.Errorf("cellOf(30 keys) = %q, want %q", got, want)
	}
	if got := cellOf(keys[:25], document.TypeList).Text; got != strings.Join(keys[:25], ", ") {
		t.Errorf("cellOf(25 keys) = %q", got)
	}
}

// TestWriteSample writes the sample page to $RELSCOPE_HTML_SAMPLE, to look at in a browser.
func TestWriteSample(t *testing.T) {
	dst := os.Getenv("RELSCOPE_HTML_SAMPLE")
	if dst == "" {
		t.Skip("set RELSCOPE_HTML_SAMPLE=FILE to write the sample page")
	}
	if err := (Renderer{}).Render(context.Background(), sampleDoc(), dst); err != nil {
		t.Fatal(err)
	}
}

// A team has one colour on the whole page, whichever order a chart lists its series in;
// charts whose series are not teams take the palette in order.
func TestTeamColours(t *testing.T) {
	colours := teamColours([]string{"Checkout", "Payments", "Search"})
	byName := func(names ...string) *document.Chart {
		c := &document.Chart{Kind: document.Bar}
		for _, n := range names {
			c.Series = append(c.Series, document.Series{Name: n})
		}
		return c
	}
	got := chartOption(byName("Search", "Checkout"), "x", colours).Option["color"]
	if want := []string{Palette[2], Palette[0]}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Search, Checkout: colours %v, want %v", got, want)
	}
	if got := chartOption(byName("dev", "Payments"), "x", colours).Option["color"]; fmt.Sprint(got) != fmt.Sprint(Palette) {
		t.Errorf("a chart of environments: colours %v, want the palette", got)
	}
	// Grades take their badges' colours: no_go is vermillion, as its badge.
	if got, want := chartOption(byName("go", "no_go"), "x", colours).Option["color"], []string{Palette[0], Palette[3]}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("a chart of verdicts: colours %v, want %v", got, want)
	}
}

// However many rows a table holds, the page embeds at most tableRowLimit of them and says how
// many there are: the rows given, or the Total of a query's answer the spec cut first.
func TestTableRowsAreBounded(t *testing.T) {
	big := func(n int, total int64) *document.Table {
		tb := &document.Table{ID: "big", Title: "Big", Total: total, Columns: []document.Column{{Name: "key", Label: "Key"}}}
		for i := 0; i < n; i++ {
			tb.Rows = append(tb.Rows, []any{fmt.Sprintf("ROW-%05d", i)})
		}
		return tb
	}
	for _, tc := range []struct {
		table *document.Table
		note  string
	}{
		{big(1200, 0), "First 500 of 1,200 rows."},
		{big(500, 3037), "First 500 of 3,037 rows."},
		{big(20, 0), ""},
	} {
		doc := &document.Document{Kind: "dashboard", Title: "T", Sections: []document.Section{{ID: "s", Title: "S", Blocks: []document.Block{tc.table}}}}
		var buf bytes.Buffer
		if err := Write(&buf, doc); err != nil {
			t.Fatal(err)
		}
		page := buf.String()
		rows := strings.Count(page, "ROW-")
		if want := min(len(tc.table.Rows), tableRowLimit); rows != want {
			t.Errorf("%d rows given: %d embedded, want %d", len(tc.table.Rows), rows, want)
		}
		if tc.note != "" && !strings.Contains(page, tc.note) {
			t.Errorf("%d rows given (total %d): no %q", len(tc.table.Rows), tc.table.Total, tc.note)
		}
		if tc.note == "" && strings.Contains(page, "First ") {
			t.Errorf("a complete table says it is cut")
		}
	}
}

// A chart with nothing to draw says why: its own Empty, else its table's, else in general.
func TestEmptyChartSaysWhy(t *testing.T) {
	for _, tc := range []struct {
		chart *document.Chart
		want  string
	}{
		{&document.Chart{Kind: document.Bar, Empty: "No incident in this period.", Table: &document.Table{Empty: "No rows."}}, "No incident in this period."},
		{&document.Chart{Kind: document.Bar, Table: &document.Table{Empty: "No rows."}}, "No rows."},
		{&document.Chart{Kind: document.Bar}, "No data in this scope"},
		{&document.Chart{Kind: document.Bar, Empty: "unused", Series: []document.Series{{Name: "a", Points: []document.Point{{X: "x", Y: f(1)}}}}}, ""},
	} {
		if got := chartOption(tc.chart, "c", nil).Empty; got != tc.want {
			t.Errorf("empty message %q, want %q", got, tc.want)
		}
	}
}

// Series that are grades read with spaces in the legend (on track, at risk); teams as they are.
func TestSeriesNames(t *testing.T) {
	grades := &document.Chart{Series: []document.Series{{Name: "on_track"}, {Name: "at_risk"}}}
	if got := seriesName(grades, "at_risk"); got != "at risk" {
		t.Errorf("grade series %q", got)
	}
	teams := &document.Chart{Series: []document.Series{{Name: "on_track"}, {Name: "team_a"}}}
	if got := seriesName(teams, "team_a"); got != "team_a" {
		t.Errorf("team series %q", got)
	}
}
