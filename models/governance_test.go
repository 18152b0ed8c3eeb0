package models_test

import (
	"testing"

	"github.com/relscope/relscope/internal/testorg"
	"github.com/relscope/relscope/models"
)

// The governance organisation (internal/testorg.Gov): org.sql (see marts_test.go) plus
// testdata/gov.sql, as of 2025-03-31 00:00 UTC, with the default rules and these packaging
// levels and CI alias:
//
//	critical  services [pay-api]   maxima feature 1
//	big-bang  releases ["FC 1.*"]  maxima feature 7
//	standard  (every release)      maxima feature 10, fix 10, infrastructure 1
//	ci_aliases: OPS-API-PROD -> ops-api
//
// Releases (freeze = own, else planned − 3 days):
//
//	PAY 1.0  released 03-10 12:00, freeze 03-07 (org.sql)
//	PAY 1.1  planned 04-10, unreleased: PAY-4 (In Progress, blocked by CHK-8)
//	OPS 1.8  planned 03-01, unreleased — 30 days late, beyond late_days 14: not upcoming
//	OPS 1.9  released 03-20 12:00, own freeze 03-15: OPS-3, OPS-4, OPS-9, OPS-10
//	OPS 1.95 planned 03-25, unreleased, 6 days late: upcoming (late), holds nothing
//	OPS 2.0  planned 04-04 (freeze 04-01): OPS-1, OPS-2, OPS-5, OPS-6, OPS-7
//	OPS 3.0  planned 05-30: OPS-30 (done)
//	FC 0.9   released 03-20 18:00, planned 03-21: FC-T11
//	FC 1.0   planned 04-04: FC-1..FC-5;  FC 1.1 planned 04-05: FC-21..FC-28
//
// OPS items: OPS-1 Story [gdpr, compliance-approved, endorsed, rollback-plan, tested];
// OPS-2 Story [GDPR]; OPS-3 Bug Highest [security], added to OPS 1.9 on 03-16, covered by the
// emergency change CHG-2; OPS-4 Story Medium, added to OPS 1.9 on 03-17; OPS-5 Bug High with
// business value 8, time criticality 5, risk reduction 2, 3 points; OPS-6 Task [infra], 16 h,
// blocked by PAY-4; OPS-7 Task [infra]; OPS-9 Story (in OPS 1.9 since 03-01); OPS-10 Story
// [pci] (in OPS 1.9 since 03-10); OPS-30 Story, done 03-25.
//
// Deployments of ops-api: s1 staging success 03-19 12:00 "OPS 1.9"; o1 prod 03-20 12:00
// "OPS 1.9" (CHG-1: approved, back-out plan, CI OPS-API-PROD); o2 prod hotfix 03-18 10:00
// "OPS 1.9-hf" shipping OPS-3 (CHG-2: emergency, approved, no back-out plan, CI billing-db);
// o3 prod 03-25 12:00 "OPS 1.9.1" naming CHG-9, which is not ingested. Changes CHG-3 (release
// OPS 2.0, requested) and CHG-4 (release OPS 3.0, approved) have no deployment yet.
func buildGov(t *testing.T) *models.Warehouse { return testorg.Gov(t) }

func TestUpcomingReleases(t *testing.T) {
	w := buildGov(t)
	// Unreleased and planned on or after 03-31 − 14 days = 03-17: OPS 1.8 (03-01) is out, OPS
	// 1.95 (03-25) is in and late. Ranked by planned date within each project.
	expect(t, w, "int_upcoming_releases", `select release, team, planned_date, is_late, upcoming_rank, items
        from int_upcoming_releases order by project, upcoming_rank`, `
        FC 1.0|FC|2025-04-04|false|1|5
        FC 1.1|FC|2025-04-05|false|2|8
        OPS 1.95|OPS|2025-03-25|true|1|0
        OPS 2.0|OPS|2025-04-04|false|2|5
        OPS 3.0|OPS|2025-05-30|false|3|1
        PAY 1.1|PAY|2025-04-10|false|1|1`)
}

func TestMartBacklogPriority(t *testing.T) {
	w := buildGov(t)
	// Score = (business value + time criticality + risk reduction) / size; missing business
	// value counts 0; time criticality from the priority (High 8, Medium 3; none: 0); risk
	// reduction from the tier (1: 13, 3: 3); size from points, else hours / 8, else 3.
	//   OPS-1 tier 1 (regulatory: gdpr), no priority: (0 + 0 + 13) / 3 = 4.3333; endorsed.
	//   OPS-2 tier 1 ([GDPR], case-insensitive): 4.3333; not endorsed, in OPS 2.0 → needs endorsement.
	//   OPS-5 tier 3, its own fields 8, 5, 2 and 3 points: (8 + 5 + 2) / 3 = 5.
	//   OPS-6 tier 3: (0 + 0 + 3) / (16 h / 8) = 1.5.   OPS-7 tier 3: 3 / 3 = 1.
	// Ranks in team OPS: OPS-5, then OPS-1 and OPS-2 (tie: same tier, key order), OPS-6, OPS-7.
	expect(t, w, "mart_backlog_priority OPS", `select item_key, risk_tier, risk_rule, business_value, business_value_basis,
        time_criticality, time_criticality_basis, risk_reduction, risk_reduction_basis, size, size_basis, cost_of_delay, score,
        rank_in_team, release, needs_endorsement from mart_backlog_priority where team = 'OPS' order by rank_in_team`, `
        OPS-5|3|-|8|field|5|field|2|field|3|points|15|5|1|OPS 2.0|false
        OPS-1|1|regulatory|-|none|-|none|13|tier|3|default|13|4.3333|2|OPS 2.0|false
        OPS-2|1|regulatory|-|none|-|none|13|tier|3|default|13|4.3333|3|OPS 2.0|true
        OPS-6|3|-|-|none|-|none|3|tier|2|hours|3|1.5|4|OPS 2.0|false
        OPS-7|3|-|-|none|-|none|3|tier|3|default|3|1|5|OPS 2.0|false`)
	// FC: business value + Medium (3) + tier 3 (3), over size 3. FC-21..FC-28 (values 9..2):
	// 5, 4.6667, 4.3333, 4, 3.6667, 3.3333, 3, 2.6667; FC-1..FC-5 (values 5..1): 3.6667, 3.3333,
	// 3, 2.6667, 2.3333. Ties go by key: FC-1 (5th) before FC-25 (6th), FC-27 (9th) before FC-3,
	// FC-28 (11th) before FC-4; FC-5 is last (13th).
	expect(t, w, "mart_backlog_priority FC", `select item_key, score, rank_in_team from mart_backlog_priority
        where item_key in ('FC-1', 'FC-25', 'FC-5', 'FC-21', 'FC-28', 'FC-4') order by rank_in_team`, `
        FC-21|5|1
        FC-1|3.6667|5
        FC-25|3.6667|6
        FC-28|2.6667|11
        FC-4|2.6667|12
        FC-5|2.3333|13`)
}

func TestMartReleaseForecast(t *testing.T) {
	w := buildGov(t)
	// FC delivered exactly one item on each of the 90 days before as_of (2024-12-31 .. 2025-03-30),
	// so every trial draws 1 a day: n remaining items take exactly n days, day 1 being 03-31.
	// FC 1.0: 5 remaining → 03-31 + 4 days = 04-04 for P50, P85 and P95; planned 04-04 → every
	// trial on time, all 5 by then, and all 5 above the cut line (in priority order, FC-1..FC-5).
	// FC 1.1: 8 remaining → 04-07; planned 04-05 is day 6 → no trial on time, 6 items by then:
	// FC-21..FC-26 fit, FC-27 and FC-28 (the lowest scores) fall below the cut line.
	expect(t, w, "mart_release_forecast FC", `select release, team, remaining, p50_date, p85_date, p95_date, p_on_time,
        how_many_by_planned_p85, cut_line, below_cut_line, window_days, window_start, window_end, delivering_days,
        delivered_in_window, trials, seed, beyond_horizon, reason from mart_release_forecast where project = 'FC' order by release`, `
        FC 1.0|FC|5|2025-04-04|2025-04-04|2025-04-04|1|5|[FC-1 FC-2 FC-3 FC-4 FC-5]|[]|90|2024-12-31|2025-03-30|90|90|10000|1|0|-
        FC 1.1|FC|8|2025-04-07|2025-04-07|2025-04-07|0|6|[FC-21 FC-22 FC-23 FC-24 FC-25 FC-26]|[FC-27 FC-28]|90|2024-12-31|2025-03-30|90|90|10000|1|0|-`)
	// OPS delivered on 03-18 (OPS-3 by o2), 03-20 (OPS-4, OPS-9, OPS-10 by o1) and 03-25 (OPS-30,
	// resolved): 3 delivering days, fewer than 5 → no forecast for OPS 2.0 (5 remaining). OPS 3.0
	// has nothing remaining (OPS-30 is done); OPS 1.95 holds nothing. PAY delivered on 03-04, 03-06
	// and 03-10: 3 days → no forecast for PAY 1.1.
	expect(t, w, "mart_release_forecast others", `select release, remaining, p50_date, p_on_time, how_many_by_planned_p85,
        delivering_days, reason from mart_release_forecast where project <> 'FC' order by release`, `
        OPS 1.95|0|-|1|0|0|nothing remaining: every item is done or cancelled
        OPS 2.0|5|-|-|-|3|too little history: 3 day(s) with a delivery in the last 90 days, at least 5 needed
        OPS 3.0|0|-|1|0|3|nothing remaining: every item is done or cancelled
        PAY 1.1|1|-|-|-|3|too little history: 3 day(s) with a delivery in the last 90 days, at least 5 needed`)
}

func TestMartForecastBacktest(t *testing.T) {
	w := buildGov(t)
	// FC 0.9, released 03-20 18:00, forecast from 03-20 − 14 days = 03-06: it held FC-T11 (added
	// 03-01, delivered 03-20 12:00) → 1 remaining. The 90-day window before 03-06 (12-06 .. 03-05)
	// has FC-T26..FC-T90, one a day from 12-31 to 03-05: 65 delivering days and 25 zero days, so a
	// trial finishes on day k with P = 1 − (25/90)^k: day 1 0.722 → P50 03-06; day 2 0.923 → P85
	// 03-07; day 3 0.979 → P95 03-08. Released 03-20: 13 days after its P85, but by its planned
	// 03-21 (P(on time) = 1 − (25/90)^16 ≈ 1).
	// OPS 1.9, released 03-20 12:00, from 03-06: it held OPS-9 only (OPS-10, OPS-3, OPS-4 joined
	// later) → 1 remaining, but OPS delivered nothing before 03-06 → no forecast.
	// PAY 1.0, released 03-10, from 02-24: nothing was in it yet (PAY-1, PAY-4 joined 03-02).
	expect(t, w, "mart_forecast_backtest", `select release, forecast_on, remaining, p50_date, p85_date, p95_date,
        round(p_on_time, 3), delivering_days, released_on, released_by_p85, days_after_p85, released_by_planned, reason
        from mart_forecast_backtest order by release`, `
        FC 0.9|2025-03-06|1|2025-03-06|2025-03-07|2025-03-08|1|65|2025-03-20|false|13|true|-
        OPS 1.9|2025-03-06|1|-|-|-|-|0|2025-03-20|-|-|true|too little history: 0 day(s) with a delivery in the last 90 days, at least 5 needed
        PAY 1.0|2025-02-24|0|-|-|-|1|0|2025-03-10|-|-|true|nothing remaining: every item is done or cancelled`)
}

func TestMartReleaseViolations(t *testing.T) {
	w := buildGov(t)
	// Packaging (cancelled items left out):
	//   PAY 1.0 touches pay-api (deployments d1, d2) → critical: features PAY-1, PAY-3 = 2 > 1.
	//   FC 1.1 matches "FC 1.*" → big-bang: 8 features > 7. (FC 1.0 matches too: 5 ≤ 7.)
	//   OPS 2.0 → standard: infrastructure OPS-6, OPS-7 (label infra) = 2 > 1; its 2 features
	//   (OPS-1, OPS-2) and 1 fix (OPS-5, Bug) are within 10.
	// Freeze: PAY-3 joined PAY 1.0 on 03-08 06:00 after its freeze (03-07), a Story → violation
	//   (its history names no author).
	//   OPS-3 joined OPS 1.9 on 03-16 after its own freeze (03-15), added by ana.costa: a Bug of
	//   priority Highest with the emergency change CHG-2 → allowed (freeze_exception). OPS-4
	//   (03-17, by rm.silva), a Story → violation.
	// Endorsement: OPS-2 (tier 1, gdpr) in OPS 2.0 without the endorsed label. OPS-1 has it;
	//   OPS-3 (tier 1, security) is in a released release.
	expect(t, w, "mart_release_violations", `select release, kind, is_violation, item_key, packaging_class, class_items,
        maximum, criticality, items, upcoming, "at", "by", detail from mart_release_violations order by release, kind, item_key`, `
        FC 1.1|packaging|true|-|feature|8|7|big-bang|[FC-21 FC-22 FC-23 FC-24 FC-25 FC-26 FC-27 FC-28]|true|-|-|8 feature items, maximum 7 for a big-bang release
        OPS 1.9|freeze_exception|false|OPS-3|-|-|-|-|[OPS-3]|false|03-16 00:00|ana.costa|critical defect (Bug, Highest) added after the freeze of 2025-03-15 with emergency change CHG-2
        OPS 1.9|freeze_violation|true|OPS-4|-|-|-|-|[OPS-4]|false|03-17 00:00|rm.silva|Story (Medium) added after the freeze of 2025-03-15: only a critical defect with an emergency change may join a frozen release
        OPS 2.0|needs_endorsement|true|OPS-2|-|-|-|-|[OPS-2]|true|-|-|tier 1 item (regulatory) without a business owner's endorsement
        OPS 2.0|packaging|true|-|infrastructure|2|1|standard|[OPS-6 OPS-7]|true|-|-|2 infrastructure items, maximum 1 for a standard release
        PAY 1.0|freeze_violation|true|PAY-3|-|-|-|-|[PAY-3]|false|03-08 06:00|-|Story (no priority) added after the freeze of 2025-03-07: only a critical defect with an emergency change may join a frozen release
        PAY 1.0|packaging|true|-|feature|2|1|critical|[PAY-1 PAY-3]|false|-|-|2 feature items, maximum 1 for a critical release`)
}

func TestMartComplianceGaps(t *testing.T) {
	w := buildGov(t)
	// Change records were ingested (gov.sql), so production deployments without one are gaps.
	//   d0 (PAY 0.9), d1, d2 (PAY 1.0), d3 (PAY 1.0.1): no change record. d4 is a rollback: exempt
	//     from change records and promotion.
	//   Promotion: pay-api and ops-api deploy to staging, their highest lower level. PAY 1.0 was on
	//     staging (d6, success 03-09 12:00) before d1 and d2; PAY 0.9 (d0) and PAY 1.0.1 (d3) never.
	//     OPS 1.9 was on staging (s1, 03-19) before o1; OPS 1.9-hf (o2) and OPS 1.9.1 (o3) never.
	//   o1: CHG-1 approved with a back-out plan; its CI OPS-API-PROD is ops-api's alias → clean; but
	//     it ships OPS-10 (fix version OPS 1.9), a pci item without compliance-approved.
	//   o2: CHG-2 is an emergency change (listed, not a gap) without a back-out plan, naming CI
	//     billing-db, not ops-api. o3: names CHG-9, which is not among the change records.
	expect(t, w, "mart_compliance_gaps", `select deployment_id, gap_type, is_gap, item_key, change_id, detail
        from mart_compliance_gaps order by deployment_id, gap_type`, `
        d0|no_change_record|true|-|-|no change record
        d0|not_promoted|true|-|-|version PAY 0.9 of pay-api reached production without an earlier successful deployment to staging/uat/preprod
        d1|no_change_record|true|-|-|no change record
        d2|no_change_record|true|-|-|no change record
        d3|no_change_record|true|-|-|no change record
        d3|not_promoted|true|-|-|version PAY 1.0.1 of pay-api reached production without an earlier successful deployment to staging/uat/preprod
        o1|regulated_without_signoff|true|OPS-10|CHG-1|ships OPS-10 (regulatory) without its sign-off
        o2|ci_mismatch|true|-|CHG-2|change CHG-2 names configuration item billing-db, not service ops-api
        o2|emergency_change|false|-|CHG-2|emergency change CHG-2
        o2|no_backout_plan|true|-|CHG-2|change CHG-2 has no back-out plan
        o2|not_promoted|true|-|CHG-2|version OPS 1.9-hf of ops-api reached production without an earlier successful deployment to staging/uat/preprod
        o3|no_change_record|true|-|CHG-9|change CHG-9 is not among the ingested change records
        o3|not_promoted|true|-|CHG-9|version OPS 1.9.1 of ops-api reached production without an earlier successful deployment to staging/uat/preprod`)
	// Without any change record (org.sql alone) there is no no_change_record at all; promotion
	// gaps remain.
	w0 := buildOrg(t, nil)
	expect(t, w0, "no changes ingested", `select gap_type, count(*) from mart_compliance_gaps group by all order by 1`, `not_promoted|2`)
}

func TestMartReleaseReadiness(t *testing.T) {
	w := buildGov(t)
	// OPS 2.0 — no_go:
	//   forecast: no forecast (3 delivering days) → warn.
	//   open_blockers: OPS-6 is blocked by PAY-4 (In Progress) → warn.
	//   endorsement: OPS-2 → fail. regulated_signoff: OPS-2 (gdpr without compliance-approved) → fail.
	//   rollback_criteria, test_evidence: of the tier-1 items OPS-1 and OPS-2, OPS-2 has neither → warn.
	//   freeze: not frozen yet → pass. packaging: infrastructure 2 > 1 → fail.
	//   change_approval: CHG-3 (release OPS 2.0) is only requested → fail.
	expect(t, w, "readiness OPS 2.0", `select check_order, check_name, status, items, detail from mart_release_readiness
        where release = 'OPS 2.0' order by check_order`, `
        0|verdict|no_go|[]|fails: endorsement, regulated_signoff, packaging, change_approval; warnings: forecast, open_blockers, rollback_criteria, test_evidence
        1|forecast|warn|[]|no forecast: too little history: 3 day(s) with a delivery in the last 90 days, at least 5 needed
        2|open_blockers|warn|[OPS-6]|1 item(s) held by 1 open blocker(s): PAY-4 (PAY)
        3|endorsement|fail|[OPS-2]|1 item(s) need a business owner's endorsement
        4|regulated_signoff|fail|[OPS-2]|1 regulated item(s) without their sign-off
        5|rollback_criteria|warn|[OPS-2]|1 tier-1 item(s) without rollback criteria
        6|test_evidence|warn|[OPS-2]|1 tier-1 item(s) without test evidence
        7|freeze|pass|[]|no item joined the release after its freeze
        8|packaging|fail|[OPS-6 OPS-7]|2 infrastructure items, maximum 1 for a standard release
        9|change_approval|fail|[]|change(s) not approved: CHG-3 (requested)`)
	// The verdicts: FC 1.0 finishes on its planned day in every trial and breaks no rule → go;
	// FC 1.1 has P(on time) 0 → fail (and 8 features > 7 → packaging fail); OPS 1.95 holds nothing
	// (P(on time) is 1: pass, saying so) → go; OPS 3.0: everything done, CHG-4 approved → go; PAY 1.1: no forecast (3 delivering
	// days) and PAY-4 blocked by CHK-8 → at_risk.
	expect(t, w, "verdicts", `select release, status, detail from mart_release_readiness where check_name = 'verdict' order by release`, `
        FC 1.0|go|all 9 checks pass
        FC 1.1|no_go|fails: forecast, packaging
        OPS 1.95|go|all 9 checks pass
        OPS 2.0|no_go|fails: endorsement, regulated_signoff, packaging, change_approval; warnings: forecast, open_blockers, rollback_criteria, test_evidence
        OPS 3.0|go|all 9 checks pass
        PAY 1.1|at_risk|warnings: forecast, open_blockers`)
	expect(t, w, "forecast checks", `select release, status, items, detail from mart_release_readiness
        where check_name = 'forecast' and release in ('FC 1.0', 'FC 1.1', 'OPS 3.0', 'OPS 1.95') order by release`, `
        FC 1.0|pass|[]|P(on time) 100%: 5 items remaining, P85 2025-04-04 vs planned 2025-04-04; 5 of them by the planned date at 85%
        FC 1.1|fail|[FC-27 FC-28]|P(on time) 0%: 8 items remaining, P85 2025-04-07 vs planned 2025-04-05; 6 of them by the planned date at 85%
        OPS 1.95|pass|[]|the release holds no items yet
        OPS 3.0|pass|[]|every item of the release is done`)
	expect(t, w, "change approval OPS 3.0", `select status, detail from mart_release_readiness where release = 'OPS 3.0' and check_name = 'change_approval'`,
		`pass|1 change record(s), all approved`)
}

func TestDependencies(t *testing.T) {
	w := buildGov(t)
	// Links: CHK-7 blocks PAY-3, CHK-8 blocks PAY-4 (org.sql), PAY-4 blocks OPS-6 (gov.sql).
	// CHK is not in the warehouse: attributed by key prefix, open. PAY-4 is open (In Progress).
	expect(t, w, "int_blocking_links", `select blocked_key, blocker_key, blocked_team, blocker_team, blocker_known, blocker_open,
        blocked_open, upcoming_release from int_blocking_links order by 1`, `
        OPS-6|PAY-4|OPS|PAY|true|true|true|OPS 2.0
        PAY-3|CHK-7|PAY|CHK|false|true|false|-
        PAY-4|CHK-8|PAY|CHK|false|true|true|PAY 1.1`)
	// mart_blocked_time: OPS-6 never blocked in its (known, empty) history: 0 days; PAY-4 is not
	// in a blocked status now, so no blocked_since.
	expect(t, w, "mart_blocked_time", `select item_key, blocked_days, blocked_since, blocked_by, blocker_teams, open_blockers,
        upcoming_release from mart_blocked_time order by 1`, `
        OPS-6|0|-|[PAY-4]|[PAY]|[PAY-4]|OPS 2.0
        PAY-3|2.5|-|[CHK-7]|[CHK]|[CHK-7]|-
        PAY-4|0|-|[CHK-8]|[CHK]|[CHK-8]|PAY 1.1`)
	// Who blocks whom: CHK → PAY (2 links, PAY-3 2.5 d + PAY-4 0 d; the PAY-4 link is open and PAY-4
	// is in PAY 1.1; releases PAY 1.0 and PAY 1.1); PAY → OPS (OPS-6, open, in OPS 2.0). Every
	// blocked item has status history (ingest 1 carries history), so none is without it.
	expect(t, w, "mart_dependency_edges", `select blocker_team, blocked_team, links, blocked_items, blocked_days,
        items_without_history, open_links, open_on_upcoming, releases_affected from mart_dependency_edges order by 1`, `
        CHK|PAY|2|2|2.5|0|1|1|2
        PAY|OPS|1|1|0|0|1|1|1`)
	expect(t, w, "mart_dependency_bottlenecks", `select blocker_team, blocked_items, blocked_teams, blocked_days,
        items_without_history, open_blockers, open_blocker_keys, upcoming_releases, releases_affected, recurring
        from mart_dependency_bottlenecks order by 1`, `
        CHK|2|[PAY]|2.5|0|1|[CHK-8]|[PAY 1.1]|2|true
        PAY|1|[OPS]|0|0|1|[PAY-4]|[OPS 2.0]|1|false`)
}

func TestGovernanceCoverage(t *testing.T) {
	w := buildGov(t)
	// Forecasts: the upcoming releases with items remaining are FC 1.0, FC 1.1 (forecast), OPS 2.0
	// and PAY 1.1 (too little history).
	// Promotion: of the production deployments with a version, not rollbacks — d0..d3 (pay-api),
	// o1..o3 (ops-api) — every service has staging runs: all checked.
	// CI: the changes of o1, o2 (CHG-1, CHG-2) name a CI; o3's CHG-9 is not ingested.
	// Packaging classes of the items releases hold: FC 0.9, 1.0, 1.1 hold 1 + 5 + 8 stories; OPS
	// 1.9, 2.0, 3.0 hold 4 + 5 + 1 bugs, stories and infra tasks; PAY 1.0 and 1.1 hold 3 stories —
	// every one classed.
	expect(t, w, "coverage", `select metric, team, population, covered, missing, reason from mart_coverage
        where metric in ('forecast', 'environment_promotion', 'ci_match', 'packaging_class') order by metric, team, reason`, `
        ci_match|OPS|2|2|0|-
        environment_promotion|OPS|3|3|0|-
        environment_promotion|PAY|4|4|0|-
        forecast|FC|2|2|0|-
        forecast|OPS|1|0|1|too little delivery history for a forecast: fewer than 5 days with a delivery in the forecast window (export resolution dates or production deployments that ship the items)
        forecast|PAY|1|0|1|too little delivery history for a forecast: fewer than 5 days with a delivery in the forecast window (export resolution dates or production deployments that ship the items)
        packaging_class|FC|14|14|0|-
        packaging_class|OPS|10|10|0|-
        packaging_class|PAY|3|3|0|-`)
	// Rules meeting nothing: the security rule is met by OPS-3, regulatory by OPS-1/2/10; nothing is
	// labelled customer-facing, internal or tech-debt; OPS-1 carries endorsed, rollback-plan and
	// tested, and compliance-approved. Packaging classes: every one is met (OPS-6/7 infrastructure
	// by label, Bugs, Stories) — the Task/infra rule's class is met by the label rule. The critical
	// level's pay-api deploys; the CI alias OPS-API-PROD is CHG-1's; OPS-3 is Highest.
	expect(t, w, "governance rules", `select population, covered, reason from mart_coverage where metric = 'governance_rules' and team = 'OPS' order by reason`, `
        14|12|risk rule customer-facing (tier 2) matches no item: no item carries customer-facing — check the rule's spelling, or drop it
        14|12|risk rule internal (tier 4) matches no item: no item carries internal, tech-debt — check the rule's spelling, or drop it`)
	expect(t, w, "int_rule_coverage", `select rule, seen from int_rule_coverage order by rule`, `
        ci alias ops-api-prod|true
        critical priorities|true
        criticality critical|true
        endorsement|true
        packaging class feature|true
        packaging class fix|true
        packaging class infrastructure|true
        risk rule customer-facing|false
        risk rule internal|false
        risk rule regulatory|true
        risk rule security|true
        rollback_criteria|true
        signoff of risk rule regulatory|true
        test_evidence|true`)
}

// TestRuleCoverageWithoutData: a warehouse with no deployments and no item components (here: an
// empty one, built before the first ingest) knows no service, so a criticality level naming
// services matches none of them — seen false, not null (the null failed the build's not_null
// test, exit 3).
func TestRuleCoverageWithoutData(t *testing.T) {
	w := testorg.Build(t, testorg.GovConfig())
	expect(t, w, "int_rule_coverage", `select rule, seen from int_rule_coverage where rule like 'criticality%' order by rule`, `
        criticality critical|false`)
}
