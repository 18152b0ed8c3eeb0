// Package document describes relscope's outputs as data, so that every output format draws the
// same thing: a Document is a list of Sections, each holding Blocks — KPI tiles, charts, tables
// and text — and every block names the named query (queries/*.sql) and parameters it was filled
// from. Renderers (reports/html, reports/xlsx, reports/pdf, reports/releaselog) implement
// Renderer and import only this package: they never touch the warehouse, so each is tested on
// hand-built documents.
//
// This is a leaf package: it imports nothing of relscope's own.
package document

import (
	"context"
	"time"
)

// Document is one report: what it is, the scope it covers, and its sections in reading order.
type Document struct {
	// Kind names the document spec that built it ("dashboard", "workbook", "monthly", "brief",
	// "releaselog"); renderers may use it to choose a layout.
	Kind string
	// Title is the document's heading, e.g. "Delivery dashboard" or "Release brief: PAY 2025.12".
	Title string
	// Subtitle is an optional line under the title (organisation, team, period in words).
	Subtitle string
	Meta     Meta
	Sections []Section
	// Coverage lists what could not be computed in this scope and which export would fill it.
	// Every output shows it.
	Coverage []Note
}

// Meta is what every output carries (DESIGN §7): as_of, scope and the relscope version.
type Meta struct {
	// AsOf is the "now" the warehouse was built at (relscope build --as-of).
	AsOf time.Time
	// Generated is when the document was made.
	Generated time.Time
	// Team is the --team scope; "" means every team.
	Team   string
	Period Period
	// Version is relscope's version string (relscope --version).
	Version string
	// Organisation is a display name for the whole scope, when the configuration gives one.
	Organisation string
	// Queries lists every named query the document used, for the "how this was computed"
	// footnote.
	Queries []QueryRef
	// Settings are the build's settings the numbers depend on (as_of, attribution window,
	// freeze days, DORA bands' report year, forecast window), in the warehouse's order, for the
	// same footnote.
	Settings []Setting
}

// Setting is one build setting, by its name in the warehouse (relscope_settings).
type Setting struct {
	Name, Value string
}

// Period is a half-open interval of time [Start, End) with the label the user gave.
type Period struct {
	// Label is the --period value as given ("2025-06", "2025-Q2", "2025", "last-90d") or
	// the default's name.
	Label      string
	Start, End time.Time
}

// Section is a titled group of blocks (overview, flow, releases, …).
type Section struct {
	// ID is a stable, URL- and sheet-name-safe identifier ("overview", "flow").
	ID    string
	Title string
	// Intro is an optional sentence under the title saying what the section answers.
	Intro  string
	Blocks []Block
}

// Block is one element of a section: *KPIGroup, *Chart, *Table or *Text.
type Block interface{ block() }

// QueryRef names the named query and parameters a block was filled from.
type QueryRef struct {
	Name   string
	Params map[string]string
}

// KPIGroup is a row of headline tiles.
type KPIGroup struct {
	ID, Title string
	KPIs      []KPI
}

// KPI is one headline number with its band and its change against the previous period.
type KPI struct {
	Label string
	// Value is nil when the number cannot be computed in this scope; Note says why.
	Value *float64
	// Type says how Value is shown (TypeDays, TypePercent, TypeNumber …).
	Type ValueType
	// Unit is shown after the value ("per week", "days"); optional.
	Unit string
	// Band is a grade such as a DORA band (elite|high|medium|low) or a readiness verdict;
	// "" when the metric has none.
	Band string
	// Previous is the same metric over the previous period, nil when unknown.
	Previous *float64
	// Better says which direction is an improvement: BetterHigher, BetterLower or "".
	Better Direction
	// Trend is the metric over the periods up to and including this one, oldest first (X a
	// label such as "2025-05" or a time.Time, Y nil where unknown), drawn as a sparkline in
	// the tile; optional.
	Trend []Point
	// Note explains a missing value or qualifies the number (basis, sample size).
	Note   string
	Source QueryRef
	// Teams, when set, holds the same tile for each team of the scope, so that a renderer
	// with an in-page team filter can show the chosen team's numbers; optional.
	Teams []TeamKPI
}

// TeamKPI is one team's values of a KPI: the KPI's label, type, unit and direction apply.
type TeamKPI struct {
	Team            string
	Value, Previous *float64
	Band, Note      string
}

// Direction says whether a higher or lower value is better.
type Direction string

// The directions of improvement.
const (
	BetterHigher Direction = "higher"
	BetterLower  Direction = "lower"
)

// ChartKind is the kind of chart. Each renderer maps it to its own native chart (an ECharts
// option, an Excel chart, a vector drawing); a kind a renderer cannot draw is shown as its
// table instead.
type ChartKind string

// The chart kinds.
const (
	// Line: one line per series over X (time or category).
	Line ChartKind = "line"
	// Bar: grouped bars, one per series at each X category. A histogram is a Bar whose X
	// categories are the bins.
	Bar ChartKind = "bar"
	// StackedBar: bars of each series stacked at each X category.
	StackedBar ChartKind = "stacked_bar"
	// StackedArea: areas stacked over X (cumulative flow).
	StackedArea ChartKind = "stacked_area"
	// Scatter: points (X, Y) per series, e.g. cycle time by delivery date.
	Scatter ChartKind = "scatter"
	// Graph: a network of Nodes and Edges (who blocks whom).
	Graph ChartKind = "graph"
)

// Chart is a chart described as data. Series hold the points; MarkLines draw reference values
// (P50/P85/P95); Table (optional) is the data shown beside the chart.
type Chart struct {
	ID, Title string
	Kind      ChartKind
	X, Y      Axis
	Series    []Series
	// MarkLines are horizontal reference lines at Y values (or vertical ones when OnX).
	MarkLines []MarkLine
	// Nodes and Edges are the Graph kind's data.
	Nodes []Node
	Edges []Edge
	// Note qualifies the chart ("5,000 of 120,000 points shown, sampled evenly").
	Note string
	// Empty says why the chart has nothing to draw ("No incident in this period."); renderers
	// fall back on its table's Empty, then on a general sentence.
	Empty  string
	Source QueryRef
	// Table is the chart's data (or its summary numbers) as a table, drawn beside or under the
	// chart; renderers that cannot draw the chart draw only the table.
	Table *Table
}

// Axis describes one axis.
type Axis struct {
	// Name is the axis title; Unit is appended in brackets by renderers ("Cycle time (days)").
	Name, Unit string
	// Type is AxisCategory, AxisTime or AxisValue.
	Type AxisType
	// Categories are the X values in order, for AxisCategory.
	Categories []string
	// Format, when set, is how the axis's values are shown, as for a table column of that
	// type: TypePercent shows fractions as percentages, TypeDays one decimal, TypeInt whole
	// numbers. "" leaves it to the renderer.
	Format ValueType
}

// AxisType says how an axis is scaled.
type AxisType string

// The axis types.
const (
	AxisCategory AxisType = "category"
	AxisTime     AxisType = "time"
	AxisValue    AxisType = "value"
)

// Series is one named set of points.
type Series struct {
	Name   string
	Points []Point
}

// Point is one data point. X is a string (category), a time.Time (time axis) or a float64
// (value axis); Y is nil for a missing value. Label is shown in tooltips (e.g. an item's key
// and title) and is data: renderers escape it.
type Point struct {
	X     any
	Y     *float64
	Label string
}

// MarkLine is a reference line.
type MarkLine struct {
	Name  string
	Value float64
	// OnX draws the line at an X value instead of a Y value.
	OnX bool
}

// Node is a vertex of a Graph chart; Value sizes it (e.g. blocked days).
type Node struct {
	ID, Label string
	Value     float64
}

// Edge is a directed edge of a Graph chart, From blocking To; Value weights it.
type Edge struct {
	From, To string
	Value    float64
	Label    string
}

// Table is a table of typed columns. Small tables hold Rows; big detail tables (workbook
// sheets) set Stream instead, which renderers that can stream read row by row.
type Table struct {
	ID, Title string
	// Description says what one row is (the grain) — the workbook's description row.
	Description string
	Columns     []Column
	Rows        [][]any
	// Stream, when set, yields the rows one at a time instead of Rows; yield's error stops it
	// (and is returned as it is). Each row is the renderer's to keep.
	Stream func(ctx context.Context, yield func(row []any) error) error `json:"-"`
	// Total is the number of rows the query returned when Rows holds only the first of them
	// (0: Rows is complete). Renderers say "first N of Total". With Stream, Total (when not 0)
	// is how many rows the stream will yield, known before the first: a renderer that must cut
	// the table says so at its top.
	Total  int64
	Source QueryRef
	// Empty is what to show when there are no rows ("no releases in this period").
	Empty string
	// Inline, for a short table, asks a renderer that gives each table a sheet of its own
	// (the workbook) to draw it where it stands among its section's blocks instead — as the
	// workbook's summary lists the upcoming releases. Renderers that draw every table in
	// place (HTML, PDF) need not look at it.
	Inline bool
}

// Column is one typed column of a Table. Values in a column are of the Go type its Type names.
type Column struct {
	// Name is the query's column name; Label the heading shown (defaults to Name).
	Name, Label string
	Type        ValueType
	// Description is the column's meaning (from the warehouse's column comments).
	Description string
}

// ValueType says what a value is and how it is shown. The Go type of a value in a Rows cell
// or a KPI is given for each; nil is always allowed and means "unknown".
type ValueType string

// The value types.
const (
	TypeText     ValueType = "text"     // string
	TypeInt      ValueType = "int"      // int64
	TypeNumber   ValueType = "number"   // float64
	TypePercent  ValueType = "percent"  // float64, a fraction: 0.25 is shown as 25%
	TypeDays     ValueType = "days"     // float64 days, shown with one decimal
	TypeHours    ValueType = "hours"    // float64 hours, shown with one decimal
	TypeDate     ValueType = "date"     // time.Time, a calendar date (UTC midnight)
	TypeDateTime ValueType = "datetime" // time.Time, UTC
	TypeBool     ValueType = "bool"     // bool
	TypeList     ValueType = "list"     // []string
	// TypeStatus is a grade renderers colour: pass|warn|fail, go|at_risk|no_go,
	// elite|high|medium|low, on_track|at_risk|overdue … (string).
	TypeStatus ValueType = "status"
	// TypeURL is a link (string); renderers only make it clickable for http(s) URLs.
	TypeURL ValueType = "url"
)

// Text is prose: an optional heading, paragraphs and bullet points (brief narratives, known
// limitations, how-to-read notes).
type Text struct {
	ID, Title  string
	Paragraphs []string
	Bullets    []string
	Source     QueryRef
}

// Note is one coverage note: a metric that could not be computed (for a team), why, and which
// export would fill the gap.
type Note struct {
	Metric string
	Team   string
	// Text says what is missing ("no commitment point for 120 of 450 delivered items").
	Text string
	// Fill says which export would fill it, when known.
	Fill string
}

func (*KPIGroup) block() {}
func (*Chart) block()    {}
func (*Table) block()    {}
func (*Text) block()     {}

// Renderer draws documents in one output format. Renderers never open the warehouse.
type Renderer interface {
	// Name is the format's name as the command line spells it ("html", "xlsx", "pdf",
	// "releaselog").
	Name() string
	// Render writes doc to dst: a file path for single-file formats, a folder for sites.
	// It writes atomically: on error the previous content of dst is left as it was.
	Render(ctx context.Context, doc *Document, dst string) error
}
