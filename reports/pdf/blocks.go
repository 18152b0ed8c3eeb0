package pdf

import (
	"fmt"
	"math"

	"github.com/relscope/relscope/reports/document"
)

// KPI tiles.

const (
	tileGap = 3.0
	tilePad = 3.0
)

// kpiColumns is how many tiles share a row.
func kpiColumns(n int) int {
	switch {
	case n <= 4:
		return max(n, 1)
	case n <= 6:
		return 3
	}
	return 4
}

// tileParts is one tile's text, wrapped to its width.
type tileParts struct {
	label, note []string
	value, unit string
	valueC      rgb
	band        string
	trend       string
	trendC      rgb
	h           float64
}

func (l *layout) tile(k document.KPI, w float64) tileParts {
	inner := w - 2*tilePad - 1.2
	var p tileParts
	l.font("", 7.5, muted)
	p.label = l.wrapped(clean(k.Label, false), inner, 2)
	h := tilePad + float64(len(p.label))*l.lineH() + 0.5
	p.value, p.valueC = dash, ink
	p.band = k.Band
	switch {
	case k.Value != nil:
		p.value = formatValue(*k.Value, k.Type)
	case k.Band != "":
		// A grade without a number (a verdict, an outcome) is the tile's value, in its colour.
		p.value, p.band = clean(statusLabel(k.Band), false), ""
		if c, ok := statusColour(k.Band); ok {
			p.valueC = c
		}
	}
	p.unit = clean(k.Unit, false)
	h += 17 * ptMM * 1.2
	p.trend, p.trendC = trend(k)
	if p.band != "" || knownPoints(k.Trend) > 1 {
		h += 5
	}
	if p.trend != "" {
		h += 3.6
	}
	if k.Note != "" {
		l.font("", 6.8, muted)
		p.note = l.wrapped(clean(k.Note, true), inner, 4)
		h += float64(len(p.note))*l.lineH() + 0.6
	}
	p.h = h + tilePad
	return p
}

// trend words a KPI's change against its previous value, coloured by whether it is better.
func trend(k document.KPI) (string, rgb) {
	if k.Value == nil || k.Previous == nil {
		return "", muted
	}
	v, p := *k.Value, *k.Previous
	diff := v - p
	was := "was " + formatValue(p, k.Type)
	var size string
	switch {
	case k.Type == document.TypePercent:
		pts := math.Round(diff * 100)
		if pts == 0 {
			return "no change (" + was + ")", muted
		}
		size = fmt.Sprintf("%s pts", thousands(math.Abs(pts), 0))
	case p != 0:
		rel := diff / math.Abs(p)
		if math.Abs(rel) < 0.005 {
			return "no change (" + was + ")", muted
		}
		size = thousands(math.Round(math.Abs(rel)*100), 0) + "%"
	default:
		if diff == 0 {
			return "no change (" + was + ")", muted
		}
		size = formatValue(math.Abs(diff), k.Type)
	}
	arrow := "▲"
	if diff < 0 {
		arrow = "▼"
	}
	c := muted
	switch {
	case k.Better == document.BetterHigher && diff > 0, k.Better == document.BetterLower && diff < 0:
		c = good
	case k.Better == document.BetterHigher && diff < 0, k.Better == document.BetterLower && diff > 0:
		c = bad
	}
	return arrow + " " + size + " (" + was + ")", c
}

func (l *layout) kpiHeight(g *document.KPIGroup, firstRowOnly bool) float64 {
	cols := kpiColumns(len(g.KPIs))
	w := (contentW - tileGap*float64(cols-1)) / float64(cols)
	h := l.blockTitleHeight(g.Title)
	for i := 0; i < len(g.KPIs); i += cols {
		rowH := 0.0
		for _, k := range g.KPIs[i:min(i+cols, len(g.KPIs))] {
			rowH = math.Max(rowH, l.tile(k, w).h)
		}
		h += rowH + tileGap
		if firstRowOnly {
			break
		}
	}
	return h
}

func (l *layout) kpis(g *document.KPIGroup) {
	l.ensure(l.kpiHeight(g, true))
	l.blockTitle(g.Title)
	cols := kpiColumns(len(g.KPIs))
	w := (contentW - tileGap*float64(cols-1)) / float64(cols)
	for i := 0; i < len(g.KPIs); i += cols {
		row := g.KPIs[i:min(i+cols, len(g.KPIs))]
		parts := make([]tileParts, len(row))
		rowH := 0.0
		for j, k := range row {
			parts[j] = l.tile(k, w)
			rowH = math.Max(rowH, parts[j].h)
		}
		l.ensure(rowH)
		for j, k := range row {
			l.drawTile(k, parts[j], marginX+float64(j)*(w+tileGap), l.y, w, rowH)
		}
		l.y += rowH + tileGap
	}
	l.y -= tileGap
}

func (l *layout) drawTile(k document.KPI, p tileParts, x, y, w, h float64) {
	l.fill(faint)
	l.f.Rect(x, y, w, h, "F")
	bar := accent
	if c, ok := statusColour(k.Band); ok && k.Band != "" {
		bar = c
	}
	l.fill(bar)
	l.f.Rect(x, y, 1.2, h, "F")
	ix := x + 1.2 + tilePad
	inner := w - 2*tilePad - 1.2
	cy := y + tilePad
	l.font("", 7.5, muted)
	cy += l.lines(ix, cy, inner, p.label, "L") + 0.5
	// A word (a grade as the value) shrinks to fit the tile rather than being cut.
	size := 17.0
	l.font("B", size, p.valueC)
	for k.Value == nil && size > 10 && l.measure(p.value) > inner {
		size -= 1
		l.font("B", size, p.valueC)
	}
	value := fit(p.value, inner, l.measure)
	l.text(ix, cy+(17-size)*ptMM*0.8, inner, value, "L")
	vw := l.measure(value)
	if p.unit != "" && k.Value != nil {
		l.font("", 8, muted)
		if vw+1.5+l.measure(p.unit) <= inner {
			l.f.Text(ix+vw+1.5, cy+17*ptMM, visual(p.unit))
		}
	}
	cy += 17 * ptMM * 1.2
	if p.band != "" || knownPoints(k.Trend) > 1 {
		if p.band != "" {
			l.chip(ix, cy+0.3, p.band, 7)
		}
		if knownPoints(k.Trend) > 1 {
			sw := math.Min(18, inner/2.5)
			l.sparkline(k.Trend, ix+inner-sw, cy, sw, 3.8)
		}
		cy += 5
	}
	if p.trend != "" {
		l.font("", 7, p.trendC)
		l.text(ix, cy, inner, fit(p.trend, inner, l.measure), "L")
		cy += 3.6
	}
	if len(p.note) > 0 {
		l.font("", 6.8, muted)
		l.lines(ix, cy+0.3, w-2*tilePad-1.2, p.note, "L")
	}
}

// knownPoints counts the points with a value: a sparkline needs two.
func knownPoints(pts []document.Point) int {
	n := 0
	for _, p := range pts {
		if p.Y != nil {
			n++
		}
	}
	return n
}

// chip draws a grade as white text on its colour and returns its width.
func (l *layout) chip(x, y float64, grade string, size float64) float64 {
	c, ok := statusColour(grade)
	if !ok {
		c = muted
	}
	l.font("B", size, white)
	label := clean(statusLabel(grade), false)
	w := l.measure(label) + 2.4
	h := size*ptMM + 1.4
	l.fill(c)
	l.f.RoundedRect(x, y, w, h, 0.8, "1234", "F")
	l.text(x+1.2, y+0.45, 0, label, "L")
	return w
}

// sparkline draws points as a small line in the box, the last point marked.
func (l *layout) sparkline(pts []document.Point, x, y, w, h float64) {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, p := range pts {
		if p.Y != nil {
			lo, hi = math.Min(lo, *p.Y), math.Max(hi, *p.Y)
		}
	}
	if math.IsInf(lo, 0) {
		return
	}
	if hi == lo {
		lo, hi = lo-1, hi+1
	}
	step := w / float64(len(pts)-1)
	l.draw(accent)
	l.pen(0.35)
	var prevX, prevY float64
	have := false
	for i, p := range pts {
		if p.Y == nil {
			have = false
			continue
		}
		px := x + float64(i)*step
		py := y + h - (*p.Y-lo)/(hi-lo)*h
		if have {
			l.f.Line(prevX, prevY, px, py)
		}
		prevX, prevY, have = px, py, true
	}
	if last := pts[len(pts)-1]; last.Y != nil {
		l.fill(accent)
		l.f.Circle(prevX, prevY, 0.55, "F")
	}
}

// Tables.

const (
	cellPadX   = 1.5
	cellPadY   = 1.1
	cellSize   = 7.8
	headSize   = 7.2
	maxLines   = 4
	maxNatural = 70.0
	keepWhole  = 12
)

// tableLayout is a table's columns fitted to the width, with each cell's text ready.
type tableLayout struct {
	widths []float64
	head   [][]string
	headH  float64
	cells  [][]string // formatted, cleaned, unwrapped
}

func (l *layout) layoutTable(t *document.Table, w float64) *tableLayout {
	n := len(t.Columns)
	tl := &tableLayout{widths: make([]float64, n), head: make([][]string, n)}
	natural := make([]float64, n)  // the widest cell (or the header on one line), capped
	minimum := make([]float64, n)  // the longest word of the header and the cells, capped
	headWord := make([]float64, n) // the header's longest word
	cellsW := make([]float64, n)   // the widest cell, capped
	l.font("B", headSize, muted)
	labels := make([]string, n)
	for j, c := range t.Columns {
		label := c.Label
		if label == "" {
			label = c.Name
		}
		labels[j] = clean(label, false)
		longest := 0.0
		for _, word := range splitWords(labels[j]) {
			longest = math.Max(longest, l.measure(word))
		}
		minimum[j] = math.Min(longest, 30) + 2*cellPadX
		headWord[j] = minimum[j]
		natural[j] = math.Min(l.measure(labels[j]), 40) + 2*cellPadX
	}
	l.font("", cellSize, ink)
	tl.cells = make([][]string, len(t.Rows))
	for i, r := range t.Rows {
		row := make([]string, n)
		for j, c := range t.Columns {
			var v any
			if j < len(r) {
				v = r[j]
			}
			row[j] = clean(formatValue(v, c.Type), false)
			cw := l.measure(row[j])
			if c.Type == document.TypeStatus {
				cw += 3
			}
			natural[j] = math.Max(natural[j], math.Min(cw, maxNatural)+2*cellPadX)
			cellsW[j] = math.Max(cellsW[j], math.Min(cw, maxNatural)+2*cellPadX)
			if i < 200 { // the longest word of the first rows is enough to size a column
				for _, word := range splitWords(row[j]) {
					minimum[j] = math.Max(minimum[j], math.Min(l.measure(word), 30)+2*cellPadX)
				}
			}
		}
		tl.cells[i] = row
	}
	flexible := func(c document.Column) bool {
		return c.Type == document.TypeText || c.Type == document.TypeList || c.Type == document.TypeURL || c.Type == ""
	}
	total := 0.0
	for _, x := range natural {
		total += x
	}
	copy(tl.widths, natural)
	switch {
	case total <= w:
		// Spread the spare width over the text columns (over all when there are none).
		var flex float64
		for j, c := range t.Columns {
			if flexible(c) {
				flex += natural[j]
			}
		}
		for j, c := range t.Columns {
			if flex > 0 && flexible(c) {
				tl.widths[j] += (w - total) * natural[j] / flex
			} else if flex == 0 {
				tl.widths[j] += (w - total) * natural[j] / total
			}
		}
	default:
		// Numbers, dates and grades keep the width of their cells (their header wraps); text
		// columns start at their longest word and share what is left by how much more they
		// would like, wrapping.
		var fixed, flexMin, want float64
		for j, c := range t.Columns {
			if flexible(c) {
				tl.widths[j] = minimum[j]
				flexMin += minimum[j]
				want += natural[j] - minimum[j]
			} else {
				tl.widths[j] = math.Max(cellsW[j], headWord[j])
				fixed += tl.widths[j]
			}
		}
		if extra := w - fixed - flexMin; extra > 0 && want > 0 {
			for j, c := range t.Columns {
				if flexible(c) {
					tl.widths[j] += math.Min(extra*(natural[j]-minimum[j])/want, natural[j]-minimum[j])
				}
			}
		}
		sum := 0.0
		for _, x := range tl.widths {
			sum += x
		}
		switch {
		case sum > w:
			for j := range tl.widths {
				tl.widths[j] *= w / sum
			}
		case sum < w:
			// Every column got what it wanted: the rest goes to the text columns (or all).
			var flex float64
			for j, c := range t.Columns {
				if flexible(c) {
					flex += tl.widths[j]
				}
			}
			for j, c := range t.Columns {
				if flex > 0 && flexible(c) {
					tl.widths[j] += (w - sum) * tl.widths[j] / flex
				} else if flex == 0 {
					tl.widths[j] += (w - sum) * tl.widths[j] / sum
				}
			}
		}
	}
	l.font("B", headSize, muted)
	lines := 1
	for j := range t.Columns {
		tl.head[j] = l.wrapped(labels[j], tl.widths[j]-2*cellPadX, 3)
		lines = max(lines, len(tl.head[j]))
	}
	tl.headH = float64(lines)*l.lineH() + 2*cellPadY
	return tl
}

func splitWords(s string) []string {
	var out []string
	word := []rune{}
	for _, r := range s {
		if r == ' ' {
			if len(word) > 0 {
				out = append(out, string(word))
			}
			word = word[:0]
			continue
		}
		word = append(word, r)
	}
	if len(word) > 0 {
		out = append(out, string(word))
	}
	return out
}

// rowLines wraps one row's cells to their columns.
func (l *layout) rowLines(t *document.Table, tl *tableLayout, i int) ([][]string, float64) {
	l.font("", cellSize, ink)
	out := make([][]string, len(t.Columns))
	n := 1
	for j, c := range t.Columns {
		s := tl.cells[i][j]
		width := tl.widths[j] - 2*cellPadX
		if isNumeric(c.Type) || c.Type == document.TypeStatus {
			out[j] = []string{fit(s, width, l.measure)}
		} else {
			out[j] = l.wrapped(s, width, maxLines)
		}
		n = max(n, len(out[j]))
	}
	return out, float64(n)*l.lineH() + 2*cellPadY
}

func (l *layout) tableMinHeight(t *document.Table, w float64) float64 {
	h := l.blockTitleHeight(t.Title)
	if len(t.Rows) == 0 || len(t.Columns) == 0 {
		return h + 6
	}
	tl := l.layoutTable(t, w)
	h += tl.headH
	// A short table stays in one piece; a long one starts with at least three rows.
	first := 3
	if len(t.Rows) <= keepWhole {
		first = len(t.Rows)
	}
	for i := 0; i < min(first, len(t.Rows)); i++ {
		_, rh := l.rowLines(t, tl, i)
		h += rh
	}
	return h
}

func (l *layout) table(t *document.Table, x, w float64) {
	if len(t.Rows) == 0 || len(t.Columns) == 0 {
		l.ensure(l.blockTitleHeight(t.Title) + 6)
		l.blockTitle(t.Title)
		empty := t.Empty
		if empty == "" {
			empty = "Nothing to show in this period."
		}
		l.font("", 8.5, muted)
		l.y += l.lines(x, l.y+0.5, w, l.wrapped(clean(empty, true), w, 3), "L") + 1
		return
	}
	tl := l.layoutTable(t, w)
	l.ensure(l.tableMinHeight(t, w))
	l.blockTitle(t.Title)
	l.tableHead(t, tl, x)
	for i := range t.Rows {
		if i%64 == 0 && l.ctx.Err() != nil {
			return
		}
		cells, rh := l.rowLines(t, tl, i)
		if l.y+rh > bottom {
			l.newPage()
			if t.Title != "" {
				l.font("", 7.5, muted)
				l.text(x, l.y, w, clean(t.Title, false)+" (continued)", "L")
				l.y += l.lineH() + 0.5
			}
			l.tableHead(t, tl, x)
		}
		if i%2 == 1 {
			l.fill(faint)
			l.f.Rect(x, l.y, w, rh, "F")
		}
		cx := x
		for j, c := range t.Columns {
			cw := tl.widths[j]
			switch {
			case c.Type == document.TypeStatus && len(t.Rows[i]) > j && t.Rows[i][j] != nil:
				g, _ := t.Rows[i][j].(string)
				if _, ok := statusColour(g); ok {
					l.chip(cx+cellPadX, l.y+cellPadY-0.2, g, 6.8)
				} else {
					l.font("", cellSize, ink)
					l.lines(cx+cellPadX, l.y+cellPadY, cw-2*cellPadX, cells[j], "L")
				}
			case isNumeric(c.Type):
				l.font("", cellSize, ink)
				l.lines(cx+cellPadX, l.y+cellPadY, cw-2*cellPadX, cells[j], "R")
			default:
				l.font("", cellSize, ink)
				l.lines(cx+cellPadX, l.y+cellPadY, cw-2*cellPadX, cells[j], "L")
			}
			cx += cw
		}
		l.y += rh
	}
	l.draw(rule)
	l.pen(0.2)
	l.f.Line(x, l.y, x+w, l.y)
	if t.Total > int64(len(t.Rows)) {
		l.note(fmt.Sprintf("The first %s of %s rows.", thousands(float64(len(t.Rows)), 0), thousands(float64(t.Total), 0)))
	}
}

func (l *layout) tableHead(t *document.Table, tl *tableLayout, x float64) {
	l.font("B", headSize, muted)
	cx := x
	for j, c := range t.Columns {
		align := "L"
		if isNumeric(c.Type) {
			align = "R"
		}
		l.lines(cx+cellPadX, l.y+cellPadY, tl.widths[j]-2*cellPadX, tl.head[j], align)
		cx += tl.widths[j]
	}
	l.y += tl.headH
	l.draw(muted)
	l.pen(0.3)
	l.f.Line(x, l.y, cx, l.y)
}
