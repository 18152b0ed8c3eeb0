package reports

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

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
	if got := strings.Join(ids, " "); got != "summary flow dora deployments releases estimation dependencies pipelines incidents compliance" {
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
	if sheets[0] != "Summary" || sheets[len(sheets)-1] != "README" || len(sheets) != len(tables)+3 {
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
