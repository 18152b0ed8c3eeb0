package models_test

import (
	"context"
	"testing"

	"github.com/relscope/relscope/config"
	"github.com/relscope/relscope/models"
)

// The release's deployments and change records, on the organisation of marts_test.go plus four
// change records:
//
//	c1 normal, approved, 03-10 09:00–12:00 (3 h), back-out plan, release field "PAY 1.0"
//	c2 emergency, requested, 03-10 11:00–12:00 (1 h), no back-out plan, no release field;
//	   carried by deployment d2 (PAY 1.0) → linked to PAY 1.0 by the deployment
//	c3 normal, approved, 04-10 08:00–10:00 (2 h), release field " pay 1.1 " (case and spaces differ)
//	c4 release field "OTHER 9": no such release → no row
//
// and d1 also carrying c1 (named by the release too: linked by its release field, once).
func TestMartReleaseDeploymentsAndChanges(t *testing.T) {
	ctx := context.Background()
	w := buildOrg(t, nil)
	_, err := w.DB.Exec(`
        insert into changes (change_id, source, type, state, risk, approval, planned_start, planned_end, backout_plan, service, release, ingest_id) values
            ('c1', 'native', 'normal', 'Closed', 'Low', 'approved', '2025-03-10 09:00:00+00', '2025-03-10 12:00:00+00', 'redeploy PAY 0.9', 'pay-api', 'PAY 1.0', 1),
            ('c2', 'native', 'emergency', 'Closed', 'High', 'requested', '2025-03-10 11:00:00+00', '2025-03-10 12:00:00+00', ' ', 'pay-api', null, 1),
            ('c3', 'native', 'normal', 'Scheduled', 'Moderate', 'approved', '2025-04-10 08:00:00+00', '2025-04-10 10:00:00+00', 'redeploy', 'pay-api', ' pay 1.1 ', 1),
            ('c4', 'native', 'standard', 'Closed', 'Low', 'approved', null, null, null, 'pay-api', 'OTHER 9', 1);
        update deployments set change_id = 'c1' where deployment_id = 'd1';
        update deployments set change_id = 'c2' where deployment_id = 'd2';`)
	if err != nil {
		t.Fatal(err)
	}
	ms, _ := models.Models()
	if _, err := w.Build(ctx, ms, models.Settings{AsOf: asOf, Config: config.Default()}, nil); err != nil {
		t.Fatal(err)
	}
	// PAY 1.0's production deployments are d1 and d2 (version PAY 1.0); d1 failed by status, d2
	// by the incident i1 attributed to it; PAY 1.1 has none.
	expect(t, w, "mart_release_deployments", `select release, deployment_id, status, is_failure, failure_reason, change_id
        from mart_release_deployments order by release, deployment_id`, `
        PAY 1.0|d1|failed|true|failed|c1
        PAY 1.0|d2|success|true|incident|c2`)
	expect(t, w, "mart_release_changes", `select release, change_id, linked_by, change_type, is_approved, window_hours, has_backout_plan
        from mart_release_changes order by release, change_id`, `
        PAY 1.0|c1|release|normal|true|3|true
        PAY 1.0|c2|deployment|emergency|false|1|false
        PAY 1.1|c3|release|normal|true|2|true`)
}
