package xlsx

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/relscope/relscope/reports/document"
)

// A page sheet's columns: the KPI table's, which the other blocks share.
var pageWidths = []float64{34, 13, 12, 12, 13, 13, 12, 16, 56}

const pageCols = 9

// textRatio is how much of a column-width unit (the width of a digit) an average character of
// prose takes, for sizing rows of wrapped text.
const textRatio = 0.85

// Charts are drawn two to a row, each chartRows rows high.
const (
	chartWidth  = 540
	chartHeight = 300
	chartRows   = 18
)

// page writes one page sheet from the top.
type page struct {
	b      *book
	sheet  string
	row    int
	charts *chartSheet
	// chartCol is 0 when the next chart starts a new row of charts, 1 when it goes beside
	// the previous one.
	chartCol int
}

// writePage writes a sheet of KPIs, charts and text; the summary also gets the document's
// title, scope, coverage notes and the list of sheets.
func (b *book) writePage(p *pageSheet, charts *chartSheet, summary bool) error {
	pg := &page{b: b, sheet: p.name, row: 1, charts: charts}
	f, st := b.f, b.st
	for i, w := range pageWidths {
		if err := f.SetColWidth(p.name, colName(i+1), colName(i+1), w); err != nil {
			return err
		}
	}
	no := false
	if err := f.SetSheetView(p.name, 0, &excelize.ViewOptions{ShowGridLines: &no}); err != nil {
		return err
	}
	if err := b.printLayout(p.name); err != nil {
		return err
	}
	if summary {
		if err := pg.header(); err != nil {
			return err
		}
	} else if p.section != nil {
		pg.str(1, p.section.Title, st.title)
		f.SetRowHeight(p.name, pg.row, 28)
		pg.row += 2
	}
	if p.section != nil && p.section.Intro != "" {
		pg.str(1, p.section.Intro, st.intro)
		pg.row += 2
	}
	for _, bl := range p.blocks {
		var err error
		switch x := bl.(type) {
		case *document.KPIGroup:
			err = pg.kpis(x)
		case *document.Chart:
			err = pg.chart(x)
			continue // charts pair up; the row moves on when a row of charts is done
		case *document.Text:
			err = pg.text(x)
		case *document.Table:
			err = pg.inlineTable(x)
		}
		if err != nil {
			return err
		}
	}
	pg.endCharts()
	if summary {
		if err := pg.coverage(); err != nil {
			return err
		}
		return pg.contents()
	}
	return nil
}

// str writes a string cell — always a string, whatever its text looks like.
func (pg *page) str(col int, s string, style int) {
	c := cellName(col, pg.row)
	pg.b.f.SetCellStr(pg.sheet, c, s)
	if style != 0 {
		pg.b.f.SetCellStyle(pg.sheet, c, c, style)
	}
}

// style styles a cell of the current row without writing to it.
func (pg *page) style(col, style int) {
	c := cellName(col, pg.row)
	pg.b.f.SetCellStyle(pg.sheet, c, c, style)
}

// strOrStyle writes s, or only styles the cell when s is empty.
func (pg *page) strOrStyle(col int, s string, style int) {
	if s == "" {
		pg.style(col, style)
		return
	}
	pg.str(col, s, style)
}

// put writes a typed value (from cellValue) with a style.
func (pg *page) put(col, row int, v any, style int) error {
	return setTyped(pg.b.f, pg.sheet, cellName(col, row), v, style)
}

// setTyped writes a value from cellValue with the typed call for its type — a string is
// always a string cell — and styles the cell (style 0: none).
func setTyped(f *excelize.File, sheet, c string, v any, style int) error {
	var err error
	switch x := v.(type) {
	case nil:
	case string:
		err = f.SetCellStr(sheet, c, x)
	case float64:
		err = f.SetCellFloat(sheet, c, x, -1, 64)
	case int64:
		err = f.SetCellInt(sheet, c, x)
	case int32:
		err = f.SetCellInt(sheet, c, int64(x))
	case bool:
		err = f.SetCellBool(sheet, c, x)
	case time.Time:
		err = f.SetCellValue(sheet, c, x)
	default:
		err = f.SetCellStr(sheet, c, fmt.Sprint(x))
	}
	if err != nil {
		return err
	}
	if style != 0 {
		return f.SetCellStyle(sheet, c, c, style)
	}
	return nil
}

// header writes the summary's title, subtitle and scope.
func (pg *page) header() error {
	b, st := pg.b, pg.b.st
	doc, m := b.doc, b.doc.Meta
	title := doc.Title
	if title == "" {
		title = "relscope workbook"
	}
	pg.str(1, title, st.title)
	b.f.SetRowHeight(pg.sheet, 1, 30)
	pg.row++
	if doc.Subtitle != "" {
		pg.str(1, doc.Subtitle, st.subtitle)
		pg.row++
	}
	pg.row++
	team := m.Team
	if team == "" {
		team = "All teams"
	}
	lines := []struct {
		label string
		value any
		typ   document.ValueType
	}{
		{"As of", m.AsOf, document.TypeDateTime},
		{"Period", periodText(m.Period), document.TypeText},
		{"Compared with", previousText(m.Period), document.TypeText},
		{"Team", team, document.TypeText},
	}
	if m.Organisation != "" {
		lines = append(lines, struct {
			label string
			value any
			typ   document.ValueType
		}{"Organisation", m.Organisation, document.TypeText})
	}
	lines = append(lines, []struct {
		label string
		value any
		typ   document.ValueType
	}{
		{"Generated", m.Generated, document.TypeDateTime},
		{"relscope version", m.Version, document.TypeText},
	}...)
	for _, l := range lines {
		pg.str(1, l.label, st.label)
		v := l.value
		if t, ok := v.(time.Time); ok && t.IsZero() {
			v = "unknown"
		} else if s, ok := v.(string); ok && s == "" {
			v = "unknown"
		}
		typ := l.typ
		if _, ok := v.(string); ok {
			typ = document.TypeText
		}
		if err := b.f.MergeCell(pg.sheet, cellName(2, pg.row), cellName(4, pg.row)); err != nil {
			return err
		}
		if err := pg.put(2, pg.row, cellValue(v, typ), st.get(typ, roleMeta, toneNone)); err != nil {
			return err
		}
		if typ == document.TypeDateTime {
			pg.str(5, "UTC", st.note)
		}
		pg.row++
	}
	pg.row++
	return nil
}

func periodText(p document.Period) string {
	if p.Start.IsZero() {
		return p.Label
	}
	s := p.String()
	if p.Label != "" && p.Label != s && !strings.HasPrefix(s, p.Label) {
		s = p.Label + " (" + s + ")"
	}
	return s
}

func previousText(p document.Period) string {
	if p.Start.IsZero() {
		return "unknown"
	}
	return p.Previous().String()
}

// heading writes a section heading across the page.
func (pg *page) heading(s string) {
	st := pg.b.st
	for c := 1; c <= pageCols; c++ {
		pg.b.f.SetCellStyle(pg.sheet, cellName(c, pg.row), cellName(c, pg.row), st.heading)
	}
	pg.str(1, s, st.heading)
	pg.b.f.SetRowHeight(pg.sheet, pg.row, 20)
	pg.row++
}

// headerRow writes a table header, each heading aligned as its column's values.
func (pg *page) headerRow(labels []string, types ...document.ValueType) {
	for i, l := range labels {
		t := document.TypeText
		if i < len(types) {
			t = types[i]
		}
		pg.str(i+1, l, pg.b.st.headerFor(t))
	}
	pg.row++
}

// table makes rows first..last (header included) a native Excel table.
func (pg *page) table(id string, first, last, cols int) error {
	if last == first {
		last++ // an Excel table needs a row under its header
	}
	no := false
	return pg.b.f.AddTable(pg.sheet, &excelize.Table{
		Range: cellName(1, first) + ":" + cellName(cols, last), Name: pg.b.tableName(id),
		StyleName: "TableStyleLight9", ShowRowStripes: &no,
	})
}

// kpis writes a KPI group as a table: each metric's value, band, previous value and change.
func (pg *page) kpis(g *document.KPIGroup) error {
	b, st := pg.b, pg.b.st
	pg.endCharts()
	title := g.Title
	if title == "" {
		title = "Headline metrics"
	}
	pg.heading(title)
	first := pg.row
	var trends map[int]string
	if pg.charts.name != "" {
		var err error
		if trends, err = pg.charts.trends(g); err != nil {
			return err
		}
	}
	pg.headerRow([]string{"Metric", "Value", "Unit", "Band", "Previous", "Change", "Direction", "Trend", "Note"},
		document.TypeText, document.TypeNumber, document.TypeText, document.TypeStatus, document.TypeNumber, document.TypeNumber,
		document.TypeStatus, document.TypeStatus, document.TypeText)
	for ki, k := range g.KPIs {
		pg.str(1, k.Label, st.text)
		if k.Value != nil {
			if err := pg.put(2, pg.row, cellValue(kpiNumber(*k.Value), k.Type), st.get(cellType(k.Type), roleKPI, toneNone)); err != nil {
				return err
			}
		} else {
			pg.str(2, "n/a", st.get(document.TypeText, roleKPI, toneGrey))
		}
		pg.strOrStyle(3, k.Unit, st.text)
		pg.strOrStyle(4, k.Band, st.get(document.TypeStatus, roleCell, toneNone))
		if k.Previous != nil {
			if err := pg.put(5, pg.row, cellValue(kpiNumber(*k.Previous), k.Type), st.get(cellType(k.Type), roleCell, toneNone)); err != nil {
				return err
			}
		} else {
			pg.style(5, st.text)
		}
		dir, tn, change := direction(k)
		if change != nil {
			if err := pg.put(6, pg.row, *change, st.get(cellType(k.Type), roleChange, tn)); err != nil {
				return err
			}
		} else {
			pg.style(6, st.text)
		}
		pg.strOrStyle(7, dir, st.get(document.TypeText, roleChange, tn))
		pg.b.f.SetCellStyle(pg.sheet, cellName(8, pg.row), cellName(8, pg.row), st.text)
		if rng, ok := trends[ki]; ok {
			if err := pg.b.f.AddSparkline(pg.sheet, &excelize.SparklineOptions{Location: []string{cellName(8, pg.row)}, Range: []string{rng},
				SeriesColor: seriesColors[0]}); err != nil {
				return err
			}
		}
		pg.strOrStyle(9, k.Note, st.wrap)
		pg.b.f.SetRowHeight(pg.sheet, pg.row, math.Max(20, 15*math.Ceil(float64(textWidth(k.Note))*textRatio/pageWidths[8])))
		pg.row++
	}
	last := pg.row - 1
	if len(g.KPIs) > 0 {
		if err := st.gradeFormats(pg.sheet, cellName(4, first+1)+":"+cellName(4, last)); err != nil {
			return err
		}
	}
	id := g.ID
	if id == "" {
		id = "kpis"
	}
	if err := pg.table(id, first, last, pageCols); err != nil {
		return err
	}
	if len(g.KPIs) == 0 {
		pg.row++
	}
	pg.row++
	_ = b
	return nil
}

func kpiNumber(v float64) any {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return v
}

// direction says whether a KPI got better or worse than in the previous period, with its
// change (in percentage points for percentages).
func direction(k document.KPI) (string, tone, *float64) {
	if k.Value == nil || k.Previous == nil {
		return "", toneNone, nil
	}
	d := *k.Value - *k.Previous
	if math.IsNaN(d) || math.IsInf(d, 0) {
		return "", toneNone, nil
	}
	if k.Type == document.TypePercent {
		d *= 100
	}
	d = math.Round(d*1e9) / 1e9 // 0.125 − 0.1 is 2.5 points, not 2.4999…
	if k.Type == document.TypeInt {
		d = math.Round(d)
	}
	if math.Abs(d) < 1e-9 {
		return "no change", toneGrey, &d
	}
	switch {
	case k.Better == document.BetterHigher && d > 0, k.Better == document.BetterLower && d < 0:
		return "better", toneGood, &d
	case k.Better == document.BetterHigher, k.Better == document.BetterLower:
		return "worse", toneBad, &d
	}
	if d > 0 {
		return "up", toneNone, &d
	}
	return "down", toneNone, &d
}

// text writes prose: a heading, wrapped paragraphs and bullets across the page.
func (pg *page) text(t *document.Text) error {
	st := pg.b.st
	pg.endCharts()
	if t.Title != "" {
		pg.heading(t.Title)
	}
	lines := append([]string{}, t.Paragraphs...)
	for _, bl := range t.Bullets {
		lines = append(lines, "• "+bl)
	}
	for _, l := range lines {
		if err := pg.wrapped(l, st.note); err != nil {
			return err
		}
	}
	pg.row++
	return nil
}

// wrapped writes a long text across the page's columns, wrapped, with a row tall enough.
func (pg *page) wrapped(s string, style int) error {
	f := pg.b.f
	from, to := cellName(1, pg.row), cellName(pageCols, pg.row)
	if err := f.MergeCell(pg.sheet, from, to); err != nil {
		return err
	}
	pg.str(1, s, 0)
	wrap, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Family: fontFamily, Color: colorNote}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return err
	}
	if style == pg.b.st.warning {
		wrap = style
	}
	f.SetCellStyle(pg.sheet, from, to, wrap)
	var total float64
	for _, w := range pageWidths {
		total += w
	}
	lines := math.Ceil(float64(textWidth(s))*textRatio/total) + float64(strings.Count(s, "\n"))
	f.SetRowHeight(pg.sheet, pg.row, math.Max(15, 15*lines))
	pg.row++
	return nil
}

// coverage lists what could not be computed in this scope and which export would fill it.
func (pg *page) coverage() error {
	st := pg.b.st
	pg.endCharts()
	pg.heading("Coverage: what could not be computed")
	if len(pg.b.doc.Coverage) == 0 {
		pg.str(1, "Every metric in this workbook could be computed in this scope.", st.note)
		pg.row += 2
		return nil
	}
	pg.listHeader("Metric", "Team", "What is missing", "Which export fills it")
	for _, n := range pg.b.doc.Coverage {
		team := n.Team
		if team == "" {
			team = "all teams"
		}
		if err := pg.listRow(n.Metric, team, n.Text, n.Fill); err != nil {
			return err
		}
	}
	pg.row++
	return nil
}

// A list (coverage, contents) is laid out over the page's columns: A, B, C to the last but
// one merged, and the last.
// Merged cells cannot be part of a native table, so lists are styled as tables but are not
// ones; the sheets' data are.
func (pg *page) listHeader(a, b, c, h string) {
	st := pg.b.st
	pg.b.f.MergeCell(pg.sheet, cellName(3, pg.row), cellName(pageCols-1, pg.row))
	pg.b.f.SetCellStyle(pg.sheet, cellName(1, pg.row), cellName(pageCols, pg.row), st.header)
	for col, v := range map[int]string{1: a, 2: b, 3: c, pageCols: h} {
		if v != "" {
			pg.str(col, v, st.header)
		}
	}
	pg.row++
}

// listRow writes a list row; b is a string or a typed value, c and h wrap.
func (pg *page) listRow(a string, b any, c, h string) error {
	st, f := pg.b.st, pg.b.f
	f.SetCellStyle(pg.sheet, cellName(1, pg.row), cellName(pageCols, pg.row), st.wrap)
	pg.str(1, a, st.wrap)
	if s, ok := b.(string); ok {
		pg.strOrStyle(2, s, st.wrap)
	} else if err := pg.put(2, pg.row, b, st.get(document.TypeInt, roleCell, toneNone)); err != nil {
		return err
	}
	if err := f.MergeCell(pg.sheet, cellName(3, pg.row), cellName(pageCols-1, pg.row)); err != nil {
		return err
	}
	if c != "" {
		pg.str(3, c, st.wrap)
	}
	if h != "" {
		pg.str(pageCols, h, st.wrap)
	}
	var mid float64
	for _, w := range pageWidths[2 : pageCols-1] {
		mid += w
	}
	lines := math.Max(math.Ceil(float64(textWidth(c))*textRatio/mid), math.Ceil(float64(textWidth(h))*textRatio/pageWidths[pageCols-1]))
	lines = math.Max(lines, math.Ceil(float64(textWidth(a))*textRatio/pageWidths[0]))
	f.SetRowHeight(pg.sheet, pg.row, math.Max(15, 15*lines))
	pg.row++
	return nil
}

// contents lists every sheet with a link to it, how many rows it holds and what they are.
func (pg *page) contents() error {
	b, st := pg.b, pg.b.st
	pg.heading("Sheets in this workbook")
	pg.listHeader("Sheet", "Rows", "What it holds", "")
	link := func(name string) {
		b.f.SetCellHyperLink(pg.sheet, cellName(1, pg.row), quoteSheet(name)+"!A1", "Location")
		b.f.SetCellStyle(pg.sheet, cellName(1, pg.row), cellName(1, pg.row), st.link)
	}
	for _, p := range b.pages {
		if err := pg.listRow(p.name, "", sectionText(p.section), ""); err != nil {
			return err
		}
		pg.row--
		link(p.name)
		pg.row++
	}
	for _, t := range b.tables {
		what := t.table.Description
		if what == "" {
			what = t.table.Title
		}
		note := t.cutNote(b.cap)
		if err := pg.listRow(t.name, t.rows, what, note); err != nil {
			return err
		}
		pg.row--
		link(t.name)
		if note != "" {
			b.f.SetCellStyle(pg.sheet, cellName(pageCols, pg.row), cellName(pageCols, pg.row), st.warnWrap)
		}
		pg.row++
	}
	if b.chartData != "" {
		if err := pg.listRow(b.chartData, "", "The numbers behind every chart in this workbook.", ""); err != nil {
			return err
		}
		pg.row--
		link(b.chartData)
		pg.row++
	}
	if err := pg.listRow(b.readme, "", "What every sheet and column means, and the named queries the workbook was made from.", ""); err != nil {
		return err
	}
	pg.row--
	link(b.readme)
	pg.row++
	return nil
}

func sectionText(s *document.Section) string {
	if s == nil {
		return ""
	}
	if s.Intro != "" {
		return s.Intro
	}
	return s.Title
}

// chart draws a chart as a native Excel chart over its data on the chart data sheet; a kind
// Excel has no chart for (a network graph) is written as its table instead.
func (pg *page) chart(c *document.Chart) error {
	if c.Kind == document.Graph || len(c.Series) == 0 {
		pg.endCharts()
		return pg.chartAsTable(c)
	}
	ch, err := pg.charts.add(c)
	if err != nil {
		return err
	}
	col := 1
	if pg.chartCol == 1 {
		col = chartSecondCol()
	}
	if pg.chartCol == 0 {
		// Rows of the height the chart's size assumes, so that Excel and LibreOffice (whose
		// default row is lower) both fit it in its rows.
		for r := pg.row; r < pg.row+chartRows; r++ {
			pg.b.f.SetRowHeight(pg.sheet, r, 15)
		}
	}
	if err := pg.b.f.AddChart(pg.sheet, cellName(col, pg.row), ch.main, ch.combo...); err != nil {
		return fmt.Errorf("chart %q: %w", c.Title, err)
	}
	if pg.chartCol == 0 {
		pg.chartCol = 1
	} else {
		pg.endCharts()
	}
	return nil
}

// chartSecondCol is the first column right of a chart's width.
func chartSecondCol() int {
	px := 0.0
	for i, w := range pageWidths {
		px += w*7 + 5
		if px > chartWidth+10 {
			return i + 2
		}
	}
	return pageCols
}

// endCharts moves below the current row of charts.
func (pg *page) endCharts() {
	if pg.chartCol == 1 {
		pg.row += chartRows
		pg.chartCol = 0
	}
}

// chartAsTable writes a chart that Excel cannot draw as a table: its own Table when it has
// one, else its edges (a graph) or points.
func (pg *page) chartAsTable(c *document.Chart) error {
	st := pg.b.st
	pg.heading(c.Title)
	if c.Note != "" {
		pg.str(1, c.Note, st.note)
		pg.row++
	}
	t := c.Table
	if t == nil && c.Kind == document.Graph {
		t = &document.Table{ID: c.ID, Columns: []document.Column{
			{Name: "from", Label: "Blocking", Type: document.TypeText},
			{Name: "to", Label: "Blocked", Type: document.TypeText},
			{Name: "value", Label: "Weight", Type: document.TypeNumber},
			{Name: "label", Label: "Label", Type: document.TypeText}}}
		label := map[string]string{}
		for _, n := range c.Nodes {
			label[n.ID] = n.Label
		}
		name := func(id string) string {
			if l := label[id]; l != "" {
				return l
			}
			return id
		}
		for _, e := range c.Edges {
			t.Rows = append(t.Rows, []any{name(e.From), name(e.To), e.Value, e.Label})
		}
	}
	if t == nil {
		pg.str(1, "No data.", st.note)
		pg.row += 2
		return nil
	}
	id := c.ID
	if id == "" {
		id = "chart"
	}
	return pg.tableRows(t, id)
}

// inlineTable writes a short table where it stands on a page (Table.Inline: the summary's
// upcoming releases): its title, what one row is, and its rows — or what to say when it has
// none.
func (pg *page) inlineTable(t *document.Table) error {
	st := pg.b.st
	pg.endCharts()
	if t.Title != "" {
		pg.heading(t.Title)
	}
	if t.Description != "" {
		pg.str(1, t.Description, st.note)
		pg.row++
	}
	if len(t.Rows) == 0 && t.Empty != "" {
		pg.str(1, t.Empty, st.note)
		pg.row += 2
		return nil
	}
	id := t.ID
	if id == "" {
		id = "table"
	}
	return pg.tableRows(t, id)
}

// tableRows writes t's header and rows from the current row — at most the page's columns —
// as a native Excel table: typed cells, grades coloured by conditional formats as on the
// table sheets, text wrapped in rows tall enough for it.
func (pg *page) tableRows(t *document.Table, id string) error {
	st := pg.b.st
	cols := t.Columns
	if len(cols) > pageCols {
		cols = cols[:pageCols]
	}
	first := pg.row
	types := make([]document.ValueType, len(cols))
	for i, c := range cols {
		types[i] = c.Type
	}
	pg.headerRow(headerLabels(cols), types...)
	for _, r := range t.Rows {
		lines := 1.0
		for i, c := range cols {
			var v any
			if i < len(r) {
				v = cellValue(r[i], c.Type)
			}
			style := st.get(cellType(c.Type), roleCell, toneNone)
			if s, ok := v.(string); ok && cellType(c.Type) == document.TypeText {
				if n := math.Ceil(float64(textWidth(s)) / (pageWidths[i] - 1)); n > 1 {
					style, lines = st.wrap, math.Max(lines, n)
				}
			}
			if err := pg.put(i+1, pg.row, v, style); err != nil {
				return err
			}
		}
		if lines > 1 {
			pg.b.f.SetRowHeight(pg.sheet, pg.row, 15*lines)
		}
		pg.row++
	}
	if err := pg.table(id, first, pg.row-1, len(cols)); err != nil {
		return err
	}
	if len(t.Rows) > 0 {
		for i, c := range cols {
			if c.Type == document.TypeStatus {
				if err := st.gradeFormats(pg.sheet, cellName(i+1, first+1)+":"+cellName(i+1, pg.row-1)); err != nil {
					return err
				}
			}
		}
	}
	if len(t.Rows) == 0 {
		pg.row++
	}
	pg.row++
	return nil
}

// itoa is strconv.Itoa, short for cell references.
func itoa(n int) string { return strconv.Itoa(n) }
