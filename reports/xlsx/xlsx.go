// Package xlsx draws documents as Excel workbooks for finance and the PMO: a summary sheet
// (headline metrics with bands and change against the previous period, native charts, as_of,
// scope and coverage), one sheet per table — a native Excel table with a frozen header, number
// formats and fitted widths, streamed so that a million-row sheet costs no more memory than a
// small one — a sheet with the charts' data, and a README sheet saying what every column means.
//
// Every cell is written with a typed call: text from data is always a string cell, never a
// formula, whatever it starts with (=, +, -, @); numbers are numbers and times are date cells.
package xlsx

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/relscope/relscope/internal/atomicfile"
	"github.com/relscope/relscope/reports/document"
)

// ExcelRows is the number of rows an Excel sheet can hold.
const ExcelRows = excelize.TotalRows

// Renderer writes a document as an .xlsx workbook.
type Renderer struct {
	// MaxRows caps the data rows of each table sheet; 0 means as many as Excel allows below
	// the sheet's title and header rows, with one row left for the note saying the sheet was
	// cut. Tests set a small cap.
	MaxRows int
}

// Name is "xlsx".
func (Renderer) Name() string { return "xlsx" }

// Render writes doc to the file dst, atomically.
func (r Renderer) Render(ctx context.Context, doc *document.Document, dst string) error {
	return atomicfile.Write(dst, 0o644, func(w io.Writer) error { return r.Write(ctx, doc, w) })
}

// Rows above a table sheet's data: the title line and the header.
const headRows = 2

func (r Renderer) maxRows() int {
	if r.MaxRows > 0 {
		return r.MaxRows
	}
	return ExcelRows - headRows - 1
}

// Write writes doc as a workbook to w.
func (r Renderer) Write(ctx context.Context, doc *document.Document, w io.Writer) error {
	b, err := newBook(doc, r.maxRows())
	if err != nil {
		return err
	}
	defer b.close()
	if err := b.build(ctx); err != nil {
		return err
	}
	// excelize zips through bookZip, which writes to w itself (and splices the table sheets'
	// rows in): what excelize would buffer in memory for w stays empty.
	modified := doc.Meta.Generated
	if modified.IsZero() {
		modified = doc.Meta.AsOf
	}
	b.f.SetZipWriter(func(io.Writer) excelize.ZipWriter { return newBookZip(w, b.splices, modified.UTC()) })
	n, err := b.f.WriteTo(io.Discard)
	if err == nil && n != 0 {
		err = fmt.Errorf("workbook: excelize wrote %d bytes past its zip writer", n)
	}
	return err
}

func (b *book) close() {
	for _, s := range b.spills {
		s.close()
	}
	b.f.Close()
}

// sheetPath is the zip part of a sheet this book created: excelize names a new sheet's part
// after its sheet id.
func (b *book) sheetPath(name string) (string, error) {
	for id, n := range b.f.GetSheetMap() {
		if n == name {
			return fmt.Sprintf("xl/worksheets/sheet%d.xml", id), nil
		}
	}
	return "", fmt.Errorf("workbook: no sheet %q", name)
}

// book is one workbook being written.
type book struct {
	f     *excelize.File
	doc   *document.Document
	st    *styles
	cap   int
	names map[string]bool // sheet and table names taken, lower-cased
	// The table sheets' rows, spilled to disk while the sheets are built, spliced into their
	// parts by part name when the workbook is zipped.
	spills  []*spill
	splices map[string]*spill

	// The sheets in workbook order.
	summary   *pageSheet
	pages     []*pageSheet // the other sections' KPIs, charts and text
	tables    []*tableSheet
	inline    []*tableSheet // the tables drawn on page sheets (Table.Inline), for the README
	chartData string
	readme    string
}

// pageSheet is a sheet of KPIs, charts and text (the first is the summary).
type pageSheet struct {
	name    string
	section *document.Section
	blocks  []document.Block
}

// tableSheet is a sheet holding one table.
type tableSheet struct {
	name    string
	section *document.Section
	table   *document.Table
	cols    []document.Column
	labels  []string
	// Filled while writing.
	rows   int64 // data rows written
	capped bool  // the table had more rows than the sheet holds
}

func newBook(doc *document.Document, maxRows int) (*book, error) {
	b := &book{f: excelize.NewFile(), doc: doc, cap: maxRows, names: map[string]bool{}, splices: map[string]*spill{}}
	st, err := newStyles(b.f)
	if err != nil {
		return nil, err
	}
	b.st = st
	b.plan()
	return b, nil
}

// plan names every sheet, in workbook order: the summary (the first section's KPIs, charts and
// text, with the document's scope and coverage), then per section its other blocks' sheet and
// a sheet per table, then the charts' data and the README.
func (b *book) plan() {
	for i := range b.doc.Sections {
		s := &b.doc.Sections[i]
		var page []document.Block
		var inline []*document.Table
		for _, bl := range s.Blocks {
			switch x := bl.(type) {
			case nil:
			case *document.Table:
				if x != nil && x.Inline {
					page = append(page, x)
					inline = append(inline, x)
				}
			default:
				page = append(page, bl)
			}
		}
		var pageName string
		if i == 0 {
			title := s.Title
			if title == "" {
				title = "Summary"
			}
			b.summary = &pageSheet{name: b.sheetName(title, "Summary"), section: s, blocks: page}
			pageName = b.summary.name
		} else if len(page) > 0 {
			b.pages = append(b.pages, &pageSheet{name: b.sheetName(s.Title, s.ID), section: s, blocks: page})
			pageName = b.pages[len(b.pages)-1].name
		}
		for _, t := range inline {
			b.inline = append(b.inline, &tableSheet{name: pageName, section: s, table: t, cols: t.Columns, labels: headerLabels(t.Columns)})
		}
		for _, bl := range s.Blocks {
			t, ok := bl.(*document.Table)
			if !ok || t == nil || t.Inline {
				continue
			}
			ts := &tableSheet{name: b.sheetName(t.Title, t.ID), section: s, table: t, cols: t.Columns}
			ts.labels = headerLabels(t.Columns)
			b.tables = append(b.tables, ts)
		}
	}
	if b.summary == nil {
		b.summary = &pageSheet{name: b.sheetName("Summary", "summary")}
	}
	if b.hasCharts() {
		b.chartData = b.sheetName("Chart data", "chart_data")
	}
	b.readme = b.sheetName("README", "readme")
}

func (b *book) hasCharts() bool {
	for _, p := range append([]*pageSheet{b.summary}, b.pages...) {
		for _, bl := range p.blocks {
			switch x := bl.(type) {
			case *document.Chart:
				return true
			case *document.KPIGroup:
				for _, k := range x.KPIs {
					if len(k.Trend) > 0 {
						return true
					}
				}
			}
		}
	}
	return false
}

func (b *book) build(ctx context.Context) error {
	// Create every sheet first so the workbook's order is the plan's, whatever order they
	// are filled in.
	if err := b.f.SetSheetName("Sheet1", b.summary.name); err != nil {
		return err
	}
	var order []string
	for _, p := range b.pages {
		order = append(order, p.name)
	}
	for _, t := range b.tables {
		order = append(order, t.name)
	}
	if b.chartData != "" {
		order = append(order, b.chartData)
	}
	order = append(order, b.readme)
	for _, n := range order {
		if _, err := b.f.NewSheet(n); err != nil {
			return fmt.Errorf("sheet %q: %w", n, err)
		}
	}
	// Table sheets first: the summary and README say which of them were cut.
	for _, t := range b.tables {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := b.writeTable(ctx, t); err != nil {
			return fmt.Errorf("sheet %q: %w", t.name, err)
		}
	}
	charts := &chartSheet{b: b, name: b.chartData, row: 1}
	if err := b.writePage(b.summary, charts, true); err != nil {
		return fmt.Errorf("sheet %q: %w", b.summary.name, err)
	}
	for _, p := range b.pages {
		if err := b.writePage(p, charts, false); err != nil {
			return fmt.Errorf("sheet %q: %w", p.name, err)
		}
	}
	if b.chartData != "" {
		if err := charts.finish(); err != nil {
			return fmt.Errorf("sheet %q: %w", b.chartData, err)
		}
	}
	if err := b.writeReadme(); err != nil {
		return fmt.Errorf("sheet %q: %w", b.readme, err)
	}
	b.f.SetActiveSheet(0)
	return b.docProps()
}

func (b *book) docProps() error {
	m := b.doc.Meta
	created := ""
	if !m.Generated.IsZero() {
		created = m.Generated.UTC().Format("2006-01-02T15:04:05Z")
	}
	return b.f.SetDocProps(&excelize.DocProperties{
		Title:          b.doc.Title,
		Subject:        b.doc.Subtitle,
		Creator:        strings.TrimSpace("relscope " + m.Version),
		LastModifiedBy: strings.TrimSpace("relscope " + m.Version),
		Created:        created,
		Modified:       created,
		Description:    "Generated by relscope from the warehouse as of " + m.AsOf.UTC().Format("2006-01-02 15:04 UTC") + ".",
	})
}

// sheetName makes title a valid, unused sheet name: at most 31 characters, none of
// []:*?/\, not starting or ending with an apostrophe.
func (b *book) sheetName(title, fallback string) string {
	clean := strings.Map(func(r rune) rune {
		switch r {
		case '[', ']', ':', '*', '?', '/', '\\':
			return ' '
		}
		if r < ' ' {
			return -1
		}
		return r
	}, title)
	clean = strings.Trim(strings.Join(strings.Fields(clean), " "), "'")
	if clean == "" {
		clean = fallback
	}
	if clean == "" || strings.EqualFold(clean, "history") {
		clean = "Sheet " + clean
	}
	name := truncateRunes(clean, 31)
	for i := 2; b.names[strings.ToLower(name)]; i++ {
		suffix := fmt.Sprintf(" (%d)", i)
		name = truncateRunes(clean, 31-len(suffix)) + suffix
	}
	b.names[strings.ToLower(name)] = true
	return name
}

// tableName makes an Excel table name (letters, digits, underscores; not a cell reference)
// unique in the workbook.
func (b *book) tableName(id string) string {
	var sb strings.Builder
	sb.WriteString("t_")
	for _, r := range id {
		if r < utf8.RuneSelf && (r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			sb.WriteRune(r)
		} else {
			sb.WriteByte('_')
		}
	}
	name := truncateRunes(sb.String(), 240)
	base := name
	for i := 2; b.names["table:"+strings.ToLower(name)]; i++ {
		name = fmt.Sprintf("%s_%d", base, i)
	}
	b.names["table:"+strings.ToLower(name)] = true
	return name
}

// headerLabels are the columns' headings, made unique (an Excel table needs distinct ones).
func headerLabels(cols []document.Column) []string {
	seen := map[string]bool{}
	out := make([]string, len(cols))
	for i, c := range cols {
		l := c.Label
		if l == "" {
			l = c.Name
		}
		if l == "" {
			l = fmt.Sprintf("Column %d", i+1)
		}
		base := l
		for n := 2; seen[strings.ToLower(l)]; n++ {
			l = fmt.Sprintf("%s (%d)", base, n)
		}
		seen[strings.ToLower(l)] = true
		out[i] = l
	}
	return out
}

func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n]))
}

// cellName is the A1 name of column col (1-based) in row row.
func cellName(col, row int) string {
	n, err := excelize.CoordinatesToCellName(col, row)
	if err != nil {
		panic(err) // col and row come from this package's own layout
	}
	return n
}

func colName(col int) string {
	n, err := excelize.ColumnNumberToName(col)
	if err != nil {
		panic(err)
	}
	return n
}

// quoteSheet quotes a sheet name for a reference ('Cycle time'!$A$1).
func quoteSheet(name string) string {
	return "'" + strings.ReplaceAll(name, "'", "''") + "'"
}

// errCapped stops a table's stream once its sheet is full.
var errCapped = errors.New("sheet full")
