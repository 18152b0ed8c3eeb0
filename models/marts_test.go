package models_test

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/relscope/relscope/config"
	"github.com/relscope/relscope/models"
)

// The hand-built organisation every mart test below works from (testdata/org.sql; the named
// queries' tests use it too). One team (PAY), one service
// (pay-api), as_of = 2025-03-31 00:00 UTC, default configuration (freeze_days 3, attribution
// window 72 h, DORA 2024 bands).
//
// Releases: "PAY 1.0" planned 2025-03-10, no own freeze → freeze 2025-03-07 00:00, released
// 2025-03-10 12:00. "PAY 1.1" planned 2025-04-10, unreleased.
//
// Items (all created 2025-03-01 00:00 unless said):
//
//	PAY-1 Story: In Progress 03-02 00:00, Done 03-05; fix version +PAY 1.0 at 03-02 00:00.
//	PAY-2 Bug, created 03-03: no history, Done, resolved 03-04 00:00 — no commitment point.
//	PAY-3 Story, blocked twice: In Progress 03-03, Blocked 03-04, In Progress 03-05 12:00,
//	      Blocked 03-06, In Progress 03-07, Done 03-08; +PAY 1.0 at 03-08 06:00 (after the
//	      freeze); blocked by CHK-7 (not in the warehouse).
//	PAY-4 Story: In Progress 03-02; +PAY 1.0 at 03-02; moved PAY 1.0 → PAY 1.1 at 03-08 (after
//	      the freeze); still In Progress; blocked by CHK-8.
//	PAY-5 Story, created 2024-12-01: To Do (backlog), no history.
//	PAY-6 Task: Done, resolved 03-06, no history; estimate 10 h, spent 12 h.
//	PAY-7 Task: Done, resolved 03-06, no history; estimate 4 h, spent 8 h.
//
// Deployments of pay-api (team PAY):
//
//	d0 prod success  03-01 09:00  PAY 0.9
//	d1 prod failed   03-10 10:00  PAY 1.0
//	d2 prod success  03-10 12:00  PAY 1.0
//	d3 prod rolled_back 03-20 10:00 PAY 1.0.1
//	d4 prod success  03-20 10:30  PAY 0.9, kind rollback
//	d5 staging failed 03-09 10:00, d6 staging success 03-09 12:00
//
// Incidents on pay-api:
//
//	i1 created 03-11 12:00, resolved 03-11 18:00, no link: 24 h after d2 → attributed to d2.
//	i2 created 03-25 12:00: the latest successful prod deployment before it is d4 (03-20 10:30),
//	   122 h earlier, outside the 72 h window → not attributed.
//	i3 caused_by d0, created 03-01 10:00, resolved 03-01 11:30.

var asOf = time.Date(2025, 3, 31, 0, 0, 0, 0, time.UTC)

func buildOrg(t *testing.T, cfg *config.Config) *models.Warehouse {
	t.Helper()
	return buildFrom(t, cfg, "org.sql")
}

// buildFixture builds a warehouse from the inserts of testdata/file, as of asOf.
func buildFixture(t *testing.T, file string, cfg *config.Config) *models.Warehouse {
	t.Helper()
	return buildFrom(t, cfg, file)
}

// buildFrom loads the hand-built SQL files of testdata/ into a fresh warehouse and builds every
// model as of asOf.
func buildFrom(t *testing.T, cfg *config.Config, files ...string) *models.Warehouse {
	t.Helper()
	ctx := context.Background()
	w, err := models.Open(ctx, filepath.Join(t.TempDir(), "w.duckdb"), models.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	for _, f := range files {
		if _, err := w.DB.Exec(readTestdata(t, f)); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
	}
	return rebuild(t, w, cfg)
}

// rebuild builds every model of w again as of asOf (cfg nil: the defaults).
func rebuild(t *testing.T, w *models.Warehouse, cfg *config.Config) *models.Warehouse {
	t.Helper()
	ms, err := models.Models()
	if err != nil {
		t.Fatal(err)
	}
	if cfg == nil {
		cfg = config.Default()
	}
	if _, err := w.Build(context.Background(), ms, models.Settings{AsOf: asOf, Config: cfg}, nil); err != nil {
		t.Fatal(err)
	}
	return w
}

func readTestdata(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// rows runs q and renders each row as "a|b|c", floats rounded to 4 places, NULL as "-".
func rows(t *testing.T, w *models.Warehouse, q string) string {
	t.Helper()
	rs, err := w.DB.Query(q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rs.Close()
	cols, _ := rs.Columns()
	types, _ := rs.ColumnTypes()
	var out []string
	for rs.Next() {
		vals, err := models.ScanRow(rs, len(cols))
		if err != nil {
			t.Fatal(err)
		}
		var parts []string
		for i, v := range vals {
			switch x := v.(type) {
			case nil:
				parts = append(parts, "-")
			case float64:
				parts = append(parts, fmt.Sprint(math.Round(x*10000)/10000))
			case time.Time:
				if types[i].DatabaseTypeName() == "DATE" {
					parts = append(parts, x.UTC().Format("2006-01-02"))
				} else {
					parts = append(parts, x.UTC().Format("01-02 15:04"))
				}
			default:
				parts = append(parts, fmt.Sprint(x))
			}
		}
		out = append(out, strings.Join(parts, "|"))
	}
	return strings.Join(out, "\n")
}

func expect(t *testing.T, w *models.Warehouse, what, q, want string) {
	t.Helper()
	var lines []string
	for _, l := range strings.Split(strings.TrimSpace(want), "\n") {
		lines = append(lines, strings.TrimSpace(l))
	}
	want = strings.Join(lines, "\n")
	if got := rows(t, w, q); got != want {
		t.Errorf("%s:\n got:\n%s\nwant:\n%s", what, got, want)
	}
}

func TestMartCycleTime(t *testing.T) {
	w := buildOrg(t, nil)
	// PAY-1: committed 03-02 00:00; d1 (03-10 10:00) ships it but failed, so d2 (03-10 12:00)
	//        delivers it: cycle 8 d 12 h = 8.5 d; lead from 03-01 = 9.5 d.
	// PAY-2: no history, no start date: cycle null; resolution 03-04 − created 03-03 = 1 d lead.
	// PAY-3: committed 03-03 00:00, delivered by d2: cycle 7.5 d, lead 9.5 d.
	// PAY-6, PAY-7: done without history, resolved 03-06: lead 5 d, no cycle.
	// PAY-4 (in progress) and PAY-5 (backlog) are not delivered.
	expect(t, w, "mart_cycle_time", `select item_key, committed_at, delivered_at, delivered_via, delivered_by_deployment,
        cycle_time_days, lead_time_days from mart_cycle_time order by item_key`, `
        PAY-1|03-02 00:00|03-10 12:00|deployment|d2|8.5|9.5
        PAY-2|-|03-04 00:00|resolution|-|-|1
        PAY-3|03-03 00:00|03-10 12:00|deployment|d2|7.5|9.5
        PAY-6|-|03-06 00:00|resolution|-|-|5
        PAY-7|-|03-06 00:00|resolution|-|-|5`)
}

func TestMartDeployments(t *testing.T) {
	w := buildOrg(t, nil)
	// d0: i3 names it → incident failure, recovered when i3 resolved: 09:00 → 11:30 = 2.5 h.
	// d1: failed → recovered by the next successful prod deployment, d2: 10:00 → 12:00 = 2 h.
	// d2: i1 attributed (24 h < 72 h) → incident failure, recovered 03-10 12:00 → 03-11 18:00 = 30 h.
	// d3: rolled back → recovered by d4 30 min later = 0.5 h.
	// d4: success, no incident (i2 is 122 h later, outside the window); kind rollback → rework.
	// d5, d6: staging — not production, no failure verdict.
	expect(t, w, "mart_deployments", `select deployment_id, is_production, is_failure, failure_reason, incidents,
        recovery_hours, is_rework from mart_deployments order by deployment_id`, `
        d0|true|true|incident|1|2.5|false
        d1|true|true|failed|0|2|false
        d2|true|true|incident|1|30|false
        d3|true|true|rolled_back|0|0.5|false
        d4|true|false|-|0|-|true
        d5|false|-|-|0|-|false
        d6|false|-|-|0|-|false`)
	expect(t, w, "int_deployment_incidents", `select incident_id, deployment_id, link from int_deployment_incidents order by 1`, `
        i1|d2|attributed
        i3|d0|caused_by`)
}

func TestMartDoraMonthly(t *testing.T) {
	w := buildOrg(t, nil)
	// March 2025, PAY: production deployments d0–d4 = 5; successful d0, d2, d4 = 3.
	// Failures d0, d1, d2, d3 = 4 → change failure rate 4/5 = 0.8 → 2024 band low (> 40%).
	// Recovery hours of the failures: 2.5, 2, 30, 0.5 → sorted 0.5, 2, 2.5, 30 → median 2.25 → high (< 24 h).
	// Rework: d4 (kind rollback) = 1/5 = 0.2.
	// Lead time: no commit times → items basis: PAY-1 8.5 d = 204 h, PAY-3 7.5 d = 180 h, both
	// delivered by d2 in March → median 192 h → medium (≥ 168 h, < 720 h).
	// Deploy days per week: weeks whose Thursday is in March: Mar 3, 10, 17, 24 (Mar 31 belongs to
	// April). Successful deploy days: Mar 10 (d2), Mar 20 (d4); d0 on Mar 1 is in the week of
	// Feb 24 → [0, 1, 1, 0] → median 0.5 → below weekly, but deployed this month → medium.
	expect(t, w, "mart_dora_monthly", `select team, month, deployments, successful_deployments, deploy_days_per_week_p50,
        lead_time_hours_p50, lead_time_basis, change_failure_rate, recovery_hours_p50, rework_rate,
        deployment_frequency_band, lead_time_band, change_failure_rate_band, recovery_time_band from mart_dora_monthly`, `
        PAY|2025-03-01|5|3|0.5|192|items|0.8|2.25|0.2|medium|medium|low|high`)
	// The 2023 report grades recovery the same here; its change-failure cut-offs put 0.8 in low too.
	cfg := config.Default()
	cfg.DoraBands = 2023
	w23 := buildOrg(t, cfg)
	expect(t, w23, "2023 bands", `select bands_report_year, change_failure_rate_band, recovery_time_band from mart_dora_monthly`, `2023|low|high`)
}

func TestMartPipelineFailures(t *testing.T) {
	w := buildOrg(t, nil)
	// prod: d0 success, d1 failed, d2 success, d3 rolled_back (ran fine: not a pipeline failure),
	// d4 success → 1 failure / 5 runs = 0.2. staging: d5 failed, d6 success → 1/2 = 0.5.
	expect(t, w, "mart_pipeline_failures", `select team, environment, runs, failures, failure_rate from mart_pipeline_failures order by environment`, `
        PAY|prod|5|1|0.2
        PAY|staging|2|1|0.5`)
}

func TestMartReleaseHealth(t *testing.T) {
	w := buildOrg(t, nil)
	// PAY 1.0, freeze 03-07 00:00 (03-10 − 3 days). At the freeze it held PAY-1 and PAY-4 (both
	// added 03-02) → planned 2. After the freeze, until release (03-10 12:00): PAY-3 added (03-08
	// 06:00), PAY-4 removed (03-08) → volatility (1 + 1) / 2 = 1. Items now: PAY-1, PAY-3.
	// Deployments: d1 and d2 (version PAY 1.0; d2 also ships its items) → 2; failed: d1 (status)
	// and d2 (incident i1) → 2. Incidents within 7 days of release: i1 (03-11 12:00) → 1.
	// Not successful. PAY 1.1 is unreleased: PAY-4 joined it 03-08, before its freeze (04-07) → planned 1.
	expect(t, w, "mart_release_health", `select release, freeze_date, items, planned_at_freeze, added_after_freeze,
        removed_after_freeze, scope_volatility, deployments, failed_deployments, incidents, successful
        from mart_release_health order by release`, `
        PAY 1.0|2025-03-07|2|2|1|1|1|2|2|1|false
        PAY 1.1|2025-04-07|1|1|0|0|0|0|0|-|-`)
	expect(t, w, "mart_release_success", `select team, month, releases, successful_releases, success_rate from mart_release_success`, `
        PAY|2025-03-01|1|0|0`)
}

func TestMartBlockedTime(t *testing.T) {
	w := buildOrg(t, nil)
	// PAY-3: blocked 03-04 00:00 → 03-05 12:00 (1.5 d) and 03-06 00:00 → 03-07 00:00 (1 d) = 2.5 d
	// in 2 spells, blocked by CHK-7. PAY-4: has history, never in a blocked status → 0 d, blocked by CHK-8.
	expect(t, w, "mart_blocked_time", `select item_key, blocked_days, blocked_spells, blocked_by from mart_blocked_time order by 1`, `
        PAY-3|2.5|2|[CHK-7]
        PAY-4|0|0|[CHK-8]`)
	// Both blockers belong to project CHK (not in the warehouse, so attributed by key prefix and
	// treated as open): 2 blocked items (of team PAY), 2.5 + 0 blocked days; CHK-8 blocks the open
	// PAY-4 of the upcoming PAY 1.1 → 1 open blocker; the blocked items span PAY 1.0 and PAY 1.1 →
	// 2 releases: recurring; both have status history, so no blocked time is unknown.
	expect(t, w, "mart_dependency_bottlenecks", `select blocker_team, blocked_items, blocked_teams, blocked_days, items_without_history,
        open_blockers, open_blocker_keys, upcoming_releases, releases_affected, recurring from mart_dependency_bottlenecks`, `CHK|2|[PAY]|2.5|0|1|[CHK-8]|[PAY 1.1]|2|true`)
}

func TestMartAgingAndBacklog(t *testing.T) {
	w := buildOrg(t, nil)
	// Baseline: cycle times delivered in the 90 days before as_of: PAY-1 8.5, PAY-3 7.5 →
	// p50 = 8.0, p85 = 7.5 + 0.85 × 1.0 = 8.35, p95 = 8.45 (interpolated).
	// PAY-4: committed 03-02 00:00, age 29 d at 03-31 > p95 → critical.
	expect(t, w, "mart_aging_wip", `select item_key, age_days, team_p50_days, team_p85_days, team_p95_days, aging_status from mart_aging_wip`, `
        PAY-4|29|8|8.35|8.45|critical`)
	// PAY-5: created 2024-12-01, age at 2025-03-31 = 31 + 31 + 28 + 30 = 120 d → 91-180.
	expect(t, w, "mart_backlog_aging", `select item_key, age_days, age_bucket from mart_backlog_aging`, `PAY-5|120|91-180`)
}

func TestMartEstimation(t *testing.T) {
	w := buildOrg(t, nil)
	// PAY-6: 12 / 10 = 1.2, |12 − 10| / 12 = 0.1667, within ±25%.
	// PAY-7: 8 / 4 = 2.0, |8 − 4| / 8 = 0.5, not within.
	expect(t, w, "mart_estimation_accuracy", `select item_key, planned_hours, actual_hours, ratio, abs_pct_error, within_25pct from mart_estimation_accuracy order by 1`, `
        PAY-6|10|12|1.2|0.1667|true
        PAY-7|4|8|2|0.5|false`)
	// Team: median of 1.2 and 2.0 = 1.6; MAPE (0.1667 + 0.5) / 2 = 0.3333; within ±25%: 1 of 2.
	expect(t, w, "mart_estimation_summary", `select team, items, median_ratio, mape, share_within_25pct from mart_estimation_summary`, `PAY|2|1.6|0.3333|0.5`)
}

func TestMartPointsCycleTime(t *testing.T) {
	w := buildOrg(t, nil)
	// 3 points: PAY-1 (8.5 d); PAY-2 has 3 points but no cycle time, so is left out.
	// 5 points: PAY-3 (7.5 d). One item each: every percentile is that item's value.
	expect(t, w, "mart_points_cycle_time", `select team, story_points, items, p50_days, p85_days, p95_days from mart_points_cycle_time order by 2`, `
        PAY|3|1|8.5|8.5|8.5
        PAY|5|1|7.5|7.5|7.5`)
}

func TestMartCoverage(t *testing.T) {
	w := buildOrg(t, nil)
	// Delivered: PAY-1, -2, -3, -6, -7 (5). Cycle time for PAY-1 and PAY-3 only: the other three
	// have no commitment point. Delivered by deployment: PAY-1, PAY-3; the rest by resolution.
	// Done items for estimation: 5, of which PAY-6 and PAY-7 have both numbers; 3 lack an estimate.
	expect(t, w, "mart_coverage", `select metric, population, covered, missing, left(reason, 22) from mart_coverage
        where metric in ('cycle_time', 'delivery_by_deployment', 'estimation_accuracy') order by 1`, `
        cycle_time|5|2|3|no commitment point: e
        delivery_by_deployment|5|2|3|no successful producti
        estimation_accuracy|5|2|3|no original estimate i`)
}

// A configured commitment status moves the commitment point: with "Done" as the only commitment
// status, PAY-1 commits 03-05 00:00 and its cycle time to d2 (03-10 12:00) is 5.5 days.
func TestCommitmentStatusesConfigured(t *testing.T) {
	cfg := config.Default()
	cfg.CommitmentStatuses = []string{"done"}
	w := buildOrg(t, cfg)
	expect(t, w, "configured commitment", `select item_key, cycle_time_days from mart_cycle_time where item_key = 'PAY-1'`, `PAY-1|5.5`)
}

// Every mart column must have a description (its model's "-- column:" header or the
// glossary): relscope schema shows them, and analysts should never need the source.
func TestMartColumnsDocumented(t *testing.T) {
	w := buildOrg(t, nil)
	got := rows(t, w, `select table_name || '.' || column_name from duckdb_columns()
        where table_name like 'mart_%' and (comment is null or comment = '') order by 1`)
	if got != "" {
		t.Errorf("undocumented mart columns (add a -- column: header or a glossary entry):\n%s", got)
	}
	got = rows(t, w, `select table_name from duckdb_tables() where table_name like 'mart_%' and (comment is null or comment = '')`)
	if got != "" {
		t.Errorf("undocumented marts: %s", got)
	}
}

// Whether an item's status history is known decides whether its blocked time is 0 or unknown.
// Run 10 (a Jira JSON page) loaded J-1 with history and J-2 without any (it never moved);
// run 11 (a Jira CSV, same source) loaded C-1 with no history at all; run 12 (native items)
// and run 13 (native transitions.csv, history only) load N-1 and N-2, only N-1 with history.
func TestStatusHistoryKnown(t *testing.T) {
	ctx := context.Background()
	w, err := models.Open(ctx, filepath.Join(t.TempDir(), "w.duckdb"), models.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	_, err = w.DB.Exec(`
insert into work_items (item_key, source, project, status, status_category, created_at, ingest_id) values
    ('J-1', 'jira', 'J', 'Done', 'done', '2025-01-01', 10), ('J-2', 'jira', 'J', 'To Do', 'backlog', '2025-01-01', 10),
    ('C-1', 'jira', 'C', 'To Do', 'backlog', '2025-01-01', 11),
    ('N-1', 'native', 'N', 'Done', 'done', '2025-01-01', 12), ('N-2', 'native', 'N', 'To Do', 'backlog', '2025-01-01', 12);
insert into work_item_transitions (source, item_key, "at", field, from_value, to_value, ingest_id) values
    ('jira', 'J-1', '2025-01-02', 'status', 'To Do', 'Done', 10),
    ('native', 'N-1', '2025-01-02', 'status', 'To Do', 'Done', 13);
insert into work_item_links (source, item_key, link_type, target_key, ingest_id) values
    ('jira', 'J-2', 'is blocked by', 'X-1', 10), ('jira', 'C-1', 'is blocked by', 'X-1', 11),
    ('native', 'N-2', 'is blocked by', 'X-1', 12);`)
	if err != nil {
		t.Fatal(err)
	}
	ms, _ := models.Models()
	if _, err := w.Build(ctx, ms, models.Settings{AsOf: asOf, Config: config.Default()}, nil); err != nil {
		t.Fatal(err)
	}
	expect(t, w, "has_status_history", `select item_key, has_status_history from int_item_commitment order by 1`, `
        C-1|false
        J-1|true
        J-2|true
        N-1|true
        N-2|true`)
	// Blocked time: known zero for J-2 and N-2, unknown (null) for C-1.
	expect(t, w, "mart_blocked_time", `select item_key, blocked_days from mart_blocked_time order by 1`, `
        C-1|-
        J-2|0
        N-2|0`)
}
