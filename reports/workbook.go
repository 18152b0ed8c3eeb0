package reports

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/relscope/relscope/reports/document"
)

// Workbook is the Excel workbook's document (DESIGN §7) for finance and the PMO: a summary —
// the dashboard's headline numbers with a monthly trend each, and the trend charts — then a
// section per mart family whose tables are the marts' rows in scope, a sheet each: flow (cycle
// time, aging WIP, backlog), DORA monthly, deployments, releases, estimation, blocked time and
// dependencies, pipelines, incidents, compliance. The big detail tables stream (Source.Stream).
// Every column says what it means, from the warehouse's column comments (@mart_columns).
func Workbook(ctx context.Context, src *Source, scope Scope) (*document.Document, error) {
	w := &workbook{src: src, scope: scope, d: newDashboard(src, scope)}
	if err := w.loadColumnDocs(ctx); err != nil {
		return nil, err
	}
	doc := &document.Document{Kind: "workbook", Title: "Delivery workbook", Subtitle: subtitle(scope)}
	// The dashboard's sections hold tables the workbook shows as they are (releases,
	// estimation, dependencies): build them once.
	releases, err := w.d.releases(ctx)
	if err != nil {
		return nil, err
	}
	w.dash = map[string]*document.Table{}
	w.charts = map[string]*document.Chart{}
	for _, s := range []document.Section{releases} {
		w.collect(s)
	}
	for _, f := range []func(context.Context) (document.Section, error){w.d.estimation, w.d.dependencies} {
		s, err := f(ctx)
		if err != nil {
			return nil, err
		}
		w.collect(s)
	}
	for _, s := range []func(context.Context) (document.Section, error){
		w.summary, w.flow, w.dora, w.deployments, w.releases, w.estimation, w.dependencies, w.pipelines, w.incidents,
		w.priority, w.compliance, w.readiness, w.forecasts,
	} {
		sec, err := s(ctx)
		if err != nil {
			return nil, err
		}
		doc.Sections = append(doc.Sections, sec)
	}
	return doc, nil
}

type workbook struct {
	src   *Source
	scope Scope
	d     *dashboard
	// docs[mart][column] is the column's comment in the warehouse.
	docs map[string]map[string]string
	// The dashboard's tables and charts by ID, for the sheets that show the same thing.
	dash   map[string]*document.Table
	charts map[string]*document.Chart
	// monthly is @dora_monthly's table: the DORA sheet and the summary's charts.
	monthly *document.Table
}

// collect indexes a dashboard section's charts and their tables by ID.
func (w *workbook) collect(s document.Section) {
	for _, b := range s.Blocks {
		switch x := b.(type) {
		case *document.Chart:
			w.charts[x.ID] = x
			if x.Table != nil {
				w.dash[x.ID] = x.Table
			}
		case *document.Table:
			w.dash[x.ID] = x
		}
	}
}

// loadColumnDocs reads what every mart column means (@mart_columns).
func (w *workbook) loadColumnDocs(ctx context.Context) error {
	t, err := w.src.Table(ctx, "mart_columns", nil, []document.Column{{Name: "mart"}, {Name: "column"}, {Name: "description"}})
	if err != nil {
		return err
	}
	w.docs = map[string]map[string]string{}
	for _, r := range t.Rows {
		mart, _ := r[0].(string)
		col, _ := r[1].(string)
		d, _ := r[2].(string)
		if w.docs[mart] == nil {
			w.docs[mart] = map[string]string{}
		}
		w.docs[mart][col] = d
	}
	return nil
}

// describe fills each column's description from the first of marts that has the column.
func (w *workbook) describe(t *document.Table, marts ...string) {
	for i, c := range t.Columns {
		if c.Description != "" {
			continue
		}
		for _, m := range marts {
			if d := w.docs[m][c.Name]; d != "" {
				t.Columns[i].Description = d
				break
			}
		}
	}
}

// sheet is one table of the workbook, read from a named query.
type sheet struct {
	id, title, about, empty string
	query                   string
	params                  map[string]string
	marts                   []string // where the columns' descriptions come from
	cols                    []document.Column
	stream                  bool
}

func (w *workbook) sheet(ctx context.Context, s sheet) (*document.Table, error) {
	var t *document.Table
	var err error
	if s.stream {
		t, err = w.src.Stream(ctx, s.query, s.params, s.cols)
	} else {
		t, err = w.src.Table(ctx, s.query, s.params, s.cols)
	}
	if err != nil {
		return nil, err
	}
	t.ID, t.Title, t.Description, t.Empty = s.id, s.title, s.about, s.empty
	w.describe(t, s.marts...)
	return t, nil
}

// reuse retitles a table of the dashboard's for its own sheet.
func (w *workbook) reuse(id, sheetID, title, about, empty string, marts ...string) (*document.Table, error) {
	t := w.dash[id]
	if t == nil {
		return nil, fmt.Errorf("workbook: the dashboard has no table %q", id)
	}
	c := *t
	c.Columns = append([]document.Column(nil), t.Columns...)
	c.ID, c.Title, c.Description = sheetID, title, about
	if empty != "" {
		c.Empty = empty
	}
	w.describe(&c, marts...)
	return &c, nil
}

func col(name, label string, t document.ValueType) document.Column {
	return document.Column{Name: name, Label: label, Type: t}
}

// The period's parameters, and the team's alone.
func (w *workbook) period() map[string]string { return w.d.period(false) }
func (w *workbook) team() map[string]string   { return w.d.team() }

// summary is the dashboard's headline numbers, each with its trend over the period's months,
// and the trend charts.
func (w *workbook) summary(ctx context.Context) (document.Section, error) {
	over, err := w.d.overview(ctx)
	if err != nil {
		return document.Section{}, err
	}
	var blocks []document.Block
	for _, b := range over.Blocks {
		if g, ok := b.(*document.KPIGroup); ok {
			blocks = append(blocks, g)
		}
	}
	if err := w.trends(ctx, blocks); err != nil {
		return document.Section{}, err
	}
	upcoming, err := w.upcoming(ctx)
	if err != nil {
		return document.Section{}, err
	}
	var teamTables []document.Block
	for _, b := range blocks {
		if t := teamTable(b.(*document.KPIGroup)); t != nil {
			teamTables = append(teamTables, t)
		}
	}
	blocks = append(blocks, upcoming)
	monthly, err := w.sheet(ctx, sheet{id: "dora_monthly", title: "DORA monthly",
		about: "One row per team and month: the DORA metrics and their bands.",
		query: "dora_monthly", params: w.period(), marts: []string{"mart_dora_monthly"}, empty: "No production deployments in this period.",
		cols: []document.Column{col("team", "Team", document.TypeText), col("month", "Month", document.TypeDate),
			col("deployments", "Deployments", document.TypeInt), col("successful_deployments", "Successful", document.TypeInt),
			col("failed_deployments", "Failed", document.TypeInt), col("deploy_days_per_week_p50", "Deploy days per week (median)", document.TypeNumber),
			col("deployment_frequency_band", "Frequency band", document.TypeStatus), col("lead_time_hours_p50", "Lead time (hours, median)", document.TypeHours),
			col("lead_time_basis", "Lead time basis", document.TypeText), col("lead_time_band", "Lead time band", document.TypeStatus),
			col("change_failure_rate", "Change failure rate", document.TypePercent), col("change_failure_rate_band", "Failure rate band", document.TypeStatus),
			col("recovery_hours_p50", "Recovery (hours, median)", document.TypeHours), col("recovery_time_band", "Recovery band", document.TypeStatus),
			col("rework_rate", "Rework rate", document.TypePercent), col("bands_report_year", "Bands of DORA report", document.TypeInt)}})
	if err != nil {
		return document.Section{}, err
	}
	w.monthly = monthly
	month := func(v any) any {
		if t, ok := v.(time.Time); ok {
			return t.UTC()
		}
		return v
	}
	byTeam := func(id, title string, kind document.ChartKind, ycol int, y document.Axis, note string) *document.Chart {
		c := &document.Chart{ID: id, Title: title, Kind: kind, X: document.Axis{Name: "Month", Type: document.AxisTime},
			Y: y, Series: seriesByTeam(monthly.Rows, 0, 1, ycol, month), Source: monthly.Source, Note: note}
		return c
	}
	blocks = append(blocks,
		byTeam("deployments_monthly", "Production deployments per month", document.StackedBar, 2,
			document.Axis{Name: "Deployments", Format: document.TypeInt}, ""),
		byTeam("cfr_monthly", "Change failure rate per month", document.Line, 10,
			document.Axis{Name: "Failed deployments", Format: document.TypePercent}, ""),
		byTeam("lead_time_monthly", "Change lead time per month (median)", document.Line, 7,
			document.Axis{Name: "Lead time", Unit: "hours", Format: document.TypeHours}, ""),
	)
	ct, err := w.cycleTimeTrend(ctx)
	if err != nil {
		return document.Section{}, err
	}
	tp, err := w.src.Table(ctx, "throughput_monthly", w.period(), []document.Column{col("team", "Team", document.TypeText),
		col("month", "Month", document.TypeDate), col("items", "Items", document.TypeInt)})
	if err != nil {
		return document.Section{}, err
	}
	blocks = append(blocks,
		&document.Chart{ID: "throughput_monthly", Title: "Items delivered per month", Kind: document.StackedBar,
			X: document.Axis{Name: "Month", Type: document.AxisTime}, Y: document.Axis{Name: "Items", Format: document.TypeInt},
			Series: seriesByTeam(tp.Rows, 0, 1, 2, month), Source: tp.Source},
		&document.Chart{ID: "cycle_time_monthly", Title: "Cycle time P85 per month", Kind: document.Line,
			X: document.Axis{Name: "Month", Type: document.AxisTime}, Y: document.Axis{Name: "Cycle time P85", Unit: "days", Format: document.TypeDays},
			Series: seriesByTeam(ct.Rows, 0, 1, 4, month), Source: ct.Source},
	)
	if c := w.charts["release-success"]; c != nil {
		rs := *c
		rs.Title = "Release success rate per month"
		blocks = append(blocks, &rs)
	}
	blocks = append(blocks, teamTables...)
	return document.Section{ID: "summary", Title: "Summary",
		Intro:  "The headline numbers of the period with their bands, their change against the previous period and their monthly trend; then the trends by team.",
		Blocks: blocks}, nil
}

// teamTable is a KPI group's tiles for each team (KPI.Teams) as a table: a row per team, the
// value, the previous period's value and the band of each metric. nil when the tiles have no
// per-team values.
func teamTable(g *document.KPIGroup) *document.Table {
	teams := map[string]int{}
	var names []string
	for _, k := range g.KPIs {
		for _, tk := range k.Teams {
			if _, ok := teams[tk.Team]; !ok {
				teams[tk.Team] = len(names)
				names = append(names, tk.Team)
			}
		}
	}
	if len(names) == 0 {
		return nil
	}
	title := g.Title
	if g.ID == "dora" {
		title = "DORA"
	}
	t := &document.Table{ID: g.ID + "_by_team", Title: title + " by team", Source: g.KPIs[0].Source,
		Description: "One row per team: the summary's headline metrics over the period for that team, the previous period's and the band.",
		Columns:     []document.Column{{Name: "team", Label: "Team", Type: document.TypeText, Description: "Team."}}}
	rows := make([][]any, len(names))
	for i, n := range names {
		rows[i] = []any{n}
	}
	for _, k := range g.KPIs {
		banded := false
		for _, tk := range k.Teams {
			banded = banded || tk.Band != ""
		}
		unit := ""
		if k.Unit != "" {
			unit = " (" + k.Unit + ")"
			if strings.Contains(k.Unit, "(") {
				unit = ", " + k.Unit
			}
		}
		t.Columns = append(t.Columns,
			document.Column{Name: k.Label, Label: k.Label + unit, Type: k.Type, Description: k.Label + " over the period" + unit + "."},
			document.Column{Name: k.Label + " previous", Label: k.Label + ", previous", Type: k.Type, Description: k.Label + " over the previous period."})
		if banded {
			t.Columns = append(t.Columns, document.Column{Name: k.Label + " band", Label: k.Label + ", band", Type: document.TypeStatus,
				Description: "Its DORA band (the build's report year)."})
		}
		vals := map[string]document.TeamKPI{}
		for _, tk := range k.Teams {
			vals[tk.Team] = tk
		}
		for i, n := range names {
			tk, ok := vals[n]
			var v, p, band any
			if ok {
				if tk.Value != nil {
					v = *tk.Value
				}
				if tk.Previous != nil {
					p = *tk.Previous
				}
				if tk.Band != "" {
					band = tk.Band
				}
			}
			rows[i] = append(rows[i], v, p)
			if banded {
				rows[i] = append(rows[i], band)
			}
		}
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i][0].(string) < rows[j][0].(string) })
	t.Rows = rows
	return t
}

// cycleTimeTrend is @cycle_time_trend over the months of the period.
func (w *workbook) cycleTimeTrend(ctx context.Context) (*document.Table, error) {
	start := w.scope.Span.Start.UTC()
	asOf := w.scope.AsOf.UTC()
	months := (asOf.Year()-start.Year())*12 + int(asOf.Month()-start.Month()) + 1
	t, err := w.src.Table(ctx, "cycle_time_trend", map[string]string{"team": w.scope.TeamPattern(), "months": strconv.Itoa(max(months, 1))},
		[]document.Column{col("team", "Team", document.TypeText), col("month", "Month", document.TypeDate),
			col("items", "Items", document.TypeInt), col("p50_days", "P50", document.TypeDays), col("p85_days", "P85", document.TypeDays)})
	if err != nil {
		return nil, err
	}
	t.Rows = inPeriod(t.Rows, 1, w.scope.Span)
	return t, nil
}

// inPeriod keeps the rows whose month (column col) starts in the period.
func inPeriod(rows [][]any, col int, p document.Period) [][]any {
	var out [][]any
	for _, r := range rows {
		m, ok := r[col].(time.Time)
		if !ok {
			continue
		}
		if !m.Before(time.Date(p.Start.Year(), p.Start.Month(), 1, 0, 0, 0, 0, time.UTC)) && m.Before(p.End) {
			out = append(out, r)
		}
	}
	return out
}

// seriesByTeam makes a series per team (column group) of the y column over x, teams sorted.
func seriesByTeam(rows [][]any, group, x, y int, xval func(any) any) []document.Series {
	by := map[string]*document.Series{}
	var names []string
	for _, r := range rows {
		g, _ := r[group].(string)
		if by[g] == nil {
			by[g] = &document.Series{Name: g}
			names = append(names, g)
		}
		by[g].Points = append(by[g].Points, document.Point{X: xval(r[x]), Y: f64(r[y])})
	}
	sort.Strings(names)
	out := make([]document.Series, len(names))
	for i, n := range names {
		out[i] = *by[n]
	}
	return out
}

// trendQueries say which named query and column give each headline metric, by its label on
// the dashboard's tiles; the trend is the same query over each month of the period.
var trendQueries = map[string]struct{ query, column string }{
	"Deployment frequency":       {"dora_period", "deployments_per_week"},
	"Change lead time":           {"dora_period", "lead_time_hours_p50"},
	"Change failure rate":        {"dora_period", "change_failure_rate"},
	"Failed deployment recovery": {"dora_period", "recovery_hours_p50"},
	"Rework rate":                {"dora_period", "rework_rate"},
	"Items delivered":            {"cycle_time_summary", "items"},
	"Cycle time P50":             {"cycle_time_summary", "p50_days"},
	"Cycle time P85":             {"cycle_time_summary", "p85_days"},
}

// trends fills each KPI's Trend: its query over each calendar month of the period (the last
// one up to the period's end), so the sparkline's points are the tile's number month by month.
func (w *workbook) trends(ctx context.Context, blocks []document.Block) error {
	type key struct{ query, month string }
	results := map[key]map[string]any{}
	months := monthsOf(w.scope.Span)
	for _, b := range blocks {
		g := b.(*document.KPIGroup)
		for i := range g.KPIs {
			k := &g.KPIs[i]
			tq, ok := trendQueries[k.Label]
			if !ok {
				continue
			}
			k.Trend = nil
			for _, m := range months {
				r, ok := results[key{tq.query, m.Label}]
				if !ok {
					var err error
					r, _, err = w.d.row(ctx, tq.query, map[string]string{"team": w.scope.TeamPattern(),
						"start": m.Start.Format(time.RFC3339), "end": m.End.Format(time.RFC3339)})
					if err != nil {
						return err
					}
					results[key{tq.query, m.Label}] = r
				}
				k.Trend = append(k.Trend, document.Point{X: m.Label, Y: Float(r[tq.column])})
			}
		}
	}
	return nil
}

// monthsOf splits a period into its calendar months, the first and last cut to the period.
func monthsOf(p document.Period) []document.Period {
	var out []document.Period
	start := p.Start.UTC()
	for m := time.Date(start.Year(), start.Month(), 1, 0, 0, 0, 0, time.UTC); m.Before(p.End); m = m.AddDate(0, 1, 0) {
		s, e := m, m.AddDate(0, 1, 0)
		if s.Before(start) {
			s = start
		}
		if e.After(p.End) {
			e = p.End.UTC()
		}
		out = append(out, document.Period{Label: m.Format("2006-01"), Start: s, End: e})
	}
	return out
}

func (w *workbook) flow(ctx context.Context) (document.Section, error) {
	cycle, err := w.sheet(ctx, sheet{id: "cycle_time", title: "Cycle time", stream: true,
		about: "One row per item delivered in the period: committed → delivered (cycle time) and created → delivered (lead time).",
		query: "delivered_items", params: w.period(), marts: []string{"mart_cycle_time"}, empty: "No item delivered in this period.",
		cols: []document.Column{col("item_key", "Item", document.TypeText), col("team", "Team", document.TypeText),
			col("item_type", "Type", document.TypeText), col("title", "Title", document.TypeText),
			col("created_at", "Created", document.TypeDateTime), col("committed_at", "Committed", document.TypeDateTime),
			col("committed_basis", "Commitment from", document.TypeText), col("delivered_at", "Delivered", document.TypeDateTime),
			col("delivered_via", "Delivered via", document.TypeText), col("delivered_by_deployment", "Deployment", document.TypeText),
			col("cycle_time_days", "Cycle time (days)", document.TypeDays), col("lead_time_days", "Lead time (days)", document.TypeDays)}})
	if err != nil {
		return document.Section{}, err
	}
	wip, err := w.sheet(ctx, sheet{id: "aging_wip", title: "Aging WIP", stream: true,
		about: "One row per open committed item at as_of, oldest first, with its pace against its team's cycle-time percentiles.",
		query: "open_items", params: w.team(), marts: []string{"mart_aging_wip"}, empty: "No open committed work.",
		cols: []document.Column{col("item_key", "Item", document.TypeText), col("team", "Team", document.TypeText),
			col("item_type", "Type", document.TypeText), col("title", "Title", document.TypeText),
			col("status", "Status", document.TypeText), col("status_category", "Category", document.TypeText),
			col("fix_versions", "Fix versions", document.TypeList), col("committed_at", "Committed", document.TypeDateTime),
			col("committed_basis", "Commitment from", document.TypeText), col("age_days", "Age (days)", document.TypeDays),
			col("team_p50_days", "Team P50 (days)", document.TypeDays), col("team_p85_days", "Team P85 (days)", document.TypeDays),
			col("team_p95_days", "Team P95 (days)", document.TypeDays), col("aging_status", "Pace", document.TypeStatus)}})
	if err != nil {
		return document.Section{}, err
	}
	backlog, err := w.sheet(ctx, sheet{id: "backlog", title: "Backlog", stream: true,
		about: "One row per backlog item at as_of (not committed yet), oldest first.",
		query: "backlog_items", params: w.team(), marts: []string{"mart_backlog_aging"}, empty: "No backlog.",
		cols: []document.Column{col("item_key", "Item", document.TypeText), col("team", "Team", document.TypeText),
			col("item_type", "Type", document.TypeText), col("title", "Title", document.TypeText),
			col("status", "Status", document.TypeText), col("priority", "Priority", document.TypeText),
			col("created_at", "Created", document.TypeDateTime), col("age_days", "Age (days)", document.TypeDays),
			col("age_bucket", "Age bucket", document.TypeText)}})
	if err != nil {
		return document.Section{}, err
	}
	return document.Section{ID: "flow", Title: "Flow", Blocks: []document.Block{cycle, wip, backlog}}, nil
}

func (w *workbook) dora(context.Context) (document.Section, error) {
	return document.Section{ID: "dora", Title: "DORA monthly", Blocks: []document.Block{w.monthly}}, nil
}

func (w *workbook) deployments(ctx context.Context) (document.Section, error) {
	t, err := w.sheet(ctx, sheet{id: "deployments", title: "Deployments", stream: true,
		about: "One row per deployment run in the period, any environment: outcome, failure, recovery and rework.",
		query: "deployment_runs", params: w.period(), marts: []string{"mart_deployments"}, empty: "No deployment in this period.",
		cols: []document.Column{col("deployment_id", "Deployment", document.TypeText), col("team", "Team", document.TypeText),
			col("service", "Service", document.TypeText), col("environment", "Environment", document.TypeText),
			col("is_production", "Production", document.TypeBool), col("status", "Status", document.TypeText),
			col("kind", "Kind", document.TypeText), col("version", "Version", document.TypeText),
			col("started_at", "Started", document.TypeDateTime), col("finished_at", "Finished", document.TypeDateTime),
			col("commit_time", "Commit time", document.TypeDateTime), col("change_id", "Change", document.TypeText),
			col("change_type", "Change type", document.TypeText), col("incidents", "Incidents", document.TypeInt),
			col("is_failure", "Failure", document.TypeBool), col("failure_reason", "Failure reason", document.TypeText),
			col("recovered_at", "Recovered", document.TypeDateTime), col("recovery_hours", "Recovery (hours)", document.TypeHours),
			col("is_rework", "Rework", document.TypeBool)}})
	if err != nil {
		return document.Section{}, err
	}
	return document.Section{ID: "deployments", Title: "Deployments", Blocks: []document.Block{t}}, nil
}

func (w *workbook) releases(context.Context) (document.Section, error) {
	health, err := w.reuse("release-slip", "releases", "Releases",
		"One row per release released, or planned, in the period: scope at freeze and its churn, deployments, failures, incidents, success.",
		"", "mart_release_health")
	if err != nil {
		return document.Section{}, err
	}
	for i, c := range health.Columns {
		if c.Name == "slip_days" {
			health.Columns[i].Description = "released_at − planned_date in days: positive is late, negative early; empty while not released."
		}
	}
	success, err := w.reuse("release-success", "release_success", "Release success",
		"One row per team and month of release: releases, successful ones (no failed deployment, no incident within 7 days) and the rate.",
		"No release in this period.", "mart_release_success")
	if err != nil {
		return document.Section{}, err
	}
	return document.Section{ID: "releases", Title: "Releases", Blocks: []document.Block{health, success}}, nil
}

func (w *workbook) estimation(ctx context.Context) (document.Section, error) {
	items, err := w.sheet(ctx, sheet{id: "estimation", title: "Estimation", stream: true,
		about: "One row per item resolved in the period with both planned and actual hours.",
		query: "estimated_items", params: w.period(), marts: []string{"mart_estimation_accuracy"},
		empty: "No item with both planned and actual hours resolved in this period.",
		cols: []document.Column{col("item_key", "Item", document.TypeText), col("team", "Team", document.TypeText),
			col("item_type", "Type", document.TypeText), col("story_points", "Points", document.TypeNumber),
			col("planned_hours", "Planned (hours)", document.TypeHours), col("actual_hours", "Actual (hours)", document.TypeHours),
			col("ratio", "Actual / planned", document.TypeNumber), col("abs_pct_error", "Error", document.TypePercent),
			col("within_25pct", "Within ±25%", document.TypeBool), col("resolved_at", "Resolved", document.TypeDateTime)}})
	if err != nil {
		return document.Section{}, err
	}
	teams, err := w.reuse("estimation-ratios", "estimation_teams", "Estimation by team",
		"One row per team, over all history: median actual / planned, mean absolute percentage error, share within ±25%.", "", "mart_estimation_summary")
	if err != nil {
		return document.Section{}, err
	}
	points, err := w.reuse("points-cycle", "points_cycle_time", "Points and cycle time",
		"One row per team and story-point value: cycle-time percentiles of the delivered items, to see whether points predict time.",
		"No delivered item with story points.", "mart_points_cycle_time")
	if err != nil {
		return document.Section{}, err
	}
	return document.Section{ID: "estimation", Title: "Estimation", Blocks: []document.Block{items, teams, points}}, nil
}

func (w *workbook) dependencies(ctx context.Context) (document.Section, error) {
	blocked, err := w.sheet(ctx, sheet{id: "blocked_items", title: "Blocked time", stream: true,
		about: "One row per item that spent time blocked or has a recorded blocker, most blocked first.",
		query: "blocked_items", params: w.team(), marts: []string{"mart_blocked_time"}, empty: "No blocked item.",
		cols: []document.Column{col("item_key", "Item", document.TypeText), col("team", "Team", document.TypeText),
			col("item_type", "Type", document.TypeText), col("status", "Status", document.TypeText),
			col("status_category", "Category", document.TypeText), col("fix_versions", "Fix versions", document.TypeList),
			col("blocked_days", "Blocked (days)", document.TypeDays), col("blocked_spells", "Blocked spells", document.TypeInt),
			col("blocked_by", "Blocked by", document.TypeList)}})
	if err != nil {
		return document.Section{}, err
	}
	bottlenecks, err := w.reuse("blocked-days", "bottlenecks", "Dependency bottlenecks",
		"One row per blocking team: the items it blocks, their blocked days, open blockers on upcoming releases.", "No blocker recorded.",
		"mart_dependency_bottlenecks")
	if err != nil {
		return document.Section{}, err
	}
	pairs, err := w.reuse("blocking-graph", "blocking_pairs", "Who blocks whom",
		"One row per blocking team and blocked team: the items blocked and their blocked days.", "No blocker recorded.",
		"mart_dependency_bottlenecks", "mart_blocked_time")
	if err != nil {
		return document.Section{}, err
	}
	for i, c := range pairs.Columns {
		if c.Name == "blocked_team" {
			pairs.Columns[i].Description = "Team of the blocked items."
		}
	}
	return document.Section{ID: "dependencies", Title: "Blocked time and dependencies", Blocks: []document.Block{blocked, bottlenecks, pairs}}, nil
}

func (w *workbook) pipelines(ctx context.Context) (document.Section, error) {
	t, err := w.sheet(ctx, sheet{id: "pipelines", title: "Pipelines",
		about: "One row per team, environment and month: finished deployment runs, failed runs, the failure rate.",
		query: "pipeline_runs_monthly", params: w.period(), marts: []string{"mart_pipeline_failures"}, empty: "No deployment run in this period.",
		cols: []document.Column{col("team", "Team", document.TypeText), col("environment", "Environment", document.TypeText),
			col("month", "Month", document.TypeDate), col("runs", "Runs", document.TypeInt),
			col("failures", "Failed", document.TypeInt), col("failure_rate", "Failure rate", document.TypePercent)}})
	if err != nil {
		return document.Section{}, err
	}
	return document.Section{ID: "pipelines", Title: "Pipelines", Blocks: []document.Block{t}}, nil
}

func (w *workbook) incidents(ctx context.Context) (document.Section, error) {
	inc, err := w.sheet(ctx, sheet{id: "incidents", title: "Incidents", stream: true,
		about: "One row per incident created in the period: time to acknowledge and to resolve, the deployment it is linked to.",
		query: "incident_records", params: w.period(), marts: []string{"mart_incidents"}, empty: "No incident in this period.",
		cols: []document.Column{col("incident_id", "Incident", document.TypeText), col("team", "Team", document.TypeText),
			col("service", "Service", document.TypeText), col("severity", "Severity", document.TypeText),
			col("title", "Title", document.TypeText), col("created_at", "Created", document.TypeDateTime),
			col("acknowledged_at", "Acknowledged", document.TypeDateTime), col("resolved_at", "Resolved", document.TypeDateTime),
			col("ack_hours", "To acknowledge (hours)", document.TypeHours), col("resolve_hours", "To resolve (hours)", document.TypeHours),
			col("deployment_id", "Deployment", document.TypeText), col("deployment_link", "Linked by", document.TypeText),
			col("item_keys", "Items", document.TypeList), col("deployment_item_keys", "Items the deployment shipped", document.TypeList)}})
	if err != nil {
		return document.Section{}, err
	}
	start := w.scope.Span.Start.UTC()
	asOf := w.scope.AsOf.UTC()
	months := (asOf.Year()-start.Year())*12 + int(asOf.Month()-start.Month()) + 1
	monthly, err := w.sheet(ctx, sheet{id: "incidents_monthly", title: "Incidents monthly",
		about: "One row per team, service and month: incidents, resolved, linked to a deployment, median hours to acknowledge and to resolve.",
		query: "incidents_monthly", params: map[string]string{"team": w.scope.TeamPattern(), "months": strconv.Itoa(max(months, 1))},
		marts: []string{"mart_incident_monthly"}, empty: "No incident in this period.",
		cols: []document.Column{col("team", "Team", document.TypeText), col("service", "Service", document.TypeText),
			col("month", "Month", document.TypeDate), col("incidents", "Incidents", document.TypeInt),
			col("resolved", "Resolved", document.TypeInt), col("linked_to_deployment", "Linked to a deployment", document.TypeInt),
			col("ack_hours_p50", "To acknowledge (hours, median)", document.TypeHours), col("resolve_hours_p50", "To resolve (hours, median)", document.TypeHours)}})
	if err != nil {
		return document.Section{}, err
	}
	monthly.Rows = inPeriod(monthly.Rows, 2, w.scope.Span)
	hot, err := w.sheet(ctx, sheet{id: "incident_hotspots", title: "Incident hotspots",
		about: "Services and components with 3 or more incidents in the 90 days up to as_of, with the open backlog items linked to them.",
		query: "incident_hotspots", params: w.team(), marts: []string{"mart_incident_hotspots"}, empty: "No hotspot.",
		cols: []document.Column{col("kind", "Kind", document.TypeText), col("name", "Name", document.TypeText),
			col("team", "Team", document.TypeText), col("incidents_90d", "Incidents (90 days)", document.TypeInt),
			col("open_incidents", "Open", document.TypeInt), col("resolve_hours_p50", "To resolve (hours, median)", document.TypeHours),
			col("open_item_keys", "Open items linked", document.TypeList)}})
	if err != nil {
		return document.Section{}, err
	}
	return document.Section{ID: "incidents", Title: "Incidents", Blocks: []document.Block{inc, monthly, hot}}, nil
}

// priority is every open item's priority score with each of its components (@priority_items).
func (w *workbook) priority(ctx context.Context) (document.Section, error) {
	t, err := w.sheet(ctx, sheet{id: "priority", title: "Priority", stream: true,
		about: "One row per open item (backlog, in progress, blocked) at as_of, by team and rank: score = (business value + time criticality + risk reduction) / size, each component with where it came from.",
		query: "priority_items", params: w.team(), marts: []string{"mart_backlog_priority"}, empty: "No open item.",
		cols: []document.Column{col("team", "Team", document.TypeText), col("rank", "Rank in team", document.TypeInt),
			col("item_key", "Item", document.TypeText), col("item_type", "Type", document.TypeText), col("title", "Title", document.TypeText),
			col("status", "Status", document.TypeText), col("status_category", "Category", document.TypeText),
			col("priority", "Priority", document.TypeText), col("risk_tier", "Risk tier", document.TypeInt),
			col("risk_rule", "Risk rule", document.TypeText), col("regulated", "Regulated", document.TypeBool),
			col("business_value", "Business value", document.TypeNumber), col("business_value_basis", "Business value from", document.TypeText),
			col("time_criticality", "Time criticality", document.TypeNumber), col("time_criticality_basis", "Time criticality from", document.TypeText),
			col("risk_reduction", "Risk reduction", document.TypeNumber), col("risk_reduction_basis", "Risk reduction from", document.TypeText),
			col("cost_of_delay", "Cost of delay", document.TypeNumber), col("size", "Size", document.TypeNumber),
			col("size_basis", "Size from", document.TypeText), col("score", "Score", document.TypeNumber),
			col("release", "Upcoming release", document.TypeText), col("release_planned_date", "Release planned", document.TypeDate),
			col("endorsement_required", "Needs an endorsement", document.TypeBool), col("endorsed", "Endorsed", document.TypeBool),
			col("needs_endorsement", "Awaiting endorsement", document.TypeBool)}})
	if err != nil {
		return document.Section{}, err
	}
	describeColumn(t, "rank", "1 for the team's highest score (ties: lower tier, then key).")
	return document.Section{ID: "priority", Title: "Priority", Blocks: []document.Block{t}}, nil
}

// compliance is the audit register of the period (@compliance_register): every finding on
// the production deployments that finished in it, of every gap type.
func (w *workbook) compliance(ctx context.Context) (document.Section, error) {
	gaps, err := w.sheet(ctx, sheet{id: "compliance_gaps", title: "Compliance gaps", stream: true,
		about: "One row per finding on a production deployment of the period: no change record, change not approved, no back-out plan, configuration item mismatch, not promoted, regulated items without sign-off; emergency changes listed (Gap FALSE).",
		query: "compliance_register", params: w.period(), marts: []string{"mart_compliance_gaps", "mart_deployments"}, empty: "No finding in this period.",
		cols: []document.Column{col("finished_at", "Deployed", document.TypeDateTime), col("team", "Team", document.TypeText),
			col("service", "Service", document.TypeText), col("environment", "Environment", document.TypeText),
			col("deployment_id", "Deployment", document.TypeText), col("version", "Version", document.TypeText),
			col("kind", "Kind", document.TypeText), col("gap_type", "Finding", document.TypeText), col("is_gap", "Gap", document.TypeBool),
			col("change_id", "Change", document.TypeText), col("change_type", "Change type", document.TypeText),
			col("approval", "Approval", document.TypeText), col("change_state", "Change state", document.TypeText),
			col("item_key", "Item", document.TypeText), col("detail", "Detail", document.TypeText)}})
	if err != nil {
		return document.Section{}, err
	}
	return document.Section{ID: "compliance", Title: "Compliance", Blocks: []document.Block{gaps}}, nil
}

// readiness is every upcoming release's go/no-go checklist (@release_readiness) and every
// release's rule violations (@release_violations).
func (w *workbook) readiness(ctx context.Context) (document.Section, error) {
	checks, err := w.sheet(ctx, sheet{id: "readiness", title: "Readiness",
		about: "One row per upcoming release and readiness check (pass, warn, fail) with its reason; each release's verdict (go, at_risk, no_go) last.",
		query: "release_readiness", params: map[string]string{"release": "-", "team": w.scope.TeamPattern()},
		marts: []string{"mart_release_readiness"}, empty: "No upcoming release.",
		cols: []document.Column{col("release", "Release", document.TypeText), col("project", "Project", document.TypeText),
			col("team", "Team", document.TypeText), col("planned_date", "Planned", document.TypeDate),
			col("check", "Check", document.TypeText), col("status", "Status", document.TypeStatus),
			col("detail", "Why", document.TypeText), col("items", "Items", document.TypeList)}})
	if err != nil {
		return document.Section{}, err
	}
	describeColumn(checks, "check", "forecast, open_blockers, endorsement, regulated_signoff, rollback_criteria, test_evidence, freeze, packaging, change_approval; VERDICT for the release's verdict.")
	violations, err := w.sheet(ctx, sheet{id: "release_violations", title: "Release violations",
		about: "One row per broken release rule, every release: packaging classes over their maximum, items added after the freeze (and the allowed critical-defect exceptions), items awaiting endorsement.",
		query: "release_violations", marts: []string{"mart_release_violations"}, empty: "No release breaks its rules.",
		cols: []document.Column{col("release", "Release", document.TypeText), col("team", "Team", document.TypeText),
			col("kind", "Rule", document.TypeText), col("item_key", "Item", document.TypeText), col("detail", "Detail", document.TypeText),
			col("added_at", "Added", document.TypeDateTime), col("added_by", "Added by", document.TypeText),
			col("upcoming", "Upcoming release", document.TypeBool)}})
	if err != nil {
		return document.Section{}, err
	}
	violations.Rows = keepTeam(violations.Rows, 1, w.scope.Team)
	describeColumn(violations, "added_at", "When the item was added after the freeze (freeze rules).")
	describeColumn(violations, "added_by", "Who added it, where the history says (freeze rules).")
	return document.Section{ID: "readiness", Title: "Readiness", Blocks: []document.Block{checks, violations}}, nil
}

// forecasts is every upcoming release's Monte Carlo forecast with its assumptions
// (@upcoming_forecasts), and how past forecasts fared (@forecast_backtest,
// @forecast_calibration).
func (w *workbook) forecasts(ctx context.Context) (document.Section, error) {
	f, err := w.sheet(ctx, sheet{id: "forecasts", title: "Forecasts",
		about: "One row per upcoming release: when its remaining items will be done (P50/P85/P95 of 10,000 trials over the team's daily throughput), the chance of making the planned date, and the assumptions — or why there is no forecast.",
		query: "upcoming_forecasts", params: w.team(), marts: []string{"mart_release_forecast"}, empty: "No upcoming release.",
		cols: []document.Column{col("release", "Release", document.TypeText), col("project", "Project", document.TypeText),
			col("team", "Team", document.TypeText), col("teams", "Teams whose throughput counts", document.TypeList),
			col("planned_date", "Planned", document.TypeDate), col("items", "Items", document.TypeInt),
			col("remaining", "Remaining", document.TypeInt), col("p50_date", "P50 date", document.TypeDate),
			col("p85_date", "P85 date", document.TypeDate), col("p95_date", "P95 date", document.TypeDate),
			col("p_on_time", "P(on time)", document.TypePercent), col("how_many_by_planned_p85", "Done by the planned date (85% sure)", document.TypeInt),
			col("cut_line", "Above the cut line", document.TypeList), col("below_cut_line", "Below the cut line", document.TypeList),
			col("window_days", "Window (days)", document.TypeInt), col("window_start", "Window from", document.TypeDate),
			col("window_end", "Window to", document.TypeDate), col("delivering_days", "Delivering days", document.TypeInt),
			col("delivered_in_window", "Delivered in window", document.TypeInt), col("trials", "Trials", document.TypeInt),
			col("seed", "Seed", document.TypeInt), col("beyond_horizon", "Beyond 10 years", document.TypePercent),
			col("reason", "No forecast because", document.TypeText)}})
	if err != nil {
		return document.Section{}, err
	}
	backtest, err := w.sheet(ctx, sheet{id: "forecast_backtest", title: "Forecast backtest",
		about: "One row per past release, all history: the forecast made forecast_backtest_days before it went out, against when it did.",
		query: "forecast_backtest", params: w.team(), marts: []string{"mart_forecast_backtest"}, empty: "No past release to backtest.",
		cols: []document.Column{col("release", "Release", document.TypeText), col("team", "Team", document.TypeText),
			col("forecast_on", "Forecast on", document.TypeDate), col("remaining", "Remaining then", document.TypeInt),
			col("p50_date", "P50 date", document.TypeDate), col("p85_date", "P85 date", document.TypeDate),
			col("planned_date", "Planned", document.TypeDate), col("released_on", "Released", document.TypeDate),
			col("released_by_p85", "Out by P85", document.TypeBool), col("days_after_p85", "Days after P85", document.TypeInt),
			col("released_by_planned", "Out by planned", document.TypeBool), col("reason", "No forecast because", document.TypeText)}})
	if err != nil {
		return document.Section{}, err
	}
	calibration, err := w.sheet(ctx, sheet{id: "forecast_calibration", title: "Forecast calibration",
		about: "One row per team, all history: of the backtested releases with a forecast, the share out by their P85 date (about 85% is well calibrated).",
		query: "forecast_calibration", params: w.team(), marts: []string{"mart_forecast_calibration"}, empty: "No past release to backtest.",
		cols: []document.Column{col("team", "Team", document.TypeText), col("releases", "Releases", document.TypeInt),
			col("forecasted", "With a forecast", document.TypeInt), col("released_by_p85", "Out by P85", document.TypeInt),
			col("share_by_p85", "Share out by P85", document.TypePercent), col("days_after_p85_p50", "Days after P85 (median)", document.TypeDays),
			col("released_by_planned", "Out by planned", document.TypeInt)}})
	if err != nil {
		return document.Section{}, err
	}
	return document.Section{ID: "forecasts", Title: "Forecasts", Blocks: []document.Block{f, backtest, calibration}}, nil
}

// upcoming is the summary's list of upcoming releases with their verdicts and P85 dates
// (@release_outlook), drawn on the summary itself.
func (w *workbook) upcoming(ctx context.Context) (*document.Table, error) {
	t, err := w.sheet(ctx, sheet{id: "upcoming_releases", title: "Upcoming releases: forecast and readiness",
		about: "Each upcoming release's readiness verdict and the date by which 85% of the forecast's trials finish its remaining items; the Readiness and Forecasts sheets hold the checks and the assumptions.",
		query: "release_outlook", params: w.team(), marts: []string{"mart_release_forecast", "mart_release_readiness"}, empty: "No upcoming release.",
		cols: []document.Column{col("release", "Release", document.TypeText), col("team", "Team", document.TypeText),
			col("planned_date", "Planned", document.TypeDate), col("items", "Items", document.TypeInt),
			col("remaining", "Remaining", document.TypeInt), col("p85_date", "P85 date", document.TypeDate),
			col("p_on_time", "P(on time)", document.TypePercent), col("verdict", "Verdict", document.TypeStatus),
			col("why", "Why", document.TypeText)}})
	if err != nil {
		return nil, err
	}
	describeColumn(t, "verdict", "go, at_risk (a check warns) or no_go (a check fails).")
	describeColumn(t, "why", "The failing and warning checks, or that all pass.")
	t.Inline = true
	return t, nil
}

// describeColumn sets the description of column name (a query column the marts name otherwise).
func describeColumn(t *document.Table, name, d string) {
	for i, c := range t.Columns {
		if c.Name == name {
			t.Columns[i].Description = d
		}
	}
}
