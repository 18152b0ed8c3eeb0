package queries

import (
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
		// The checklist of FC 1.1 (the name matched case-insensitively), verdict last: 8 remaining at
		// one a day take until 04-07, past its planned 04-05 (6 items by then); 8 features > 7.
		{"release_readiness", map[string]string{"release": "fc 1.1"}, "release,project,check,status,detail,items\n" +
			"FC 1.1,FC,forecast,fail,\"P(on time) 0%: 8 items remaining, P85 2025-04-07 vs planned 2025-04-05; 6 of them by the planned date at 85%\",\"[\"\"FC-27\"\",\"\"FC-28\"\"]\"\n" +
			"FC 1.1,FC,open_blockers,pass,no open item of the release has an open blocker,[]\n" +
			"FC 1.1,FC,endorsement,pass,every item of an endorsement tier is endorsed,[]\n" +
			"FC 1.1,FC,regulated_signoff,pass,every regulated item has its sign-off,[]\n" +
			"FC 1.1,FC,rollback_criteria,pass,every tier-1 item has rollback criteria,[]\n" +
			"FC 1.1,FC,test_evidence,pass,every tier-1 item has test evidence,[]\n" +
			"FC 1.1,FC,freeze,pass,no item joined the release after its freeze,[]\n" +
			"FC 1.1,FC,packaging,fail,\"8 feature items, maximum 7 for a big-bang release\",\"[\"\"FC-21\"\",\"\"FC-22\"\",\"\"FC-23\"\",\"\"FC-24\"\",\"\"FC-25\"\",\"\"FC-26\"\",\"\"FC-27\"\",\"\"FC-28\"\"]\"\n" +
			"FC 1.1,FC,change_approval,pass,no change record raised for the release yet,[]\n" +
			"FC 1.1,FC,VERDICT,no_go,\"fails: forecast, packaging\",[]\n"},
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
		// o2's emergency change CHG-2 is approved but has no back-out plan.
		{"unapproved_changes_shipped", nil, "deployment_id,team,service,finished_at,status,change_id,change_type,approval,state,finding\n" +
			"o2,OPS,ops-api,2025-03-18T10:00:00Z,success,CHG-2,emergency,Approved,Closed,no back-out plan\n"},
	} {
		if got := runNamed(t, w, tc.name, tc.params); got != tc.want {
			t.Errorf("@%s %v:\ngot:\n%s\nwant:\n%s", tc.name, tc.params, got, tc.want)
		}
	}
}
