package models_test

import "testing"

// Every item of the hand-built organisation is in a flow mart: PAY-1, 2, 3, 6 and 7 delivered
// (mart_cycle_time), PAY-4 open and committed (mart_aging_wip), PAY-5 in the backlog. The org
// has no change records: that family is reported as absent, for its one team.
func TestCoverageFlowAndAbsentFamiliesOnOrg(t *testing.T) {
	w := buildOrg(t, nil)
	expect(t, w, "flow and families", `select metric, team, population, covered, missing, reason from mart_coverage
		where metric in ('flow', 'change_records', 'dora', 'incidents', 'release_health') order by metric`, `
		change_records|PAY|0|0|0|no change records ingested: a ServiceNow change_request export or a native changes.csv gives change approval and back-out checks
		flow|PAY|7|7|0|-
		incidents|PAY|3|3|0|-`)
}

// A backlog export alone, as of 03-31 (testdata/backlog_only.sql), no status history:
//
//	BK-1 done, resolved 03-04        → delivered by resolution: mart_cycle_time
//	BK-2 done, no resolution time    → in no flow mart
//	BK-3 cancelled                   → in no flow mart, by definition
//	BK-4 in progress, no start date  → no commitment point
//	BK-5 in progress, started 03-02  → mart_aging_wip
//	BK-6 no creation date            → no lead time or backlog age
//	BK-7 created 04-05, after as_of
//	BK-8 backlog, created 03-01      → mart_backlog_aging
//	BK-9 done, resolved 04-02        → after as_of
//
// flow: 9 items, 3 covered (BK-1, BK-5, BK-8), one row per other reason. And DORA, release
// health, incidents and change records each say which exports they need.
func TestCoverageBacklogOnly(t *testing.T) {
	w := buildFrom(t, nil, "backlog_only.sql")
	expect(t, w, "backlog-only coverage", `select metric, population, covered, missing, reason from mart_coverage
		where team = 'BK' and metric in ('flow', 'dora', 'release_health', 'incidents', 'change_records') order by metric, reason`, `
		change_records|0|0|0|no change records ingested: a ServiceNow change_request export or a native changes.csv gives change approval and back-out checks
		dora|0|0|0|no deployments ingested: GitHub or GitLab deployments, or a native deployments.csv, give DORA metrics, delivery by deployment and pipeline failure rates
		flow|9|3|1|cancelled, so in no flow metric by definition
		flow|9|3|1|created after as_of
		flow|9|3|1|done, but the export has no resolution time: export Resolved (Azure DevOps Closed Date, Linear Completed; from a Jira CSV, Status Category Changed will do)
		flow|9|3|1|no creation date in the export: export its Created column (lead time and backlog age need it)
		flow|9|3|1|open, but no commitment point: export the status history or a start date
		flow|9|3|1|resolved after as_of
		incidents|0|0|0|no incidents ingested: PagerDuty, Opsgenie, ServiceNow incident exports or a native incidents.csv give incident times, failures by incident and hotspots
		release_health|0|0|0|no releases ingested: Jira REST JSON (its fix versions), GitHub releases or a native releases.csv give release health and scope at freeze`)
}

// Incidents alone (the incident organisation's incidents, without its items and deployments).
// OPS has 6 incidents, 5 created by as_of (n6 is after it): acknowledged n1, n2, n4 (not n3, n7); resolved by as_of
// n1, n2, n3 (not n4, n7); with no deployments none is linked to one. WEB's n5 has both times.
func TestCoverageIncidentsOnly(t *testing.T) {
	w := buildFrom(t, nil, "incidents.sql")
	if _, err := w.DB.Exec(`delete from work_items; delete from deployments`); err != nil {
		t.Fatal(err)
	}
	w = rebuild(t, w, nil)
	expect(t, w, "incidents-only coverage", `select metric, team, population, covered, missing, reason from mart_coverage
		where metric like 'incident%' or metric in ('flow', 'dora') order by metric, team, reason`, `
		dora|OPS|0|0|0|no deployments ingested: GitHub or GitLab deployments, or a native deployments.csv, give DORA metrics, delivery by deployment and pipeline failure rates
		dora|WEB|0|0|0|no deployments ingested: GitHub or GitLab deployments, or a native deployments.csv, give DORA metrics, delivery by deployment and pipeline failure rates
		flow|OPS|0|0|0|no work items ingested: a backlog export (Jira CSV or REST JSON, Azure DevOps, Linear, GitHub or GitLab issues, native work_items.csv) gives cycle time, aging and estimation
		flow|WEB|0|0|0|no work items ingested: a backlog export (Jira CSV or REST JSON, Azure DevOps, Linear, GitHub or GitLab issues, native work_items.csv) gives cycle time, aging and estimation
		incident_ack_time|OPS|5|3|2|no acknowledgement time in the export: PagerDuty and Opsgenie exports carry one; for ServiceNow, map a column to acknowledged_at (columns in relscope.yaml)
		incident_ack_time|WEB|1|1|0|-
		incident_deployment_link|OPS|5|0|5|no production deployment linked: a caused-by deployment or change in the export, or a deployment of its service within attribution_window_hours before it, links one
		incident_deployment_link|WEB|1|0|1|no production deployment linked: a caused-by deployment or change in the export, or a deployment of its service within attribution_window_hours before it, links one
		incident_resolve_time|OPS|5|3|2|not resolved by as_of
		incident_resolve_time|WEB|1|1|0|-
		incidents|OPS|6|5|1|created after as_of
		incidents|WEB|1|1|0|-`)
	// One row per family and team: OPS and WEB.
	expect(t, w, "teams", `select team, count(*) from mart_coverage where population = 0 group by team order by team`, `
		OPS|4
		WEB|4`)
}

// Change records alone: every other family is absent, for the change's team.
func TestCoverageChangesOnly(t *testing.T) {
	w := buildFrom(t, nil, "changes_only.sql")
	expect(t, w, "changes-only coverage", `select metric, team from mart_coverage order by metric`, `
		dora|Billing
		flow|Billing
		incidents|Billing
		release_health|Billing`)
}

// A Jira CSV export without a Created column (testdata/jira_csv_items.sql, ingest 3), as of
// 03-31: JC-1 is done with no Resolved but a Status Category Changed of 03-10 — delivered then,
// by resolution, with that basis; JC-2 resolved 03-12; JC-3 done with neither time; JC-4 in
// progress without a commitment point. None has a creation time: no lead time.
func TestCoverageNotesAndResolutionBasis(t *testing.T) {
	w := buildFrom(t, nil, "jira_csv_items.sql")
	expect(t, w, "delivered", `select item_key, delivered_at, delivered_via, resolution_basis, lead_time_days
		from mart_cycle_time order by item_key`, `
		JC-1|03-10 09:00|resolution|status_category_changed|-
		JC-2|03-12 09:00|resolution|resolved|-`)
	// flow: JC-1 and JC-2 are in mart_cycle_time; JC-3 (done, no time) and JC-4 (open, no
	// commitment) are in no flow mart. The file's note counts its 4 items, none covered.
	// lead_time: both delivered items lack it.
	expect(t, w, "coverage", `select metric, population, covered, missing, reason from mart_coverage
		where team = 'JC' and metric in ('flow', 'lead_time') order by metric, reason`, `
		flow|4|2|1|done, but the export has no resolution time: export Resolved (Azure DevOps Closed Date, Linear Completed; from a Jira CSV, Status Category Changed will do)
		flow|4|0|4|no Created column: export it (lead time and backlog age need it)
		flow|4|2|1|open, but no commitment point: export the status history or a start date
		lead_time|2|0|2|no creation date in the export: export its Created column`)
}
