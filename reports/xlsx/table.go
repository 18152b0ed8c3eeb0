package xlsx

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/relscope/relscope/reports/document"
)

// sampleRows is how many rows a table sheet reads before it fixes its column widths (a stream
// writer must set them before the first row).
const sampleRows = 1000

// writeTable streams one table to its sheet: a title line (what one row is, where it came
// from, and whether the sheet was cut), the header, the rows; then makes the range a native
// Excel table with a frozen header.
func (b *book) writeTable(ctx context.Context, t *tableSheet) error {
	sheet := t.name
	if len(t.cols) == 0 {
		return fmt.Errorf("table %q has no columns", t.table.ID)
	}
	yes := true
	if err := b.printLayout(sheet); err != nil {
		return err
	}
	sw, err := b.f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	tw := &tableWriter{b: b, t: t, sw: sw, cap: b.cap}
	styles := make([]int, len(t.cols))
	for i, c := range t.cols {
		styles[i] = b.st.get(cellType(c.Type), roleCell, toneNone)
	}
	tw.enc = newRowEncoder(styles)
	if tw.rows, err = newSpill(); err != nil {
		return err
	}
	b.spills = append(b.spills, tw.rows)
	if err := tw.fill(ctx); err != nil {
		return err
	}
	if !tw.started {
		if err := tw.start(); err != nil {
			return err
		}
	}
	last := headRows + max(int(t.rows), 1)
	lastCol := colName(len(t.cols))
	if err := sw.AddTable(&excelize.Table{
		Range:          "A" + strconv.Itoa(headRows) + ":" + lastCol + strconv.Itoa(last),
		Name:           b.tableName(t.table.ID),
		StyleName:      "TableStyleMedium2",
		ShowRowStripes: &yes,
		ShowHeaderRow:  &yes,
	}); err != nil {
		return err
	}
	for i, c := range t.cols {
		if c.Type == document.TypeStatus {
			col := colName(i + 1)
			ref := col + strconv.Itoa(headRows+1) + ":" + col + strconv.Itoa(last)
			if err := b.st.gradeFormats(sheet, ref); err != nil {
				return err
			}
		}
	}
	if note := t.cutNote(b.cap); note != "" {
		if err := newRowEncoder([]int{b.st.warning}).row(tw.rows.w, last+1, []any{note}); err != nil {
			return err
		}
	}
	if err := b.f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: quoteSheet(sheet) + "!$1:$" + strconv.Itoa(headRows), Scope: sheet}); err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	path, err := b.sheetPath(sheet)
	if err != nil {
		return err
	}
	b.splices[path] = tw.rows
	return nil
}

// printLayout prints a sheet landscape, one page wide. A table sheet calls it before its
// stream writer starts, which writes the sheet properties first.
func (b *book) printLayout(sheet string) error {
	yes := true
	if err := b.f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &yes}); err != nil {
		return err
	}
	land, one, auto := "landscape", 1, 0
	return b.f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Orientation: &land, FitToWidth: &one, FitToHeight: &auto})
}

// tableWriter writes one table sheet's rows.
type tableWriter struct {
	b       *book
	t       *tableSheet
	sw      *excelize.StreamWriter
	cap     int
	enc     *rowEncoder
	rows    *spill // the data rows, encoded
	started bool
	sample  [][]any // rows read before the widths are fixed
	row     []any   // reused for every row
}

// fill reads the table's rows, from Rows or its Stream.
func (tw *tableWriter) fill(ctx context.Context) error {
	tbl := tw.t.table
	if tbl.Stream == nil {
		for _, r := range tbl.Rows {
			if err := tw.add(r); err != nil {
				if errors.Is(err, errCapped) {
					break
				}
				return err
			}
		}
		return tw.flushSample()
	}
	err := tbl.Stream(ctx, func(r []any) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		return tw.add(r)
	})
	if err != nil && !errors.Is(err, errCapped) {
		return err
	}
	return tw.flushSample()
}

// add takes one row; the first sampleRows are held until the widths are known.
func (tw *tableWriter) add(r []any) error {
	if tw.t.rows >= int64(tw.cap) {
		tw.t.capped = true
		return errCapped
	}
	if len(r) != len(tw.t.cols) {
		return fmt.Errorf("row %d has %d values for %d columns", tw.t.rows+1, len(r), len(tw.t.cols))
	}
	if !tw.started {
		vals := make([]any, len(r))
		for i, v := range r {
			vals[i] = cellValue(v, tw.t.cols[i].Type)
		}
		tw.sample = append(tw.sample, vals)
		tw.t.rows++
		if len(tw.sample) < sampleRows {
			return nil
		}
		return tw.flushSample()
	}
	tw.t.rows++
	return tw.write(int(tw.t.rows), r, true)
}

func (tw *tableWriter) flushSample() error {
	if tw.started {
		return nil
	}
	if err := tw.start(); err != nil {
		return err
	}
	for i, vals := range tw.sample {
		if err := tw.write(i+1, vals, false); err != nil {
			return err
		}
	}
	tw.sample = nil
	return nil
}

// write writes data row n (1-based); convert says whether r still holds document values.
func (tw *tableWriter) write(n int, r []any, convert bool) error {
	if tw.row == nil {
		tw.row = make([]any, len(r))
	}
	for i, v := range r {
		if convert {
			v = cellValue(v, tw.t.cols[i].Type)
		}
		tw.row[i] = v
	}
	return tw.enc.row(tw.rows.w, headRows+n, tw.row)
}

// start fixes the widths and the frozen header, and writes the title line and the header.
func (tw *tableWriter) start() error {
	tw.started = true
	t, st := tw.t, tw.b.st
	widths := fitWidths(t.cols, t.labels, tw.sample)
	for i, w := range widths {
		if err := tw.sw.SetColWidth(i+1, i+1, w); err != nil {
			return err
		}
	}
	if err := tw.sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: headRows, TopLeftCell: cellName(1, headRows+1), ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: cellName(1, headRows+1), ActiveCell: cellName(1, headRows+1), Pane: "bottomLeft"}}}); err != nil {
		return err
	}
	title := []excelize.RichTextRun{{Text: t.table.Title, Font: &excelize.Font{Family: fontFamily, Bold: true, Size: 13, Color: colorTitle}}}
	if t.table.Title == "" {
		title[0].Text = t.name
	}
	if d := t.table.Description; d != "" {
		title = append(title, excelize.RichTextRun{Text: "  " + d, Font: &excelize.Font{Family: fontFamily, Color: colorNote}})
	}
	if t.table.Total > 0 && t.table.Total > int64(tw.cap) {
		title = append(title, excelize.RichTextRun{Text: "  " + t.cutNote(tw.cap), Font: &excelize.Font{Family: fontFamily, Bold: true, Color: toneColors[toneBad].font}})
	} else if len(tw.sample) == 0 {
		empty := t.table.Empty
		if empty == "" {
			empty = "No rows in this scope."
		}
		title = append(title, excelize.RichTextRun{Text: "  " + empty, Font: &excelize.Font{Family: fontFamily, Italic: true, Color: toneColors[toneBad].font}})
	}
	if err := tw.sw.SetRow("A1", []any{title}, excelize.RowOpts{Height: 24}); err != nil {
		return err
	}
	hdr := make([]any, len(t.labels))
	tall := false
	for i, l := range t.labels {
		hdr[i] = excelize.Cell{StyleID: st.headerFor(t.cols[i].Type), Value: l}
		if float64(textWidth(l))+3 > widths[i] {
			tall = true
		}
	}
	opts := []excelize.RowOpts{}
	if tall {
		opts = append(opts, excelize.RowOpts{Height: 30})
	}
	return tw.sw.SetRow(cellName(1, headRows), hdr, opts...)
}

// cutNote says that the sheet holds only part of the table and how to get all of it, or ""
// when it holds every row.
func (t *tableSheet) cutNote(maxRows int) string {
	total := t.table.Total
	shown := t.rows
	if !t.capped && (total == 0 || total <= shown) {
		return ""
	}
	var of string
	switch {
	case total > shown:
		of = "of " + thousands(total) + " "
	default:
		of = "of more than " + thousands(shown) + " "
	}
	why := fmt.Sprintf("(an Excel sheet holds %s rows)", thousands(ExcelRows))
	if !t.capped {
		why = "(the report keeps the first of them)"
	}
	return fmt.Sprintf("This sheet holds the first %s rows %s%s. Every row: %s", thousands(shown), of, why, queryCommand(t.table.Source, t.table.ID))
}

// queryCommand is the relscope command that writes every row of ref's query to Parquet.
func queryCommand(ref document.QueryRef, id string) string {
	if ref.Name == "" {
		return "relscope query --format parquet"
	}
	out := id
	if out == "" {
		out = ref.Name
	}
	cmd := "relscope query --format parquet --out " + out + ".parquet"
	keys := make([]string, 0, len(ref.Params))
	for k := range ref.Params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		cmd += " --param " + shellQuote(k+"="+ref.Params[k])
	}
	return cmd + " @" + ref.Name
}

func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_=.,:/+@%", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// cellType is the type a column is styled as: lists and links are text.
func cellType(t document.ValueType) document.ValueType {
	switch t {
	case document.TypeList, document.TypeURL, "":
		return document.TypeText
	}
	return t
}

// cellValue turns a document value into what excelize writes as a typed cell: strings stay
// strings (excelize writes them as inline or shared strings, never formulas), lists are joined,
// times are UTC, non-finite numbers are empty.
func cellValue(v any, t document.ValueType) any {
	switch x := v.(type) {
	case nil:
		return nil
	case string:
		return x
	case []string:
		return strings.Join(x, ", ")
	case time.Time:
		if t == document.TypeDate {
			y, m, d := x.UTC().Date()
			return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
		}
		return x.UTC()
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil
		}
		return x
	case float32:
		return cellValue(float64(x), t)
	case int:
		return int64(x)
	case int64, int32, bool:
		return x
	}
	return fmt.Sprint(v)
}

// fitWidths sizes each column to its header and the widest of the sampled values, within
// 8 and 60 characters.
func fitWidths(cols []document.Column, labels []string, sample [][]any) []float64 {
	out := make([]float64, len(cols))
	for i, c := range cols {
		w := min(textWidth(labels[i])+3, 32) // the filter button takes about two characters
		for _, r := range sample {
			w = max(w, displayWidth(r[i], c.Type))
		}
		out[i] = float64(min(max(w+2, 8), 60))
	}
	return out
}

// displayWidth is about how many characters v takes in its number format.
func displayWidth(v any, t document.ValueType) int {
	switch x := v.(type) {
	case nil:
		return 0
	case string:
		return textWidth(x)
	case bool:
		return 5
	case time.Time:
		if t == document.TypeDate {
			return 10
		}
		return 16
	case int64:
		return len(thousands(x))
	case int32:
		return len(thousands(int64(x)))
	case float64:
		switch t {
		case document.TypePercent:
			return len(strconv.FormatFloat(x*100, 'f', 1, 64)) + 1
		case document.TypeInt:
			return len(thousands(int64(x)))
		case document.TypeDays, document.TypeHours:
			return len(thousands(int64(x))) + 2
		}
		return len(thousands(int64(x))) + 3
	}
	return 10
}

// textWidth counts wide (East Asian) characters twice.
func textWidth(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x1100 && (r <= 0x115f || r >= 0x2e80 && r <= 0xa4cf || r >= 0xac00 && r <= 0xd7a3 || r >= 0xf900 && r <= 0xfaff || r >= 0xff00 && r <= 0xff60 || r >= 0x20000) {
			n += 2
		} else {
			n++
		}
	}
	if n > 200 {
		return 200
	}
	return n
}

// thousands formats n with comma separators.
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
