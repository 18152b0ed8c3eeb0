package models_test

import "testing"

// Ties are broken the same way on every build (testdata/delivery_ties.sql): T-1 is shipped by
// d-b and d-a, both finished 2025-03-05 12:00:00; its delivering deployment is the first by id,
// d-a (before, whichever DuckDB met first — at 200k Jira Server items 494 items changed
// deployment from one build to the next). INC-1's change CHG-1 was deployed by both: the
// incident is linked to the last (finished_at, source, deployment_id), d-b, source and id from
// the same deployment.
func TestTiesBrokenByID(t *testing.T) {
	w := buildFixture(t, "delivery_ties.sql", nil)
	expect(t, w, "mart_cycle_time", `select item_key, delivered_by_deployment from mart_cycle_time`, `
        T-1|d-a`)
	expect(t, w, "mart_incidents", `select incident_id, deployment_id from mart_incidents`, `
        INC-1|d-b`)
}
