package xlsx

import (
	"context"
	"fmt"
	"time"

	"github.com/relscope/relscope/reports/document"
)

func f64(v float64) *float64 { return &v }

// The titles an attacker would put in an export to have a spreadsheet run them (OWASP CSV
// injection): each must stay a string cell.
var injections = []string{
	`=HYPERLINK("http://x","click")`,
	`+SUM(1+1)*cmd|' /C calc'!A0`,
	`-2+3`,
	`@SUM(A1)`,
	"\t=1+1",
	`=cmd|'/C notepad'!'A1'`,
}

var (
	day0  = time.Date(2025, 6, 2, 9, 30, 0, 0, time.UTC)
	asOf  = time.Date(2025, 10, 31, 18, 0, 0, 0, time.UTC)
	month = func(m int) time.Time { return time.Date(2025, time.Month(m), 1, 0, 0, 0, 0, time.UTC) }
)

// sampleDoc is a hand-built workbook document with every block and value type.
func sampleDoc() *document.Document {
	trend := func(vals ...float64) []document.Point {
		var pts []document.Point
		for i, v := range vals {
			pts = append(pts, document.Point{X: fmt.Sprintf("2025-%02d", 5+i), Y: f64(v)})
		}
		return pts
	}
	kpis := &document.KPIGroup{ID: "dora", Title: "DORA", KPIs: []document.KPI{
		{Label: "Deployments", Value: f64(412), Type: document.TypeInt, Unit: "per month", Previous: f64(380), Better: document.BetterHigher, Band: "elite", Trend: trend(350, 380, 412)},
		{Label: "Change lead time (median)", Value: f64(30.25), Type: document.TypeHours, Unit: "hours", Previous: f64(28), Better: document.BetterLower, Band: "high", Note: "basis: commit times", Trend: trend(40, 28, 30.25)},
		{Label: "Change failure rate", Value: f64(0.125), Type: document.TypePercent, Previous: f64(0.1), Better: document.BetterLower, Band: "medium", Trend: trend(0.2, 0.1, 0.125)},
		{Label: "Recovery time (median)", Type: document.TypeHours, Unit: "hours", Band: "", Note: "no failed deployments recovered in the period"},
		{Label: "Cycle time P85", Value: f64(12.36), Type: document.TypeDays, Unit: "days", Previous: f64(12.36), Better: document.BetterLower, Band: "low"},
	}}
	var monthly []document.Point
	var cfr []document.Point
	for m := 5; m <= 10; m++ {
		monthly = append(monthly, document.Point{X: month(m), Y: f64(float64(300 + 20*m))})
		cfr = append(cfr, document.Point{X: month(m), Y: f64(0.05 * float64(m%3+1))})
	}
	deploys := &document.Chart{ID: "deploys", Title: "Production deployments per month", Kind: document.Line,
		X: document.Axis{Name: "Month", Type: document.AxisTime}, Y: document.Axis{Name: "Deployments", Format: document.TypeInt},
		Series:    []document.Series{{Name: "All teams", Points: monthly}},
		MarkLines: []document.MarkLine{{Name: "Target", Value: 450}}}
	cfrChart := &document.Chart{ID: "cfr", Title: "Change failure rate", Kind: document.Bar,
		X: document.Axis{Name: "Month", Type: document.AxisTime}, Y: document.Axis{Name: "Failure rate", Format: document.TypePercent},
		Series:    []document.Series{{Name: "Change failure rate", Points: cfr}},
		MarkLines: []document.MarkLine{{Name: "Elite (5%)", Value: 0.05}}}
	stacked := &document.Chart{ID: "by_team", Title: "Items delivered by team", Kind: document.StackedBar,
		X: document.Axis{Name: "Team", Type: document.AxisCategory, Categories: []string{"Payments", "Search", "Mobile"}},
		Y: document.Axis{Name: "Items", Format: document.TypeInt},
		Series: []document.Series{
			{Name: "Story", Points: []document.Point{{X: "Payments", Y: f64(40)}, {X: "Search", Y: f64(25)}, {X: "Mobile", Y: f64(31)}}},
			{Name: "Bug", Points: []document.Point{{X: "Payments", Y: f64(12)}, {X: "Mobile", Y: f64(7)}}},
		}}
	scatter := &document.Chart{ID: "cycle_scatter", Title: "Cycle time by delivery date", Kind: document.Scatter,
		X: document.Axis{Name: "Delivered", Type: document.AxisTime}, Y: document.Axis{Name: "Cycle time", Unit: "days", Format: document.TypeDays},
		Series: []document.Series{{Name: "Items", Points: []document.Point{
			{X: day0, Y: f64(3.5), Label: injections[0]}, {X: day0.AddDate(0, 0, 9), Y: f64(11.2)}, {X: day0.AddDate(0, 1, 3), Y: f64(6.1)},
			{X: day0.AddDate(0, 2, 0), Y: f64(20.4)}, {X: day0.AddDate(0, 3, 1), Y: f64(1.25)}}}},
		MarkLines: []document.MarkLine{{Name: "P50", Value: 6.1}, {Name: "P85", Value: 15.8}}}
	graph := &document.Chart{ID: "blockers", Title: "Who blocks whom", Kind: document.Graph,
		Nodes: []document.Node{{ID: "PAY", Label: "Payments", Value: 12}, {ID: "SRCH", Label: "Search", Value: 3}},
		Edges: []document.Edge{{From: "PAY", To: "SRCH", Value: 9.5, Label: "4 items"}}}

	cols := []document.Column{
		{Name: "item_key", Label: "Item", Type: document.TypeText, Description: "The tracker's key, e.g. PAY-12."},
		{Name: "title", Label: "Title", Type: document.TypeText, Description: "Title as the tracker has it."},
		{Name: "team", Label: "Team", Type: document.TypeText, Description: "Team."},
		{Name: "points", Label: "Points", Type: document.TypeNumber, Description: "Story points."},
		{Name: "deploys", Label: "Deployments", Type: document.TypeInt, Description: "Deployments shipping it."},
		{Name: "cycle_time_days", Label: "Cycle time (days)", Type: document.TypeDays, Description: "delivered_at − committed_at, fractional days."},
		{Name: "wait_hours", Label: "Wait (hours)", Type: document.TypeHours, Description: "Hours waiting."},
		{Name: "share", Label: "Share", Type: document.TypePercent, Description: "A fraction."},
		{Name: "month", Label: "Month", Type: document.TypeDate, Description: "First day of the month (UTC)."},
		{Name: "delivered_at", Label: "Delivered", Type: document.TypeDateTime, Description: "Delivery time (UTC)."},
		{Name: "is_rework", Label: "Rework", Type: document.TypeBool, Description: "Hotfix or rollback."},
		{Name: "fix_versions", Label: "Fix versions", Type: document.TypeList, Description: "Fix versions (list)."},
		{Name: "aging_status", Label: "Status", Type: document.TypeStatus, Description: "on_track, watch, at_risk, critical."},
		{Name: "url", Label: "Link", Type: document.TypeURL, Description: "The item in the tracker."},
	}
	statuses := []string{"on_track", "watch", "at_risk", "critical", "no_baseline", "elite"}
	var rows [][]any
	for i, title := range append(injections, "Plain title", "Ünïcödé – 日本語のタイトル", "  padded  ", "") {
		var pts any = float64(i%5) + 0.5
		if i == 3 {
			pts = nil
		}
		rows = append(rows, []any{
			fmt.Sprintf("PAY-%d", i+1), title, "Payments", pts, int64(i), 1.25 * float64(i), 0.5 + float64(i),
			float64(i) / 8, month(5 + i%6), day0.Add(time.Duration(i) * 36 * time.Hour), i%2 == 0,
			[]string{"2025.6", fmt.Sprintf("2025.%d", 7+i%3)}, statuses[i%len(statuses)], "https://jira.example.com/browse/PAY-" + fmt.Sprint(i+1),
		})
	}
	items := &document.Table{ID: "items", Title: "Delivered items", Description: "One row per delivered item.", Columns: cols, Rows: rows,
		Source: document.QueryRef{Name: "workbook_items", Params: map[string]string{"team": "%", "since": "2025-05-01"}}}
	streamed := &document.Table{ID: "deployments", Title: "Deployments", Description: "One row per deployment run.",
		Columns: []document.Column{
			{Name: "deployment_id", Label: "Deployment", Type: document.TypeText, Description: "Deployment run id."},
			{Name: "service", Label: "Service", Type: document.TypeText},
			{Name: "finished_at", Label: "Finished", Type: document.TypeDateTime, Description: "Finished (UTC)."},
			{Name: "recovery_hours", Label: "Recovery (hours)", Type: document.TypeHours, Description: "recovered_at − finished_at, hours."},
		},
		Source: document.QueryRef{Name: "workbook_deployments", Params: map[string]string{"team": "%"}},
		Stream: func(ctx context.Context, yield func([]any) error) error {
			for i := 0; i < 7; i++ {
				var rec any
				if i%3 == 0 {
					rec = 1.5 * float64(i)
				}
				if err := yield([]any{fmt.Sprintf("dep-%03d", i), "payments-api", day0.Add(time.Duration(i) * time.Hour), rec}); err != nil {
					return err
				}
			}
			return nil
		}}
	empty := &document.Table{ID: "incidents", Title: "Incidents", Description: "One row per incident.", Empty: "No incidents in this period.",
		Columns: []document.Column{{Name: "incident_id", Label: "Incident", Type: document.TypeText}, {Name: "created_at", Label: "Created", Type: document.TypeDateTime}},
		Source:  document.QueryRef{Name: "workbook_incidents"}}
	// A short table drawn on the summary itself (Inline), with grades to colour, dates, a
	// percentage, a missing date and a reason long enough to wrap.
	upcoming := &document.Table{ID: "upcoming", Title: "Upcoming releases", Inline: true,
		Description: "One row per upcoming release: its forecast and readiness verdict.",
		Columns: []document.Column{
			{Name: "release", Label: "Release", Type: document.TypeText, Description: "Release name."},
			{Name: "planned_date", Label: "Planned", Type: document.TypeDate, Description: "Planned release date."},
			{Name: "p85_date", Label: "P85 date", Type: document.TypeDate, Description: "The date by which 85% of the trials did."},
			{Name: "p_on_time", Label: "P(on time)", Type: document.TypePercent, Description: "Share of trials finished by the planned date."},
			{Name: "verdict", Label: "Verdict", Type: document.TypeStatus, Description: "go, at_risk or no_go."},
			{Name: "why", Label: "Why", Type: document.TypeText, Description: "The failing and warning checks."},
		},
		Rows: [][]any{
			{"PAY 2025.11", month(11), month(11).AddDate(0, 0, 4), 0.62, "at_risk", "warnings: forecast"},
			{injections[0], month(11).AddDate(0, 0, 14), nil, nil, "no_go", "fails: endorsement, regulated_signoff, packaging, change_approval; warnings: forecast, open_blockers, rollback_criteria, test_evidence"},
			{"SRCH 2025.12", month(12), month(11).AddDate(0, 0, 20), 0.97, "go", "all 9 checks pass"},
		},
		Source: document.QueryRef{Name: "release_outlook", Params: map[string]string{"team": "%"}}}
	return &document.Document{
		Kind: "workbook", Title: "Delivery workbook", Subtitle: "Acme Corp · all teams · last 6 months",
		Meta: document.Meta{AsOf: asOf, Generated: asOf.Add(time.Hour), Version: "v0.9.0-test",
			Period:  document.LastMonths(asOf, 6),
			Queries: []document.QueryRef{{Name: "dora_latest", Params: map[string]string{"month": "-"}}, {Name: "workbook_items", Params: map[string]string{"team": "%", "since": "2025-05-01"}}}},
		Sections: []document.Section{
			{ID: "summary", Title: "Summary", Blocks: []document.Block{kpis, upcoming, deploys, cfrChart, stacked, scatter,
				&document.Text{ID: "how", Title: "How to read", Paragraphs: []string{"Bands follow the DORA 2024 report."}, Bullets: []string{injections[1], "Times are UTC."}}}},
			{ID: "flow", Title: "Flow", Intro: "How work moves from commitment to production.", Blocks: []document.Block{graph, items}},
			{ID: "deployments", Title: "Deployments", Blocks: []document.Block{streamed, empty}},
		},
		Coverage: []document.Note{
			{Metric: "cycle_time", Team: "Search", Text: "no commitment point for 120 of 450 delivered items", Fill: "a Jira export with status history (changelog)"},
			{Metric: "change_lead_time", Text: injections[2], Fill: "deployments with commit times"},
		},
	}
}
