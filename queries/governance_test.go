package queries

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/relscope/relscope/internal/testorg"
)

// The governance organisation of internal/testorg (its numbers are worked out in
// models/governance_test.go).
func TestGovernanceQueries(t *testing.T) {
	w := testorg.Gov(t)
	for _, tc := range []struct {
		name   string
		params map[string]string
		want   string
	}{
		// The checklist of FC 1.1 (the name matched case-insensitively; team FC), verdict last: 8 remaining at
		// one a day take until 04-07, past its planned 04-05 (6 items by then); 8 features > 7.
		{"release_readiness", map[string]string{"release": "fc 1.1", "team": "FC"}, "release,project,team,planned_date,check,status,detail,items\n" +
			"FC 1.1,FC,FC,2025-04-05,forecast,fail,\"P(on time) 0%: 8 items remaining, P85 2025-04-07 vs planned 2025-04-05; 6 of them by the planned date at 85%\",\"[\"\"FC-27\"\",\"\"FC-28\"\"]\"\n" +
			"FC 1.1,FC,FC,2025-04-05,open_blockers,pass,no open item of the release has an open blocker,[]\n" +
			"FC 1.1,FC,FC,2025-04-05,endorsement,pass,every item of an endorsement tier is endorsed,[]\n" +
			"FC 1.1,FC,FC,2025-04-05,regulated_signoff,pass,every regulated item has its sign-off,[]\n" +
			"FC 1.1,FC,FC,2025-04-05,rollback_criteria,pass,every tier-1 item has rollback criteria,[]\n" +
			"FC 1.1,FC,FC,2025-04-05,test_evidence,pass,every tier-1 item has test evidence,[]\n" +
			"FC 1.1,FC,FC,2025-04-05,freeze,pass,no item joined the release after its freeze,[]\n" +
			"FC 1.1,FC,FC,2025-04-05,packaging,fail,\"8 feature items, maximum 7 for a big-bang release\",\"[\"\"FC-21\"\",\"\"FC-22\"\",\"\"FC-23\"\",\"\"FC-24\"\",\"\"FC-25\"\",\"\"FC-26\"\",\"\"FC-27\"\",\"\"FC-28\"\"]\"\n" +
			"FC 1.1,FC,FC,2025-04-05,change_approval,pass,no change record raised for the release yet,[]\n" +
			"FC 1.1,FC,FC,2025-04-05,VERDICT,no_go,\"fails: forecast, packaging\",[]\n"},
		// Team FC's upcoming releases by planned date: FC 1.0 goes (5 items, all by 04-04), FC 1.1 not.
		{"release_outlook", map[string]string{"team": "FC"}, "release,team,planned_date,items,remaining,p50_date,p85_date,p_on_time,how_many_by_planned_p85,verdict,why\n" +
			"FC 1.0,FC,2025-04-04,5,5,2025-04-04,2025-04-04,1,5,go,all 9 checks pass\n" +
			"FC 1.1,FC,2025-04-05,8,8,2025-04-07,2025-04-07,0,6,no_go,\"fails: forecast, packaging\"\n"},
		// OPS's top 2: OPS-5 (15 / 3 = 5), OPS-1 (13 / 3 = 4.3333).
		{"backlog_priority", map[string]string{"team": "OPS", "top": "2"}, "team,rank,item_key,item_type,title,status,risk_tier,business_value,time_criticality,risk_reduction,size,score,basis,release,needs_endorsement\n" +
			"OPS,1,OPS-5,Bug,,To Do,3,8,5,2,3,5,field/field/field/points,OPS 2.0,false\n" +
			"OPS,2,OPS-1,Story,,In Progress,1,,,13,3,4.3333,none/none/tier/default,OPS 2.0,false\n"},
		// Freeze findings only, upcoming releases first (none), then by release name descending.
		{"release_violations", map[string]string{"kind": "freeze%"}, "release,team,kind,item_key,detail,added_at,added_by,upcoming\n" +
			"PAY 1.0,PAY,freeze_violation,PAY-3,Story (no priority) added after the freeze of 2025-03-07: only a critical defect with an emergency change may join a frozen release,2025-03-08T06:00:00Z,,false\n" +
			"OPS 1.9,OPS,freeze_exception,OPS-3,\"critical defect (Bug, Highest) added after the freeze of 2025-03-15 with emergency change CHG-2\",2025-03-16T00:00:00Z,ana.costa,false\n" +
			"OPS 1.9,OPS,freeze_violation,OPS-4,Story (Medium) added after the freeze of 2025-03-15: only a critical defect with an emergency change may join a frozen release,2025-03-17T00:00:00Z,rm.silva,false\n"},
		// Promotion gaps in the last 30 days (since 03-01 00:00, exclusive): d0 finished 03-01 09:00 is in.
		{"compliance_gaps", map[string]string{"gap_type": "not_promoted", "days": "30"}, "finished_at,team,service,deployment_id,version,gap_type,is_gap,change_id,item_key,detail\n" +
			"2025-03-25T12:00:00Z,OPS,ops-api,o3,OPS 1.9.1,not_promoted,true,CHG-9,,version OPS 1.9.1 of ops-api reached production without an earlier successful deployment to staging/uat/preprod\n" +
			"2025-03-20T10:00:00Z,PAY,pay-api,d3,PAY 1.0.1,not_promoted,true,,,version PAY 1.0.1 of pay-api reached production without an earlier successful deployment to staging/uat/preprod\n" +
			"2025-03-18T10:00:00Z,OPS,ops-api,o2,OPS 1.9-hf,not_promoted,true,CHG-2,,version OPS 1.9-hf of ops-api reached production without an earlier successful deployment to staging/uat/preprod\n" +
			"2025-03-01T09:00:00Z,PAY,pay-api,d0,PAY 0.9,not_promoted,true,,,version PAY 0.9 of pay-api reached production without an earlier successful deployment to staging/uat/preprod\n"},
		// PAY blocks OPS (OPS-6, open, in OPS 2.0) and is blocked by CHK (2 items, 2.5 days).
		{"who_blocks_whom", map[string]string{"team": "PAY"}, "blocker_team,blocked_team,links,blocked_items,blocked_days,open_links,open_on_upcoming,releases_affected\n" +
			"CHK,PAY,2,2,2.5,1,1,2\n" +
			"PAY,OPS,1,1,0,1,1,1\n"},
		// FC 0.9: forecast from 03-06 with P85 03-07, out on 03-20 — 13 days after its P85.
		{"forecast_backtest", map[string]string{"team": "FC"}, "release,team,forecast_on,remaining,p50_date,p85_date,planned_date,released_on,released_by_p85,days_after_p85,released_by_planned,reason\n" +
			"FC 0.9,FC,2025-03-06,1,2025-03-06,2025-03-07,2025-03-21,2025-03-20,false,13,true,\n"},
		// Another team's release: nothing.
		{"release_readiness", map[string]string{"release": "fc 1.1", "team": "OPS"}, "release,project,team,planned_date,check,status,detail,items\n"},
		// Every open OPS item, every component (the workbook's priority sheet): OPS-5 (8 + 5 + 2) / 3
		// points = 5; OPS-1 and OPS-2 (gdpr: tier 1, regulated) 13 from the tier / default size 3 =
		// 4.3333, tied, OPS-1 first by key — OPS-1 is endorsed, OPS-2 needs endorsing; OPS-6 (tier 3:
		// 3) / (16 h / 8 h per point = 2) = 1.5; OPS-7 3 / default 3 = 1. All planned for OPS 2.0.
		{"priority_items", map[string]string{"team": "OPS"}, "team,rank,item_key,item_type,title,status,status_category,priority,risk_tier,risk_rule,regulated,business_value,business_value_basis,time_criticality,time_criticality_basis,risk_reduction,risk_reduction_basis,cost_of_delay,size,size_basis,score,release,release_planned_date,endorsement_required,endorsed,needs_endorsement\n" +
			"OPS,1,OPS-5,Bug,,To Do,backlog,High,3,,false,8,field,5,field,2,field,15,3,points,5,OPS 2.0,2025-04-04,false,false,false\n" +
			"OPS,2,OPS-1,Story,,In Progress,in_progress,,1,regulatory,true,,none,,none,13,tier,13,3,default,4.3333,OPS 2.0,2025-04-04,true,true,false\n" +
			"OPS,3,OPS-2,Story,,To Do,backlog,,1,regulatory,true,,none,,none,13,tier,13,3,default,4.3333,OPS 2.0,2025-04-04,true,false,true\n" +
			"OPS,4,OPS-6,Task,,To Do,backlog,,3,,false,,none,,none,3,tier,3,2,hours,1.5,OPS 2.0,2025-04-04,false,false,false\n" +
			"OPS,5,OPS-7,Task,,To Do,backlog,,3,,false,,none,,none,3,tier,3,3,default,1,OPS 2.0,2025-04-04,false,false,false\n"},
		// Every finding on the production deployments finished in [03-18, 03-25 12:00), newest
		// first: o1 ships OPS-10 (pci) unsigned; d3 names no change record although changes exist,
		// and skipped staging; o2's emergency change CHG-2 names billing-db, has no back-out plan,
		// and OPS 1.9-hf skipped staging (the emergency change itself listed, not a gap). o3 finished
		// at 03-25 12:00, the end: left out.
		{"compliance_register", map[string]string{"start": "2025-03-18", "end": "2025-03-25T12:00:00Z"}, "finished_at,team,service,environment,deployment_id,version,kind,gap_type,is_gap,change_id,change_type,approval,change_state,item_key,detail\n" +
			"2025-03-20T12:00:00Z,OPS,ops-api,prod,o1,OPS 1.9,normal,regulated_without_signoff,true,CHG-1,normal,approved,Closed,OPS-10,ships OPS-10 (regulatory) without its sign-off\n" +
			"2025-03-20T10:00:00Z,PAY,pay-api,prod,d3,PAY 1.0.1,normal,no_change_record,true,,,,,,no change record\n" +
			"2025-03-20T10:00:00Z,PAY,pay-api,prod,d3,PAY 1.0.1,normal,not_promoted,true,,,,,,version PAY 1.0.1 of pay-api reached production without an earlier successful deployment to staging/uat/preprod\n" +
			"2025-03-18T10:00:00Z,OPS,ops-api,prod,o2,OPS 1.9-hf,hotfix,ci_mismatch,true,CHG-2,emergency,Approved,Closed,,\"change CHG-2 names configuration item billing-db, not service ops-api\"\n" +
			"2025-03-18T10:00:00Z,OPS,ops-api,prod,o2,OPS 1.9-hf,hotfix,emergency_change,false,CHG-2,emergency,Approved,Closed,,emergency change CHG-2\n" +
			"2025-03-18T10:00:00Z,OPS,ops-api,prod,o2,OPS 1.9-hf,hotfix,no_backout_plan,true,CHG-2,emergency,Approved,Closed,,change CHG-2 has no back-out plan\n" +
			"2025-03-18T10:00:00Z,OPS,ops-api,prod,o2,OPS 1.9-hf,hotfix,not_promoted,true,CHG-2,emergency,Approved,Closed,,version OPS 1.9-hf of ops-api reached production without an earlier successful deployment to staging/uat/preprod\n"},
		// FC's forecasts with their assumptions: one delivery on each of the 90 window days
		// (2024-12-31 … 2025-03-30), so 5 items take days 1-5 (03-31 … 04-04) in every trial and 8
		// take until 04-07; by FC 1.1's planned 04-05 (day 6) 6 are sure: FC-21 … FC-26 (business
		// values 9 … 4) above the cut line, FC-27 and FC-28 below.
		{"upcoming_forecasts", map[string]string{"team": "FC"}, "release,project,team,teams,planned_date,items,remaining,p50_date,p85_date,p95_date,p_on_time,how_many_by_planned_p85,cut_line,below_cut_line,window_days,window_start,window_end,delivering_days,delivered_in_window,trials,seed,beyond_horizon,reason\n" +
			"FC 1.0,FC,FC,\"[\"\"FC\"\"]\",2025-04-04,5,5,2025-04-04,2025-04-04,2025-04-04,1,5,\"[\"\"FC-1\"\",\"\"FC-2\"\",\"\"FC-3\"\",\"\"FC-4\"\",\"\"FC-5\"\"]\",[],90,2024-12-31,2025-03-30,90,90,10000,1,0,\n" +
			"FC 1.1,FC,FC,\"[\"\"FC\"\"]\",2025-04-05,8,8,2025-04-07,2025-04-07,2025-04-07,0,6,\"[\"\"FC-21\"\",\"\"FC-22\"\",\"\"FC-23\"\",\"\"FC-24\"\",\"\"FC-25\"\",\"\"FC-26\"\"]\",\"[\"\"FC-27\"\",\"\"FC-28\"\"]\",90,2024-12-31,2025-03-30,90,90,10000,1,0,\n"},
		// FC 0.9 (the one backtest with a forecast, see @forecast_backtest below) went out 13 days
		// after its P85 but a day before its planned date: 0 of 1 by P85, 1 by planned. OPS 1.9 and
		// PAY 1.0 had too little history 14 days before: no forecast, no share.
		{"forecast_calibration", nil, "team,releases,forecasted,released_by_p85,share_by_p85,days_after_p85_p50,released_by_planned\n" +
			"FC,1,1,0,0,13,1\n" +
			"OPS,1,0,0,,,1\n" +
			"PAY,1,0,0,,,1\n"},
		// What a job run watches (pipeline/notify): each upcoming release's P85 date with its
		// planned date. FC 1.0's 5 items at one a day end 04-04, its planned date (on time: 1);
		// FC 1.1's 8 end 04-07, past 04-05 (no trial on time: 0); OPS 2.0 and PAY 1.1 have too
		// little history for a forecast, OPS 1.95 and OPS 3.0 nothing remaining: no P85 date.
		{"watch_forecasts", nil, "key,value,detail\n" +
			"native|FC|FC 1.0,2025-04-04,\"{\"\"release\"\":\"\"FC 1.0\"\",\"\"project\"\":\"\"FC\"\",\"\"team\"\":\"\"FC\"\",\"\"planned_date\"\":\"\"2025-04-04\"\",\"\"p_on_time\"\":1.0,\"\"remaining\"\":5}\"\n" +
			"native|FC|FC 1.1,2025-04-07,\"{\"\"release\"\":\"\"FC 1.1\"\",\"\"project\"\":\"\"FC\"\",\"\"team\"\":\"\"FC\"\",\"\"planned_date\"\":\"\"2025-04-05\"\",\"\"p_on_time\"\":0.0,\"\"remaining\"\":8}\"\n" +
			"native|OPS|OPS 1.95,,\"{\"\"release\"\":\"\"OPS 1.95\"\",\"\"project\"\":\"\"OPS\"\",\"\"team\"\":\"\"OPS\"\",\"\"planned_date\"\":\"\"2025-03-25\"\",\"\"p_on_time\"\":1.0,\"\"remaining\"\":0}\"\n" +
			"native|OPS|OPS 2.0,,\"{\"\"release\"\":\"\"OPS 2.0\"\",\"\"project\"\":\"\"OPS\"\",\"\"team\"\":\"\"OPS\"\",\"\"planned_date\"\":\"\"2025-04-04\"\",\"\"p_on_time\"\":null,\"\"remaining\"\":5}\"\n" +
			"native|OPS|OPS 3.0,,\"{\"\"release\"\":\"\"OPS 3.0\"\",\"\"project\"\":\"\"OPS\"\",\"\"team\"\":\"\"OPS\"\",\"\"planned_date\"\":\"\"2025-05-30\"\",\"\"p_on_time\"\":1.0,\"\"remaining\"\":0}\"\n" +
			"native|PAY|PAY 1.1,,\"{\"\"release\"\":\"\"PAY 1.1\"\",\"\"project\"\":\"\"PAY\"\",\"\"team\"\":\"\"PAY\"\",\"\"planned_date\"\":\"\"2025-04-10\"\",\"\"p_on_time\"\":null,\"\"remaining\"\":1}\"\n"},
		// o2's emergency change CHG-2 is approved but has no back-out plan.
		{"unapproved_changes_shipped", nil, "deployment_id,team,service,finished_at,status,change_id,change_type,approval,state,finding\n" +
			"o2,OPS,ops-api,2025-03-18T10:00:00Z,success,CHG-2,emergency,Approved,Closed,no back-out plan\n"},
	} {
		if got := runNamed(t, w, tc.name, tc.params); got != tc.want {
			t.Errorf("@%s %v:\ngot:\n%s\nwant:\n%s", tc.name, tc.params, got, tc.want)
		}
	}
}

// @watch_readiness on the governance organisation: each upcoming release's verdict, with the
// failing and warning checks and their reasons (the checks themselves are worked out in
// models/governance_test.go). FC 1.0, OPS 1.95 and OPS 3.0 pass all 9 checks; FC 1.1 fails
// the forecast and packaging checks (see @release_readiness above); OPS 2.0 fails four and
// warns on four; PAY 1.1 warns on two (no forecast, PAY-4's open blocker CHK-8).
func TestWatchReadiness(t *testing.T) {
	w := testorg.Gov(t)
	res := runNamed(t, w, "watch_readiness", nil)
	rows := map[string][2]string{} // key → verdict, reasons
	for _, line := range strings.Split(strings.TrimSpace(res), "\n")[1:] {
		key, rest, _ := strings.Cut(line, ",")
		verdict, detail, _ := strings.Cut(rest, ",")
		var d map[string]string
		if err := json.Unmarshal([]byte(strings.ReplaceAll(strings.Trim(detail, `"`), `""`, `"`)), &d); err != nil {
			t.Fatalf("%s: %v", line, err)
		}
		rows[key] = [2]string{verdict, d["reasons"]}
		if d["release"] == "" || d["project"] == "" || d["planned_date"] == "" {
			t.Errorf("%s: detail %v", key, d)
		}
	}
	want := map[string]string{
		"native|FC|FC 1.0": "go", "native|FC|FC 1.1": "no_go", "native|OPS|OPS 1.95": "go",
		"native|OPS|OPS 2.0": "no_go", "native|OPS|OPS 3.0": "go", "native|PAY|PAY 1.1": "at_risk",
	}
	if len(rows) != len(want) {
		t.Errorf("%d releases: %v", len(rows), rows)
	}
	for k, v := range want {
		if rows[k][0] != v {
			t.Errorf("%s: verdict %q, want %q", k, rows[k][0], v)
		}
	}
	for k, reasons := range map[string]string{
		"native|FC|FC 1.0": "All 9 checks pass.",
		"native|FC|FC 1.1": "Failing: forecast (P(on time) 0%: 8 items remaining, P85 2025-04-07 vs planned 2025-04-05; 6 of them by the planned date at 85%), " +
			"packaging (8 feature items, maximum 7 for a big-bang release).",
	} {
		if rows[k][1] != reasons {
			t.Errorf("%s: reasons\n%s\nwant\n%s", k, rows[k][1], reasons)
		}
	}
	for _, k := range []string{"native|OPS|OPS 2.0", "native|PAY|PAY 1.1"} {
		r := rows[k][1]
		fails := strings.Contains(r, "Failing: endorsement (") && strings.Contains(r, "), regulated_signoff (") &&
			strings.Contains(r, "), packaging (") && strings.Contains(r, "), change_approval (")
		if k == "native|PAY|PAY 1.1" {
			fails = !strings.Contains(r, "Failing")
		}
		if !fails || !strings.Contains(r, "Warning: forecast (no forecast: too little history") || !strings.Contains(r, "), open_blockers (") {
			t.Errorf("%s: reasons %s", k, r)
		}
	}
}
