package reports

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/relscope/relscope/internal/demowarehouse"
	"github.com/relscope/relscope/reports/document"
)

// The workbook on the demo warehouse: a summary then a sheet per mart family; every named
// query it names exists and returns the columns it draws; every column says what it means;
// every headline metric has a monthly trend; the detail tables stream; and the file read back
// holds every row of each streamed query.
func TestWorkbookOnDemo(t *testing.T) {
	w := demowarehouse.Open(t, demowarehouse.Demo)
	out, err := Find("xlsx")
	if err != nil {
		t.Fatal(err)
	}
	if out.DefaultOut != "workbook.xlsx" {
		t.Errorf("DefaultOut %q", out.DefaultOut)
	}
	dst := filepath.Join(t.TempDir(), "workbook.xlsx")
	doc, err := Render(context.Background(), w.Warehouse, out, Scope{Version: "test"}, dst)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, s := range doc.Sections {
		ids = append(ids, s.ID)
	}
	if got := strings.Join(ids, " "); got != "summary flow dora deployments releases estimation dependencies pipelines incidents priority compliance readiness forecasts" {
		t.Errorf("sections: %s", got)
	}
	var tables []*document.Table
	charts := 0
	for _, s := range doc.Sections {
		for _, b := range s.Blocks {
			switch b := b.(type) {
			case *document.KPIGroup:
				for _, k := range b.KPIs {
					if len(k.Trend) != 7 {
						t.Errorf("KPI %q has %d trend points, want the period's 7 months", k.Label, len(k.Trend))
					}
				}
			case *document.Chart:
				charts++
				points := 0
				for _, se := range b.Series {
					for _, p := range se.Points {
						if p.Y != nil {
							points++
						}
					}
				}
				if points == 0 {
					t.Errorf("chart %q has no data", b.Title)
				}
			case *document.Table:
				tables = append(tables, b)
				for _, c := range b.Columns {
					if c.Description == "" {
						t.Errorf("%s: column %s has no description", b.Title, c.Name)
					}
				}
			}
		}
	}
	if charts != 6 || len(tables) < 17 {
		t.Errorf("%d charts, %d tables", charts, len(tables))
	}
	f, err := excelize.OpenFile(dst)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	inline := 0 // tables drawn on the summary, not on sheets of their own
	for _, tb := range tables {
		if tb.Inline {
			inline++
		}
	}
	if sheets[0] != "Summary" || sheets[len(sheets)-1] != "README" || len(sheets) != len(tables)-inline+3 || inline != 1 {
		t.Errorf("sheets: %q", sheets)
	}
	src := NewSource(w.DB)
	for _, tb := range tables {
		if tb.Stream == nil {
			continue
		}
		res, _, err := src.Query(context.Background(), tb.Source.Name, tb.Source.Params)
		if err != nil {
			t.Fatal(err)
		}
		if int64(len(res.Rows)) != tb.Total {
			t.Errorf("%s: Total %d, the query returns %d", tb.Title, tb.Total, len(res.Rows))
		}
		rows, err := f.GetRows(tb.Title)
		if err != nil {
			t.Fatal(err)
		}
		want := len(res.Rows) + 2
		if len(res.Rows) == 0 {
			want = 2
		}
		if len(rows) != want {
			t.Errorf("sheet %s has %d rows, want %d (title, header, %d rows)", tb.Title, len(rows), want, len(res.Rows))
		}
	}

	// The governance sheets: each holds every row its named query returns (and the demo has
	// some of each), and grades — each readiness check's pass/warn/fail, each verdict's
	// go/at_risk/no_go — are coloured by conditional formats over every row, as on the other
	// sheets; the summary lists the upcoming releases with their verdicts (coloured) and P85
	// dates as date cells.
	byID := map[string]*document.Table{}
	for _, tb := range tables {
		byID[tb.ID] = tb
	}
	for _, id := range []string{"priority", "compliance_gaps", "readiness", "release_violations", "forecasts", "forecast_backtest", "forecast_calibration"} {
		tb := byID[id]
		if tb == nil {
			t.Errorf("no %s sheet", id)
			continue
		}
		res, _, err := src.Query(context.Background(), tb.Source.Name, tb.Source.Params)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := f.GetRows(tb.Title)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Rows) == 0 || len(rows) != len(res.Rows)+2 {
			t.Errorf("sheet %s has %d rows; @%s returns %d (want them all, under the title and header)", tb.Title, len(rows), tb.Source.Name, len(res.Rows))
		}
	}
	graded := func(sheet, col string, first, last int) {
		t.Helper()
		cf, err := f.GetConditionalFormats(sheet)
		if err != nil {
			t.Fatal(err)
		}
		ref := fmt.Sprintf("%s%d:%s%d", col, first, col, last)
		values := map[string]bool{}
		for _, o := range cf[ref] {
			values[strings.Trim(o.Value, `"`)] = o.Format != nil
		}
		for _, g := range []string{"pass", "warn", "fail", "go", "at_risk", "no_go"} {
			if !values[g] {
				t.Errorf("%s %s: %q is not coloured (conditional formats %v)", sheet, ref, g, cf)
			}
		}
	}
	checks := byID["readiness"]
	if checks != nil && checks.Columns[5].Name == "status" {
		graded(checks.Title, "F", 3, len(checks.Rows)+2)
		if v, _ := f.GetCellValue(checks.Title, fmt.Sprintf("E%d", len(checks.Rows)+2)); v != "VERDICT" {
			t.Errorf("the last readiness row is %q, want a verdict", v)
		}
	}
	var upcoming *document.Table
	for _, b := range doc.Sections[0].Blocks {
		if tb, ok := b.(*document.Table); ok && tb.Inline {
			upcoming = tb
		}
	}
	if upcoming == nil || len(upcoming.Rows) == 0 {
		t.Fatal("the summary lists no upcoming release")
	}
	summary, _ := f.GetRows("Summary")
	head := -1
	for i, r := range summary {
		if len(r) > 8 && r[0] == "Release" && r[5] == "P85 date" && r[7] == "Verdict" {
			head = i + 1 // 1-based row of the header
		}
	}
	if head < 0 {
		t.Fatal("no upcoming releases' header on the summary")
	}
	graded("Summary", "H", head+1, head+len(upcoming.Rows))
	for i, r := range upcoming.Rows {
		cell := fmt.Sprintf("F%d", head+1+i)
		typ, _ := f.GetCellType("Summary", cell)
		raw, _ := f.GetCellValue("Summary", cell, excelize.Options{RawCellValue: true})
		shown, _ := f.GetCellValue("Summary", cell)
		if p85, ok := r[5].(time.Time); ok {
			if typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString || shown != p85.Format("2006-01-02") || raw == shown {
				t.Errorf("summary %s: P85 %s shown %q (raw %q, type %v), want a date cell", cell, p85.Format("2006-01-02"), shown, raw, typ)
			}
		}
		if v, _ := f.GetCellValue("Summary", fmt.Sprintf("H%d", head+1+i)); v != r[7] {
			t.Errorf("summary row %d: verdict %q, want %v", i, v, r[7])
		}
	}

	// Cell by cell: every cell of every governance sheet (and of the summary's upcoming
	// releases) is its named query's value, typed — text as text, whole numbers and decimals
	// as numbers, dates and times as date cells shown yyyy-mm-dd (hh:mm), booleans as
	// TRUE/FALSE, lists joined with ", ", NULL as an empty cell.
	for _, id := range []string{"priority", "compliance_gaps", "readiness", "release_violations", "forecasts", "forecast_backtest", "forecast_calibration", "upcoming_releases"} {
		tb := byID[id]
		if tb == nil {
			continue
		}
		want, err := src.Table(context.Background(), tb.Source.Name, tb.Source.Params, tb.Columns)
		if err != nil {
			t.Fatal(err)
		}
		sheet, first := tb.Title, 3 // under the title and the header
		if tb.Inline {
			sheet, first = "Summary", head+1
		}
		cells := 0
		for i, r := range want.Rows {
			for j, v := range r {
				c := tb.Columns[j]
				cell := fmt.Sprintf("%s%d", string(rune('A'+j%26)), first+i)
				if j >= 26 {
					cell = fmt.Sprintf("A%s%d", string(rune('A'+j-26)), first+i)
				}
				shown, _ := f.GetCellValue(sheet, cell)
				raw, _ := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
				typ, _ := f.GetCellType(sheet, cell)
				text := typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString
				bad := ""
				switch x := v.(type) {
				case nil:
					if raw != "" {
						bad = "want an empty cell"
					}
				case string:
					if raw != x || !text {
						bad = fmt.Sprintf("want the text %q", x)
					}
				case []string:
					if raw != strings.Join(x, ", ") || !text {
						bad = fmt.Sprintf("want the list %q", strings.Join(x, ", "))
					}
				case bool:
					if shown != strings.ToUpper(fmt.Sprint(x)) || typ != excelize.CellTypeBool {
						bad = fmt.Sprintf("want the boolean %v", x)
					}
				case time.Time:
					layout := "2006-01-02 15:04"
					if c.Type == document.TypeDate {
						layout = "2006-01-02"
					}
					if shown != x.UTC().Format(layout) || text || raw == shown {
						bad = "want the date cell " + x.UTC().Format(layout)
					}
				case int64, float64:
					got, err := strconv.ParseFloat(raw, 64)
					w := *Float(x)
					if err != nil || text || math.Abs(got-w) > 1e-9*math.Max(1, math.Abs(w)) {
						bad = fmt.Sprintf("want the number %v", w)
					}
				default:
					bad = fmt.Sprintf("a %T the test does not know", v)
				}
				if bad != "" {
					t.Errorf("%s!%s (%s, row %d): shown %q, raw %q, type %v: %s", sheet, cell, c.Name, i+1, shown, raw, typ, bad)
				}
				cells++
			}
		}
		if cells == 0 {
			t.Errorf("%s: no cell compared", id)
		}
	}

	// One team: every row of every sheet's team column is that team.
	doc, err = Render(context.Background(), w.Warehouse, out, Scope{Team: "Payments", Period: "2026-Q3"}, dst)
	if err != nil {
		t.Fatal(err)
	}
	f2, err := excelize.OpenFile(dst)
	if err != nil {
		t.Fatal(err)
	}
	defer f2.Close()
	for _, s := range doc.Sections[1:] {
		for _, b := range s.Blocks {
			tb, ok := b.(*document.Table)
			if !ok {
				continue
			}
			col := -1
			for i, c := range tb.Columns {
				if c.Name == "team" {
					col = i
				}
			}
			if col < 0 {
				continue
			}
			rows, _ := f2.GetRows(tb.Title)
			for _, r := range rows[2:] {
				if col < len(r) && r[col] != "Payments" && r[col] != "" {
					t.Errorf("%s with --team Payments holds team %q", tb.Title, r[col])
					break
				}
			}
		}
	}
}
