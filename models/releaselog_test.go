package models_test

import (
	"testing"

	"github.com/relscope/relscope/config"
)

// The hand-built release log of testdata/releaselog.sql, as of 2025-03-31, default
// configuration. One project (WEB, team Web).
//
// Releases:
//
//	WEB 0.9  planned 03-20, not released            → overdue (planned before the as_of day)
//	WEB 1.0  planned 03-03, released 03-03 15:00    → released 03-03
//	WEB 1.1  planned 03-17, released 03-18 09:00    → released 03-18, rolled back: its last
//	         production run on web-api (w2) was rolled back; web-ui's (w3) succeeded — one
//	         service rolled back is enough. w4 redeploys WEB 1.0 on web-api (kind rollback).
//	WEB 1.2  planned 03-24, released 03-24 12:00    → released 03-24; w5 rolled back, but w6
//	         deployed WEB 1.2 on web-api again the next day → not rolled back
//	WEB 2.0  planned 04-14, not released            → upcoming
//	(w7 is a staging rollback of WEB 1.0: not production, ignored; w4's success keeps WEB 1.0.)
//
// Items (public unless said; the title comes from the raw "release_note" key of a native
// record, "Custom field (Release note)" of a Jira CSV one, else the summary):
//
//	WEB-1  Story done, WEB 1.0, release_note "Pay by bank transfer"    → Added, release_note
//	WEB-2  Bug done, WEB 1.0, label Highlight (any case)               → Fixed, highlight
//	WEB-3  Story done, WEB 1.0, label internal → private: never listed
//	WEB-4  Bug in progress, WEB 1.0, label known-issue                 → Known issues (listed
//	       though not done; the first rule, Known issues, beats the Bug → Fixed rule)
//	WEB-5  Task done, WEB 1.1, Jira CSV "Faster search"                → Changed (no rule), release_note
//	WEB-6  Story in progress, WEB 1.1 → released release, not done: not listed
//	WEB-7  Story cancelled, WEB 1.1 → never listed
//	WEB-8  Task done, WEB 1.2, security level → private: WEB 1.2 has no public item (maintenance)
//	WEB-9  Story done, WEB 2.0, Jira JSON customfield_10050 "Dark mode" — not a configured field
//	       by default, so its summary "Theme switcher"                  → Added
//	WEB-10 Story to do, WEB 2.0, label CVE                              → Security (beats Story → Added), not done
//	WEB-11 Story done, fix versions "WEB 2.0" and " web 2.0" (one release), release_note blank
//	       → summary "Onboarding tour", one row                         → Added
//	WEB-12 Bug done, WEB 0.9 (overdue)                                  → Fixed
func TestMartReleaseLog(t *testing.T) {
	w := buildFixture(t, "releaselog.sql", nil)
	expect(t, w, "mart_release_log", `select release, release_status, release_date, rolled_back, item_key, item_type, category,
        public_title, title_source, is_done, is_highlight, team from mart_release_log order by release, item_key`, `
        WEB 0.9|overdue|2025-03-20|false|WEB-12|Bug|Fixed|Login loops on Safari|summary|true|false|Web
        WEB 1.0|released|2025-03-03|false|WEB-1|Story|Added|Pay by bank transfer|release_note|true|false|Web
        WEB 1.0|released|2025-03-03|false|WEB-2|Bug|Fixed|Totals wrong for EUR|summary|true|true|Web
        WEB 1.0|released|2025-03-03|false|WEB-4|Bug|Known issues|Exports slow for large accounts|summary|false|false|Web
        WEB 1.1|released|2025-03-18|true|WEB-5|Task|Changed|Faster search|release_note|true|false|Web
        WEB 2.0|upcoming|2025-04-14|false|WEB-10|Story|Security|Patch the XML parser|summary|false|false|Web
        WEB 2.0|upcoming|2025-04-14|false|WEB-11|Story|Added|Onboarding tour|summary|true|false|Web
        WEB 2.0|upcoming|2025-04-14|false|WEB-9|Story|Added|Theme switcher|summary|true|false|Web`)
	// Counts per release from the rows above: WEB 1.0 ships WEB-1 and WEB-2 (2) with one known
	// issue (WEB-4); WEB 1.2 ships nothing public → maintenance; WEB 2.0 has WEB-9 and WEB-11
	// done (2) and WEB-10 planned (1). An overdue release is not maintenance: it has not shipped.
	expect(t, w, "mart_release_calendar", `select release, status, release_date, planned_date, rolled_back, public_items,
        planned_items, known_issues, maintenance from mart_release_calendar order by release`, `
        WEB 0.9|overdue|2025-03-20|2025-03-20|false|1|0|0|false
        WEB 1.0|released|2025-03-03|2025-03-03|false|2|0|1|false
        WEB 1.1|released|2025-03-18|2025-03-17|true|1|0|0|false
        WEB 1.2|released|2025-03-24|2025-03-24|false|0|0|0|true
        WEB 2.0|upcoming|2025-04-14|2025-04-14|false|2|1|0|false`)
}

// The release-log rules are applied at build: a configured Jira JSON field id gives WEB-9
// its release note, a custom rule files Tasks under Removed, and another highlight label.
func TestMartReleaseLogConfigured(t *testing.T) {
	cfg := config.Default()
	cfg.ReleaseLog.TitleFields = []string{"customfield_10050", "Release note"}
	cfg.ReleaseLog.Categories = append([]config.CategoryRule{{Category: "Removed", Types: []string{"task"}}}, cfg.ReleaseLog.Categories...)
	cfg.ReleaseLog.HighlightLabels = []string{"cve"}
	cfg.ReleaseLog.DefaultCategory = "Changed"
	w := buildFixture(t, "releaselog.sql", cfg)
	expect(t, w, "configured", `select item_key, category, public_title, title_source, is_highlight from mart_release_log
        where item_key in ('WEB-1', 'WEB-5', 'WEB-9', 'WEB-10') order by item_key`, `
        WEB-1|Added|Pay by bank transfer|release_note|false
        WEB-10|Security|Patch the XML parser|summary|true
        WEB-5|Removed|Faster search|release_note|false
        WEB-9|Added|Dark mode|release_note|false`)
}

// A release-note field whose name holds the word "create" (quoted into the settings' macro)
// builds like any other: the build's temporary settings read no SQL inside a string literal.
func TestReleaseNoteFieldNamedCreate(t *testing.T) {
	cfg := config.Default()
	cfg.ReleaseLog.TitleFields = []string{"Create note", "Release note"}
	w := buildFixture(t, "releaselog.sql", cfg)
	expect(t, w, "titles", `select item_key, public_title, title_source from mart_release_log where item_key in ('WEB-1', 'WEB-2') order by item_key`, `
        WEB-1|Pay by bank transfer|release_note
        WEB-2|Totals wrong for EUR|summary`)
}
