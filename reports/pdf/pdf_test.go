package pdf

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/relscope/relscope/internal/golden"
	"github.com/relscope/relscope/internal/poppler"
	"github.com/relscope/relscope/reports/document"
)

func f(v float64) *float64 { return &v }

var asOf = time.Date(2025, 7, 1, 6, 0, 0, 0, time.UTC)

// sampleDoc is a hand-built document with every block kind and chart kind.
func sampleDoc() *document.Document {
	month := func(m int) time.Time { return time.Date(2025, time.Month(m), 1, 0, 0, 0, 0, time.UTC) }
	var trend []document.Point
	for m := 1; m <= 6; m++ {
		trend = append(trend, document.Point{X: month(m).Format("2006-01"), Y: f(float64(3 + m%3))})
	}
	var scatter []document.Point
	for i := 0; i < 120; i++ {
		d := time.Date(2025, 6, 1+i%30, 12, 0, 0, 0, time.UTC)
		scatter = append(scatter, document.Point{X: d, Y: f(float64(1 + (i*37)%19)), Label: fmt.Sprintf("PAY-%d", i)})
	}
	rows := [][]any{}
	for i := 0; i < 70; i++ {
		rows = append(rows, []any{fmt.Sprintf("PAY-%d", 100+i), fmt.Sprintf("Item title number %d with a few words", i), "Payments", float64(i) / 3, int64(i * 1000), "pass"})
	}
	rows[3][5] = "fail"
	rows[4][5] = "warn"
	rows[5][3] = nil
	return &document.Document{
		Kind:     "test",
		Title:    "Monthly delivery report",
		Subtitle: "Acme Corp — every team",
		Meta: document.Meta{
			AsOf: asOf, Generated: asOf.Add(time.Hour), Version: "v0.test",
			Period:   document.Period{Label: "2025-06", Start: month(6), End: month(7)},
			Queries:  []document.QueryRef{{Name: "dora_latest"}, {Name: "cycle_time_trend"}},
			Settings: []document.Setting{{Name: "as_of", Value: "2025-07-01T06:00:00Z"}, {Name: "dora_bands", Value: "2024"}},
		},
		Sections: []document.Section{
			{ID: "overview", Title: "Delivery at a glance", Intro: "The four DORA keys for June, against May.", Blocks: []document.Block{
				&document.KPIGroup{KPIs: []document.KPI{
					{Label: "Deployment frequency", Value: f(4.5), Type: document.TypeNumber, Unit: "days a week", Band: "elite", Previous: f(3.5), Better: document.BetterHigher, Trend: trend},
					{Label: "Change lead time", Value: f(30.2), Type: document.TypeHours, Unit: "hours", Band: "high", Previous: f(28), Better: document.BetterLower, Trend: trend},
					{Label: "Change failure rate", Value: f(0.125), Type: document.TypePercent, Band: "medium", Previous: f(0.2), Better: document.BetterLower},
					{Label: "Failed deployment recovery time", Value: nil, Type: document.TypeHours, Band: "", Note: "No failed deployment this month."},
				}},
			}},
			{ID: "flow", Title: "Flow", Blocks: []document.Block{
				&document.Chart{ID: "ct", Title: "Cycle time of items delivered in June", Kind: document.Scatter,
					X: document.Axis{Name: "Delivered", Type: document.AxisTime}, Y: document.Axis{Name: "Cycle time", Unit: "days", Type: document.AxisValue},
					Series:    []document.Series{{Name: "Items", Points: scatter}},
					MarkLines: []document.MarkLine{{Name: "P50", Value: 8}, {Name: "P85", Value: 14.2}, {Name: "P95", Value: 15}}},
				&document.Chart{ID: "trend", Title: "Cycle time by month", Kind: document.Line,
					X: document.Axis{Type: document.AxisCategory, Categories: []string{"2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06"}},
					Y: document.Axis{Name: "days"},
					Series: []document.Series{
						{Name: "P50", Points: []document.Point{{X: "2025-01", Y: f(5)}, {X: "2025-02", Y: f(6)}, {X: "2025-03", Y: nil}, {X: "2025-04", Y: f(4)}, {X: "2025-05", Y: f(5.5)}, {X: "2025-06", Y: f(6)}}},
						{Name: "P85", Points: []document.Point{{X: "2025-01", Y: f(11)}, {X: "2025-02", Y: f(12)}, {X: "2025-03", Y: f(10)}, {X: "2025-04", Y: f(9)}, {X: "2025-05", Y: f(12.5)}, {X: "2025-06", Y: f(13)}}},
					}},
				&document.Chart{ID: "bars", Title: "Deployments by team", Kind: document.Bar,
					X:      document.Axis{Type: document.AxisCategory},
					Series: []document.Series{{Name: "May", Points: []document.Point{{X: "Payments", Y: f(12)}, {X: "Checkout", Y: f(7)}}}, {Name: "June", Points: []document.Point{{X: "Payments", Y: f(15)}, {X: "Checkout", Y: f(4)}}}}},
				&document.Chart{ID: "stack", Title: "Work in progress by status", Kind: document.StackedBar,
					Series: []document.Series{{Name: "In progress", Points: []document.Point{{X: "Payments", Y: f(12)}, {X: "Checkout", Y: f(7)}}}, {Name: "Blocked", Points: []document.Point{{X: "Payments", Y: f(3)}, {X: "Checkout", Y: f(4)}}}}},
				&document.Chart{ID: "cfd", Title: "Cumulative flow", Kind: document.StackedArea,
					X: document.Axis{Type: document.AxisTime},
					Series: []document.Series{
						{Name: "Done", Points: []document.Point{{X: month(4), Y: f(10)}, {X: month(5), Y: f(20)}, {X: month(6), Y: f(32)}}},
						{Name: "In progress", Points: []document.Point{{X: month(4), Y: f(8)}, {X: month(5), Y: f(9)}, {X: month(6), Y: f(7)}}},
					}},
				&document.Chart{ID: "deps", Title: "Who blocks whom", Kind: document.Graph,
					Nodes: []document.Node{{ID: "a", Label: "Identity"}, {ID: "b", Label: "Payments"}},
					Edges: []document.Edge{{From: "a", To: "b", Value: 4}}},
			}},
			{ID: "items", Title: "Items delivered", Blocks: []document.Block{
				&document.Table{ID: "items", Title: "Delivered items", Columns: []document.Column{
					{Name: "key", Label: "Item"}, {Name: "title", Label: "Title"}, {Name: "team", Label: "Team"},
					{Name: "cycle", Label: "Cycle time (days)", Type: document.TypeDays}, {Name: "n", Label: "Count", Type: document.TypeInt},
					{Name: "status", Label: "Check", Type: document.TypeStatus},
				}, Rows: rows, Total: 250},
				&document.Table{ID: "none", Title: "Incidents", Columns: []document.Column{{Name: "id"}}, Empty: "No incidents in June."},
				&document.Text{ID: "limits", Title: "Known limitations", Paragraphs: []string{"Lead time is measured from commit where the deployment export has commit times."}, Bullets: []string{"First bullet.", "Second bullet."}},
			}},
		},
		Coverage: []document.Note{{Metric: "cycle_time", Team: "Payments", Text: "no commitment point (12 of 40)", Fill: "export the status history"}},
	}
}

// render draws doc into a temporary file and returns its path.
func render(t *testing.T, doc *document.Document) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "out.pdf")
	if err := (Renderer{}).Render(context.Background(), doc, path); err != nil {
		t.Fatal(err)
	}
	return path
}

// checkFonts asserts that every font of the PDF is DejaVu Sans, embedded.
func checkFonts(t *testing.T, path string) {
	t.Helper()
	fonts := poppler.Fonts(t, path)
	if len(fonts) == 0 {
		t.Fatal("pdffonts lists no font")
	}
	for _, f := range fonts {
		if !strings.Contains(strings.ToLower(f.Name), "dejavusans") || !f.Embedded {
			t.Errorf("font %+v: want DejaVu Sans, embedded", f)
		}
	}
}

func TestRenderSample(t *testing.T) {
	path := render(t, sampleDoc())
	text := poppler.Text(t, path)
	for _, want := range []string{
		"Monthly delivery report", "June 2025", "data as of 1 Jul 2025", "Delivery at a glance",
		"Deployment frequency", "4.5", "Elite", "▲ 29% (was 3.5)", "12.5%", "▼ 8 pts (was 20%)",
		"No failed deployment this", "P85 14.2", "Cycle time (days)", "Identity", "PAY-169",
		"The first 70 of 250 rows.", "No incidents in June.", "Known limitations", "Coverage notes",
		"Cycle time (Payments)", "@dora_latest", "dora_bands 2024", "Page 1 of",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q", want)
		}
	}
	if n := poppler.Pages(t, path); n < 3 || n > 5 {
		t.Errorf("%d pages, want 3 to 5", n)
	}
	checkFonts(t, path)
	if n := poppler.Images(t, path); n > 0 {
		t.Errorf("%d raster images in the PDF: charts must be vectors", n)
	}
	golden.File(t, filepath.Join("testdata", "sample.txt"), []byte(text), golden.Normalise(golden.PDFText))
}

// Text from data never crashes the renderer: accents, CJK (the font has no glyph: replaced),
// right-to-left scripts, emoji, controls, invalid UTF-8, and very long unbroken strings.
func TestHostileText(t *testing.T) {
	path := render(t, hostileDoc())
	text := poppler.Text(t, path)
	for _, want := range []string{"Café crème", "Ærøskøbing", "Łódź", "Ελληνικά", "Кириллица", "(payments upgrade)", "�", "é combining"} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q", want)
		}
	}
	for _, r := range "שלוםمرحبا" {
		if !strings.ContainsRune(text, r) {
			t.Errorf("right-to-left character %q lost", r)
		}
	}
	// Every word stays on the page: pdftotext -bbox gives each word's box.
	bbox := poppler.Run(t, "pdftotext", "-bbox", path, "-")
	re := regexp.MustCompile(`xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)"`)
	for _, m := range re.FindAllStringSubmatch(bbox, -1) {
		x0, _ := strconv.ParseFloat(m[1], 64)
		x1, _ := strconv.ParseFloat(m[3], 64)
		if x0 < 0 || x1 > 595.3 {
			t.Errorf("a word runs off the page: x %.1f to %.1f pt", x0, x1)
		}
	}
}

func hostileDoc() *document.Document {
	long := strings.Repeat("Sehr-lange-Überschrift-ohne-Leerzeichen", 12)
	titles := []string{
		"Café crème — naïve façade, Ærøskøbing, Łódź, Ελληνικά, Кириллица",
		"支付系统升级 (payments upgrade)",
		"שלום עולם release notes",
		"مرحبا بالعالم",
		"emoji 🚀✅ and \x00control\x07 \ttabs\r\nnewlines",
		"bad utf8 \xff\xfe here",
		"e\u0301 combining",
		long,
		"https://example.com/" + strings.Repeat("a1b2c3", 60),
	}
	var rows [][]any
	for _, s := range titles {
		rows = append(rows, []any{s, s})
	}
	doc := &document.Document{
		Title:    strings.Repeat("A very long title that must wrap onto more lines ", 8),
		Subtitle: titles[1],
		Meta:     document.Meta{AsOf: asOf, Team: titles[2], Organisation: titles[0]},
		Sections: []document.Section{{Title: long, Intro: titles[3], Blocks: []document.Block{
			&document.KPIGroup{KPIs: []document.KPI{{Label: titles[1], Value: f(1), Unit: titles[2], Note: long, Band: titles[4]}}},
			&document.Table{Title: titles[4], Columns: []document.Column{{Name: "a", Label: titles[0]}, {Name: "b", Label: long}}, Rows: rows},
			&document.Text{Title: titles[5], Paragraphs: titles, Bullets: titles},
			&document.Chart{Title: titles[1], Kind: document.Bar, Series: []document.Series{{Name: titles[2], Points: []document.Point{{X: titles[1], Y: f(2)}, {X: long, Y: f(3)}}}, {Name: titles[3], Points: []document.Point{{X: titles[1], Y: f(1)}}}}},
		}}},
	}
	return doc
}

// A heading is never the last thing on a page: it moves to the next page with its first block.
func TestNoOrphanHeading(t *testing.T) {
	var paras []string
	for i := 0; i < 57; i++ {
		paras = append(paras, fmt.Sprintf("Filler paragraph %d.", i))
	}
	doc := &document.Document{Title: "Orphans", Meta: document.Meta{AsOf: asOf}, Sections: []document.Section{
		{Title: "Filler", Blocks: []document.Block{&document.Text{Paragraphs: paras}}},
		{Title: "Second section heading", Blocks: []document.Block{&document.Chart{Title: "A chart", Kind: document.Line,
			Series: []document.Series{{Name: "s", Points: []document.Point{{X: "a", Y: f(1)}, {X: "b", Y: f(2)}}}}}}},
	}}
	path := render(t, doc)
	for p := 1; p <= poppler.Pages(t, path); p++ {
		page := poppler.PageText(t, path, p)
		if strings.Contains(page, "Second section heading") && !strings.Contains(page, "A chart") {
			t.Errorf("page %d ends with the heading alone:\n%s", p, page)
		}
	}
}

func TestFormat(t *testing.T) {
	for _, tc := range []struct {
		v    any
		typ  document.ValueType
		want string
	}{
		{nil, document.TypeDays, "—"},
		{int64(12345), document.TypeInt, "12,345"},
		{0.125, document.TypePercent, "12.5%"},
		{0.5, document.TypePercent, "50%"},
		{3.04, document.TypeDays, "3"},
		{1234.56, document.TypeHours, "1,234.6"},
		{-0.04, document.TypeNumber, "-0.04"},
		{time.Date(2025, 3, 4, 0, 0, 0, 0, time.UTC), document.TypeDate, "4 Mar 2025"},
		{true, document.TypeBool, "yes"},
		{[]string{"a", "b"}, document.TypeList, "a, b"},
		{"at_risk", document.TypeStatus, "At risk"},
		{"no_go", document.TypeStatus, "No-go"},
	} {
		if got := formatValue(tc.v, tc.typ); got != tc.want {
			t.Errorf("formatValue(%v, %s) = %q, want %q", tc.v, tc.typ, got, tc.want)
		}
	}
}

func TestWrap(t *testing.T) {
	measure := func(s string) float64 { return float64(len([]rune(s))) }
	got := wrap("aa bb cc\nddddddddddd e", 5, measure)
	want := []string{"aa bb", "cc", "ddddd", "ddddd", "d e"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("wrap = %q, want %q", got, want)
	}
	if got := fit("abcdefgh", 4, measure); got != "abc…" {
		t.Errorf("fit = %q", got)
	}
	if got := clean("a\tb\x00c 支", false); got != "a bc �" {
		t.Errorf("clean = %q", got)
	}
}

func TestWriteCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Write(ctx, sampleDoc(), &bytes.Buffer{}); err == nil {
		t.Error("a cancelled render succeeded")
	}
}

// TestLook writes the sample to $RELSCOPE_PDF_LOOK for looking at it (pdftoppm -png).
func TestLook(t *testing.T) {
	dst := os.Getenv("RELSCOPE_PDF_LOOK")
	if dst == "" {
		t.Skip("set RELSCOPE_PDF_LOOK=DIR to write the sample documents there")
	}
	for name, doc := range map[string]*document.Document{"sample": sampleDoc(), "hostile": hostileDoc()} {
		if err := (Renderer{}).Render(context.Background(), doc, filepath.Join(dst, name+".pdf")); err != nil {
			t.Fatal(err)
		}
	}
}

func TestVisual(t *testing.T) {
	for in, want := range map[string]string{
		"plain text":              "plain text",
		"שלום עולם release notes": "םלוע םולש release notes",
		"abc שלום עולם def":       "abc םלוע םולש def",
	} {
		if got := visual(in); got != want {
			t.Errorf("visual(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzRenderText: whatever text a document carries — titles, cells, labels, notes, chart
// categories — the renderer draws it without a panic or an error.
func FuzzRenderText(f *testing.F) {
	for _, s := range []string{"", "Café", "支付", "שלום world", "مرحبا", "🚀\x00\x07\t\r\n", "\xff\xfe",
		strings.Repeat("W", 400), "e\u0301\u200f\u202e", "\uFFFD\U0001D400", "{nb}"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		doc := &document.Document{Title: s, Subtitle: s, Meta: document.Meta{Team: s, Organisation: s},
			Sections: []document.Section{{Title: s, Intro: s, Blocks: []document.Block{
				&document.KPIGroup{Title: s, KPIs: []document.KPI{{Label: s, Value: f64p(1), Unit: s, Band: s, Note: s}, {Label: s, Band: s}}},
				&document.Table{Title: s, Columns: []document.Column{{Name: s, Label: s}, {Name: "n", Type: document.TypeStatus}}, Rows: [][]any{{s, s}}},
				&document.Chart{Title: s, Kind: document.Bar, Series: []document.Series{{Name: s, Points: []document.Point{{X: s, Y: f64p(2)}}}},
					MarkLines: []document.MarkLine{{Name: s, Value: 1}}, Note: s},
				&document.Text{Title: s, Paragraphs: []string{s}, Bullets: []string{s}},
			}}},
			Coverage: []document.Note{{Metric: s, Team: s, Text: s, Fill: s}},
		}
		if err := Write(context.Background(), doc, &bytes.Buffer{}); err != nil {
			t.Fatalf("render %q: %v", s, err)
		}
	})
}

func f64p(v float64) *float64 { return &v }

// A megabyte of text without a space is wrapped and cut in linear time, not hung on.
func TestHugeText(t *testing.T) {
	huge := strings.Repeat("x/", 500_000)
	doc := &document.Document{Title: huge, Sections: []document.Section{{Title: huge, Blocks: []document.Block{
		&document.Table{Columns: []document.Column{{Name: "a"}}, Rows: [][]any{{huge}}},
		&document.Text{Paragraphs: []string{huge[:20000]}},
	}}}}
	start := time.Now()
	if err := Write(context.Background(), doc, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("took %s", d)
	}
}

func BenchmarkWriteSample(b *testing.B) {
	doc := sampleDoc()
	for i := 0; i < b.N; i++ {
		if err := Write(context.Background(), doc, io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}

// A scatter of more series than the palette tells apart is drawn in one colour, without a
// legend, and says so.
func TestScatterManySeries(t *testing.T) {
	c := &document.Chart{Title: "Items", Kind: document.Scatter}
	for i := 0; i < 10; i++ {
		c.Series = append(c.Series, document.Series{Name: fmt.Sprintf("Team %d", i), Points: []document.Point{{X: float64(i), Y: f(float64(i))}}})
	}
	path := render(t, &document.Document{Title: "x", Sections: []document.Section{{Title: "s", Blocks: []document.Block{c}}}})
	text := poppler.Text(t, path)
	if !strings.Contains(text, "All 10 series (Team 0, …) in one colour") || strings.Contains(text, "Team 5") {
		t.Errorf("many-series scatter:\n%s", text)
	}
}
