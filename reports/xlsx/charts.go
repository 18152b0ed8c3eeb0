package xlsx

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/relscope/relscope/reports/document"
)

// seriesColors is the Okabe-Ito palette, which stays distinct for colour-blind readers.
var seriesColors = []string{"0072B2", "E69F00", "009E73", "CC79A7", "56B4E9", "D55E00", "F0E442", "000000"}

const markLineColor = "7F7F7F"

// chartSheet holds the data of every chart, one block under another: a title line, a header
// and the points, each block a native table that the chart reads.
type chartSheet struct {
	b    *book
	name string
	row  int
	// widths are the sheet's column widths so far.
	widths []float64
}

// drawn is a chart ready for AddChart: the main chart and any combined with it (mark lines
// over bars are a line chart on the same axes).
type drawn struct {
	main  *excelize.Chart
	combo []*excelize.Chart
}

// column is one column of a chart's data block.
type column struct {
	label  string
	values []any
	typ    document.ValueType
	format string // number format of the X column of a time axis
}

// add writes c's data and returns the chart drawing it.
func (cs *chartSheet) add(c *document.Chart) (*drawn, error) {
	if c.Kind == document.Scatter {
		return cs.scatter(c)
	}
	xs, keys := categories(c)
	idx := map[string]int{}
	for i, k := range keys {
		idx[k] = i
	}
	// The categories are written as text labels ("May 2025"): a category axis shows them as
	// written, where date cells would show as serial numbers in some viewers.
	labels := make([]any, len(xs))
	tf := timeFormat(xs)
	for i, x := range xs {
		labels[i] = xLabel(x, tf)
	}
	xcol := column{label: axisLabel(c.X, "X"), values: labels, typ: document.TypeText}
	cols := []column{xcol}
	ytyp := valueType(c.Y)
	for _, s := range c.Series {
		vals := make([]any, len(xs))
		for _, p := range s.Points {
			if i, ok := idx[xKey(p.X)]; ok && p.Y != nil {
				vals[i] = *p.Y
			}
		}
		cols = append(cols, column{label: s.Name, values: vals, typ: ytyp})
	}
	var marks []column
	for _, m := range c.MarkLines {
		if m.OnX {
			continue // a vertical line has no place on a category axis
		}
		vals := make([]any, len(xs))
		for i := range vals {
			vals[i] = m.Value
		}
		marks = append(marks, column{label: m.Name, values: vals, typ: ytyp})
	}
	first, err := cs.block(c, append(cols, marks...))
	if err != nil {
		return nil, err
	}
	n := len(xs)
	ref := func(col int) string {
		return fmt.Sprintf("%s!$%s$%d:$%s$%d", quoteSheet(cs.name), colName(col), first+1, colName(col), first+max(n, 1))
	}
	name := func(col int) string { return fmt.Sprintf("%s!$%s$%d", quoteSheet(cs.name), colName(col), first) }
	kind := map[document.ChartKind]excelize.ChartType{
		document.Line: excelize.Line, document.Bar: excelize.Col, document.StackedBar: excelize.ColStacked,
		document.StackedArea: excelize.AreaStacked,
	}[c.Kind]
	main := cs.frame(c, kind, len(c.Series)+len(marks))
	for i := range c.Series {
		main.Series = append(main.Series, cs.series(kind, name(i+2), ref(1), ref(i+2), i, n))
	}
	d := &drawn{main: main}
	if len(marks) > 0 {
		var over *excelize.Chart
		if kind == excelize.Line {
			over = main
		} else {
			// The last chart of a combination draws the axes: the same as the main one's.
			over = &excelize.Chart{Type: excelize.Line, Format: main.Format, Dimension: main.Dimension, XAxis: main.XAxis, YAxis: main.YAxis}
			d.combo = append(d.combo, over)
		}
		for j := range marks {
			col := len(c.Series) + 2 + j
			over.Series = append(over.Series, excelize.ChartSeries{Name: name(col), Categories: ref(1), Values: ref(col),
				Fill: solid(markLineColor), Line: excelize.LineOptions{Type: excelize.LineSolid, Width: 1.25, Dash: excelize.LineDashDash},
				Marker: excelize.ChartMarker{Symbol: "none"}})
		}
	}
	return d, nil
}

// scatter writes each series as its own X and Y columns; mark lines become two-point series.
func (cs *chartSheet) scatter(c *document.Chart) (*drawn, error) {
	var cols []column
	xtyp := document.TypeNumber
	for _, s := range c.Series {
		for _, p := range s.Points {
			if _, ok := p.X.(time.Time); ok || c.X.Type == document.AxisTime {
				xtyp = document.TypeDate
			}
			break
		}
	}
	ytyp := valueType(c.Y)
	minX, maxX, minY, maxY := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	var xfmt []any
	for _, s := range c.Series {
		var xs, ys []any
		for _, p := range s.Points {
			if p.Y == nil {
				continue
			}
			x := p.X
			xf, ok := xNumber(x)
			if !ok {
				continue
			}
			xs = append(xs, x)
			ys = append(ys, *p.Y)
			minX, maxX = math.Min(minX, xf), math.Max(maxX, xf)
			minY, maxY = math.Min(minY, *p.Y), math.Max(maxY, *p.Y)
		}
		xfmt = append(xfmt, xs...)
		cols = append(cols, column{label: s.Name + ": " + axisLabel(c.X, "X"), values: xs, typ: xtyp},
			column{label: s.Name, values: ys, typ: ytyp})
	}
	if xtyp == document.TypeDate {
		for i := range cols {
			if i%2 == 0 {
				cols[i].format = timeFormat(xfmt)
			}
		}
	}
	nSeries := len(c.Series)
	if !math.IsInf(minX, 0) {
		for _, m := range c.MarkLines {
			var xs, ys []any
			if m.OnX {
				xs, ys = []any{fromNumber(m.Value, xtyp), fromNumber(m.Value, xtyp)}, []any{minY, maxY}
			} else {
				xs, ys = []any{fromNumber(minX, xtyp), fromNumber(maxX, xtyp)}, []any{m.Value, m.Value}
			}
			cols = append(cols, column{label: m.Name + ": " + axisLabel(c.X, "X"), values: xs, typ: xtyp, format: timeFormat(xs)},
				column{label: m.Name, values: ys, typ: ytyp})
		}
	}
	first, err := cs.block(c, cols)
	if err != nil {
		return nil, err
	}
	main := cs.frame(c, excelize.Scatter, len(cols)/2)
	for i := 0; i+1 < len(cols); i += 2 {
		n := max(len(cols[i].values), 1)
		xr := fmt.Sprintf("%s!$%s$%d:$%s$%d", quoteSheet(cs.name), colName(i+1), first+1, colName(i+1), first+n)
		yr := fmt.Sprintf("%s!$%s$%d:$%s$%d", quoteSheet(cs.name), colName(i+2), first+1, colName(i+2), first+n)
		nm := fmt.Sprintf("%s!$%s$%d", quoteSheet(cs.name), colName(i+2), first)
		s := excelize.ChartSeries{Name: nm, Categories: xr, Values: yr}
		if k := i / 2; k < nSeries {
			color := seriesColors[k%len(seriesColors)]
			s.Line = excelize.LineOptions{Type: excelize.LineNone}
			s.Marker = excelize.ChartMarker{Symbol: "circle", Size: 4, Fill: solid(color), Border: excelize.LineOptions{Fill: solid(color)}}
		} else {
			s.Fill = solid(markLineColor)
			s.Line = excelize.LineOptions{Type: excelize.LineSolid, Width: 1.25, Dash: excelize.LineDashDash}
			s.Marker = excelize.ChartMarker{Symbol: "none"}
		}
		main.Series = append(main.Series, s)
	}
	if xtyp == document.TypeDate {
		f := "yyyy-mm-dd"
		if len(xfmt) > 0 && maxX-minX > 120*86400 {
			f = "mmm yyyy"
		}
		main.XAxis.NumFmt = excelize.ChartNumFmt{CustomNumFmt: f}
	}
	return &drawn{main: main}, nil
}

// frame is a chart's look: title, legend, axes, size.
func (cs *chartSheet) frame(c *document.Chart, kind excelize.ChartType, series int) *excelize.Chart {
	yes, no := true, false
	ch := &excelize.Chart{
		Type:      kind,
		Dimension: excelize.ChartDimension{Width: chartWidth, Height: chartHeight},
		Format:    excelize.GraphicOptions{OffsetX: 4, OffsetY: 6, PrintObject: &yes, Locked: &no},
		Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: c.Title, Font: &excelize.Font{Family: fontFamily, Bold: true, Size: 12, Color: colorTitle}}}},
		Legend:    excelize.ChartLegend{Position: "bottom"},
		XAxis: excelize.ChartAxis{Font: excelize.Font{Family: fontFamily, Size: 9, Color: colorNote},
			Title: axisTitle(c.X)},
		YAxis: excelize.ChartAxis{MajorGridLines: true, Font: excelize.Font{Family: fontFamily, Size: 9, Color: colorNote},
			Title: axisTitle(c.Y)},
		ShowBlanksAs: "gap",
	}
	if series <= 1 {
		ch.Legend.Position = "none"
	}
	if f := numFmt(valueType(c.Y)); f != "" {
		if valueType(c.Y) == document.TypePercent {
			f = "0%"
		}
		ch.YAxis.NumFmt = excelize.ChartNumFmt{CustomNumFmt: f}
	}
	if kind == excelize.Col || kind == excelize.ColStacked {
		gap := uint(60)
		ch.GapWidth = &gap
		if kind == excelize.ColStacked {
			overlap := 100
			ch.Overlap = &overlap
		}
	}
	return ch
}

// series is one series of a line, bar or area chart, in the palette's i-th colour.
func (cs *chartSheet) series(kind excelize.ChartType, name, cats, vals string, i, points int) excelize.ChartSeries {
	color := seriesColors[i%len(seriesColors)]
	s := excelize.ChartSeries{Name: name, Categories: cats, Values: vals, Fill: solid(color)}
	switch kind {
	case excelize.Line:
		s.Line = excelize.LineOptions{Type: excelize.LineSolid, Width: 2}
		s.Marker = excelize.ChartMarker{Symbol: "none"}
		if points <= 24 {
			s.Marker = excelize.ChartMarker{Symbol: "circle", Size: 5, Fill: solid(color), Border: excelize.LineOptions{Fill: solid(color)}}
		}
	}
	return s
}

func solid(color string) excelize.Fill {
	return excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{color}}
}

func axisTitle(a document.Axis) excelize.ChartTitle {
	l := axisLabel(a, "")
	if l == "" {
		return excelize.ChartTitle{}
	}
	return excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: l, Font: &excelize.Font{Family: fontFamily, Size: 9, Color: colorNote}}}}
}

func axisLabel(a document.Axis, fallback string) string {
	l := a.Name
	if l == "" {
		l = fallback
	}
	if a.Unit != "" {
		if l == "" {
			return a.Unit
		}
		l += " (" + a.Unit + ")"
	}
	return l
}

// valueType is how an axis's values are shown; a number when the document does not say.
func valueType(a document.Axis) document.ValueType {
	if a.Format != "" {
		return cellType(a.Format)
	}
	return document.TypeNumber
}

// block writes one chart's data block and returns its header row.
func (cs *chartSheet) block(c *document.Chart, cols []column) (int, error) {
	f, st := cs.b.f, cs.b.st
	title := c.Title
	if c.Note != "" {
		title += "  (" + c.Note + ")"
	}
	c0 := cellName(1, cs.row)
	f.SetCellStr(cs.name, c0, title)
	f.SetCellStyle(cs.name, c0, c0, st.label)
	cs.row++
	header := cs.row
	labels := make([]document.Column, len(cols))
	for i, col := range cols {
		labels[i] = document.Column{Name: col.label}
	}
	rows := 0
	for i, l := range headerLabels(labels) {
		c := cellName(i+1, header)
		f.SetCellStr(cs.name, c, l)
		f.SetCellStyle(cs.name, c, c, st.headerFor(cols[i].typ))
		cs.width(i, float64(textWidth(l)+4))
		rows = max(rows, len(cols[i].values))
	}
	for i, col := range cols {
		style := st.get(col.typ, roleCell, toneNone)
		if col.format != "" {
			style = cs.dateStyle(col.format)
		}
		for r, v := range col.values {
			v = cellValue(v, col.typ)
			if err := setTyped(f, cs.name, cellName(i+1, header+1+r), v, style); err != nil {
				return 0, err
			}
			cs.width(i, float64(displayWidth(v, col.typ)+2))
		}
	}
	last := header + max(rows, 1)
	no := false
	if err := f.AddTable(cs.name, &excelize.Table{Range: cellName(1, header) + ":" + cellName(len(cols), last),
		Name: cs.b.tableName("chart_" + c.ID), StyleName: "TableStyleLight9", ShowRowStripes: &no}); err != nil {
		return 0, err
	}
	cs.row = last + 2
	return header, nil
}

func (cs *chartSheet) width(i int, w float64) {
	for len(cs.widths) <= i {
		cs.widths = append(cs.widths, 8)
	}
	cs.widths[i] = math.Min(math.Max(cs.widths[i], w), 40)
}

func (cs *chartSheet) dateStyle(format string) int {
	fmtStr := format
	id, err := cs.b.f.NewStyle(&excelize.Style{CustomNumFmt: &fmtStr, Border: []excelize.Border{{Type: "bottom", Color: colorRule, Style: 1}}})
	if err != nil {
		panic(err)
	}
	return id
}

// finish sets the chart data sheet's widths and freezes nothing: it holds many blocks.
func (cs *chartSheet) finish() error {
	for i, w := range cs.widths {
		if err := cs.b.f.SetColWidth(cs.name, colName(i+1), colName(i+1), w); err != nil {
			return err
		}
	}
	return cs.b.printLayout(cs.name)
}

// trends writes the trends of a KPI group's metrics as a block of rows (one per metric, the
// periods across) and returns each trended KPI's row range, for the summary's sparklines.
func (cs *chartSheet) trends(g *document.KPIGroup) (map[int]string, error) {
	f, st := cs.b.f, cs.b.st
	var xs []any
	idx := map[string]int{}
	for _, k := range g.KPIs {
		for _, p := range k.Trend {
			if _, ok := idx[xKey(p.X)]; !ok {
				idx[xKey(p.X)] = len(xs)
				xs = append(xs, p.X)
			}
		}
	}
	if len(xs) == 0 {
		return nil, nil
	}
	title := g.Title
	if title == "" {
		title = "Headline metrics"
	}
	c0 := cellName(1, cs.row)
	f.SetCellStr(cs.name, c0, title+": trends, oldest first (the summary's sparklines)")
	f.SetCellStyle(cs.name, c0, c0, st.label)
	cs.row++
	header := cs.row
	cols := []document.Column{{Name: "Metric"}}
	for _, x := range xs {
		cols = append(cols, document.Column{Name: xText(x)})
	}
	for i, l := range headerLabels(cols) {
		c := cellName(i+1, header)
		f.SetCellStr(cs.name, c, l)
		t := document.TypeNumber
		if i == 0 {
			t = document.TypeText
		}
		f.SetCellStyle(cs.name, c, c, st.headerFor(t))
		cs.width(i, float64(textWidth(l)+4))
	}
	out := map[int]string{}
	r := header
	for ki, k := range g.KPIs {
		if len(k.Trend) == 0 {
			continue
		}
		r++
		c := cellName(1, r)
		f.SetCellStr(cs.name, c, k.Label)
		f.SetCellStyle(cs.name, c, c, st.text)
		cs.width(0, float64(textWidth(k.Label)+2))
		style := st.get(cellType(k.Type), roleCell, toneNone)
		for _, p := range k.Trend {
			c := cellName(idx[xKey(p.X)]+2, r)
			if p.Y != nil && !math.IsNaN(*p.Y) && !math.IsInf(*p.Y, 0) {
				if err := f.SetCellFloat(cs.name, c, *p.Y, -1, 64); err != nil {
					return nil, err
				}
			}
			f.SetCellStyle(cs.name, c, c, style)
		}
		out[ki] = fmt.Sprintf("%s!%s:%s", quoteSheet(cs.name), cellName(2, r), cellName(len(xs)+1, r))
	}
	no := false
	id := g.ID
	if id == "" {
		id = "kpis"
	}
	if err := f.AddTable(cs.name, &excelize.Table{Range: cellName(1, header) + ":" + cellName(len(xs)+1, max(r, header+1)),
		Name: cs.b.tableName("trend_" + id), StyleName: "TableStyleLight9", ShowRowStripes: &no}); err != nil {
		return nil, err
	}
	cs.row = max(r, header+1) + 2
	return out, nil
}

// xLabel is a category as its axis label: times in format tf ("mmm yyyy", "yyyy-mm-dd" or
// with hours).
func xLabel(x any, tf string) string {
	t, ok := x.(time.Time)
	if !ok {
		return xText(x)
	}
	t = t.UTC()
	switch tf {
	case "mmm yyyy":
		return t.Format("Jan 2006")
	case "yyyy-mm-dd":
		return t.Format("2006-01-02")
	}
	return t.Format("2006-01-02 15:04")
}

// xText is an X value as a column heading.
func xText(x any) string {
	switch v := x.(type) {
	case time.Time:
		v = v.UTC()
		if v.Day() == 1 && v.Hour() == 0 && v.Minute() == 0 {
			return v.Format("2006-01")
		}
		if v.Hour() == 0 && v.Minute() == 0 {
			return v.Format("2006-01-02")
		}
		return v.Format("2006-01-02 15:04")
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case string:
		return v
	}
	return fmt.Sprint(x)
}

// categories is the X values of a category or time chart in order: the axis's own categories
// first, then any other X a series has, times and numbers sorted.
func categories(c *document.Chart) ([]any, []string) {
	var xs []any
	var keys []string
	seen := map[string]bool{}
	addX := func(x any) {
		k := xKey(x)
		if !seen[k] {
			seen[k] = true
			xs = append(xs, x)
			keys = append(keys, k)
		}
	}
	for _, cat := range c.X.Categories {
		addX(cat)
	}
	listed := len(xs)
	for _, s := range c.Series {
		for _, p := range s.Points {
			addX(p.X)
		}
	}
	if listed == 0 && (allTimes(xs) || allNumbers(xs)) {
		order := make([]int, len(xs))
		for i := range order {
			order[i] = i
		}
		sort.SliceStable(order, func(i, j int) bool {
			a, _ := xNumber(xs[order[i]])
			b, _ := xNumber(xs[order[j]])
			return a < b
		})
		sx, sk := make([]any, len(xs)), make([]string, len(xs))
		for i, o := range order {
			sx[i], sk[i] = xs[o], keys[o]
		}
		xs, keys = sx, sk
	}
	return xs, keys
}

func xKey(x any) string {
	switch v := x.(type) {
	case time.Time:
		return "t" + strconv.FormatInt(v.UnixNano(), 10)
	case float64:
		return "f" + strconv.FormatFloat(v, 'g', -1, 64)
	case string:
		return "s" + v
	}
	return fmt.Sprintf("?%v", x)
}

func xNumber(x any) (float64, bool) {
	switch v := x.(type) {
	case time.Time:
		return float64(v.Unix()), true
	case float64:
		return v, true
	case int64:
		return float64(v), true
	case int:
		return float64(v), true
	}
	return 0, false
}

// fromNumber turns a mark line's X value back into a cell value of the X column's type.
func fromNumber(v float64, t document.ValueType) any {
	if t == document.TypeDate {
		return time.Unix(int64(v), 0).UTC()
	}
	return v
}

func allTimes(xs []any) bool {
	for _, x := range xs {
		if _, ok := x.(time.Time); !ok {
			return false
		}
	}
	return len(xs) > 0
}

func allNumbers(xs []any) bool {
	for _, x := range xs {
		if _, ok := x.(float64); !ok {
			return false
		}
	}
	return len(xs) > 0
}

// timeFormat shows months as "mmm yyyy" when every time is the first of a month, days as
// dates, and other times with hours.
func timeFormat(xs []any) string {
	months, days := true, true
	for _, x := range xs {
		t, ok := x.(time.Time)
		if !ok {
			continue
		}
		t = t.UTC()
		if t.Day() != 1 || t.Hour() != 0 || t.Minute() != 0 {
			months = false
		}
		if t.Hour() != 0 || t.Minute() != 0 || t.Second() != 0 {
			days = false
		}
	}
	switch {
	case months:
		return "mmm yyyy"
	case days:
		return "yyyy-mm-dd"
	}
	return "yyyy-mm-dd hh:mm"
}
