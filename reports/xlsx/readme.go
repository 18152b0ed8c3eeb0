package xlsx

import (
	"sort"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/relscope/relscope/reports/document"
)

// typeWords says in words what a column's values are.
var typeWords = map[document.ValueType]string{
	document.TypeText:     "text",
	document.TypeInt:      "whole number",
	document.TypeNumber:   "number",
	document.TypePercent:  "percentage",
	document.TypeDays:     "days, one decimal",
	document.TypeHours:    "hours, one decimal",
	document.TypeDate:     "date",
	document.TypeDateTime: "date and time, UTC",
	document.TypeBool:     "TRUE / FALSE",
	document.TypeList:     "list, comma-separated",
	document.TypeStatus:   "grade",
	document.TypeURL:      "link",
}

// writeReadme writes the README sheet: every table sheet's columns with their meaning (from the
// warehouse's column comments), as a native table, then how to read the workbook and the named
// queries it was made from.
func (b *book) writeReadme() error {
	f, st, sheet := b.f, b.st, b.readme
	for i, w := range []float64{24, 28, 20, 90, 40} {
		if err := f.SetColWidth(sheet, colName(i+1), colName(i+1), w); err != nil {
			return err
		}
	}
	pg := &page{b: b, sheet: sheet, row: 1}
	if err := f.SetCellRichText(sheet, "A1", []excelize.RichTextRun{
		{Text: "README", Font: &excelize.Font{Family: fontFamily, Bold: true, Size: 13, Color: colorTitle}},
		{Text: "  What every column of every sheet means. How to read the workbook and where its numbers come from: below the table.", Font: &excelize.Font{Family: fontFamily, Color: colorNote}},
	}); err != nil {
		return err
	}
	f.SetRowHeight(sheet, 1, 24)
	pg.row = headRows
	first := pg.row
	pg.headerRow([]string{"Sheet", "Column", "Type", "Meaning", "Named query"})
	for _, t := range append(append([]*tableSheet{}, b.inline...), b.tables...) {
		for i, c := range t.cols {
			pg.str(1, t.name, st.text)
			pg.str(2, t.labels[i], st.text)
			w := typeWords[c.Type]
			if w == "" {
				w = string(c.Type)
			}
			pg.str(3, w, st.text)
			d := c.Description
			if d == "" {
				d = "(not documented)"
			}
			if c.Label != "" && c.Label != c.Name && c.Name != "" {
				d += " [" + c.Name + "]"
			}
			pg.str(4, d, st.wrap)
			pg.str(5, "@"+t.table.Source.Name, st.text)
			if t.table.Source.Name == "" {
				pg.str(5, "", st.text)
			}
			if n := textWidth(d); n > 95 {
				f.SetRowHeight(sheet, pg.row, 15*float64((n*11/10)/90+1))
			}
			pg.row++
		}
	}
	last := max(pg.row-1, first+1)
	yes := true
	if err := f.AddTable(sheet, &excelize.Table{Range: "A" + itoa(first) + ":E" + itoa(last), Name: b.tableName("readme"),
		StyleName: "TableStyleMedium2", ShowRowStripes: &yes}); err != nil {
		return err
	}
	if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: headRows, TopLeftCell: cellName(1, headRows+1), ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: cellName(1, headRows+1), ActiveCell: cellName(1, headRows+1), Pane: "bottomLeft"}}}); err != nil {
		return err
	}
	pg.row = last + 2
	pg.str(1, "How to read this workbook", st.heading)
	pg.row++
	for _, l := range []string{
		"Every data sheet is a native Excel table: sort and filter it from its header row; the title and header rows stay in view.",
		"Times are UTC, as the warehouse keeps them. Days are calendar days, fractional (hours / 24), shown with one decimal; percentages are shown with one.",
		"Every value is a value: text from the exports (titles, names) is always written as text, never as a formula, whatever character it starts with.",
		"A sheet cut at Excel's limit of 1,048,576 rows says so in its first row and on the summary; relscope query --format parquet writes every row of its named query.",
		"The numbers come from relscope's marts through the named queries below; `relscope query --list` describes them and `relscope query @name` runs one.",
	} {
		pg.str(1, "• "+l, st.note)
		pg.row++
	}
	pg.row++
	pg.str(1, "Named queries used", st.heading)
	pg.row++
	seen := map[string]bool{}
	for _, q := range b.doc.Meta.Queries {
		line := "@" + q.Name + params(q.Params)
		if seen[line] {
			continue
		}
		seen[line] = true
		pg.str(1, line, st.note)
		pg.row++
	}
	return b.printLayout(sheet)
}

// params renders query parameters as " (k=v, …)", keys sorted.
func params(p map[string]string) string {
	if len(p) == 0 {
		return ""
	}
	keys := make([]string, 0, len(p))
	for k := range p {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + p[k]
	}
	return " (" + strings.Join(parts, ", ") + ")"
}
