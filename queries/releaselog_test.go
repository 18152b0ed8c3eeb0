package queries

import "testing"

// The release-log queries on the hand-built release log of models/testdata/releaselog.sql
// (every row is worked out in models/releaselog_test.go).
func TestReleaseLogQueries(t *testing.T) {
	w := fixtureWarehouse(t, "releaselog.sql")
	for _, tc := range []struct {
		name   string
		params map[string]string
		want   string
	}{
		// Released newest first, then upcoming; WEB 0.9 (overdue) is not shown.
		{"release_log_releases", nil, "release,project,release_source,status,release_date,planned_date,released_at,rolled_back,maintenance,public_items,known_issues\n" +
			"WEB 1.2,WEB,native,released,2025-03-24,2025-03-24,2025-03-24T12:00:00Z,false,true,0,0\n" +
			"WEB 1.1,WEB,native,released,2025-03-18,2025-03-17,2025-03-18T09:00:00Z,true,false,1,0\n" +
			"WEB 1.0,WEB,native,released,2025-03-03,2025-03-03,2025-03-03T15:00:00Z,false,false,2,1\n" +
			"WEB 2.0,WEB,native,upcoming,2025-04-14,2025-04-14,,false,false,2,0\n"},
		{"release_log_releases", map[string]string{"team": "Payments"}, "release,project,release_source,status,release_date,planned_date,released_at,rolled_back,maintenance,public_items,known_issues\n"},
		// WEB-3 and WEB-8 are private, WEB-6 unfinished in a released release, WEB-7 cancelled,
		// WEB-10 unfinished in an upcoming one, WEB-12 in an overdue release: none is published.
		{"release_log_items", nil, "release,project,release_source,item_key,item_type,category,public_title,is_highlight\n" +
			"WEB 1.0,WEB,native,WEB-1,Story,Added,Pay by bank transfer,false\n" +
			"WEB 1.0,WEB,native,WEB-2,Bug,Fixed,Totals wrong for EUR,true\n" +
			"WEB 1.0,WEB,native,WEB-4,Bug,Known issues,Exports slow for large accounts,false\n" +
			"WEB 1.1,WEB,native,WEB-5,Task,Changed,Faster search,false\n" +
			"WEB 2.0,WEB,native,WEB-11,Story,Added,Onboarding tour,false\n" +
			"WEB 2.0,WEB,native,WEB-9,Story,Added,Theme switcher,false\n"},
		{"release_log_settings", nil, "title,base_url,author,as_of\nRelease notes,,Release notes,2025-03-31T00:00:00Z\n"},
	} {
		if got := runNamed(t, w, tc.name, tc.params); got != tc.want {
			t.Errorf("@%s %v:\ngot:\n%s\nwant:\n%s", tc.name, tc.params, got, tc.want)
		}
	}
}
