package queries

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/relscope/relscope/config"
	"github.com/relscope/relscope/models"
)

// The release queries on the organisation of models/marts_test.go (PAY 1.0 released
// 2025-03-10 12:00, planned 03-10; PAY 1.1 planned 04-10) plus two change records: c1 (normal,
// approved, 03-10 09:00–12:00, release field "PAY 1.0") and c2 (emergency, requested, no
// back-out plan, 03-10 11:00–11:30, carried by PAY 1.0's deployment d2).
func TestReleaseQueries(t *testing.T) {
	w := orgWarehouse(t)
	_, err := w.DB.Exec(`
        insert into changes (change_id, source, type, state, risk, approval, planned_start, planned_end, backout_plan, service, release, ingest_id) values
            ('c1', 'native', 'normal', 'Closed', 'Low', 'approved', '2025-03-10 09:00:00+00', '2025-03-10 12:00:00+00', 'redeploy', 'pay-api', 'PAY 1.0', 1),
            ('c2', 'native', 'emergency', 'Closed', 'High', 'requested', '2025-03-10 11:00:00+00', '2025-03-10 11:30:00+00', null, 'pay-api', null, 1);
        update deployments set change_id = 'c2' where deployment_id = 'd2';`)
	if err != nil {
		t.Fatal(err)
	}
	ms, _ := models.Models()
	if _, err := w.Build(context.Background(), ms, models.Settings{AsOf: time.Date(2025, 3, 31, 0, 0, 0, 0, time.UTC), Config: config.Default()}, nil); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		params map[string]string
		want   string
	}{
		// Released first, then unreleased by planned date.
		{"releases", nil, "release,project,team,planned_date,released_at,is_released,items\n" +
			"PAY 1.0,PAY,PAY,2025-03-10,2025-03-10T12:00:00Z,true,2\n" +
			"PAY 1.1,PAY,PAY,2025-04-10,,false,1\n"},
		// PAY 1.0 (see models' TestMartReleaseHealth): released 12 h after its planned day began → slip 0.5 days.
		{"release_summary", map[string]string{"release": "pay 1.0"}, "release,project,release_source,team,planned_date,freeze_date,released_at,is_released,items,planned_at_freeze,added_after_freeze,removed_after_freeze,scope_volatility,items_without_history,deployments,failed_deployments,incidents,successful,slip_days\n" +
			"PAY 1.0,PAY,native,PAY,2025-03-10,2025-03-07,2025-03-10T12:00:00Z,true,2,2,1,1,1,0,2,2,1,false,0.5\n"},
		// Without a name: the latest released release, PAY 1.0 again.
		{"release_summary", nil, "release,project,release_source,team,planned_date,freeze_date,released_at,is_released,items,planned_at_freeze,added_after_freeze,removed_after_freeze,scope_volatility,items_without_history,deployments,failed_deployments,incidents,successful,slip_days\n" +
			"PAY 1.0,PAY,native,PAY,2025-03-10,2025-03-07,2025-03-10T12:00:00Z,true,2,2,1,1,1,0,2,2,1,false,0.5\n"},
		{"release_summary", map[string]string{"release": "PAY 9"}, "release,project,release_source,team,planned_date,freeze_date,released_at,is_released,items,planned_at_freeze,added_after_freeze,removed_after_freeze,scope_volatility,items_without_history,deployments,failed_deployments,incidents,successful,slip_days\n"},
		// c1 by its release field, 3 h; c2 by deployment d2, 0.5 h.
		{"release_changes", map[string]string{"release": "PAY 1.0"}, "change_id,linked_by,change_type,state,risk,approval,is_approved,has_backout_plan,planned_start,planned_end,window_hours,service\n" +
			"c1,release,normal,Closed,Low,approved,true,true,2025-03-10T09:00:00Z,2025-03-10T12:00:00Z,3,pay-api\n" +
			"c2,deployment,emergency,Closed,High,requested,false,false,2025-03-10T11:00:00Z,2025-03-10T11:30:00Z,0.5,pay-api\n"},
		{"release_changes", nil, "change_id,linked_by,change_type,state,risk,approval,is_approved,has_backout_plan,planned_start,planned_end,window_hours,service\n"},
		{"release_changes", map[string]string{"release": "PAY 1.1"}, "change_id,linked_by,change_type,state,risk,approval,is_approved,has_backout_plan,planned_start,planned_end,window_hours,service\n"},
		// d1 failed by status, recovered by d2 2 h later; d2 failed through incident i1, resolved
		// 03-11 18:00 → 30 h.
		{"release_deployments", map[string]string{"release": "PAY 1.0"}, "deployment_id,service,version,kind,status,finished_at,is_failure,failure_reason,recovery_hours,incidents,change_id\n" +
			"d1,pay-api,PAY 1.0,normal,failed,2025-03-10T10:00:00Z,true,failed,2,0,\n" +
			"d2,pay-api,PAY 1.0,normal,success,2025-03-10T12:00:00Z,true,incident,30,1,c2\n"},
		// PAY 1.0's deployments are d1 (no change record, now that change records exist) and
		// d2 (on c2: requested, not approved; no back-out plan; an emergency change, listed).
		{"release_compliance", map[string]string{"release": "PAY 1.0"}, "gap_type,is_gap,deployment_id,service,finished_at,change_id,item_key,detail\n" +
			"change_not_approved,true,d2,pay-api,2025-03-10T12:00:00Z,c2,,change c2 approval: requested\n" +
			"no_backout_plan,true,d2,pay-api,2025-03-10T12:00:00Z,c2,,change c2 has no back-out plan\n" +
			"no_change_record,true,d1,pay-api,2025-03-10T10:00:00Z,,,no change record\n" +
			"emergency_change,false,d2,pay-api,2025-03-10T12:00:00Z,c2,,emergency change c2\n"},
		// PAY 1.1 holds PAY-4, not done: 1 remaining. PAY delivered on 3 days of the window
		// (PAY-2 03-04, PAY-6 and PAY-7 03-06, PAY-1 and PAY-3 03-10): fewer than 5 → no forecast.
		{"release_forecast", map[string]string{"release": "pay 1.1"}, "release,project,team,planned_date,items,remaining,p50_date,p85_date,p95_date,p_on_time,how_many_by_planned_p85,window_days,delivering_days,trials,seed,reason\n" +
			"PAY 1.1,PAY,PAY,2025-04-10,1,1,,,,,,90,3,10000,1,\"too little history: 3 day(s) with a delivery in the last 90 days, at least 5 needed\"\n"},
		// March's incidents: i1 (created 03-11 12:00, resolved 18:00: 6 h, attributed to d2),
		// i2 (03-25, 1 h, not linked), i3 (03-01, 1.5 h, caused by d0) → 3, all resolved, 2
		// linked; resolve hours 1, 1.5, 6 → median 1.5; none acknowledged.
		{"incident_summary", map[string]string{"start": "2025-03-01", "end": "2025-04-01"}, "incidents,resolved,linked_to_deployment,ack_hours_p50,resolve_hours_p50\n" +
			"3,3,2,,1.5\n"},
		{"incident_summary", map[string]string{"start": "2025-03-12", "end": "2025-04-01", "team": "PAY"}, "incidents,resolved,linked_to_deployment,ack_hours_p50,resolve_hours_p50\n" +
			"1,1,0,,1\n"},
	} {
		if got := runNamed(t, w, tc.name, tc.params); got != tc.want {
			t.Errorf("@%s %v:\ngot:\n%s\nwant:\n%s", tc.name, tc.params, got, tc.want)
		}
	}
}

// @release_items on the hand-built release log of models/testdata/releaselog.sql (every row
// is worked out in models/releaselog_test.go): only public items, highlights first within a
// category, known issues last.
func TestReleaseItems(t *testing.T) {
	w := fixtureWarehouse(t, "releaselog.sql")
	for _, tc := range []struct {
		params map[string]string
		want   string
	}{
		// WEB-3 (label internal) is private: not listed; WEB-4 is a known issue though unfinished.
		{map[string]string{"release": "web 1.0"}, "category,item_key,item_type,public_title,is_done,is_highlight\n" +
			"Added,WEB-1,Story,Pay by bank transfer,true,false\n" +
			"Fixed,WEB-2,Bug,Totals wrong for EUR,true,true\n" +
			"Known issues,WEB-4,Bug,Exports slow for large accounts,false,false\n"},
		// Upcoming: every public item planned, finished or not.
		{map[string]string{"release": "WEB 2.0"}, "category,item_key,item_type,public_title,is_done,is_highlight\n" +
			"Added,WEB-11,Story,Onboarding tour,true,false\n" +
			"Added,WEB-9,Story,Theme switcher,true,false\n" +
			"Security,WEB-10,Story,Patch the XML parser,false,false\n"},
		// WEB 1.2's one item (WEB-8) is private: nothing to list.
		{map[string]string{"release": "WEB 1.2"}, "category,item_key,item_type,public_title,is_done,is_highlight\n"},
		// Without a release: none.
		{nil, "category,item_key,item_type,public_title,is_done,is_highlight\n"},
	} {
		if got := runNamed(t, w, "release_items", tc.params); got != tc.want {
			t.Errorf("@release_items %v:\ngot:\n%s\nwant:\n%s", tc.params, got, tc.want)
		}
	}
	// The latest released release with public changes: WEB 1.1 (03-18), not WEB 1.2 (03-24),
	// a maintenance release.
	if got := runNamed(t, w, "release_summary", nil); !strings.Contains(got, "\nWEB 1.1,WEB,native,") || strings.Count(got, "\n") != 2 {
		t.Errorf("@release_summary without a release:\n%s", got)
	}
}
