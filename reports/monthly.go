package reports

import (
	"context"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/relscope/relscope/reports/document"
)

// The monthly delivery report (`relscope report pdf`): the executive month in a few pages —
// the DORA keys with their bands, change against the previous month and a six-month line;
// cycle time and its trend; the releases shipped and their health, and those coming; the top
// bottlenecks; incidents. The tiles, the cycle-time scatter, the release scorecard and the
// blocked-days chart are the dashboard's own builders (dashboard.go), so the two agree.

// trendPeriods is how many periods the report's trend lines cover, the report's own included.
const trendPeriods = 6

// Monthly builds the monthly delivery report for scope (default period: the last full month).
func Monthly(ctx context.Context, src *Source, scope Scope) (*document.Document, error) {
	m := &monthly{d: newDashboard(src, scope), src: src, scope: scope}
	m.periods = []document.Period{scope.Span}
	for len(m.periods) < trendPeriods {
		m.periods = append([]document.Period{m.periods[0].Previous()}, m.periods...)
	}
	doc := &document.Document{Kind: "monthly", Title: "Monthly delivery report", Subtitle: subtitle(scope)}
	for _, s := range []func(context.Context) (document.Section, error){m.glance, m.cycleTime, m.releases, m.bottlenecks, m.incidents} {
		sec, err := s(ctx)
		if err != nil {
			return nil, err
		}
		doc.Sections = append(doc.Sections, sec)
	}
	return doc, nil
}

type monthly struct {
	d       *dashboard
	src     *Source
	scope   Scope
	periods []document.Period // oldest first; the report's period last
}

// params are the $team, $start, $end of period p.
func (m *monthly) params(p document.Period) map[string]string {
	return map[string]string{"team": m.scope.TeamPattern(),
		"start": p.Start.UTC().Format(time.RFC3339), "end": p.End.UTC().Format(time.RFC3339)}
}

// periodLabel is a trend period's short name: "May" for months of the report's year, else
// "May 2025"; quarters and years as labelled.
func (m *monthly) periodLabel(p document.Period) string {
	if p.Start.AddDate(0, 1, 0).Equal(p.End) && p.Start.Day() == 1 {
		if p.Start.Year() == m.scope.Span.Start.Year() {
			return p.Start.Format("Jan")
		}
		return p.Start.Format("Jan 2006")
	}
	if p.Start.IsZero() {
		return p.Label
	}
	return p.Start.Format("2 Jan 06")
}

// series runs the one-row query name over every trend period and returns each column asked
// for as a trend line (oldest first).
func (m *monthly) series(ctx context.Context, name string, cols ...string) (map[string][]document.Point, error) {
	out := map[string][]document.Point{}
	for _, p := range m.periods {
		row, _, err := m.d.row(ctx, name, m.params(p))
		if err != nil {
			return nil, err
		}
		for _, c := range cols {
			out[c] = append(out[c], document.Point{X: m.periodLabel(p), Y: Float(row[c])})
		}
	}
	return out, nil
}

// withTrends gives each tile of g, found by its label, the trend line of its column.
func withTrends(g *document.KPIGroup, trends map[string][]document.Point, columnOf map[string]string) {
	for i, k := range g.KPIs {
		if c, ok := columnOf[k.Label]; ok {
			g.KPIs[i].Trend = trends[c]
		}
	}
}

func (m *monthly) glance(ctx context.Context) (document.Section, error) {
	over, err := m.d.overview(ctx)
	if err != nil {
		return document.Section{}, err
	}
	dora, err := m.series(ctx, "dora_period", "deployments_per_week", "lead_time_hours_p50", "change_failure_rate", "recovery_hours_p50", "rework_rate")
	if err != nil {
		return document.Section{}, err
	}
	flow, err := m.series(ctx, "cycle_time_summary", "items", "p50_days", "p85_days")
	if err != nil {
		return document.Section{}, err
	}
	prev := m.scope.Span.Previous()
	var blocks []document.Block
	for _, b := range over.Blocks {
		g, ok := b.(*document.KPIGroup)
		if !ok {
			continue
		}
		switch g.ID {
		case "dora":
			g.Title = "The four keys of delivery (DORA), and rework"
			withTrends(g, dora, map[string]string{"Deployment frequency": "deployments_per_week", "Change lead time": "lead_time_hours_p50",
				"Change failure rate": "change_failure_rate", "Failed deployment recovery": "recovery_hours_p50", "Rework rate": "rework_rate"})
		case "flow-kpis":
			g.Title = "Flow"
			withTrends(g, flow, map[string]string{"Items delivered": "items", "Cycle time P50": "p50_days", "Cycle time P85": "p85_days"})
		}
		blocks = append(blocks, g)
	}
	if m.isMonth() && m.scope.Team == "" {
		bands, err := m.d.teamBands(ctx, m.scope.Span.Start.Format("2006-01"))
		if err != nil {
			return document.Section{}, err
		}
		bands.Title = "Each team's DORA bands in " + m.scope.Span.String()
		bands.Empty = "No team deployed to production in " + m.scope.Span.String() + "."
		// The teams that deploy most first; a long list is cut (the dashboard has them all).
		sort.SliceStable(bands.Rows, func(i, j int) bool { return integer(bands.Rows[i][2]) > integer(bands.Rows[j][2]) })
		if n := len(bands.Rows); n > 12 {
			bands.Rows, bands.Total = bands.Rows[:12], int64(n)
		}
		// Drop the month column: the title says it.
		bands = columns(bands, "team", "deployments", "deployment_frequency_band", "lead_time_hours_p50", "lead_time_band",
			"change_failure_rate", "change_failure_rate_band", "recovery_hours_p50", "recovery_time_band")
		blocks = append(blocks, bands)
	}
	return document.Section{ID: "glance", Title: "Delivery at a glance",
		Intro:  fmt.Sprintf("%s against %s; the line in each tile is the last %d %s.", m.scope.Span, prev, trendPeriods, m.unit()),
		Blocks: blocks}, nil
}

// isMonth says whether the report covers one calendar month.
func (m *monthly) isMonth() bool {
	s := m.scope.Span
	return s.Start.Day() == 1 && s.Start.AddDate(0, 1, 0).Equal(s.End)
}

func (m *monthly) unit() string {
	if m.isMonth() {
		return "months"
	}
	return "periods of the same length"
}

func (m *monthly) cycleTime(ctx context.Context) (document.Section, error) {
	trend, err := m.series(ctx, "cycle_time_summary", "p50_days", "p85_days", "p95_days")
	if err != nil {
		return document.Section{}, err
	}
	line := &document.Chart{ID: "cycle-trend", Title: fmt.Sprintf("Cycle-time percentiles over the last %d %s", trendPeriods, m.unit()),
		Kind: document.Line, Y: document.Axis{Name: "Cycle time", Unit: "days", Type: document.AxisValue},
		Source: document.QueryRef{Name: "cycle_time_summary", Params: m.params(m.scope.Span)}}
	line.X.Type = document.AxisCategory
	for _, p := range m.periods {
		line.X.Categories = append(line.X.Categories, m.periodLabel(p))
	}
	for _, s := range []struct{ name, col string }{{"P50", "p50_days"}, {"P85", "p85_days"}, {"P95", "p95_days"}} {
		line.Series = append(line.Series, document.Series{Name: s.name, Points: trend[s.col]})
	}
	line.Note = "Half the items took less than P50 days from commitment to delivery, 85% less than P85, 95% less than P95."
	scatter, err := m.d.cycleScatter(ctx)
	if err != nil {
		return document.Section{}, err
	}
	scatter.Title = "Each item delivered in " + m.scope.Span.String()
	return document.Section{ID: "cycle", Title: "Cycle time",
		Intro:  "How long work took from commitment to delivery, and whether that is getting better.",
		Blocks: []document.Block{line, scatter}}, nil
}

func (m *monthly) releases(ctx context.Context) (document.Section, error) {
	card, err := m.d.releaseScorecard(ctx)
	if err != nil {
		return document.Section{}, err
	}
	shipped := &document.Table{ID: "shipped", Title: "Releases shipped in " + m.scope.Span.String(), Source: card.Source,
		Empty: "No release shipped in " + m.scope.Span.String() + ".",
		Columns: []document.Column{
			{Name: "release", Label: "Release"}, {Name: "team", Label: "Team"},
			{Name: "released_at", Label: "Released", Type: document.TypeDate}, {Name: "slip_days", Label: "Days late", Type: document.TypeInt},
			{Name: "items", Label: "Items", Type: document.TypeInt}, {Name: "scope_volatility", Label: "Scope change", Type: document.TypePercent},
			{Name: "deployments", Label: "Deploys", Type: document.TypeInt}, {Name: "failed_deployments", Label: "Failed", Type: document.TypeInt},
			{Name: "incidents", Label: "Incidents", Type: document.TypeInt}, {Name: "outcome", Label: "Outcome", Type: document.TypeStatus},
		}}
	col := map[string]int{}
	for i, c := range card.Columns {
		col[c.Name] = i
	}
	successful, failed := 0, 0
	for _, r := range card.Rows {
		at, ok := r[col["released_at"]].(time.Time)
		if !ok || !m.scope.Span.Contains(at) {
			continue
		}
		outcome := "failed"
		if r[col["successful"]] == true {
			outcome = "successful"
			successful++
		} else {
			failed++
		}
		// Days late counts whole days after the planned day (released during it: 0).
		var late any
		if d, ok := r[col["slip_days"]].(float64); ok {
			late = int64(math.Floor(d))
		}
		shipped.Rows = append(shipped.Rows, []any{r[col["release"]], r[col["team"]], time.Date(at.Year(), at.Month(), at.Day(), 0, 0, 0, 0, time.UTC),
			late, r[col["items"]], r[col["scope_volatility"]], r[col["deployments"]], r[col["failed_deployments"]], r[col["incidents"]], outcome})
	}
	if n := len(shipped.Rows); n > 15 {
		shipped.Rows, shipped.Total = shipped.Rows[n-15:], int64(n)
	}
	var blocks []document.Block
	if successful+failed > 0 {
		blocks = append(blocks, &document.Text{ID: "shipped-summary", Source: card.Source, Paragraphs: []string{fmt.Sprintf(
			"%s shipped in %s: %d successful, %d with a failed deployment or an incident in their first week.",
			capital(plural(int64(successful+failed), "release")), m.scope.Span, successful, failed)}})
	}
	blocks = append(blocks, shipped)
	up, err := m.src.Table(ctx, "release_outlook", map[string]string{"team": m.scope.TeamPattern()}, []document.Column{
		{Name: "release", Label: "Release"}, {Name: "team", Label: "Team"}, {Name: "planned_date", Label: "Planned", Type: document.TypeDate},
		{Name: "items", Label: "Items", Type: document.TypeInt}, {Name: "remaining", Label: "Open", Type: document.TypeInt},
		{Name: "p85_date", Label: "85% sure by", Type: document.TypeDate}, {Name: "p_on_time", Label: "Chance on time", Type: document.TypePercent},
		{Name: "verdict", Label: "Verdict", Type: document.TypeStatus}, {Name: "why", Label: "Why"},
	})
	if err != nil {
		return document.Section{}, err
	}
	// Releases holding nothing yet are counted, not listed; at most ten are.
	var listed [][]any
	empty := 0
	for _, r := range up.Rows {
		if integer(r[3]) == 0 {
			empty++
			continue
		}
		listed = append(listed, r)
	}
	if n := len(listed); n > 10 {
		listed, up.Total = listed[:10], int64(n)
	}
	up.Rows = listed
	up.ID, up.Title = "upcoming", "Releases coming next: forecast and readiness, as of "+m.scope.AsOf.Format("2 Jan 2006")
	up.Empty = "No upcoming release holds any item yet."
	if empty > 0 {
		blocks = append(blocks, up, &document.Text{ID: "upcoming-empty", Source: up.Source, Paragraphs: []string{fmt.Sprintf(
			"%s hold no item yet. The forecast is a Monte Carlo simulation of each team's daily throughput; the verdict is the readiness checklist's (relscope brief --release R gives a release's reasons).",
			capital(plural(int64(empty), "further upcoming release")))}})
	} else {
		blocks = append(blocks, up)
	}
	return document.Section{ID: "releases", Title: "Releases",
		Intro:  "What shipped, whether it went out cleanly and on time, and what comes next.",
		Blocks: blocks}, nil
}

func (m *monthly) bottlenecks(ctx context.Context) (document.Section, error) {
	var blocks []document.Block
	if m.scope.Team == "" {
		days, err := m.d.blockedDays(ctx)
		if err != nil {
			return document.Section{}, err
		}
		const most = 8
		if len(days.X.Categories) > most {
			days.X.Categories = days.X.Categories[:most]
			days.Series[0].Points = days.Series[0].Points[:most]
			days.Note = fmt.Sprintf("The %d teams whose items held others up longest, of %d. ", most, len(days.Table.Rows)) + days.Note
		}
		days.Title = "Teams whose work blocks others the longest"
		blocks = append(blocks, days)
	} else {
		pairs, err := m.src.Table(ctx, "blocking_pairs", map[string]string{"team": m.scope.Team}, []document.Column{
			{Name: "blocker_team", Label: "Blocking team"}, {Name: "blocked_items", Label: "Items blocked", Type: document.TypeInt},
			{Name: "blocked_days", Label: "Blocked days", Type: document.TypeDays}})
		if err != nil {
			return document.Section{}, err
		}
		pairs.ID, pairs.Title, pairs.Empty = "blockers-of-team", "Teams that block "+m.scope.Team, "No other team blocks "+m.scope.Team+"'s items."
		if n := len(pairs.Rows); n > 8 {
			pairs.Rows, pairs.Total = pairs.Rows[:8], int64(n)
		}
		blocks = append(blocks, pairs)
	}
	open, err := m.src.Table(ctx, "blocked_items_by_blocker", map[string]string{"team": m.scope.TeamPattern()}, []document.Column{
		{Name: "blocker_key", Label: "Blocker"}, {Name: "blocker_team", Label: "Its team"}, {Name: "blocker_status", Label: "Its status"},
		{Name: "blocked_items", Label: "Items held", Type: document.TypeInt}, {Name: "blocked_days", Label: "Blocked days", Type: document.TypeDays},
		{Name: "items", Label: "Held items", Type: document.TypeList}})
	if err != nil {
		return document.Section{}, err
	}
	open.ID, open.Title, open.Empty = "open-blockers", "Open blockers holding the most work now", "Nothing is blocked right now."
	if n := len(open.Rows); n > 8 {
		open.Rows, open.Total = open.Rows[:8], int64(n)
	}
	blocks = append(blocks, open)
	return document.Section{ID: "bottlenecks", Title: "Bottlenecks",
		Intro:  "Where work waits on other teams, and what to unblock first.",
		Blocks: blocks}, nil
}

func (m *monthly) incidents(ctx context.Context) (document.Section, error) {
	trend, err := m.series(ctx, "incident_summary", "incidents", "resolve_hours_p50", "ack_hours_p50", "linked_to_deployment")
	if err != nil {
		return document.Section{}, err
	}
	ref := document.QueryRef{Name: "incident_summary", Params: m.params(m.scope.Span)}
	last := func(c string, back int) *float64 {
		pts := trend[c]
		if len(pts) <= back {
			return nil
		}
		return pts[len(pts)-1-back].Y
	}
	k := func(label, col string, t document.ValueType, unit string, note string) document.KPI {
		return document.KPI{Label: label, Value: last(col, 0), Previous: last(col, 1), Type: t, Unit: unit,
			Better: document.BetterLower, Trend: trend[col], Source: ref, Note: note}
	}
	linked := ""
	if n, l := last("incidents", 0), last("linked_to_deployment", 0); n != nil && l != nil && *n > 0 {
		linked = fmt.Sprintf("%.0f of them followed a production deployment.", *l)
	}
	tiles := &document.KPIGroup{ID: "incident-kpis", KPIs: []document.KPI{
		k("Incidents", "incidents", document.TypeInt, "", linked),
		k("Time to resolve (median)", "resolve_hours_p50", document.TypeHours, "hours", ""),
		k("Time to acknowledge (median)", "ack_hours_p50", document.TypeHours, "hours", ""),
	}}
	for i := range tiles.KPIs {
		if tiles.KPIs[i].Value == nil && tiles.KPIs[i].Note == "" {
			tiles.KPIs[i].Note = "no incident with this time in " + m.scope.Span.String()
		}
	}
	hot, err := m.src.Table(ctx, "incident_hotspots", map[string]string{"team": m.scope.TeamPattern()}, []document.Column{
		{Name: "name", Label: "Hotspot"}, {Name: "kind", Label: "Kind"}, {Name: "team", Label: "Team"},
		{Name: "incidents_90d", Label: "Incidents (90 days)", Type: document.TypeInt}, {Name: "open_incidents", Label: "Open", Type: document.TypeInt},
		{Name: "resolve_hours_p50", Label: "Resolve P50 (h)", Type: document.TypeHours}, {Name: "open_item_keys", Label: "Open backlog items linked", Type: document.TypeList}})
	if err != nil {
		return document.Section{}, err
	}
	hot.ID, hot.Title, hot.Empty = "hotspots", "Hotspots: services and components with 3 or more incidents in the 90 days to "+m.scope.AsOf.Format("2 Jan 2006"), "No hotspot."
	if n := len(hot.Rows); n > 6 {
		hot.Rows, hot.Total = hot.Rows[:6], int64(n)
	}
	return document.Section{ID: "incidents", Title: "Incidents",
		Intro:  "What broke in production, how fast it was fixed, and where it keeps breaking.",
		Blocks: []document.Block{tiles, hot}}, nil
}
