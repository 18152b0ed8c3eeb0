package queries

import (
	"path/filepath"
	"strings"
	"testing"
)

// The dashboard's named queries on the hand-built organisation of models/testdata/org.sql (as of
// 2025-03-31; its items, deployments and incidents are listed in models/marts_test.go). Without
// start and end the period is six months before as_of's month up to as_of: [2024-09-01,
// 2025-03-31), whose ISO weeks run from Monday 2024-08-26 to Monday 2025-03-24 — 31 weeks.
//
// The numbers every query below builds on:
//   - cycle times (committed → delivered): PAY-1 03-02 → 03-10 12:00 = 8.5 d; PAY-3 03-03 →
//     03-10 12:00 = 7.5 d (both delivered by d2). PAY-2, PAY-6, PAY-7 are delivered by their
//     resolution (03-04, 03-06, 03-06) without a commitment point, so without a cycle time.
//   - production deployments d0–d4: failures d0 (incident i3), d1 (failed), d2 (incident i1
//     attributed within 72 h), d3 (rolled back); recoveries d0 09:00 → i3 resolved 11:30 =
//     2.5 h, d1 10:00 → d2 12:00 = 2 h, d2 03-10 12:00 → i1 resolved 03-11 18:00 = 30 h, d3
//     10:00 → d4 10:30 = 0.5 h; d4 is a rollback (rework).
func TestDashboardQueriesOnOrg(t *testing.T) {
	w := orgWarehouse(t)
	march := map[string]string{"start": "2025-03-01", "end": "2025-03-31"}
	february := map[string]string{"start": "2025-02-01", "end": "2025-03-01"}
	for _, tc := range []struct {
		name   string
		params map[string]string
		want   string
	}{
		// Default period: 5 production deployments, 3 successful (d0, d2, d4), 4 failed → CFR
		// 0.8 (band low: > 40%). 3 successful / 31 weeks = 0.097 → 0.1 per week. Deploy days
		// per week: 1 in the weeks of 02-24 (d0, 03-01), 03-10 (d2) and 03-17 (d4), 0 in the
		// other 28 → median 0; the period touches 7 months (2024-09 … 2025-03) and 3 < 7
		// successful deployments, so fewer than one a month: low. Lead time, items basis (no
		// commit times): median(8.5, 7.5) d = 8 d = 192 h → medium (< 720 h). Recovery:
		// median(0.5, 2, 2.5, 30) = 2.25 → 2.3 h → high (< 24 h). Rework: d4, 1 / 5 = 0.2.
		{"dora_period", nil, "team,deployments,successful_deployments,failed_deployments,deployments_per_week,deploy_days_per_week_p50,lead_time_hours_p50,lead_time_basis,change_failure_rate,recovery_hours_p50,rework_rate,deployment_frequency_band,lead_time_band,change_failure_rate_band,recovery_time_band\n" +
			",5,3,4,0.1,0,192,items,0.8,2.3,0.2,low,medium,low,high\n"},
		// March alone: the same deployments over the 5 weeks 02-24 … 03-24 (deploy days 1, 0, 1,
		// 1, 0 → median 1 → high, ≥ 1 a week); 3 / 5 weeks = 0.6 a week.
		{"dora_period", march, "team,deployments,successful_deployments,failed_deployments,deployments_per_week,deploy_days_per_week_p50,lead_time_hours_p50,lead_time_basis,change_failure_rate,recovery_hours_p50,rework_rate,deployment_frequency_band,lead_time_band,change_failure_rate_band,recovery_time_band\n" +
			",5,3,4,0.6,1,192,items,0.8,2.3,0.2,high,medium,low,high\n"},
		// February has no deployment: counts are 0, rates and bands unknown (never "elite").
		{"dora_period", february, "team,deployments,successful_deployments,failed_deployments,deployments_per_week,deploy_days_per_week_p50,lead_time_hours_p50,lead_time_basis,change_failure_rate,recovery_hours_p50,rework_rate,deployment_frequency_band,lead_time_band,change_failure_rate_band,recovery_time_band\n" +
			",0,0,0,0,0,,,,,,,,,\n"},
		// 7.5 and 8.5: P50 8.0; P85 7.5 + 0.85 × 1 = 8.35 → 8.4; P95 8.45 → 8.5; mean 8.0.
		{"cycle_time_summary", nil, "team,items,p50_days,p85_days,p95_days,mean_days\n" +
			",2,8,8.4,8.5,8\n"},
		{"cycle_time_summary", february, "team,items,p50_days,p85_days,p95_days,mean_days\n" +
			",0,,,,\n"},
		// Both delivered 03-10 12:00, so ordered by key; total = 2.
		{"cycle_time_points", nil, "item_key,team,item_type,delivered_at,cycle_time_days,total\n" +
			"PAY-1,PAY,Story,2025-03-10T12:00:00Z,8.5,2\n" +
			"PAY-3,PAY,Story,2025-03-10T12:00:00Z,7.5,2\n"},
		// limit 1: the sample keeps the item of the lowest hash(source, key) — PAY-1 — and total
		// still says 2 (the chart writes "1 of 2 items shown").
		{"cycle_time_points", map[string]string{"limit": "1"}, "item_key,team,item_type,delivered_at,cycle_time_days,total\n" +
			"PAY-1,PAY,Story,2025-03-10T12:00:00Z,8.5,2\n"},
		// 7.5 falls in [5, 8), 8.5 in [8, 13); every bin listed.
		{"cycle_time_histogram", nil, "bin,days,items\n" +
			"1,0-1,0\n2,1-2,0\n3,2-3,0\n4,3-5,0\n5,5-8,1\n6,8-13,1\n7,13-21,0\n8,21-34,0\n9,34-55,0\n10,55+,0\n"},
		// Delivered items, with or without a cycle time: PAY-2 (03-04), PAY-6 and PAY-7 (03-06)
		// in the week of 03-03; PAY-1 and PAY-3 (03-10) in the week of 03-10.
		{"throughput_weekly", nil, "team,week,items\n" +
			"PAY,2025-03-03,3\n" +
			"PAY,2025-03-10,2\n"},
		// At the end of each week from 02-17: created − started in the backlog, started −
		// delivered in progress. PAY-5 (backlog, created 2024-12-01) counts from before.
		// Week of 02-24: created PAY-1, 3, 4, 6, 7 (03-01/03-02) → 6 created with PAY-5; started
		// PAY-1 (03-02) and PAY-4 (committed 03-02) → backlog 4, in progress 2.
		// Week of 03-03: created PAY-2 → 7; started PAY-2, 6, 7 (at delivery, no commitment),
		// PAY-3 (03-03) → 6; delivered PAY-2, 6, 7 → 3: backlog 1, in progress 3, delivered 3.
		// Week of 03-10: PAY-1 and PAY-3 delivered → 5; in progress 6 − 5 = 1 (PAY-4).
		{"cumulative_flow", map[string]string{"start": "2025-02-17", "end": "2025-03-31"}, "week,backlog,in_progress,delivered\n" +
			"2025-02-17,1,0,0\n" +
			"2025-02-24,4,2,0\n" +
			"2025-03-03,1,3,3\n" +
			"2025-03-10,1,1,5\n" +
			"2025-03-17,1,1,5\n" +
			"2025-03-24,1,1,5\n"},
		// PAY 1.0 released 03-10 12:00 in the period; PAY 1.1 is planned 04-10, after it. Items
		// PAY-1 and PAY-3; at freeze (03-07) PAY-1 and PAY-4; PAY-3 added 03-08, PAY-4 removed
		// 03-08 → volatility (1 + 1) / 2 = 1. Deployments d1, d2, both failed; incident i1 within
		// 7 days; slip 12 h = 0.5 days late.
		{"release_scorecard", nil, "release,team,planned_date,released_at,is_released,items,planned_at_freeze,added_after_freeze,removed_after_freeze,scope_volatility,deployments,failed_deployments,incidents,successful,slip_days\n" +
			"PAY 1.0,PAY,2025-03-10,2025-03-10T12:00:00Z,true,2,2,1,1,1,2,2,1,false,0.5\n"},
		// April holds PAY 1.1 by its planned date, unreleased. Its freeze (04-10 − 3 days) is after
		// as_of, so the scope at freeze is today's: PAY-4 (moved in 03-08), nothing added or
		// removed after it → volatility 0; no deployment yet; incidents, success and slip are
		// unknown until it is released.
		{"release_scorecard", map[string]string{"start": "2025-04-01", "end": "2025-04-30"}, "release,team,planned_date,released_at,is_released,items,planned_at_freeze,added_after_freeze,removed_after_freeze,scope_volatility,deployments,failed_deployments,incidents,successful,slip_days\n" +
			"PAY 1.1,PAY,2025-04-10,,false,1,1,0,0,0,0,0,,,\n"},
		// March: one release (PAY 1.0), not successful → 0.
		{"release_success_monthly", nil, "team,month,releases,successful_releases,success_rate\n" +
			"PAY,2025-03-01,1,0,0\n"},
		// PAY-6 12 / 10 = 1.2 (within ±25%), PAY-7 8 / 4 = 2 (≥ 2); every band listed.
		{"estimation_ratios", nil, "team,band,ratio,items\n" +
			"PAY,1,< 0.5,0\nPAY,2,0.5-0.8,0\nPAY,3,0.8-1.25,1\nPAY,4,1.25-2,0\nPAY,5,>= 2,1\n"},
		{"estimation_ratios", february, "team,band,ratio,items\n"},
		// Runs in every environment: prod d0–d4, only d1's status is failed (d3's rollback is
		// not a pipeline failure) → 1 / 5; staging d5 failed, d6 succeeded → 1 / 2.
		{"pipeline_failure_rates", nil, "team,environment,runs,failures,failure_rate\n" +
			"PAY,prod,5,1,0.2\n" +
			"PAY,staging,2,1,0.5\n"},
		// March: 5 production deployments, 4 failed; incidents linked: i3 (d0) and i1 (d2);
		// median recovery 2.25 → 2.3 h.
		{"failures_monthly", nil, "team,month,deployments,failed_deployments,incidents,recovery_hours_p50\n" +
			"PAY,2025-03-01,5,4,2,2.3\n"},
		// March: i1 (03-11, resolved in 6 h, attributed to d2), i2 (03-25, 1 h, no deployment
		// within 72 h), i3 (03-01, 1.5 h, caused by d0): 3 incidents, 3 resolved, 2 linked; no
		// acknowledgement recorded; median resolve median(6, 1, 1.5) = 1.5 h.
		{"incidents_by_month", nil, "team,month,incidents,resolved,linked_to_deployment,ack_hours_p50,resolve_hours_p50\n" +
			"PAY,2025-03-01,3,3,2,,1.5\n"},
		// From 03-05: i1 and i2 only → median(6, 1) = 3.5 h; 1 linked.
		{"incidents_by_month", map[string]string{"start": "2025-03-05", "end": "2025-03-31"}, "team,month,incidents,resolved,linked_to_deployment,ack_hours_p50,resolve_hours_p50\n" +
			"PAY,2025-03-01,2,2,1,,3.5\n"},
		// PAY-4 committed 03-02: 29 days by as_of, past PAY's P95 of 8.45 → critical.
		{"aging_wip_items", nil, "item_key,team,title,status,status_category,aging_status,age_days,team_p50_days,team_p85_days,team_p95_days,total\n" +
			"PAY-4,PAY,,In Progress,in_progress,critical,29,8,8.4,8.5,1\n"},
		// PAY-1 (3 points) 8.5 d, PAY-3 (5 points) 7.5 d; PAY-2's 3 points have no cycle time.
		{"points_cycle_time", nil, "team,story_points,items,p50_days,p85_days,p95_days\n" +
			"PAY,3,1,8.5,8.5,8.5\n" +
			"PAY,5,1,7.5,7.5,7.5\n"},
		// CHK-7 blocks PAY-3, CHK-8 blocks PAY-4; neither is in the warehouse, so their team is
		// their key's project, CHK. Blocked days: PAY-3 03-04 → 03-05 12:00 (1.5) + 03-06 → 03-07
		// (1) = 2.5; PAY-4 never had a blocked status.
		{"blocking_pairs", nil, "blocker_team,blocked_team,blocked_items,blocked_days\n" +
			"CHK,PAY,2,2.5\n"},
		// CHK: 2 items, 2.5 days; open blockers on unreleased releases: CHK-8 (PAY-4 is in PAY
		// 1.1) → 1; releases of the blocked items: PAY 1.0 (PAY-3), PAY 1.1 (PAY-4) → 2.
		{"dependency_bottlenecks", nil, "blocker_team,blocked_items,blocked_days,open_blockers,releases_affected\n" +
			"CHK,2,2.5,1,2\n"},
	} {
		if got := runNamed(t, w, tc.name, tc.params); got != tc.want {
			t.Errorf("@%s %v:\ngot:\n%s\nwant:\n%s", tc.name, tc.params, got, tc.want)
		}
	}
}

// A team parameter is a team's exact name, never a LIKE pattern: on the organisation whose only
// team is PAY, every query with a $team answers "P_Y" and "PA%" exactly as it answers a team
// that does not exist, answers "PAY" as it answers "%" (every team), and spells the filter
// ($team = '%' or team = $team) rather than LIKE.
func TestTeamIsExact(t *testing.T) {
	w := fixtureWarehouse(t, "org.sql")
	qs, err := All()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, q := range qs {
		hasTeam := false
		for _, p := range q.Params {
			if p.Name == "team" {
				hasTeam = true
				if p.Default != "%" {
					t.Errorf("@%s: $team defaults to %q, want %% (every team)", q.Name, p.Default)
				}
			}
		}
		if !hasTeam {
			continue
		}
		n++
		if strings.Contains(strings.ToLower(q.SQL), "like $team") {
			t.Errorf("@%s matches $team with LIKE", q.Name)
		}
		none := runNamed(t, w, q.Name, map[string]string{"team": "NOPE"})
		for _, pattern := range []string{"P_Y", "PA%"} {
			if got := runNamed(t, w, q.Name, map[string]string{"team": pattern}); got != none {
				t.Errorf("@%s team=%s is read as a pattern:\n%s", q.Name, pattern, got)
			}
		}
		if all, pay := runNamed(t, w, q.Name, nil), runNamed(t, w, q.Name, map[string]string{"team": "PAY"}); all != pay {
			t.Errorf("@%s: team=PAY differs from every team on a one-team organisation:\n%s\nvs\n%s", q.Name, pay, all)
		}
	}
	if n < 25 {
		t.Errorf("only %d named queries take a team", n)
	}
}

// The headline queries' per-team rows, on the organisation with a second team (testdata/chk.sql)
// in March: [2025-03-01, 2025-03-31), ISO weeks 02-24, 03-03, 03-10, 03-17, 03-24, one month.
//
// CHK: c1, c2, c3 → 3 deployments, 2 successful, 1 failed (c2) → CFR 0.333 (medium, ≤ 40%);
// 2 / 5 weeks = 0.4 a week; deploy days 0, 0, 1 (03-12), 0, 0 → median 0, but 2 ≥ 1 successful
// in the one month → medium. Lead time (items): CHK-1 committed 03-10 00:00, delivered by c1
// 03-12 08:00 = 56 h → high (< 168 h). Recovery: c2 09:00 → c3 11:00 = 2 h → high. No rework.
// PAY: as in March above.
// The scope (both teams): 8 deployments, 5 successful, 5 failed → 0.625 (low); 5 / 5 weeks =
// 1 a week; deploy days 1 (03-01), 0, 2 (03-10, 03-12), 1 (03-20), 0 → median 1 → high. Lead
// time median(204, 180, 56) = 180 h → medium (≥ 168 h). Recovery median(0.5, 2, 2.5, 30, 2) = 2
// h → high. Rework d4 of 8 = 0.125.
// Cycle times: CHK-1 56 h = 2.333 d; the scope's P50 of (2.333, 7.5, 8.5) is 7.5, P85 = 7.5 +
// 0.7 × 1 = 8.2, P95 = 8.4, mean 6.111 → 6.1.
func TestPerTeamRows(t *testing.T) {
	w := buildWarehouse(t, filepath.Join("..", "models", "testdata", "org.sql"), filepath.Join("testdata", "chk.sql"))
	march := map[string]string{"start": "2025-03-01", "end": "2025-03-31", "per_team": "true"}
	for _, tc := range []struct {
		name   string
		params map[string]string
		want   string
	}{
		{"dora_period", march, "team,deployments,successful_deployments,failed_deployments,deployments_per_week,deploy_days_per_week_p50,lead_time_hours_p50,lead_time_basis,change_failure_rate,recovery_hours_p50,rework_rate,deployment_frequency_band,lead_time_band,change_failure_rate_band,recovery_time_band\n" +
			",8,5,5,1,1,180,items,0.625,2,0.125,high,medium,low,high\n" +
			"CHK,3,2,1,0.4,0,56,items,0.333,2,0,medium,high,medium,high\n" +
			"PAY,5,3,4,0.6,1,192,items,0.8,2.3,0.2,high,medium,low,high\n"},
		// Without per_team, only the scope's row.
		{"dora_period", map[string]string{"start": "2025-03-01", "end": "2025-03-31"}, "team,deployments,successful_deployments,failed_deployments,deployments_per_week,deploy_days_per_week_p50,lead_time_hours_p50,lead_time_basis,change_failure_rate,recovery_hours_p50,rework_rate,deployment_frequency_band,lead_time_band,change_failure_rate_band,recovery_time_band\n" +
			",8,5,5,1,1,180,items,0.625,2,0.125,high,medium,low,high\n"},
		// One team and per_team: the scope is CHK, and CHK's own row repeats it.
		{"dora_period", map[string]string{"start": "2025-03-01", "end": "2025-03-31", "per_team": "true", "team": "CHK"}, "team,deployments,successful_deployments,failed_deployments,deployments_per_week,deploy_days_per_week_p50,lead_time_hours_p50,lead_time_basis,change_failure_rate,recovery_hours_p50,rework_rate,deployment_frequency_band,lead_time_band,change_failure_rate_band,recovery_time_band\n" +
			",3,2,1,0.4,0,56,items,0.333,2,0,medium,high,medium,high\n" +
			"CHK,3,2,1,0.4,0,56,items,0.333,2,0,medium,high,medium,high\n"},
		{"cycle_time_summary", march, "team,items,p50_days,p85_days,p95_days,mean_days\n" +
			",3,7.5,8.2,8.4,6.1\n" +
			"CHK,1,2.3,2.3,2.3,2.3\n" +
			"PAY,2,8,8.4,8.5,8\n"},
	} {
		if got := runNamed(t, w, tc.name, tc.params); got != tc.want {
			t.Errorf("@%s %v:\ngot:\n%s\nwant:\n%s", tc.name, tc.params, got, tc.want)
		}
	}
}
