package html

import (
	"math"
	"strings"
	"time"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/relscope/relscope/reports/document"
)

// Palette is Okabe and Ito's colour-blind-safe palette (Color Universal Design), in the order
// series take it; yellow comes last, being faint on white.
var Palette = []string{"#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#000000", "#F0E442"}

// chartSpec is what the page script needs for one chart: the ECharts option go-echarts built
// and what the script adds itself (tooltip formatting, units, filters).
type chartSpec struct {
	ID     string         `json:"id"`
	Kind   string         `json:"kind"`
	Option map[string]any `json:"option"`
	// XTime says the X axis is time (the period filter zooms it); XCats are its categories.
	XTime bool   `json:"x_time,omitempty"`
	XUnit string `json:"x_unit,omitempty"`
	YUnit string `json:"y_unit,omitempty"`
	// Empty is shown over the chart when it has no data.
	Empty string `json:"empty,omitempty"`
}

// axisName is "Name (unit)", or the name alone when it already says the unit ("Items",
// "Blocked days").
func axisName(a document.Axis) string {
	if a.Unit != "" && a.Name != "" && strings.Contains(strings.ToLower(a.Name), strings.ToLower(a.Unit)) {
		return a.Name
	}
	if a.Unit != "" && a.Name != "" {
		return a.Name + " (" + a.Unit + ")"
	}
	return a.Name + a.Unit
}

func echartsAxisType(a document.Axis, fallback string) string {
	switch a.Type {
	case document.AxisTime:
		return "time"
	case document.AxisValue:
		return "value"
	case document.AxisCategory:
		return "category"
	}
	return fallback
}

// xValue is a point's X as ECharts reads it: a time as RFC 3339, else as given.
func xValue(x any) any {
	if t, ok := x.(time.Time); ok {
		return t.UTC().Format(time.RFC3339)
	}
	return x
}

// yValue is a point's Y, "-" (ECharts' missing value) when nil or not finite.
func yValue(y *float64) any {
	if y == nil || math.IsNaN(*y) || math.IsInf(*y, 0) {
		return "-"
	}
	return *y
}

// teamColours gives every team its own colour of the Palette, in the order given (cycling
// when there are more teams than colours), so a team looks the same in every chart. Yellow
// is left out: a team's line or dots in it are hard to see on white.
func teamColours(teams []string) map[string]string {
	out := make(map[string]string, len(teams))
	strong := Palette[:len(Palette)-1]
	for _, t := range teams {
		if _, ok := out[t]; !ok {
			out[t] = strong[len(out)%len(strong)]
		}
	}
	return out
}

// statusColours are the colours of grades, as the page's badges show them (page.css): a
// chart whose series are grades (an item's pace, a readiness verdict) uses the same.
var statusColours = map[string]string{
	"elite": Palette[0], "go": Palette[0], "pass": Palette[0], "on_track": Palette[0],
	"high": Palette[2], "watch": Palette[2],
	"medium": Palette[1], "warn": Palette[1], "at_risk": Palette[1],
	"low": Palette[3], "fail": Palette[3], "no_go": Palette[3], "critical": Palette[3], "overdue": Palette[3],
	"no_baseline": "#777777",
}

// seriesName is how a series is named in the legend and tooltips: grades read with spaces
// (on track, at risk, no go), as their badges do; a team's or anything else's name as it is.
func seriesName(c *document.Chart, name string) string {
	for _, s := range c.Series {
		if _, ok := statusColours[s.Name]; !ok {
			return name
		}
	}
	return strings.ReplaceAll(name, "_", " ")
}

// seriesColours is the colour list of a chart whose series are all teams (each in its team's
// colour) or all grades (each in its grade's colour). Other charts (environments, states,
// percentiles) take the Palette in order.
func seriesColours(c *document.Chart, teams map[string]string) []string {
	if len(c.Series) == 0 {
		return Palette
	}
	for _, named := range []map[string]string{teams, statusColours} {
		out := make([]string, 0, len(c.Series))
		for _, s := range c.Series {
			col, ok := named[s.Name]
			if !ok {
				break
			}
			out = append(out, col)
		}
		if len(out) == len(c.Series) {
			return out
		}
	}
	return Palette
}

// chartOption builds the ECharts option of c with go-echarts; teams are the page's team colours.
func chartOption(c *document.Chart, id string, teams map[string]string) chartSpec {
	spec := chartSpec{ID: id, Kind: string(c.Kind), XTime: c.X.Type == document.AxisTime, XUnit: c.X.Unit, YUnit: c.Y.Unit}
	empty := true
	for _, s := range c.Series {
		if len(s.Points) > 0 {
			empty = false
		}
	}
	if c.Kind == document.Graph {
		empty = len(c.Nodes) == 0
	}
	if empty {
		// Why it is empty, as its table says it ("No incident in this period."), else in general.
		spec.Empty = "No data in this scope"
		if c.Empty != "" {
			spec.Empty = c.Empty
		} else if c.Table != nil && c.Table.Empty != "" {
			spec.Empty = c.Table.Empty
		}
	}
	global := []charts.GlobalOpts{
		charts.WithColorsOpts(opts.Colors(seriesColours(c, teams))),
		charts.WithAnimation(false),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(len(c.Series) > 1), Type: "scroll", Top: "0", Left: "center"}),
		charts.WithGridOpts(opts.Grid{Left: "12", Right: "32", Top: "56", Bottom: "36", ContainLabel: opts.Bool(true)}),
		charts.WithToolboxOpts(opts.Toolbox{Show: opts.Bool(false)}),
	}
	xAxis := opts.XAxis{Name: axisName(c.X), NameLocation: "middle", NameGap: 28, Type: echartsAxisType(c.X, "category")}
	yAxis := opts.YAxis{Name: axisName(c.Y), NameLocation: "end", NameGap: 12, Type: echartsAxisType(c.Y, "value")}
	if c.X.Type == document.AxisCategory || (c.X.Type == "" && len(c.X.Categories) > 0) {
		xAxis.Data = c.X.Categories
	}
	axes := []charts.GlobalOpts{charts.WithXAxisOpts(xAxis), charts.WithYAxisOpts(yAxis)}
	if spec.XTime || len(c.X.Categories) > 0 {
		global = append(global, charts.WithDataZoomOpts(opts.DataZoom{Type: "inside", XAxisIndex: 0, FilterMode: "none"}))
	}
	markLines := func() []charts.SeriesOpts {
		var ys []opts.MarkLineNameYAxisItem
		var xs []opts.MarkLineNameXAxisItem
		for _, m := range c.MarkLines {
			if m.OnX {
				xs = append(xs, opts.MarkLineNameXAxisItem{Name: m.Name, XAxis: m.Value})
			} else {
				ys = append(ys, opts.MarkLineNameYAxisItem{Name: m.Name, YAxis: m.Value})
			}
		}
		var so []charts.SeriesOpts
		if len(ys) > 0 {
			so = append(so, charts.WithMarkLineNameYAxisItemOpts(ys...))
		}
		if len(xs) > 0 {
			so = append(so, charts.WithMarkLineNameXAxisItemOpts(xs...))
		}
		if len(so) > 0 {
			so = append(so, charts.WithMarkLineStyleOpts(opts.MarkLineStyle{
				Symbol: []string{"none", "none"},
				Label:  &opts.Label{Show: opts.Bool(true), Formatter: "{b}: {c}", Position: "insideEndTop", BackgroundColor: "rgba(255,255,255,0.85)"},
			}))
		}
		return so
	}

	switch c.Kind {
	case document.Scatter:
		ch := charts.NewScatter()
		ch.SetGlobalOptions(append(global, axes...)...)
		for i, s := range c.Series {
			data := make([]opts.ScatterData, len(s.Points))
			for j, p := range s.Points {
				data[j] = opts.ScatterData{Name: p.Label, Value: []any{xValue(p.X), yValue(p.Y)}, SymbolSize: 6}
			}
			var so []charts.SeriesOpts
			if i == 0 {
				so = markLines()
			}
			ch.AddSeries(seriesName(c, s.Name), data, so...)
		}
		if len(c.Series) == 0 && len(c.MarkLines) > 0 {
			ch.AddSeries("", nil, markLines()...)
		}
		ch.Validate()
		spec.Option = ch.JSON()
	case document.Bar, document.StackedBar:
		ch := charts.NewBar()
		ch.SetGlobalOptions(append(append(global, axes...),
			charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}))...)
		ch.SetXAxis(c.X.Categories)
		for i, s := range c.Series {
			data := make([]opts.BarData, len(s.Points))
			for j, p := range s.Points {
				data[j] = opts.BarData{Name: p.Label, Value: yValue(p.Y)}
			}
			var so []charts.SeriesOpts
			if c.Kind == document.StackedBar {
				so = append(so, charts.WithBarChartOpts(opts.BarChart{Stack: "total"}))
			}
			if i == 0 {
				so = append(so, markLines()...)
			}
			ch.AddSeries(seriesName(c, s.Name), data, so...)
		}
		ch.Validate()
		spec.Option = ch.JSON()
	case document.Line, document.StackedArea:
		ch := charts.NewLine()
		ch.SetGlobalOptions(append(append(global, axes...),
			charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}))...)
		if !spec.XTime {
			ch.SetXAxis(c.X.Categories)
		}
		for i, s := range c.Series {
			data := make([]opts.LineData, len(s.Points))
			for j, p := range s.Points {
				if spec.XTime {
					data[j] = opts.LineData{Name: p.Label, Value: []any{xValue(p.X), yValue(p.Y)}}
				} else {
					data[j] = opts.LineData{Name: p.Label, Value: yValue(p.Y)}
				}
			}
			so := []charts.SeriesOpts{charts.WithLineChartOpts(opts.LineChart{ShowSymbol: opts.Bool(len(s.Points) <= 60), ConnectNulls: opts.Bool(false)})}
			if c.Kind == document.StackedArea {
				so = append(so, charts.WithLineChartOpts(opts.LineChart{Stack: "total", ShowSymbol: opts.Bool(false)}),
					charts.WithAreaStyleOpts(opts.AreaStyle{Opacity: opts.Float(0.6)}))
			}
			if i == 0 {
				so = append(so, markLines()...)
			}
			ch.AddSeries(seriesName(c, s.Name), data, so...)
		}
		ch.Validate()
		spec.Option = ch.JSON()
	case document.Graph:
		ch := charts.NewGraph()
		ch.SetGlobalOptions(global...)
		maxV := 0.0
		for _, n := range c.Nodes {
			maxV = math.Max(maxV, n.Value)
		}
		nodes := make([]opts.GraphNode, len(c.Nodes))
		for i, n := range c.Nodes {
			size := float32(12)
			if maxV > 0 {
				size = float32(12 + 36*math.Sqrt(n.Value/maxV))
			}
			label := n.Label
			if label == "" {
				label = n.ID
			}
			nodes[i] = opts.GraphNode{Name: label, Value: float32(n.Value), SymbolSize: size}
		}
		byID := map[string]string{}
		for _, n := range c.Nodes {
			byID[n.ID] = n.Label
			if n.Label == "" {
				byID[n.ID] = n.ID
			}
		}
		links := make([]opts.GraphLink, 0, len(c.Edges))
		for _, e := range c.Edges {
			links = append(links, opts.GraphLink{Source: byID[e.From], Target: byID[e.To], Value: float32(e.Value)})
		}
		ch.AddSeries("blocks", nodes, links, charts.WithGraphChartOpts(opts.GraphChart{
			Layout: "circular", Roam: opts.Bool(true), EdgeSymbol: []string{"none", "arrow"}, EdgeSymbolSize: []int{0, 10},
		}), charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "right"}),
			charts.WithLineStyleOpts(opts.LineStyle{Curveness: 0.2, Opacity: opts.Float(0.7)}))
		ch.Validate()
		spec.Option = ch.JSON()
	default:
		// A kind this renderer cannot draw: the table beside it carries the data.
		spec.Empty = "This chart kind (" + strings.TrimSpace(string(c.Kind)) + ") is shown as its table"
		spec.Option = map[string]any{}
	}
	// Titles are drawn in the page (HTML, escaped), not on the canvas; the chart's name is
	// still given to ECharts' accessibility description.
	delete(spec.Option, "title")
	spec.Option["aria"] = map[string]any{"enabled": true}
	return spec
}
