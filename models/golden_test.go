package models_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/relscope/relscope/internal/demowarehouse"
	"github.com/relscope/relscope/internal/golden"
)

// TestDemoMartsGolden builds the demo organisation (native fixtures at scale 2000, seed 42) and pins a
// summary of every mart: a change in any definition shows up here as a reviewable diff.
func TestDemoMartsGolden(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the demo warehouse")
	}
	w := demowarehouse.Open(t, demowarehouse.Native)
	var b strings.Builder
	for _, q := range []struct{ title, sql string }{
		{"mart_cycle_time by team and path", `select team, delivered_via, count(*), quantile_cont(cycle_time_days, 0.5), quantile_cont(cycle_time_days, 0.85), quantile_cont(lead_time_days, 0.5) from mart_cycle_time group by all order by all`},
		{"mart_aging_wip", `select team, aging_status, count(*), max(age_days) from mart_aging_wip group by all order by all`},
		{"mart_backlog_aging", `select age_bucket, count(*) from mart_backlog_aging group by all order by all`},
		{"mart_estimation_summary", `select * from mart_estimation_summary order by team`},
		{"mart_points_cycle_time (Checkout)", `select story_points, items, p50_days, p85_days from mart_points_cycle_time where team = 'Checkout' order by story_points`},
		{"mart_deployments outcomes", `select is_production, status, failure_reason, is_rework, count(*), avg(recovery_hours) from mart_deployments group by all order by all`},
		{"mart_dora_monthly, last 3 months", `select * exclude (bands_report_year) from mart_dora_monthly where month >= '2026-08-01' order by team, month`},
		{"mart_release_health totals", `select team, count(*), sum(planned_at_freeze), sum(added_after_freeze), sum(removed_after_freeze), sum(failed_deployments), sum(incidents), count(*) filter (where successful) from mart_release_health group by all order by all`},
		{"mart_release_success (2026)", `select * from mart_release_success where month >= '2026-01-01' order by team, month`},
		{"mart_release_calendar", `select status, count(*), count(*) filter (where rolled_back), count(*) filter (where maintenance), sum(public_items), sum(planned_items), sum(known_issues) from mart_release_calendar group by all order by all`},
		{"mart_release_log", `select release_status, category, title_source, count(*), count(*) filter (where is_done), count(*) filter (where is_highlight) from mart_release_log group by all order by all`},
		{"mart_blocked_time", `select team, count(*), sum(blocked_days), sum(blocked_spells), count(*) filter (where len(blocked_by) > 0) from mart_blocked_time group by all order by all`},
		{"mart_dependency_bottlenecks", `select * from mart_dependency_bottlenecks order by blocker_team`},
		{"mart_pipeline_failures by environment", `select environment, sum(runs), sum(failures) from mart_pipeline_failures group by all order by all`},
		{"mart_incident_monthly by team", `select team, sum(incidents), sum(resolved), sum(linked_to_deployment), quantile_cont(resolve_hours_p50, 0.5) from mart_incident_monthly group by all order by all`},
		{"mart_incident_hotspots", `select kind, name, team, incidents_90d, open_incidents, len(item_keys), len(open_item_keys) from mart_incident_hotspots order by all`},
		{"mart_dependency_edges", `select * from mart_dependency_edges order by blocker_team, blocked_team`},
		{"mart_backlog_priority by team and tier", `select team, risk_tier, count(*), round(avg(score), 3), count(*) filter (where needs_endorsement), count(*) filter (where release is not null) from mart_backlog_priority group by all order by all`},
		{"mart_release_forecast", `select release, team, planned_date, remaining, p50_date, p85_date, p95_date, round(p_on_time, 3), how_many_by_planned_p85, len(cut_line), delivering_days, reason from mart_release_forecast order by release`},
		{"mart_forecast_backtest by team", `select team, count(*), count(*) filter (where reason is null), count(*) filter (where released_by_p85), round(avg(days_after_p85), 2) from mart_forecast_backtest group by all order by all`},
		{"mart_release_readiness", `select release, check_name, status from mart_release_readiness where status <> 'pass' order by release, check_order`},
		{"mart_release_violations", `select release, kind, item_key, detail from mart_release_violations order by release, kind, item_key`},
		{"mart_compliance_gaps", `select team, gap_type, count(*) from mart_compliance_gaps group by all order by all`},
		{"mart_coverage", `select metric, sum(population), sum(covered), reason, sum(missing) from mart_coverage group by metric, reason order by all`},
	} {
		b.WriteString("## " + q.title + "\n")
		b.WriteString(rows(t, w.Warehouse, q.sql))
		b.WriteString("\n\n")
	}
	golden.File(t, filepath.Join("testdata", "demo_marts.golden"), []byte(b.String()))
}

// The generator simulates item lives: nothing happens to an item before it exists, in the
// native organisation or in `relscope demo`'s mixed one (where 45 of 1,833 items once had a
// cycle time longer than their lead time).
func TestDemoNothingBeforeCreation(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the demo warehouses")
	}
	for name, o := range map[string]demowarehouse.Options{"native": demowarehouse.Native, "mixed": demowarehouse.Demo} {
		w := demowarehouse.Open(t, o)
		if got := rows(t, w.Warehouse, `select count(*) from mart_cycle_time
				where commitment_before_creation or cycle_time_days > lead_time_days`); got != "0" {
			t.Errorf("%s demo: %s items committed before they were created (cycle time > lead time)", name, got)
		}
		if got := rows(t, w.Warehouse, `select count(*) from work_item_transitions as t
				join work_items as w using (source, item_key) where t.at < w.created_at`); got != "0" {
			t.Errorf("%s demo: %s history entries before their item was created", name, got)
		}
	}
}

// TestDemoReleasesHoldItems: in the mixed demo every release a team shipped holds items —
// whatever tool its items and its releases come from (Azure DevOps items of project Acme name
// CHK's releases by iteration, GitLab orders-api's milestones ORD's, the Linear team's its
// GitHub repository's) — but a project's first, planned before its first items were.
func TestDemoReleasesHoldItems(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the demo warehouse")
	}
	w := demowarehouse.Open(t, demowarehouse.Demo)
	if got := rows(t, w.Warehouse, `select string_agg(c.project || ' ' || c.release, ', ' order by c.project, c.release)
			from mart_release_calendar as c
			join mart_release_health as h using (source, project, release)
			where h.items = 0 and c.status = 'released'
				and c.release_date > (select min(f.release_date) from mart_release_calendar as f
					where f.source = c.source and f.project = c.project)`); got != "-" {
		t.Errorf("mixed demo: released releases holding no item: %s", got)
	}
	if got := rows(t, w.Warehouse, `select count(distinct project) from mart_release_items where matched_by = 'name'`); got != "3" {
		t.Errorf("mixed demo: %s release projects matched by name, want 3 (CHK, ORD, gateway-api)", got)
	}
}
