package pdf

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/relscope/relscope/reports/document"
)

// Charts are drawn as vector paths from the document.Chart spec: line, grouped and stacked
// bars, stacked areas and scatter plots, with reference (mark) lines. A Graph, an unknown kind
// or a chart without a single value is drawn as its table instead.

const (
	plotH       = 50.0
	axisSize    = 6.5
	maxScatter  = 4000
	legendSize  = 7.0
	xLabelsH    = 5.0
	markerLimit = 30
)

// drawable says whether the renderer draws c as a chart (else as its table).
func drawable(c *document.Chart) bool {
	switch c.Kind {
	case document.Line, document.Bar, document.StackedBar, document.StackedArea, document.Scatter:
	default:
		return false
	}
	for _, s := range c.Series {
		for _, p := range s.Points {
			if p.Y != nil && !math.IsNaN(*p.Y) && !math.IsInf(*p.Y, 0) {
				return true
			}
		}
	}
	return false
}

// fallbackTable is what is drawn instead of a chart that cannot be drawn: its own table, or
// a Graph's edges.
func fallbackTable(c *document.Chart) *document.Table {
	if c.Table != nil {
		t := *c.Table
		if t.Title == "" {
			t.Title = c.Title
		}
		return &t
	}
	t := &document.Table{Title: c.Title, Empty: "No data for this chart in this scope."}
	if c.Kind == document.Graph && len(c.Edges) > 0 {
		label := map[string]string{}
		for _, n := range c.Nodes {
			label[n.ID] = n.Label
		}
		name := func(id string) string {
			if s := label[id]; s != "" {
				return s
			}
			return id
		}
		t.Columns = []document.Column{{Name: "from", Label: "Blocking"}, {Name: "to", Label: "Blocked"}, {Name: "value", Label: "Weight", Type: document.TypeNumber}}
		edges := append([]document.Edge(nil), c.Edges...)
		sort.SliceStable(edges, func(i, j int) bool { return edges[i].Value > edges[j].Value })
		for _, e := range edges {
			t.Rows = append(t.Rows, []any{name(e.From), name(e.To), e.Value})
		}
	}
	return t
}

// chartFrame is a chart's geometry and scales, computed once for measuring and drawing.
type chartFrame struct {
	c                      *document.Chart
	legend                 [][]legendItem // rows
	titleH, legendH, noteH float64
	xTitle, yTitle         string
	// plot area
	px, py, pw, ph float64
	// x: categories or a continuous range
	cats     []string
	catIndex map[string]int
	xlo, xhi float64
	timeX    bool
	// y
	ylo, yhi float64
	yticks   []float64
	ystep    float64
	marks    []document.MarkLine
	markW    float64
	note     string
	mono     bool // one colour for every series
}

type legendItem struct {
	name string
	c    rgb
	w    float64
}

func categorical(c *document.Chart) bool {
	if c.Kind == document.Bar || c.Kind == document.StackedBar || c.X.Type == document.AxisCategory {
		return true
	}
	for _, s := range c.Series {
		for _, p := range s.Points {
			if _, ok := p.X.(string); ok {
				return true
			}
		}
	}
	return false
}

// xLabel is an X value as a category label.
func xLabel(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case time.Time:
		x = x.UTC()
		if x.Day() == 1 && x.Hour() == 0 && x.Minute() == 0 {
			return x.Format("Jan 2006")
		}
		return x.Format("2 Jan 2006")
	case nil:
		return ""
	}
	if f, ok := toFloat(v); ok {
		return thousands(f, 1)
	}
	return fmt.Sprint(v)
}

// xNumber is an X value on a continuous axis: days since the epoch for times.
func xNumber(v any) (float64, bool) {
	switch x := v.(type) {
	case time.Time:
		return float64(x.Unix()) / 86400, true
	}
	return toFloat(v)
}

func (l *layout) frame(c *document.Chart) *chartFrame {
	fr := &chartFrame{c: c, px: marginX, pw: contentW, ph: plotH}
	fr.titleH = l.blockTitleHeight(c.Title)
	// X.
	if categorical(c) {
		fr.catIndex = map[string]int{}
		add := func(s string) {
			if _, ok := fr.catIndex[s]; !ok {
				fr.catIndex[s] = len(fr.cats)
				fr.cats = append(fr.cats, s)
			}
		}
		for _, s := range c.X.Categories {
			add(s)
		}
		if len(c.X.Categories) == 0 {
			var times []time.Time
			for _, s := range c.Series {
				for _, p := range s.Points {
					if t, ok := p.X.(time.Time); ok {
						times = append(times, t)
					}
				}
			}
			sort.Slice(times, func(i, j int) bool { return times[i].Before(times[j]) })
			for _, t := range times {
				add(xLabel(t))
			}
			for _, s := range c.Series {
				for _, p := range s.Points {
					add(xLabel(p.X))
				}
			}
		}
	} else {
		fr.xlo, fr.xhi = math.Inf(1), math.Inf(-1)
		for _, s := range c.Series {
			for _, p := range s.Points {
				if _, ok := p.X.(time.Time); ok {
					fr.timeX = true
				}
				if x, ok := xNumber(p.X); ok {
					fr.xlo, fr.xhi = math.Min(fr.xlo, x), math.Max(fr.xhi, x)
				}
			}
		}
		for _, m := range c.MarkLines {
			if m.OnX {
				fr.xlo, fr.xhi = math.Min(fr.xlo, m.Value), math.Max(fr.xhi, m.Value)
			}
		}
		if math.IsInf(fr.xlo, 0) {
			fr.xlo, fr.xhi = 0, 1
		}
		if fr.xhi == fr.xlo {
			fr.xlo, fr.xhi = fr.xlo-1, fr.xhi+1
		}
		if fr.timeX {
			// A little room either side, so that points at the ends are not cut by the frame.
			pad := math.Max((fr.xhi-fr.xlo)*0.03, 0.5)
			fr.xlo, fr.xhi = fr.xlo-pad, fr.xhi+pad
		} else {
			_, fr.xlo, fr.xhi = niceTicks(fr.xlo, fr.xhi, 6)
		}
	}
	// Y.
	lo, hi := 0.0, math.Inf(-1)
	if c.Kind == document.StackedBar || c.Kind == document.StackedArea {
		sums := map[string]float64{}
		for _, s := range c.Series {
			for _, p := range s.Points {
				if p.Y != nil && *p.Y > 0 {
					sums[xLabel(p.X)] += *p.Y
				}
			}
		}
		for _, v := range sums {
			hi = math.Max(hi, v)
		}
	} else {
		for _, s := range c.Series {
			for _, p := range s.Points {
				if p.Y != nil && !math.IsNaN(*p.Y) && !math.IsInf(*p.Y, 0) {
					lo, hi = math.Min(lo, *p.Y), math.Max(hi, *p.Y)
				}
			}
		}
	}
	for _, m := range c.MarkLines {
		if !m.OnX {
			lo, hi = math.Min(lo, m.Value), math.Max(hi, m.Value)
			fr.marks = append(fr.marks, m)
		}
	}
	if math.IsInf(hi, -1) || hi <= lo {
		hi = lo + 1
	}
	fr.yticks, fr.ylo, fr.yhi = niceTicks(lo, hi, 5)
	if len(fr.yticks) > 1 {
		fr.ystep = fr.yticks[1] - fr.yticks[0]
	}
	// Left gutter: the widest Y label.
	l.font("", axisSize, muted)
	yw := 0.0
	for _, t := range fr.yticks {
		yw = math.Max(yw, l.measure(axisValue(t, fr.ystep, c.Y.Format)))
	}
	fr.px += yw + 1.8
	fr.pw -= yw + 1.8
	// Right gutter: mark line labels.
	for _, m := range fr.marks {
		fr.markW = math.Max(fr.markW, l.measure(clean(markLabel(m, fr.ystep, c.Y.Format), false))+2)
	}
	fr.pw -= fr.markW
	// More scatter series than colours a reader can tell apart: one colour, no legend.
	fr.mono = c.Kind == document.Scatter && len(c.Series) > len(seriesColours)
	// Legend rows, when there is more than one series.
	if len(c.Series) > 1 && !fr.mono {
		l.font("", legendSize, ink)
		var row []legendItem
		rowW := 0.0
		for i, s := range c.Series {
			name := fit(clean(s.Name, false), contentW/2, l.measure)
			if name == "" {
				name = fmt.Sprintf("Series %d", i+1)
			}
			it := legendItem{name: name, c: seriesColours[i%len(seriesColours)], w: l.measure(name) + 6}
			if rowW+it.w > contentW && len(row) > 0 {
				fr.legend = append(fr.legend, row)
				row, rowW = nil, 0
			}
			row = append(row, it)
			rowW += it.w
		}
		fr.legend = append(fr.legend, row)
		fr.legendH = float64(len(fr.legend))*legendSize*ptMM*1.5 + 0.8
	}
	fr.yTitle = axisTitle(c.Y)
	fr.xTitle = axisTitle(c.X)
	// Notes: the chart's own, and how many points a dense scatter shows.
	fr.note = c.Note
	if fr.mono {
		fr.note = strings.TrimSpace(fmt.Sprintf("All %d series (%s, …) in one colour: more than colours can tell apart.", len(c.Series), c.Series[0].Name) + " " + fr.note)
	}
	if n := pointCount(c); c.Kind == document.Scatter && n > maxScatter {
		s := fmt.Sprintf("%s of %s points drawn, sampled evenly.", thousands(maxScatter, 0), thousands(float64(n), 0))
		fr.note = strings.TrimSpace(fr.note + " " + s)
	}
	if fr.note != "" {
		l.font("", 7, muted)
		fr.noteH = float64(len(l.wrapped(clean(fr.note, true), contentW, 4)))*l.lineH() + 1.6
	}
	return fr
}

func pointCount(c *document.Chart) int {
	n := 0
	for _, s := range c.Series {
		n += len(s.Points)
	}
	return n
}

func axisTitle(a document.Axis) string {
	s := clean(a.Name, false)
	if u := clean(a.Unit, false); u != "" {
		if s == "" {
			return u
		}
		if strings.Contains(strings.ToLower(s), strings.ToLower(u)) {
			return s // "Blocked days", not "Blocked days (days)"
		}
		return s + " (" + u + ")"
	}
	return s
}

func markLabel(m document.MarkLine, step float64, format document.ValueType) string {
	v := axisValue(m.Value, step/10, format)
	if m.Name == "" {
		return v
	}
	return m.Name + " " + v
}

// total height of a chart frame, from its title to its note.
func (fr *chartFrame) height() float64 {
	h := fr.titleH + fr.legendH + 1.5 + fr.ph + xLabelsH + fr.noteH
	if fr.yTitle != "" {
		h += 3
	}
	if fr.xTitle != "" {
		h += 3.5
	}
	return h
}

func (l *layout) chartHeight(c *document.Chart) float64 {
	if !drawable(c) {
		return l.tableMinHeight(fallbackTable(c), contentW)
	}
	return l.frame(c).height()
}

func (l *layout) chart(c *document.Chart) {
	if !drawable(c) {
		l.table(fallbackTable(c), marginX, contentW)
		return
	}
	fr := l.frame(c)
	l.ensure(fr.height())
	l.blockTitle(c.Title)
	// Legend.
	for _, row := range fr.legend {
		x := marginX
		l.font("", legendSize, ink)
		for _, it := range row {
			l.fill(it.c)
			l.f.Rect(x, l.y+0.6, 3, 1.8, "F")
			l.text(x+4, l.y, 0, it.name, "L")
			x += it.w
		}
		l.y += legendSize * ptMM * 1.5
	}
	if len(fr.legend) > 0 {
		l.y += 0.8
	}
	// Y title above the axis.
	l.font("", axisSize, muted)
	if fr.yTitle != "" {
		l.text(marginX, l.y, contentW, fit(fr.yTitle, contentW, l.measure), "L")
		l.y += 3
	}
	l.y += 1.5
	fr.py = l.y
	l.axes(fr)
	l.f.ClipRect(fr.px, fr.py-0.5, fr.pw, fr.ph+1, false)
	switch c.Kind {
	case document.Line:
		l.lineSeries(fr)
	case document.Bar:
		l.bars(fr, false)
	case document.StackedBar:
		l.bars(fr, true)
	case document.StackedArea:
		l.areas(fr)
	case document.Scatter:
		l.scatter(fr)
	}
	l.f.ClipEnd()
	l.markLines(fr)
	l.y = fr.py + fr.ph
	l.xLabels(fr)
	l.y += xLabelsH
	if fr.xTitle != "" {
		l.font("", axisSize, muted)
		l.text(fr.px, l.y, fr.pw, fit(fr.xTitle, fr.pw, l.measure), "C")
		l.y += 3.5
	}
	if fr.note != "" {
		l.note(fr.note)
	}
}

// yAt is the page y of value v.
func (fr *chartFrame) yAt(v float64) float64 {
	return fr.py + fr.ph - (v-fr.ylo)/(fr.yhi-fr.ylo)*fr.ph
}

// xAt is the page x of an X value, and whether it has one.
func (fr *chartFrame) xAt(v any) (float64, bool) {
	if fr.cats != nil {
		i, ok := fr.catIndex[xLabel(v)]
		if !ok {
			return 0, false
		}
		band := fr.pw / float64(len(fr.cats))
		return fr.px + band*(float64(i)+0.5), true
	}
	x, ok := xNumber(v)
	if !ok {
		return 0, false
	}
	return fr.px + (x-fr.xlo)/(fr.xhi-fr.xlo)*fr.pw, true
}

func (l *layout) axes(fr *chartFrame) {
	l.font("", axisSize, muted)
	l.pen(0.15)
	for _, t := range fr.yticks {
		y := fr.yAt(t)
		l.draw(rule)
		l.f.Line(fr.px, y, fr.px+fr.pw, y)
		label := axisValue(t, fr.ystep, fr.c.Y.Format)
		l.text(marginX, y-axisSize*ptMM*0.55, fr.px-marginX-1.8, label, "R")
	}
	l.draw(muted)
	l.pen(0.3)
	base := fr.yAt(math.Max(fr.ylo, math.Min(0, fr.yhi)))
	l.f.Line(fr.px, base, fr.px+fr.pw, base)
}

// xLabels draws the X axis labels under the plot, thinned so they never overlap.
func (l *layout) xLabels(fr *chartFrame) {
	l.font("", axisSize, muted)
	y := l.y + 1
	if fr.cats != nil {
		n := len(fr.cats)
		band := fr.pw / float64(n)
		widest := 0.0
		for _, c := range fr.cats {
			widest = math.Max(widest, l.measure(clean(c, false)))
		}
		step := 1
		for float64(step)*band < math.Min(widest, 28)+2 && step < n {
			step++
		}
		for i := 0; i < n; i += step {
			x := fr.px + band*float64(i)
			room := band * float64(step)
			label := clean(fr.cats[i], false)
			if strings.TrimSpace(label) == "" {
				label = "(none)"
			}
			label = fit(label, room-1, l.measure)
			l.text(x+band/2-room/2, y, room, label, "C")
		}
		return
	}
	ticks, labels := xTicks(fr)
	l.draw(muted)
	l.pen(0.2)
	lastRight := math.Inf(-1)
	for i, t := range ticks {
		x := fr.px + (t-fr.xlo)/(fr.xhi-fr.xlo)*fr.pw
		l.f.Line(x, fr.py+fr.ph, x, fr.py+fr.ph+0.8)
		label := clean(labels[i], false)
		w := l.measure(label)
		left := math.Max(fr.px-4, math.Min(x-w/2, fr.px+fr.pw+fr.markW-w))
		if left < lastRight+1.5 {
			continue
		}
		l.text(left, y, w, label, "L")
		lastRight = left + w
	}
}

// xTicks are the ticks and labels of a continuous X axis: month or day starts for times, nice
// numbers otherwise.
func xTicks(fr *chartFrame) ([]float64, []string) {
	var ticks []float64
	var labels []string
	if !fr.timeX {
		ts, _, _ := niceTicks(fr.xlo, fr.xhi, 6)
		step := 1.0
		if len(ts) > 1 {
			step = ts[1] - ts[0]
		}
		for _, t := range ts {
			if t >= fr.xlo-1e-9 && t <= fr.xhi+1e-9 {
				ticks = append(ticks, t)
				labels = append(labels, axisValue(t, step, fr.c.X.Format))
			}
		}
		return ticks, labels
	}
	lo := time.Unix(int64(fr.xlo*86400), 0).UTC()
	hi := time.Unix(int64(fr.xhi*86400), 0).UTC()
	days := hi.Sub(lo).Hours() / 24
	if days > 45 {
		months := days / 30.4
		step := 1
		for _, s := range []int{1, 2, 3, 6, 12, 24, 60} {
			step = s
			if months/float64(s) <= 8 {
				break
			}
		}
		t := time.Date(lo.Year(), lo.Month(), 1, 0, 0, 0, 0, time.UTC)
		if t.Before(lo) {
			t = t.AddDate(0, 1, 0)
		}
		for ; !t.After(hi); t = t.AddDate(0, step, 0) {
			ticks = append(ticks, float64(t.Unix())/86400)
			if step >= 12 {
				labels = append(labels, t.Format("2006"))
			} else {
				labels = append(labels, t.Format("Jan 2006"))
			}
		}
		return ticks, labels
	}
	step := 1
	for _, s := range []int{1, 2, 7, 14} {
		step = s
		if days/float64(s) <= 8 {
			break
		}
	}
	t := time.Date(lo.Year(), lo.Month(), lo.Day(), 0, 0, 0, 0, time.UTC)
	if t.Before(lo) {
		t = t.AddDate(0, 0, 1)
	}
	for ; !t.After(hi); t = t.AddDate(0, 0, step) {
		ticks = append(ticks, float64(t.Unix())/86400)
		labels = append(labels, t.Format("2 Jan"))
	}
	return ticks, labels
}

// seriesPoints are a series' drawable points in X order.
type xy struct{ x, y float64 }

func (fr *chartFrame) points(s document.Series) []xy {
	var out []xy
	for _, p := range s.Points {
		if p.Y == nil || math.IsNaN(*p.Y) || math.IsInf(*p.Y, 0) {
			continue
		}
		x, ok := fr.xAt(p.X)
		if !ok {
			continue
		}
		out = append(out, xy{x, fr.yAt(*p.Y)})
	}
	if fr.cats == nil {
		sort.SliceStable(out, func(i, j int) bool { return out[i].x < out[j].x })
	}
	return out
}

func (l *layout) lineSeries(fr *chartFrame) {
	for i, s := range fr.c.Series {
		c := seriesColours[i%len(seriesColours)]
		l.draw(c)
		l.fill(c)
		l.pen(0.55)
		l.f.SetLineJoinStyle("round")
		l.f.SetLineCapStyle("round")
		// Gaps (nil values) break the line: walk the spec's points, not the filtered ones.
		var prev *xy
		drawn := 0
		for _, p := range fr.orderedWithGaps(s) {
			if p == nil {
				prev = nil
				continue
			}
			if prev != nil {
				l.f.Line(prev.x, prev.y, p.x, p.y)
			}
			prev = p
			drawn++
		}
		if drawn <= markerLimit {
			for _, p := range fr.points(s) {
				l.f.Circle(p.x, p.y, 0.6, "F")
			}
		}
		l.f.SetLineCapStyle("butt")
		l.f.SetLineJoinStyle("miter")
	}
}

// orderedWithGaps is a series' points in X order, with nil where a value is missing.
func (fr *chartFrame) orderedWithGaps(s document.Series) []*xy {
	type item struct {
		x float64
		p *xy
	}
	var items []item
	for _, p := range s.Points {
		x, ok := fr.xAt(p.X)
		if !ok {
			continue
		}
		if p.Y == nil || math.IsNaN(*p.Y) || math.IsInf(*p.Y, 0) {
			items = append(items, item{x, nil})
			continue
		}
		items = append(items, item{x, &xy{x, fr.yAt(*p.Y)}})
	}
	sort.SliceStable(items, func(i, j int) bool { return items[i].x < items[j].x })
	out := make([]*xy, len(items))
	for i, it := range items {
		out[i] = it.p
	}
	return out
}

func (l *layout) bars(fr *chartFrame, stacked bool) {
	n := len(fr.cats)
	band := fr.pw / float64(n)
	k := len(fr.c.Series)
	group := band * 0.72
	if stacked {
		group = band * 0.6
	}
	barW := group / float64(k)
	if stacked {
		barW = group
	}
	base := map[string]float64{}
	for i, s := range fr.c.Series {
		c := seriesColours[i%len(seriesColours)]
		l.fill(c)
		for _, p := range s.Points {
			if p.Y == nil || math.IsNaN(*p.Y) || math.IsInf(*p.Y, 0) {
				continue
			}
			cx, ok := fr.xAt(p.X)
			if !ok {
				continue
			}
			v := *p.Y
			x := cx - group/2
			lo := 0.0
			if stacked {
				if v < 0 {
					continue
				}
				lo = base[xLabel(p.X)]
				base[xLabel(p.X)] = lo + v
			} else {
				x += float64(i) * barW
			}
			y0, y1 := fr.yAt(lo), fr.yAt(lo+v)
			if y1 > y0 {
				y0, y1 = y1, y0
			}
			l.f.Rect(x+0.1, y1, math.Max(barW-0.2, 0.2), y0-y1, "F")
		}
	}
}

func (l *layout) areas(fr *chartFrame) {
	// Stack the series at each X position, in X order.
	type col struct {
		x   float64
		key string
	}
	var xs []col
	seen := map[string]bool{}
	for _, s := range fr.c.Series {
		for _, p := range s.Points {
			x, ok := fr.xAt(p.X)
			key := xLabel(p.X)
			if ok && !seen[key] {
				seen[key] = true
				xs = append(xs, col{x, key})
			}
		}
	}
	sort.SliceStable(xs, func(i, j int) bool { return xs[i].x < xs[j].x })
	if len(xs) == 0 {
		return
	}
	lower := make([]float64, len(xs))
	for i, s := range fr.c.Series {
		vals := map[string]float64{}
		for _, p := range s.Points {
			if p.Y != nil && *p.Y > 0 && !math.IsInf(*p.Y, 0) {
				vals[xLabel(p.X)] = *p.Y
			}
		}
		upper := make([]float64, len(xs))
		for j, c := range xs {
			upper[j] = lower[j] + vals[c.key]
		}
		var poly []fpdfPoint
		for j, c := range xs {
			poly = append(poly, fpdfPoint{X: c.x, Y: fr.yAt(upper[j])})
		}
		for j := len(xs) - 1; j >= 0; j-- {
			poly = append(poly, fpdfPoint{X: xs[j].x, Y: fr.yAt(lower[j])})
		}
		c := seriesColours[i%len(seriesColours)]
		l.fill(tint(c, 0.25))
		l.draw(c)
		l.pen(0.3)
		l.polygon(poly, "FD")
		lower = upper
	}
}

func (l *layout) scatter(fr *chartFrame) {
	total := pointCount(fr.c)
	every := 1.0
	if total > maxScatter {
		every = float64(total) / maxScatter
	}
	l.f.SetAlpha(0.6, "Normal")
	idx, next := 0, 0.0
	for i, s := range fr.c.Series {
		c := seriesColours[i%len(seriesColours)]
		if fr.mono {
			c = seriesColours[0]
		}
		l.fill(c)
		for _, p := range s.Points {
			take := float64(idx) >= next
			idx++
			if !take {
				continue
			}
			next += every
			if p.Y == nil || math.IsNaN(*p.Y) || math.IsInf(*p.Y, 0) {
				continue
			}
			x, ok := fr.xAt(p.X)
			if !ok {
				continue
			}
			l.f.Circle(x, fr.yAt(*p.Y), 0.55, "F")
		}
	}
	l.f.SetAlpha(1, "Normal")
}

// markLines draws reference lines dashed across the plot, labelled at the right (or at the
// top for vertical ones); labels are nudged apart so they never overlap.
func (l *layout) markLines(fr *chartFrame) {
	if len(fr.c.MarkLines) == 0 {
		return
	}
	l.draw(rgb{60, 66, 75})
	l.pen(0.3)
	l.f.SetDashPattern([]float64{1.4, 0.9}, 0)
	type lab struct {
		y    float64
		text string
	}
	var labs []lab
	for _, m := range fr.c.MarkLines {
		if m.OnX {
			x, ok := fr.xAt(m.Value)
			if fr.cats != nil || !ok {
				continue
			}
			l.f.Line(x, fr.py, x, fr.py+fr.ph)
			l.font("", axisSize, ink)
			l.text(x+0.8, fr.py, 0, clean(m.Name, false), "L")
			continue
		}
		y := fr.yAt(m.Value)
		l.f.Line(fr.px, y, fr.px+fr.pw, y)
		labs = append(labs, lab{y, clean(markLabel(m, fr.ystep, fr.c.Y.Format), false)})
	}
	l.f.SetDashPattern([]float64{}, 0)
	sort.Slice(labs, func(i, j int) bool { return labs[i].y > labs[j].y })
	l.font("", axisSize, ink)
	gap := axisSize * ptMM * 1.15
	last := math.Inf(1)
	for _, lb := range labs {
		y := math.Min(lb.y, last-gap)
		l.text(fr.px+fr.pw+1, y-axisSize*ptMM*0.55, fr.markW, lb.text, "L")
		last = y
	}
}

// niceTicks chooses about n round tick values covering [lo, hi].
func niceTicks(lo, hi float64, n int) ([]float64, float64, float64) {
	span := hi - lo
	if span <= 0 || math.IsNaN(span) || math.IsInf(span, 0) {
		return []float64{lo}, lo, lo + 1
	}
	raw := span / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := mag
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		step = m * mag
		if step >= raw {
			break
		}
	}
	nlo := math.Floor(lo/step+1e-9) * step
	nhi := math.Ceil(hi/step-1e-9) * step
	var ticks []float64
	for v := nlo; v <= nhi+step/2; v += step {
		ticks = append(ticks, math.Round(v/step)*step)
	}
	return ticks, nlo, nhi
}

// axisValue shows a tick value as the axis's Format says: percentages for TypePercent
// (fractions), whole numbers for TypeInt, else a number with the decimals its step needs.
func axisValue(v, step float64, format document.ValueType) string {
	switch format {
	case document.TypePercent:
		return axisNumber(v*100, step*100) + "%"
	case document.TypeInt:
		return thousands(math.Round(v), 0)
	}
	return axisNumber(v, step)
}

// axisNumber shows a tick value with as many decimals as its step needs.
func axisNumber(v, step float64) string {
	dec := 0
	if step > 0 && step < 1 {
		dec = int(math.Ceil(-math.Log10(step) - 1e-9))
		if dec > 3 {
			dec = 3
		}
	}
	if math.Abs(v) >= 10000 && step >= 1000 {
		return thousands(v/1000, 1) + "k"
	}
	return thousands(v, dec)
}

// tint mixes c with white: a of c, 1-a of white.
func tint(c rgb, a float64) rgb {
	m := func(v int) int { return int(math.Round(float64(v)*a + 255*(1-a))) }
	return rgb{m(c.r), m(c.g), m(c.b)}
}
