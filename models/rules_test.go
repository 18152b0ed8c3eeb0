package models_test

import (
	"testing"

	"github.com/relscope/relscope/config"
)

// The rules of METRICS.md that the org.sql organisation does not exercise, each on a hand-built
// case (testdata/rules.sql; team R, service r-api, as_of 2025-03-31 00:00, default config):
//
//	R-1 Done, resolved 04-05 (after as_of); e1 (04-02, after as_of) lists it.
//	R-2 backlog, created 04-01 (after as_of).
//	R-5 Done: r1 (prod success 03-10 12:00) lists it in item_keys; incident k2 names it.
//	RT-6 Done: r3's description "Fixes RT-6 and rt-7, R-5 (no key: one letter)" names it; RT-7
//	   only in lower case.
//	R-8 Cancelled, fix version "R 1.0" = r2's version.
//	r1 03-10 12:00, commit 03-10 00:00 (12 h); r2 03-12 00:00, commit 03-11 00:00 (24 h), change
//	   CHG-1 (normal); r3 03-14 00:00, commit 03-13 18:00 (6 h), change CHG-2 (emergency).
//	k1 on other-svc, change CHG-1, created 03-12 06:00, resolved 08:00; k2 on other-svc names
//	   R-5; k3 on r-api created 04-03 (after as_of).

// Events after as_of are ignored: a deployment (e1), a resolution, a creation and an
// incident (k3) after it count for nothing — R-1 is not delivered although e1 lists it.
func TestRuleEventsAfterAsOfIgnored(t *testing.T) {
	w := buildFixture(t, "rules.sql", nil)
	expect(t, w, "deployments after as_of", `select count(*) from mart_deployments where deployment_id = 'e1'`, `0`)
	expect(t, w, "delivered after as_of", `select count(*) from mart_cycle_time where item_key = 'R-1'`, `0`)
	expect(t, w, "created after as_of", `select count(*) from mart_backlog_aging where item_key = 'R-2'`, `0`)
	expect(t, w, "incidents after as_of", `select string_agg(incident_id, ',' order by incident_id) from mart_incidents`, `k1,k2`)
}

// Item ↔ deployment links by each rule: fix version (R-8 by r2's "R 1.0"), item_keys (R-5 by
// r1), description (RT-6 by r3; "rt-7" is not a key: keys are upper case, and "R-5" is not one
// either: a key's project has at least two characters, as Jira's do). Cancelled items are
// never delivered, even when a deployment ships their fix version; the others are
// delivered by the deployment that links them, else by resolution (RT-7, resolved 03-20:
// lead 03-01 → 03-20 = 19 d). R-5: 03-01 → r1 03-10 12:00 = 9.5 d; RT-6: → r3 03-14 = 13 d.
func TestRuleItemDeploymentLinks(t *testing.T) {
	w := buildFixture(t, "rules.sql", nil)
	expect(t, w, "int_item_deployment_links", `select item_key, deployment_id, rule from int_item_deployment_links
        where item_key like 'R%' order by 1`, `
        R-5|r1|item_keys
        R-8|r2|fix_version
        RT-6|r3|description`)
	expect(t, w, "mart_cycle_time", `select item_key, delivered_via, delivered_by_deployment, lead_time_days from mart_cycle_time
        where item_key like 'R%' order by 1`, `
        R-5|deployment|r1|9.5
        RT-6|deployment|r3|13
        RT-7|resolution|-|19`)
}

// An incident links to a deployment by change_id when it names none: k1 carries CHG-1, r2's
// change, and r2 finished (03-12 00:00) before k1 was created (06:00) → r2 fails by incident,
// recovered when k1 was resolved: 00:00 → 08:00 = 8 h. k2 (another service, no change) links to
// nothing. Rework: r1 ships R-5, an item an incident (k2) names; r3's change CHG-2 is an
// emergency change; r2 is neither (CHG-1 is normal, R-8 is named by no incident).
func TestRuleIncidentsByChangeAndRework(t *testing.T) {
	w := buildFixture(t, "rules.sql", nil)
	expect(t, w, "int_deployment_incidents", `select incident_id, deployment_id, link from int_deployment_incidents order by 1`, `
        k1|r2|change_id`)
	expect(t, w, "mart_deployments", `select deployment_id, is_failure, failure_reason, recovery_hours, is_rework
        from mart_deployments order by 1`, `
        r1|false|-|-|true
        r2|true|incident|8|false
        r3|false|-|-|true`)
}

// Change lead time on the commit basis: March's successful production deployments of R carry
// commit times — 12 h, 24 h and 6 h → median 12 h → elite (< 24 h). Change failure rate 1/3 →
// 2024 medium (≤ 40%); rework 2/3; recovery median 8 h → high (< 24 h).
func TestRuleChangeLeadTimeCommitBasis(t *testing.T) {
	w := buildFixture(t, "rules.sql", nil)
	expect(t, w, "mart_dora_monthly", `select team, month, deployments, lead_time_hours_p50, lead_time_basis, lead_time_band,
        change_failure_rate, change_failure_rate_band, rework_rate, recovery_hours_p50, recovery_time_band from mart_dora_monthly`, `
        R|2025-03-01|3|12|commit|elite|0.3333|medium|0.6667|8|high`)
}

// DORA bands at their boundaries (testdata/bands.sql), where the 2023 and 2024 reports differ.
// Change failure rates 1/20 = 0.05, 3/20 = 0.15, 1/5 = 0.20, 2/5 = 0.40 (bounds inclusive):
// 2024 (≤ 5% elite, ≤ 20% high, ≤ 40% medium) → elite, high, high, medium;
// 2023 (≤ 5% elite, ≤ 10% high, ≤ 15% medium) → elite, medium, low, low.
// Lead time (exclusive bounds): B20's successful deployments were committed 24 h before → p50
// 24 h → high, not elite (< 24). Recovery (exclusive): B05's one failure at 00:00 is recovered by
// the success at 01:00 → exactly 1 h → high, not elite (< 1); B15's three failures at 00:00,
// 01:00, 02:00 are recovered at 03:00 → 3, 2, 1 h → p50 2; B20 1 h; B40 2 and 1 h → p50 1.5.
func TestDoraBandBoundaries(t *testing.T) {
	w := buildFixture(t, "bands.sql", nil)
	q := `select team, change_failure_rate, change_failure_rate_band, lead_time_hours_p50, lead_time_band,
        recovery_hours_p50, recovery_time_band, bands_report_year from mart_dora_monthly order by team`
	expect(t, w, "2024 bands", q, `
        B05|0.05|elite|-|-|1|high|2024
        B15|0.15|high|-|-|2|high|2024
        B20|0.2|high|24|high|1|high|2024
        B40|0.4|medium|-|-|1.5|high|2024`)
	cfg := config.Default()
	cfg.DoraBands = 2023
	w23 := buildFixture(t, "bands.sql", cfg)
	expect(t, w23, "2023 bands", q, `
        B05|0.05|elite|-|-|1|high|2023
        B15|0.15|medium|-|-|2|high|2023
        B20|0.2|low|24|high|1|high|2023
        B40|0.4|low|-|-|1.5|high|2023`)
}

// Unknown blocked time stays unknown (null) in every mart: U-1 and U-3 are blocked, from an
// export without status history (so their time blocked is not known), U-2 has history (In Progress since 03-02) and was never blocked (0 d).
// X blocks only U-1 → blocked_days null, 1 item without history; Y blocks U-2 and U-3 → the
// known 0 d of U-2, with U-3 counted as without history.
func TestRuleUnknownBlockedTimeIsNull(t *testing.T) {
	w := buildFixture(t, "rules.sql", nil)
	expect(t, w, "mart_blocked_time", `select item_key, blocked_days from mart_blocked_time where item_key like 'U-%' order by 1`, `
        U-1|-
        U-2|0
        U-3|-`)
	expect(t, w, "mart_dependency_bottlenecks", `select blocker_team, blocked_items, blocked_days, items_without_history
        from mart_dependency_bottlenecks order by 1`, `
        X|1|-|1
        Y|2|0|1`)
}
