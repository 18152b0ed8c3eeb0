package models_test

import "testing"

// Releases whose project is not their items' (testdata/release_match.sql). The rule: an item's
// release names are its fix versions, or its sprints when it has none; a name matches a release
// of the item's own project, else — only where the item's project has no release at all — the
// releases of the one project that holds the name. So:
//
//	orders-api#1  ORD 1.0 (only ORD holds it; orders-api has no release)     → ORD 1.0, by name
//	orders-api#2  " ord 1.1 " (case and spaces differ)                       → ORD 1.1, by name
//	PLAT-1        PLAT 1.0 (GitHub release of gateway-api); sprint ignored    → PLAT 1.0, by name
//	101           no fix version: sprints ORD 1.1, Sprint 4 (ADO iteration)   → ORD 1.1, by sprint
//	102           sprint Sprint 5, no release of that name                    → nothing, not counted
//	X-1           Shared 1, held by A and B, X has no release                 → ambiguous, unmatched
//	A-1           shared 1: A's own release wins over B's                     → A's Shared 1
//	PAY-1         PAY 2.0, held by PAY and KEEP: PAY's own                    → PAY's only
//	SRCH-1        ORD 1.0, but SRCH has releases of its own                   → unmatched
//	NEW-1         NEW 9, no release anywhere                                  → unmatched
func TestReleaseMembershipAcrossProjects(t *testing.T) {
	w := buildFixture(t, "release_match.sql", nil)
	expect(t, w, "mart_release_items", `select release_source, project, release, item_key, item_project, matched_by, named_by
        from mart_release_items order by release_source, project, release, item_key`, `
        github|gateway-api|PLAT 1.0|PLAT-1|PLAT|name|fix_version
        native|A|Shared 1|A-1|A|project|fix_version
        native|ORD|ORD 1.0|orders-api#1|orders-api|name|fix_version
        native|ORD|ORD 1.1|101|Acme|name|sprint
        native|ORD|ORD 1.1|orders-api#2|orders-api|name|fix_version
        native|PAY|PAY 2.0|PAY-1|PAY|project|fix_version`)

	// The lookup keeps the ambiguous name, with no release, and how many projects hold it.
	expect(t, w, "int_release_lookup", `select item_project, version_key, matched_by, name_projects
        from int_release_lookup where matched_by = 'ambiguous'`, `
        X|shared 1|ambiguous|2`)

	// Release health counts the matched items: ORD 1.1 holds orders-api#2 and 101; the milestone
	// history adds orders-api#2 on 03-20, before the freeze (04-10 − 3 days = 04-07), so it is
	// planned at freeze and 101 (no history) is the one without history. B's Shared 1 and
	// KEEP's PAY 2.0 hold nothing.
	expect(t, w, "mart_release_health", `select source, project, release, items, planned_at_freeze, items_without_history
        from mart_release_health order by source, project, release`, `
        github|gateway-api|PLAT 1.0|1|0|1
        native|A|Shared 1|1|0|1
        native|B|Shared 1|0|0|0
        native|KEEP|PAY 2.0|0|0|0
        native|ORD|ORD 1.0|1|0|1
        native|ORD|ORD 1.1|2|1|1
        native|PAY|PAY 2.0|1|0|1
        native|SRCH|SRCH 1.0|0|0|0`)

	// The public release log lists the released ones' done items (ORD 1.0, PLAT 1.0) and the
	// upcoming ones' planned items.
	expect(t, w, "mart_release_log", `select project, release, item_key from mart_release_log
        order by project, release, item_key`, `
        A|Shared 1|A-1
        ORD|ORD 1.0|orders-api#1
        ORD|ORD 1.1|101
        ORD|ORD 1.1|orders-api#2
        PAY|PAY 2.0|PAY-1
        gateway-api|PLAT 1.0|PLAT-1`)

	// Coverage: every item with a fix version, or in a release by sprint, per team (the project:
	// no team field). 102 (a sprint naming no release) is in no population.
	expect(t, w, "mart_coverage release_membership", `select team, population, covered, coalesce(reason, '-'), missing
        from mart_coverage where metric = 'release_membership' order by team`, `
        A|1|1|-|0
        Acme|1|1|-|0
        NEW|1|0|no release ingested bears its fix version's name: export its project's releases (Jira versions, GitHub releases, releases.csv)|1
        PAY|1|1|-|0
        PLAT|1|1|-|0
        SRCH|1|0|no release of its project bears its fix version's name: export that release (Jira versions, GitHub releases, releases.csv)|1
        X|1|0|its release name is held by releases of several projects, none of them its own, so no release holds it: name releases uniquely, or export them under the item's project|1
        orders-api|2|2|-|0`)
}
