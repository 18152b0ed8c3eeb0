package reports

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/relscope/relscope/queries"
	"github.com/relscope/relscope/reports/document"
)

// Dashboard is the HTML dashboard's document (DESIGN §7): overview, flow, releases,
// estimation, dependencies, pipelines, incidents, risk & compliance.
func Dashboard(ctx context.Context, src *Source, scope Scope) (*document.Document, error) {
	d := newDashboard(src, scope)
	doc := &document.Document{Kind: "dashboard", Title: "Delivery dashboard", Subtitle: subtitle(scope)}
	for _, s := range []func(context.Context) (document.Section, error){
		d.overview, d.flow, d.releases, d.estimation, d.dependencies, d.pipelines, d.incidents, d.compliance,
	} {
		sec, err := s(ctx)
		if err != nil {
			return nil, err
		}
		doc.Sections = append(doc.Sections, sec)
	}
	return doc, nil
}

func subtitle(scope Scope) string {
	who := "Every team"
	if scope.Team != "" {
		who = "Team " + scope.Team
	}
	return fmt.Sprintf("%s · %s", who, scope.Span)
}

// newDashboard holds the dashboard's section builders for scope; the workbook reuses some of
// them for the same numbers and charts.
func newDashboard(src *Source, scope Scope) *dashboard {
	d := &dashboard{src: src, scope: scope}
	d.start, d.end = scope.PeriodParams()
	prev := scope.Span.Previous()
	d.prevStart, d.prevEnd = prev.Start.UTC().Format(time.RFC3339), prev.End.UTC().Format(time.RFC3339)
	return d
}

type dashboard struct {
	src                            *Source
	scope                          Scope
	start, end, prevStart, prevEnd string
}

// period is the $team, $start, $end parameters of the scope (or of the previous period).
func (d *dashboard) period(prev bool) map[string]string {
	if prev {
		return map[string]string{"team": d.scope.TeamPattern(), "start": d.prevStart, "end": d.prevEnd}
	}
	return map[string]string{"team": d.scope.TeamPattern(), "start": d.start, "end": d.end}
}

func (d *dashboard) team() map[string]string { return map[string]string{"team": d.scope.TeamPattern()} }

// row runs a one-row query and returns its values by column name (empty when no row).
func (d *dashboard) row(ctx context.Context, name string, params map[string]string) (map[string]any, document.QueryRef, error) {
	res, ref, err := d.src.Query(ctx, name, params)
	if err != nil {
		return nil, ref, err
	}
	out := map[string]any{}
	if len(res.Rows) > 0 {
		for i, c := range res.Columns {
			out[c] = res.Rows[0][i]
		}
	}
	return out, ref, nil
}

func text(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return ""
}

// rows runs a query whose first row is the scope's and whose other rows are one team's each
// (its team column set): the scope's values by column name (empty when no row), and each
// team's.
func (d *dashboard) rows(ctx context.Context, name string, params map[string]string) (map[string]any, map[string]map[string]any, document.QueryRef, error) {
	res, ref, err := d.src.Query(ctx, name, params)
	if err != nil {
		return nil, nil, ref, err
	}
	scope, teams := map[string]any{}, map[string]map[string]any{}
	for i, r := range res.Rows {
		row := map[string]any{}
		for j, c := range res.Columns {
			row[c] = r[j]
		}
		if i == 0 {
			scope = row
		} else if t := text(row["team"]); t != "" {
			teams[t] = row
		}
	}
	return scope, teams, ref, nil
}

// headline runs a headline query for the period and the previous one — with a row per team
// too, for the page's team filter, when the scope is every team — and builds its tiles with
// build, from the scope's rows and from each team's.
func (d *dashboard) headline(ctx context.Context, name string, build func(cur, prev map[string]any, ref document.QueryRef) []document.KPI) ([]document.KPI, error) {
	p, pp := d.period(false), d.period(true)
	if d.scope.Team == "" {
		p["per_team"], pp["per_team"] = "true", "true"
	}
	cur, curTeams, ref, err := d.rows(ctx, name, p)
	if err != nil {
		return nil, err
	}
	prev, prevTeams, _, err := d.rows(ctx, name, pp)
	if err != nil {
		return nil, err
	}
	kpis := build(cur, prev, ref)
	var teams []string
	for t := range curTeams {
		teams = append(teams, t)
	}
	for t := range prevTeams {
		if curTeams[t] == nil {
			teams = append(teams, t)
		}
	}
	sort.Strings(teams)
	for _, t := range teams {
		c, pr := curTeams[t], prevTeams[t]
		if c == nil {
			c = map[string]any{}
		}
		if pr == nil {
			pr = map[string]any{}
		}
		for i, k := range build(c, pr, ref) {
			kpis[i].Teams = append(kpis[i].Teams, document.TeamKPI{Team: t, Value: k.Value, Previous: k.Previous, Band: k.Band, Note: k.Note})
		}
	}
	return kpis, nil
}

// doraKPIs are the DORA tiles from @dora_period's row for the period and the previous one.
func doraKPIs(cur, prev map[string]any, ref document.QueryRef) []document.KPI {
	kpi := func(label, col, band string, t document.ValueType, unit string, better document.Direction, note string) document.KPI {
		k := document.KPI{Label: label, Value: Float(cur[col]), Previous: Float(prev[col]), Type: t, Unit: unit,
			Better: better, Band: text(cur[band]), Source: ref, Note: note}
		if k.Value == nil {
			k.Note = "not computable in this scope"
			if f := Float(cur["deployments"]); f == nil || *f == 0 {
				k.Note = "no production deployment in the period"
			}
		}
		return k
	}
	lead := "basis: " + text(cur["lead_time_basis"])
	if text(cur["lead_time_basis"]) == "items" {
		lead = "basis: items (committed → delivered); no commit times"
	}
	deploys := Float(cur["deployments"])
	recoveryNote := ""
	if f := Float(cur["failed_deployments"]); f != nil && *f == 0 {
		recoveryNote = "no failed deployments"
	}
	return []document.KPI{
		kpi("Deployment frequency", "deployments_per_week", "deployment_frequency_band", document.TypeNumber, "per week", document.BetterHigher,
			fmt.Sprintf("band from the median deployment days per week (%v)", fmtAny(cur["deploy_days_per_week_p50"]))),
		kpi("Change lead time", "lead_time_hours_p50", "lead_time_band", document.TypeHours, "hours", document.BetterLower, lead),
		kpi("Change failure rate", "change_failure_rate", "change_failure_rate_band", document.TypePercent, "", document.BetterLower,
			fmt.Sprintf("%v of %v production deployments", fmtAny(cur["failed_deployments"]), fmtAny(deploysOr0(deploys)))),
		kpi("Failed deployment recovery", "recovery_hours_p50", "recovery_time_band", document.TypeHours, "hours (median)", document.BetterLower, recoveryNote),
		kpi("Rework rate", "rework_rate", "", document.TypePercent, "", document.BetterLower, "hotfixes, rollbacks, emergency changes"),
	}
}

// flowKPIs are the flow tiles from @cycle_time_summary's row for the period and the previous one.
func flowKPIs(cur, prev map[string]any, ref document.QueryRef) []document.KPI {
	note := ""
	if f := Float(cur["items"]); f == nil || *f == 0 {
		note = "no item delivered with a cycle time in the period"
	}
	return []document.KPI{
		{Label: "Items delivered", Value: Float(cur["items"]), Previous: Float(prev["items"]), Type: document.TypeInt, Better: document.BetterHigher, Source: ref,
			Note: "with a known commitment point (cycle time)"},
		{Label: "Cycle time P50", Value: Float(cur["p50_days"]), Previous: Float(prev["p50_days"]), Type: document.TypeDays, Unit: "days", Better: document.BetterLower, Source: ref, Note: note},
		{Label: "Cycle time P85", Value: Float(cur["p85_days"]), Previous: Float(prev["p85_days"]), Type: document.TypeDays, Unit: "days", Better: document.BetterLower, Source: ref, Note: note},
	}
}

func (d *dashboard) overview(ctx context.Context) (document.Section, error) {
	dora, err := d.headline(ctx, "dora_period", doraKPIs)
	if err != nil {
		return document.Section{}, err
	}
	tiles := &document.KPIGroup{ID: "dora", Title: "DORA metrics over the period, against the previous " + d.scope.Span.Previous().String(), KPIs: dora}
	fl, err := d.headline(ctx, "cycle_time_summary", flowKPIs)
	if err != nil {
		return document.Section{}, err
	}
	flow := &document.KPIGroup{ID: "flow-kpis", Title: "Flow", KPIs: fl}
	byTeam, err := d.teamBands(ctx, "")
	if err != nil {
		return document.Section{}, err
	}
	return document.Section{ID: "overview", Title: "Overview",
		Intro:  "The headline numbers of the period, each with its DORA band and its change against the previous period of the same length.",
		Blocks: []document.Block{tiles, flow, byTeam}}, nil
}

// teamBands is each team's DORA metrics and bands in month (YYYY-MM; "" for the last complete
// month before as_of).
func (d *dashboard) teamBands(ctx context.Context, month string) (*document.Table, error) {
	var params map[string]string
	if month != "" {
		params = map[string]string{"month": month}
	}
	byTeam, err := d.src.Table(ctx, "dora_latest", params, []document.Column{
		{Name: "team", Label: "Team"}, {Name: "month", Label: "Month", Type: document.TypeDate},
		{Name: "deployments", Label: "Deployments", Type: document.TypeInt},
		{Name: "deployment_frequency_band", Label: "Frequency", Type: document.TypeStatus},
		{Name: "lead_time_hours_p50", Label: "Lead time (h)", Type: document.TypeHours},
		{Name: "lead_time_band", Label: "Lead time", Type: document.TypeStatus},
		{Name: "change_failure_rate", Label: "CFR", Type: document.TypePercent},
		{Name: "change_failure_rate_band", Label: "CFR band", Type: document.TypeStatus},
		{Name: "recovery_hours_p50", Label: "Recovery (h)", Type: document.TypeHours},
		{Name: "recovery_time_band", Label: "Recovery", Type: document.TypeStatus},
	})
	if err != nil {
		return nil, err
	}
	byTeam.ID, byTeam.Title = "dora-teams", "Each team's DORA bands in the last complete month"
	byTeam.Rows = keepTeam(byTeam.Rows, 0, d.scope.Team)
	return byTeam, nil
}

func deploysOr0(f *float64) any {
	if f == nil {
		return 0
	}
	return *f
}

func fmtAny(v any) string {
	if f := Float(v); f != nil {
		if *f == float64(int64(*f)) {
			return fmt.Sprintf("%d", int64(*f))
		}
		return fmt.Sprintf("%.2g", *f)
	}
	if v == nil {
		return "—"
	}
	return fmt.Sprint(v)
}

// keepTeam keeps the rows whose column col is team (all rows when team is "").
func keepTeam(rows [][]any, col int, team string) [][]any {
	if team == "" {
		return rows
	}
	var out [][]any
	for _, r := range rows {
		if s, _ := r[col].(string); s == team {
			out = append(out, r)
		}
	}
	return out
}

// f64 is a cell as a chart's Y: nil for NULL, a number (of any driver type) otherwise; a
// *float64 (a cell scaled in place, such as a rate as a percentage) is taken as it is.
func f64(v any) *float64 {
	if p, ok := v.(*float64); ok {
		return p
	}
	return Float(v)
}

// seriesBy turns rows into one series per value of the group column, over the categories of
// the x column (a missing point is nil), in the order categories first appear.
func seriesBy(rows [][]any, group, x, y int, label func(any) string) ([]string, []document.Series) {
	var cats []string
	seen := map[string]bool{}
	var names []string
	vals := map[string]map[string]*float64{}
	for _, r := range rows {
		c := label(r[x])
		if !seen[c] {
			seen[c] = true
			cats = append(cats, c)
		}
		g := label(r[group])
		if vals[g] == nil {
			vals[g] = map[string]*float64{}
			names = append(names, g)
		}
		vals[g][c] = f64(r[y])
	}
	sort.Strings(cats)
	var series []document.Series
	for _, n := range names {
		s := document.Series{Name: n}
		for _, c := range cats {
			s.Points = append(s.Points, document.Point{X: c, Y: vals[n][c]})
		}
		series = append(series, s)
	}
	return cats, series
}

func label(v any) string {
	switch x := v.(type) {
	case time.Time:
		if x.Hour() == 0 && x.Minute() == 0 {
			return x.UTC().Format("2006-01-02")
		}
		return x.UTC().Format(time.RFC3339)
	case nil:
		return "(none)"
	case string:
		return x
	}
	return fmtAny(v)
}

func monthLabel(v any) string {
	if t, ok := v.(time.Time); ok {
		return t.UTC().Format("2006-01")
	}
	return label(v)
}

func (d *dashboard) flow(ctx context.Context) (document.Section, error) {
	p := d.period(false)
	scatter, err := d.cycleScatter(ctx)
	if err != nil {
		return document.Section{}, err
	}

	hist, err := d.src.Table(ctx, "cycle_time_histogram", p, []document.Column{
		{Name: "days", Label: "Cycle time (days)"}, {Name: "items", Label: "Items", Type: document.TypeInt}})
	if err != nil {
		return document.Section{}, err
	}
	histogram := &document.Chart{ID: "cycle-histogram", Title: "Cycle-time distribution", Kind: document.Bar,
		X: document.Axis{Name: "Cycle time", Unit: "days", Type: document.AxisCategory}, Y: document.Axis{Name: "Items", Unit: "items", Type: document.AxisValue},
		Source: hist.Source, Table: hist}
	hist.Empty = "No item delivered with a cycle time in this period."
	s := document.Series{Name: "Items"}
	for _, r := range hist.Rows {
		histogram.X.Categories = append(histogram.X.Categories, r[0].(string))
		s.Points = append(s.Points, document.Point{X: r[0], Y: f64(r[1])})
	}
	histogram.Series = []document.Series{s}

	tp, err := d.src.Table(ctx, "throughput_weekly", p, []document.Column{
		{Name: "team", Label: "Team"}, {Name: "week", Label: "Week", Type: document.TypeDate}, {Name: "items", Label: "Items", Type: document.TypeInt}})
	if err != nil {
		return document.Section{}, err
	}
	cats, series := seriesBy(tp.Rows, 0, 1, 2, label)
	throughput := &document.Chart{ID: "throughput", Title: "Weekly throughput", Kind: document.StackedBar,
		X: document.Axis{Name: "Week starting", Type: document.AxisCategory, Categories: cats}, Y: document.Axis{Name: "Items delivered", Unit: "items", Type: document.AxisValue},
		Series: series, Source: tp.Source, Table: tp, Empty: "No item delivered in this period."}

	cfd, err := d.src.Table(ctx, "cumulative_flow", p, []document.Column{
		{Name: "week", Label: "Week", Type: document.TypeDate}, {Name: "backlog", Label: "Backlog", Type: document.TypeInt},
		{Name: "in_progress", Label: "In progress", Type: document.TypeInt}, {Name: "delivered", Label: "Delivered", Type: document.TypeInt}})
	if err != nil {
		return document.Section{}, err
	}
	flowChart := &document.Chart{ID: "cfd", Title: "Cumulative flow", Kind: document.StackedArea,
		X: document.Axis{Name: "Week starting", Type: document.AxisCategory}, Y: document.Axis{Name: "Items", Unit: "items", Type: document.AxisValue},
		Note:   "Items in each state at the end of each week. Open items count from their commitment; cancelled items are left out.",
		Source: cfd.Source, Table: cfd, Empty: "No committed or delivered item in this period."}
	for i, name := range []string{"Delivered", "In progress", "Backlog"} {
		col := []int{3, 2, 1}[i]
		s := document.Series{Name: name}
		for _, r := range cfd.Rows {
			s.Points = append(s.Points, document.Point{X: label(r[0]), Y: f64(r[col])})
		}
		flowChart.Series = append(flowChart.Series, s)
	}
	for _, r := range cfd.Rows {
		flowChart.X.Categories = append(flowChart.X.Categories, label(r[0]))
	}

	wip, err := d.src.Table(ctx, "aging_wip_items", map[string]string{"team": d.scope.TeamPattern()}, []document.Column{
		{Name: "item_key", Label: "Item"}, {Name: "team", Label: "Team"}, {Name: "title", Label: "Title"}, {Name: "status", Label: "Status"},
		{Name: "aging_status", Label: "Pace", Type: document.TypeStatus}, {Name: "age_days", Label: "Age (days)", Type: document.TypeDays},
		{Name: "team_p50_days", Label: "Team P50", Type: document.TypeDays}, {Name: "team_p85_days", Label: "Team P85", Type: document.TypeDays},
		{Name: "team_p95_days", Label: "Team P95", Type: document.TypeDays}, {Name: "total", Type: document.TypeInt}})
	if err != nil {
		return document.Section{}, err
	}
	aging := &document.Chart{ID: "aging-wip", Title: "Aging work in progress by status", Kind: document.Scatter,
		X: document.Axis{Name: "Status", Type: document.AxisCategory}, Y: document.Axis{Name: "Age since commitment", Unit: "days", Type: document.AxisValue},
		Source: wip.Source, Empty: "No open committed work."}
	paces := map[string]*document.Series{}
	var wipTotal int64
	statusSeen := map[string]bool{}
	for _, r := range wip.Rows {
		wipTotal, _ = r[9].(int64)
		st, _ := r[3].(string)
		if !statusSeen[st] {
			statusSeen[st] = true
			aging.X.Categories = append(aging.X.Categories, st)
		}
		pace, _ := r[4].(string)
		if paces[pace] == nil {
			paces[pace] = &document.Series{Name: pace}
		}
		title, _ := r[2].(string)
		paces[pace].Points = append(paces[pace].Points, document.Point{X: st, Y: f64(r[5]), Label: fmt.Sprintf("%s %s", r[0], title)})
	}
	sort.Strings(aging.X.Categories)
	for _, pace := range []string{"on_track", "watch", "at_risk", "critical", "no_baseline"} {
		if s := paces[pace]; s != nil {
			aging.Series = append(aging.Series, *s)
		}
	}
	if d.scope.Team != "" && len(wip.Rows) > 0 {
		for i, name := range []string{"Team P50", "Team P85", "Team P95"} {
			if v := f64(wip.Rows[0][6+i]); v != nil {
				aging.MarkLines = append(aging.MarkLines, document.MarkLine{Name: name, Value: *v})
			}
		}
	} else {
		aging.Note = "Each item's pace compares its age with its own team's trailing-90-day cycle-time percentiles (in the table); choose a team (--team) for the percentile lines."
	}
	if int64(len(wip.Rows)) < wipTotal {
		aging.Note += fmt.Sprintf(" The %s oldest of %s open items are shown.", thousandsInt(int64(len(wip.Rows))), thousandsInt(wipTotal))
	}
	wip.Columns = wip.Columns[:9]
	for i := range wip.Rows {
		wip.Rows[i] = wip.Rows[i][:9]
	}
	wip.ID, wip.Empty = "aging-table", "No open committed work."
	aging.Table = wip
	return document.Section{ID: "flow", Title: "Flow",
		Intro:  "How long work takes from commitment to delivery, how much is delivered, and which open work is ageing.",
		Blocks: []document.Block{scatter, histogram, throughput, flowChart, aging}}, nil
}

// cycleScatter is the cycle time of each item delivered in the period, with the P50/P85/P95
// lines and the percentiles as its table.
func (d *dashboard) cycleScatter(ctx context.Context) (*document.Chart, error) {
	p := d.period(false)
	sum, sumRef, err := d.row(ctx, "cycle_time_summary", p)
	if err != nil {
		return nil, err
	}
	pts, err := d.src.Table(ctx, "cycle_time_points", p, []document.Column{
		{Name: "item_key", Label: "Item"}, {Name: "team", Label: "Team"}, {Name: "item_type", Label: "Type"},
		{Name: "delivered_at", Label: "Delivered", Type: document.TypeDateTime},
		{Name: "cycle_time_days", Label: "Cycle time (days)", Type: document.TypeDays},
		{Name: "total", Type: document.TypeInt},
	})
	if err != nil {
		return nil, err
	}
	var total int64
	byTeam := map[string]*document.Series{}
	var order []string
	for _, r := range pts.Rows {
		total, _ = r[5].(int64)
		team, _ := r[1].(string)
		s := byTeam[team]
		if s == nil {
			s = &document.Series{Name: team}
			byTeam[team] = s
			order = append(order, team)
		}
		s.Points = append(s.Points, document.Point{X: r[3], Y: f64(r[4]), Label: fmt.Sprintf("%s (%s)", r[0], r[2])})
	}
	sort.Strings(order)
	scatter := &document.Chart{ID: "cycle-scatter", Title: "Cycle time of each delivered item", Kind: document.Scatter,
		X: document.Axis{Name: "Delivered", Type: document.AxisTime}, Y: document.Axis{Name: "Cycle time", Unit: "days", Type: document.AxisValue},
		Source: pts.Source, Empty: "No item delivered with a cycle time in this period."}
	for _, t := range order {
		scatter.Series = append(scatter.Series, *byTeam[t])
	}
	for _, m := range []struct{ name, col string }{{"P50", "p50_days"}, {"P85", "p85_days"}, {"P95", "p95_days"}} {
		if v := Float(sum[m.col]); v != nil {
			scatter.MarkLines = append(scatter.MarkLines, document.MarkLine{Name: m.name, Value: *v})
		}
	}
	if int64(len(pts.Rows)) < total {
		scatter.Note = fmt.Sprintf("%s of %s items shown, sampled evenly at random (the same items each time); the percentile lines are over all %s.",
			thousandsInt(int64(len(pts.Rows))), thousandsInt(total), thousandsInt(total))
	}
	scatter.Table = &document.Table{ID: "cycle-summary", Title: "Cycle-time percentiles", Source: sumRef,
		Columns: []document.Column{{Name: "items", Label: "Items", Type: document.TypeInt}, {Name: "p50_days", Label: "P50 (days)", Type: document.TypeDays},
			{Name: "p85_days", Label: "P85 (days)", Type: document.TypeDays}, {Name: "p95_days", Label: "P95 (days)", Type: document.TypeDays},
			{Name: "mean_days", Label: "Mean (days)", Type: document.TypeDays}},
		Rows: [][]any{{toInt(sum["items"]), f64(sum["p50_days"]), f64(sum["p85_days"]), f64(sum["p95_days"]), f64(sum["mean_days"])}}}
	derefRow(scatter.Table.Rows[0])
	return scatter, nil
}

func toInt(v any) any {
	if f := Float(v); f != nil {
		return int64(*f)
	}
	return nil
}

// derefRow turns *float64 cells into float64 (nil stays nil), as document tables hold them.
func derefRow(r []any) {
	for i, v := range r {
		if p, ok := v.(*float64); ok {
			if p == nil {
				r[i] = nil
			} else {
				r[i] = *p
			}
		}
	}
}

func (d *dashboard) releases(ctx context.Context) (document.Section, error) {
	p := d.period(false)
	rel, err := d.releaseScorecard(ctx)
	if err != nil {
		return document.Section{}, err
	}
	vol := &document.Chart{ID: "scope-volatility", Title: "Scope volatility after freeze", Kind: document.Bar,
		X: document.Axis{Name: "Release", Type: document.AxisCategory}, Y: document.Axis{Name: "Scope volatility", Unit: "%", Type: document.AxisValue},
		Source: rel.Source, Note: "(added + removed after freeze) / planned at freeze; releases without fix-version history have none.",
		Empty: "No release of this period has the fix-version history scope volatility needs."}
	slip := &document.Chart{ID: "release-slip", Title: "Planned against actual release dates", Kind: document.Scatter,
		X: document.Axis{Name: "Planned date", Type: document.AxisTime}, Y: document.Axis{Name: "Released after plan", Unit: "days", Type: document.AxisValue},
		Source: rel.Source, MarkLines: []document.MarkLine{{Name: "On plan", Value: 0}}, Table: rel,
		Empty: "No release of this period was released with a planned date."}
	vs := document.Series{Name: "Scope volatility"}
	slips := map[string]*document.Series{}
	var teams []string
	for _, r := range rel.Rows {
		name, _ := r[0].(string)
		if v, ok := r[9].(float64); ok {
			vol.X.Categories = append(vol.X.Categories, name)
			vs.Points = append(vs.Points, document.Point{X: name, Y: ptr(v * 100), Label: name})
		}
		if planned, ok := r[2].(time.Time); ok {
			if sd, ok := r[4].(float64); ok {
				team, _ := r[1].(string)
				if slips[team] == nil {
					slips[team] = &document.Series{Name: team}
					teams = append(teams, team)
				}
				slips[team].Points = append(slips[team].Points, document.Point{X: planned, Y: ptr(sd), Label: name})
			}
		}
	}
	vol.Series = []document.Series{vs}
	vol.Table = columns(rel, "release", "team", "planned_at_freeze", "added_after_freeze", "removed_after_freeze", "scope_volatility")
	vol.Table.Title = "Scope after freeze"
	sort.Strings(teams)
	for _, t := range teams {
		slip.Series = append(slip.Series, *slips[t])
	}
	succ, err := d.src.Table(ctx, "release_success_monthly", p, []document.Column{
		{Name: "team", Label: "Team"}, {Name: "month", Label: "Month", Type: document.TypeDate},
		{Name: "releases", Label: "Releases", Type: document.TypeInt}, {Name: "successful_releases", Label: "Successful", Type: document.TypeInt},
		{Name: "success_rate", Label: "Success rate", Type: document.TypePercent}})
	if err != nil {
		return document.Section{}, err
	}
	rate := make([][]any, len(succ.Rows))
	for i, r := range succ.Rows {
		v := f64(r[4])
		if v != nil {
			*v *= 100
		}
		rate[i] = []any{r[0], r[1], v}
	}
	cats, series := seriesBy(rate, 0, 1, 2, monthLabel)
	success := &document.Chart{ID: "release-success", Title: "Release success rate", Kind: document.Line,
		X: document.Axis{Name: "Month", Type: document.AxisCategory, Categories: cats}, Y: document.Axis{Name: "Successful releases", Unit: "%", Type: document.AxisValue},
		Series: series, Source: succ.Source, Table: succ,
		Note: "Successful: released with no failed deployment and no incident within 7 days.", Empty: "No release released in this period."}
	upcoming, err := d.releaseOutlook(ctx)
	if err != nil {
		return document.Section{}, err
	}
	return document.Section{ID: "releases", Title: "Releases",
		Intro:  "Whether releases kept their scope and their date, and whether they went out cleanly.",
		Blocks: []document.Block{slip, vol, success, upcoming}}, nil
}

// releaseScorecard is every release released or planned in the period with its health.
// releaseOutlook is every upcoming release's forecast and readiness verdict (@release_outlook):
// a chart of each one's chance of being done by its planned date, with the table beside it.
func (d *dashboard) releaseOutlook(ctx context.Context) (*document.Chart, error) {
	out, err := d.src.Table(ctx, "release_outlook", d.team(), []document.Column{
		{Name: "release", Label: "Release"}, {Name: "team", Label: "Team"},
		{Name: "planned_date", Label: "Planned", Type: document.TypeDate},
		{Name: "items", Label: "Items", Type: document.TypeInt}, {Name: "remaining", Label: "Remaining", Type: document.TypeInt},
		{Name: "p50_date", Label: "P50 date", Type: document.TypeDate}, {Name: "p85_date", Label: "P85 date", Type: document.TypeDate},
		{Name: "p_on_time", Label: "P(on time)", Type: document.TypePercent},
		{Name: "how_many_by_planned_p85", Label: "Done by plan (85% sure)", Type: document.TypeInt},
		{Name: "verdict", Label: "Verdict", Type: document.TypeStatus}, {Name: "why", Label: "Why"}})
	if err != nil {
		return nil, err
	}
	out.ID, out.Empty = "release-outlook", "No upcoming release."
	chart := &document.Chart{ID: "release-forecast", Title: "Upcoming releases: chance of finishing by the planned date, and readiness",
		Kind: document.StackedBar, X: document.Axis{Name: "Release", Type: document.AxisCategory},
		Y:      document.Axis{Name: "P(on time)", Unit: "%", Type: document.AxisValue},
		Source: out.Source, Table: out, Empty: "No upcoming release holds items to forecast.",
		MarkLines: []document.MarkLine{{Name: "warns under", Value: 85}, {Name: "fails under", Value: 50}},
		Note: "Monte Carlo over each team's daily throughput (10,000 trials): P50 and P85 are the dates by which half and 85% of the trials finish the remaining items. " +
			"Readiness: no go when a check fails (P(on time) under 50%, open blockers, items without sign-off …), at risk when one warns (under 85% …), else go. Releases without items are in the table only."}
	// One series per verdict, so each bar takes its verdict's colour (and the legend says it).
	// Releases without items (nothing to forecast) are in the table only.
	var rows [][]any
	for _, r := range out.Rows {
		if _, ok := r[7].(float64); ok && r[3] != int64(0) {
			rows = append(rows, r)
			chart.X.Categories = append(chart.X.Categories, r[0].(string))
		}
	}
	verdicts := map[string]*document.Series{}
	for i, r := range rows {
		v, _ := r[9].(string)
		if verdicts[v] == nil {
			verdicts[v] = &document.Series{Name: v, Points: make([]document.Point, len(rows))}
			for j, c := range chart.X.Categories {
				verdicts[v].Points[j] = document.Point{X: c}
			}
		}
		verdicts[v].Points[i].Y = ptr(r[7].(float64) * 100)
	}
	for _, v := range []string{"go", "at_risk", "no_go"} {
		if s := verdicts[v]; s != nil {
			chart.Series = append(chart.Series, *s)
			delete(verdicts, v)
		}
	}
	var other []string // verdicts this version does not know
	for v := range verdicts {
		other = append(other, v)
	}
	sort.Strings(other)
	for _, v := range other {
		chart.Series = append(chart.Series, *verdicts[v])
	}
	return chart, nil
}

func (d *dashboard) releaseScorecard(ctx context.Context) (*document.Table, error) {
	rel, err := d.src.Table(ctx, "release_scorecard", d.period(false), []document.Column{
		{Name: "release", Label: "Release"}, {Name: "team", Label: "Team"},
		{Name: "planned_date", Label: "Planned", Type: document.TypeDate}, {Name: "released_at", Label: "Released", Type: document.TypeDateTime},
		{Name: "slip_days", Label: "Slip (days)", Type: document.TypeDays},
		{Name: "items", Label: "Items", Type: document.TypeInt}, {Name: "planned_at_freeze", Label: "At freeze", Type: document.TypeInt},
		{Name: "added_after_freeze", Label: "Added", Type: document.TypeInt}, {Name: "removed_after_freeze", Label: "Removed", Type: document.TypeInt},
		{Name: "scope_volatility", Label: "Volatility", Type: document.TypePercent},
		{Name: "deployments", Label: "Deploys", Type: document.TypeInt}, {Name: "failed_deployments", Label: "Failed", Type: document.TypeInt},
		{Name: "incidents", Label: "Incidents", Type: document.TypeInt}, {Name: "successful", Label: "Successful", Type: document.TypeBool},
	})
	if err != nil {
		return nil, err
	}
	rel.ID, rel.Title, rel.Empty = "release-scorecard", "Release health scorecard", "No release released or planned in this period."
	return rel, nil
}

func ptr(v float64) *float64 { return &v }

func (d *dashboard) estimation(ctx context.Context) (document.Section, error) {
	ratios, err := d.src.Table(ctx, "estimation_ratios", d.period(false), []document.Column{
		{Name: "team", Label: "Team"}, {Name: "ratio", Label: "Actual / planned"}, {Name: "items", Label: "Items", Type: document.TypeInt}})
	if err != nil {
		return document.Section{}, err
	}
	// Categories in band order, not sorted as text.
	var cats []string
	seen := map[string]bool{}
	for _, r := range ratios.Rows {
		if c := r[1].(string); !seen[c] {
			seen[c] = true
			cats = append(cats, c)
		}
	}
	_, series := seriesBy(ratios.Rows, 0, 1, 2, label)
	for i := range series {
		byCat := map[string]*float64{}
		for _, pt := range series[i].Points {
			byCat[pt.X.(string)] = pt.Y
		}
		series[i].Points = nil
		for _, c := range cats {
			series[i].Points = append(series[i].Points, document.Point{X: c, Y: byCat[c]})
		}
	}
	summary, err := d.src.Table(ctx, "estimation_accuracy_by_team", nil, []document.Column{
		{Name: "team", Label: "Team"}, {Name: "items", Label: "Items", Type: document.TypeInt},
		{Name: "median_ratio", Label: "Median ratio", Type: document.TypeNumber}, {Name: "mape", Label: "MAPE", Type: document.TypePercent},
		{Name: "share_within_25pct", Label: "Within ±25%", Type: document.TypePercent}})
	if err != nil {
		return document.Section{}, err
	}
	summary.Rows = keepTeam(summary.Rows, 0, d.scope.Team)
	summary.Title, summary.Empty = "Accuracy per team (all history)", "No items with both planned and actual hours."
	ratio := &document.Chart{ID: "estimation-ratios", Title: "Actual against planned hours", Kind: document.Bar,
		X: document.Axis{Name: "Actual / planned hours", Type: document.AxisCategory, Categories: cats}, Y: document.Axis{Name: "Items done", Unit: "items", Type: document.AxisValue},
		Series: series, Source: ratios.Source, Table: summary, Note: "0.8-1.25 is within ±25% of plan; above 1 took longer than planned.",
		Empty: "No item done in this period has both planned and actual hours."}
	pts, err := d.src.Table(ctx, "points_cycle_time", d.team(), []document.Column{
		{Name: "team", Label: "Team"}, {Name: "story_points", Label: "Points", Type: document.TypeNumber},
		{Name: "items", Label: "Items", Type: document.TypeInt}, {Name: "p50_days", Label: "P50 (days)", Type: document.TypeDays},
		{Name: "p85_days", Label: "P85 (days)", Type: document.TypeDays}, {Name: "p95_days", Label: "P95 (days)", Type: document.TypeDays}})
	if err != nil {
		return document.Section{}, err
	}
	pcats, pseries := seriesBy(pts.Rows, 0, 1, 3, label)
	sortNumeric(pcats, pseries)
	points := &document.Chart{ID: "points-cycle", Title: "Story points against cycle time (P50)", Kind: document.Line,
		X: document.Axis{Name: "Story points", Type: document.AxisCategory, Categories: pcats}, Y: document.Axis{Name: "Cycle time P50", Unit: "days", Type: document.AxisValue},
		Series: pseries, Source: pts.Source, Table: pts, Note: "If points predicted time, each line would rise steadily.",
		Empty: "No delivered item has both story points and a cycle time."}
	return document.Section{ID: "estimation", Title: "Estimation",
		Intro:  "How actual effort compared with the plan, and whether story points predict cycle time.",
		Blocks: []document.Block{ratio, points}}, nil
}

// sortNumeric orders numeric categories by value (1, 2, 3, 5, 8, 13 rather than 1, 13, 2 …).
func sortNumeric(cats []string, series []document.Series) {
	val := func(s string) float64 {
		var f float64
		fmt.Sscan(s, &f)
		return f
	}
	sort.SliceStable(cats, func(i, j int) bool { return val(cats[i]) < val(cats[j]) })
	for i := range series {
		by := map[string]*float64{}
		for _, p := range series[i].Points {
			by[p.X.(string)] = p.Y
		}
		series[i].Points = series[i].Points[:0]
		for _, c := range cats {
			series[i].Points = append(series[i].Points, document.Point{X: c, Y: by[c]})
		}
	}
}

func (d *dashboard) dependencies(ctx context.Context) (document.Section, error) {
	pairs, err := d.src.Table(ctx, "blocking_pairs", d.team(), []document.Column{
		{Name: "blocker_team", Label: "Blocking team"}, {Name: "blocked_team", Label: "Blocked team"},
		{Name: "blocked_items", Label: "Items blocked", Type: document.TypeInt}, {Name: "blocked_days", Label: "Blocked days", Type: document.TypeDays}})
	if err != nil {
		return document.Section{}, err
	}
	pairs.Title, pairs.Empty = "Who blocks whom", "No item is blocked by another team's item."
	graph := &document.Chart{ID: "blocking-graph", Title: "Which teams block which", Kind: document.Graph,
		Source: pairs.Source, Table: pairs, Note: "An arrow points from the blocking team to the team it blocks; a node's size is the items it blocks."}
	sizes := map[string]float64{}
	var names []string
	for _, r := range pairs.Rows {
		for _, t := range []string{r[0].(string), r[1].(string)} {
			if _, ok := sizes[t]; !ok {
				sizes[t] = 0
				names = append(names, t)
			}
		}
		n, _ := r[2].(int64)
		sizes[r[0].(string)] += float64(n)
		graph.Edges = append(graph.Edges, document.Edge{From: r[0].(string), To: r[1].(string), Value: float64(n)})
	}
	sort.Strings(names)
	for _, n := range names {
		graph.Nodes = append(graph.Nodes, document.Node{ID: n, Label: n, Value: sizes[n]})
	}
	days, err := d.blockedDays(ctx)
	if err != nil {
		return document.Section{}, err
	}
	return document.Section{ID: "dependencies", Title: "Dependencies",
		Intro:  "Where work waits on other teams, and for how long.",
		Blocks: []document.Block{graph, days}}, nil
}

// blockedDays is the blocked days of the items each team blocks, with the bottlenecks table.
func (d *dashboard) blockedDays(ctx context.Context) (*document.Chart, error) {
	bn, err := d.src.Table(ctx, "dependency_bottlenecks", nil, []document.Column{
		{Name: "blocker_team", Label: "Blocking team"}, {Name: "blocked_items", Label: "Items blocked", Type: document.TypeInt},
		{Name: "blocked_days", Label: "Blocked days", Type: document.TypeDays}, {Name: "open_blockers", Label: "Open blockers on upcoming releases", Type: document.TypeInt},
		{Name: "releases_affected", Label: "Releases affected", Type: document.TypeInt}})
	if err != nil {
		return nil, err
	}
	days := &document.Chart{ID: "blocked-days", Title: "Blocked days by blocking team", Kind: document.Bar,
		X: document.Axis{Name: "Blocking team", Type: document.AxisCategory}, Y: document.Axis{Name: "Blocked days", Unit: "days", Type: document.AxisValue},
		Source: bn.Source, Table: bn, Note: "Time blocked items spent in a blocked status (items without status history count no days).",
		Empty: "No item is blocked by another team's item."}
	s := document.Series{Name: "Blocked days"}
	for _, r := range bn.Rows {
		name, _ := r[0].(string)
		days.X.Categories = append(days.X.Categories, name)
		s.Points = append(s.Points, document.Point{X: name, Y: f64(r[2])})
	}
	days.Series = []document.Series{s}
	return days, nil
}

func (d *dashboard) pipelines(ctx context.Context) (document.Section, error) {
	pf, err := d.src.Table(ctx, "pipeline_failure_rates", d.period(false), []document.Column{
		{Name: "team", Label: "Team"}, {Name: "environment", Label: "Environment"},
		{Name: "runs", Label: "Runs", Type: document.TypeInt}, {Name: "failures", Label: "Failed", Type: document.TypeInt},
		{Name: "failure_rate", Label: "Failure rate", Type: document.TypePercent}})
	if err != nil {
		return document.Section{}, err
	}
	rows := make([][]any, len(pf.Rows))
	for i, r := range pf.Rows {
		v := f64(r[4])
		if v != nil {
			*v *= 100
		}
		rows[i] = []any{r[1], r[0], v}
	}
	cats, series := seriesBy(rows, 0, 1, 2, label)
	chart := &document.Chart{ID: "pipeline-failures", Title: "Pipeline failure rate by team and environment", Kind: document.Bar,
		X: document.Axis{Name: "Team", Type: document.AxisCategory, Categories: cats}, Y: document.Axis{Name: "Failed runs", Unit: "%", Type: document.AxisValue},
		Series: series, Source: pf.Source, Table: pf, Note: "Failed runs / finished runs in every environment; a rollback or a later incident is not a pipeline failure.",
		Empty: "No deployment run finished in this period."}
	return document.Section{ID: "pipelines", Title: "Pipelines", Intro: "How often deployment runs fail, per team and environment.",
		Blocks: []document.Block{chart}}, nil
}

// incidentKPIs are the incident tiles from @incident_period's row for the period and the previous one.
func incidentKPIs(cur, prev map[string]any, ref document.QueryRef) []document.KPI {
	none := ""
	if f := Float(cur["incidents"]); f == nil || *f == 0 {
		none = "no incident in the period"
	}
	or := func(note string) string {
		if none != "" {
			return none
		}
		return note
	}
	mttr := or("median over the incidents resolved by as_of")
	if none == "" && Float(cur["resolve_hours_p50"]) == nil {
		mttr = "none of them resolved by as_of"
	}
	ack := or("median over the incidents whose export records an acknowledgement")
	if none == "" && Float(cur["ack_hours_p50"]) == nil {
		ack = "the export records no acknowledgement"
	}
	return []document.KPI{
		{Label: "Incidents", Value: Float(cur["incidents"]), Previous: Float(prev["incidents"]), Type: document.TypeInt, Better: document.BetterLower, Source: ref,
			Note: fmt.Sprintf("%s still open at as_of", fmtAny(deploysOr0(Float(cur["open_at_as_of"]))))},
		{Label: "Time to resolve (MTTR)", Value: Float(cur["resolve_hours_p50"]), Previous: Float(prev["resolve_hours_p50"]), Type: document.TypeHours, Unit: "hours (median)", Better: document.BetterLower, Source: ref, Note: mttr},
		{Label: "Time to acknowledge", Value: Float(cur["ack_hours_p50"]), Previous: Float(prev["ack_hours_p50"]), Type: document.TypeHours, Unit: "hours (median)", Better: document.BetterLower, Source: ref, Note: ack},
		{Label: "Linked to a deployment", Value: Float(cur["linked_share"]), Previous: Float(prev["linked_share"]), Type: document.TypePercent, Better: document.BetterLower, Source: ref,
			Note: or(fmt.Sprintf("%s of %s incidents followed a production deployment", fmtAny(deploysOr0(Float(cur["linked_to_deployment"]))), fmtAny(cur["incidents"])))},
	}
}

// registerRows is how many rows of a register (every incident, every compliance finding, every
// broken release rule) the dashboard embeds: the newest; the table says how many there are,
// and the workbook holds them all.
const registerRows = 500

// capRows keeps the first n rows of t and records how many there were.
func capRows(t *document.Table, n int) {
	if len(t.Rows) > n {
		t.Total, t.Rows = int64(len(t.Rows)), t.Rows[:n]
	}
}

func (d *dashboard) incidents(ctx context.Context) (document.Section, error) {
	kpis, err := d.headline(ctx, "incident_period", incidentKPIs)
	if err != nil {
		return document.Section{}, err
	}
	tiles := &document.KPIGroup{ID: "incident-kpis", Title: "Incidents over the period, against the previous " + d.scope.Span.Previous().String(), KPIs: kpis}
	im, err := d.src.Table(ctx, "incidents_by_month", d.period(false), []document.Column{
		{Name: "team", Label: "Team"}, {Name: "month", Label: "Month", Type: document.TypeDate},
		{Name: "incidents", Label: "Incidents", Type: document.TypeInt}, {Name: "resolved", Label: "Resolved", Type: document.TypeInt},
		{Name: "linked_to_deployment", Label: "Linked to a deployment", Type: document.TypeInt},
		{Name: "ack_hours_p50", Label: "Acknowledge P50 (h)", Type: document.TypeHours},
		{Name: "resolve_hours_p50", Label: "Resolve P50 (h)", Type: document.TypeHours}})
	if err != nil {
		return document.Section{}, err
	}
	im.Empty = "No incident in this period."
	cats, series := seriesBy(im.Rows, 0, 1, 2, monthLabel)
	counts := &document.Chart{ID: "incidents-monthly", Title: "Incidents per month", Kind: document.StackedBar,
		X: document.Axis{Name: "Month created", Type: document.AxisCategory, Categories: cats}, Y: document.Axis{Name: "Incidents", Unit: "incidents", Type: document.AxisValue},
		Series: series, Source: im.Source, Table: columns(im, "team", "month", "incidents", "resolved", "linked_to_deployment"),
		Note: "Linked to a deployment: explicitly (caused by), by change record, or a production deployment of the service within the attribution window before it."}
	mcats, mseries := seriesBy(im.Rows, 0, 1, 6, monthLabel)
	mttr := &document.Chart{ID: "mttr-monthly", Title: "Median time to resolve (MTTR)", Kind: document.Line,
		X: document.Axis{Name: "Month created", Type: document.AxisCategory, Categories: mcats}, Y: document.Axis{Name: "Time to resolve, median", Unit: "hours", Type: document.AxisValue},
		Series: mseries, Source: im.Source, Table: columns(im, "team", "month", "incidents", "ack_hours_p50", "resolve_hours_p50"),
		Note: "Over the incidents resolved by as_of; acknowledgement where the export records it.", Empty: "No incident of this period was resolved by as_of."}
	hot, err := d.src.Table(ctx, "incident_hotspots", d.team(), []document.Column{
		{Name: "kind", Label: "Kind"}, {Name: "name", Label: "Service or component"}, {Name: "team", Label: "Team"},
		{Name: "incidents_90d", Label: "Incidents (90 days)", Type: document.TypeInt}, {Name: "open_incidents", Label: "Open", Type: document.TypeInt},
		{Name: "resolve_hours_p50", Label: "Resolve P50 (h)", Type: document.TypeHours},
		{Name: "open_item_keys", Label: "Open backlog items linked", Type: document.TypeList}})
	if err != nil {
		return document.Section{}, err
	}
	hot.ID, hot.Title = "incident-hotspots", "Hotspots: services and components with 3 or more incidents in the 90 days up to as_of"
	hot.Empty = "No service or component had 3 or more incidents in the last 90 days."
	hot.Description = "Open backlog items linked: items the incidents name, or that their deployment shipped, still open — what to fix first."
	capRows(hot, registerRows)
	reg, err := d.src.Table(ctx, "incident_records", d.period(false), []document.Column{
		{Name: "created_at", Label: "Created", Type: document.TypeDateTime}, {Name: "incident_id", Label: "Incident"},
		{Name: "team", Label: "Team"}, {Name: "service", Label: "Service"}, {Name: "severity", Label: "Severity"}, {Name: "title", Label: "Title"},
		{Name: "ack_hours", Label: "Acknowledged (h)", Type: document.TypeHours}, {Name: "resolve_hours", Label: "Resolved (h)", Type: document.TypeHours},
		{Name: "deployment_id", Label: "Deployment"}, {Name: "deployment_link", Label: "Linked by"}})
	if err != nil {
		return document.Section{}, err
	}
	// Newest first (the query lists them in time order).
	for i, j := 0, len(reg.Rows)-1; i < j; i, j = i+1, j-1 {
		reg.Rows[i], reg.Rows[j] = reg.Rows[j], reg.Rows[i]
	}
	capRows(reg, registerRows)
	reg.ID, reg.Title, reg.Empty = "incident-register", "Incidents of the period, newest first", "No incident in this period."
	reg.Description = "Resolved (h) is empty while an incident is open at as_of; Linked by says how its deployment was found (caused by, change record, or attributed: a production deployment of the service within the attribution window before it)."
	return document.Section{ID: "incidents", Title: "Incidents", Intro: "How many incidents each team had, how fast they were resolved, and where they cluster.",
		Blocks: []document.Block{tiles, counts, mttr, hot, reg}}, nil
}

func (d *dashboard) compliance(ctx context.Context) (document.Section, error) {
	// The register covers the period up to as_of: @compliance_gaps counts days back from as_of.
	days := int(math.Ceil(d.scope.AsOf.Sub(d.scope.Span.Start).Hours() / 24))
	if days < 1 {
		days = 1
	}
	gaps, err := d.src.Table(ctx, "compliance_gaps", map[string]string{"team": d.scope.TeamPattern(), "days": strconv.Itoa(days)}, []document.Column{
		{Name: "finished_at", Label: "Deployed", Type: document.TypeDateTime}, {Name: "team", Label: "Team"}, {Name: "service", Label: "Service"},
		{Name: "deployment_id", Label: "Deployment"}, {Name: "version", Label: "Version"},
		{Name: "gap_type", Label: "Finding", Type: document.TypeStatus}, {Name: "is_gap", Label: "Gap", Type: document.TypeBool},
		{Name: "change_id", Label: "Change"}, {Name: "item_key", Label: "Item"}, {Name: "detail", Label: "Detail"}})
	if err != nil {
		return document.Section{}, err
	}
	// Only what was deployed in the period (a period ending before as_of leaves later rows out).
	var rows [][]any
	for _, r := range gaps.Rows {
		if t, ok := r[0].(time.Time); ok && !t.Before(d.scope.Span.Start) && t.Before(d.scope.Span.End) {
			rows = append(rows, r)
		}
	}
	gaps.Rows = rows
	// Gaps per finding and team, for the chart (listed findings such as emergency changes are
	// not gaps and are left out of it).
	counts := map[[2]string]int64{}
	var types, teams []string
	seenType, seenTeam := map[string]bool{}, map[string]bool{}
	for _, r := range rows {
		if gap, _ := r[6].(bool); !gap {
			continue
		}
		team, _ := r[1].(string)
		kind, _ := r[5].(string)
		kind = strings.ReplaceAll(kind, "_", " ") // the chart's labels wrap at spaces
		counts[[2]string{team, kind}]++
		if !seenType[kind] {
			seenType[kind] = true
			types = append(types, kind)
		}
		if !seenTeam[team] {
			seenTeam[team] = true
			teams = append(teams, team)
		}
	}
	total := map[string]int64{}
	for k, n := range counts {
		total[k[1]] += n
	}
	sort.Slice(types, func(i, j int) bool {
		if total[types[i]] != total[types[j]] {
			return total[types[i]] > total[types[j]]
		}
		return types[i] < types[j]
	})
	sort.Strings(teams)
	byType := &document.Table{ID: "gaps-by-type", Title: "Gaps per finding and team", Source: gaps.Source, Empty: "No gap in the period.",
		Columns: []document.Column{{Name: "team", Label: "Team"}, {Name: "gap_type", Label: "Finding", Type: document.TypeStatus},
			{Name: "deployments", Label: "Findings", Type: document.TypeInt}}}
	chart := &document.Chart{ID: "gaps-chart", Title: "Compliance gaps of the period's production deployments", Kind: document.StackedBar,
		X: document.Axis{Name: "Finding", Type: document.AxisCategory, Categories: types}, Y: document.Axis{Name: "Findings", Unit: "findings", Type: document.AxisValue},
		Source: gaps.Source, Table: byType,
		Note: "A deployment counts once per finding: no change record (when change records are ingested at all), change not approved, no back-out plan, configuration item mismatch, not promoted through the lower environments, regulated items without sign-off."}
	for _, t := range teams {
		se := document.Series{Name: t}
		for _, k := range types {
			var y *float64
			if n := counts[[2]string{t, k}]; n > 0 {
				y = ptr(float64(n))
				byType.Rows = append(byType.Rows, []any{t, k, n})
			}
			se.Points = append(se.Points, document.Point{X: k, Y: y})
		}
		chart.Series = append(chart.Series, se)
	}
	gaps.ID, gaps.Title, gaps.Empty = "gaps-register", "Gaps register: every finding of the period's production deployments, newest first", "No finding in the period."
	capRows(gaps, registerRows)

	// Readiness: what holds each upcoming release back — its verdict and every check that does
	// not pass. @release_readiness has no team: the team's releases come from @release_outlook.
	outlook, _, err := d.src.Query(ctx, "release_outlook", d.team())
	if err != nil {
		return document.Section{}, err
	}
	releaseTeam, releaseOrder := map[string]string{}, map[string]int{}
	for i, r := range outlook.Rows {
		releaseTeam[queries.Text(r[0])] = queries.Text(r[1])
		releaseOrder[queries.Text(r[0])] = i
	}
	checks, err := d.src.Table(ctx, "release_readiness", nil, []document.Column{
		{Name: "release", Label: "Release"}, {Name: "check", Label: "Check"}, {Name: "status", Label: "Status", Type: document.TypeStatus},
		{Name: "detail", Label: "Why"}, {Name: "items", Label: "Items", Type: document.TypeList}})
	if err != nil {
		return document.Section{}, err
	}
	checks.Columns = append(checks.Columns[:1], append([]document.Column{{Name: "team", Label: "Team"}}, checks.Columns[1:]...)...)
	var held [][]any
	for _, r := range checks.Rows {
		rel, _ := r[0].(string)
		team, ok := releaseTeam[rel]
		status, _ := r[2].(string)
		if !ok || status == "pass" {
			continue
		}
		held = append(held, append([]any{rel, team}, r[1:]...))
	}
	// In the outlook's order (by planned date), each release's verdict above its checks.
	sort.SliceStable(held, func(i, j int) bool {
		ri, rj := held[i][0].(string), held[j][0].(string)
		if ri != rj {
			return releaseOrder[ri] < releaseOrder[rj]
		}
		return held[i][2] == "VERDICT" && held[j][2] != "VERDICT"
	})
	checks.Rows = held
	checks.ID, checks.Title, checks.Empty = "readiness-checks", "Readiness of upcoming releases: the verdict and every check that warns or fails", "Every check of every upcoming release passes."

	violations, err := d.src.Table(ctx, "release_violations", nil, []document.Column{
		{Name: "release", Label: "Release"}, {Name: "team", Label: "Team"}, {Name: "kind", Label: "Rule", Type: document.TypeStatus},
		{Name: "item_key", Label: "Item"}, {Name: "detail", Label: "Detail"},
		{Name: "added_at", Label: "Added", Type: document.TypeDateTime}, {Name: "added_by", Label: "By"},
		{Name: "upcoming", Label: "Upcoming", Type: document.TypeBool}})
	if err != nil {
		return document.Section{}, err
	}
	violations.Rows = keepTeam(violations.Rows, 1, d.scope.Team)
	violations.ID, violations.Title, violations.Empty = "release-violations", "Release rules broken: packaging over its maximum, changes after the freeze, items awaiting endorsement", "No release breaks its rules."
	capRows(violations, registerRows)
	return document.Section{ID: "risk", Title: "Risk & compliance",
		Intro:  "What shipped without the approvals and evidence the process asks for, and what holds the upcoming releases back.",
		Blocks: []document.Block{chart, gaps, checks, violations}}, nil
}

// columns is a copy of t with only the named columns, in that order.
func columns(t *document.Table, names ...string) *document.Table {
	out := &document.Table{ID: t.ID + "-" + names[len(names)-1], Title: t.Title, Description: t.Description, Source: t.Source, Empty: t.Empty, Total: t.Total}
	var idx []int
	for _, n := range names {
		for i, c := range t.Columns {
			if c.Name == n {
				idx = append(idx, i)
				out.Columns = append(out.Columns, c)
			}
		}
	}
	for _, r := range t.Rows {
		row := make([]any, len(idx))
		for j, i := range idx {
			row[j] = r[i]
		}
		out.Rows = append(out.Rows, row)
	}
	return out
}
