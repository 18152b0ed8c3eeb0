package queries

import (
	"testing"

	"github.com/relscope/relscope/config"
	"github.com/relscope/relscope/internal/testorg"
)

// The dashboard's incident queries on the incident organisation (models/testdata/incidents.sql,
// every number of it worked out in models/incidents_test.go), as of 2025-03-31, attribution
// window 72 h. The default period is [2024-09-01, 2025-03-31).
//
//	incident  team/service  created      ack h  resolve h  linked     open at as_of
//	n1        OPS/api       03-10 12:00  0.5    4          e1         no
//	n2        OPS/api       03-12 09:00  1      24         e1         no
//	n3        OPS/api       03-21 00:00  —      6          e2 (CHG1)  no
//	n4        OPS/api       03-30 12:00  1.5    —          —          yes
//	n5        WEB/web       2024-12-01   0.25   2          —          no
//	n7        OPS/api       03-29 00:00  —      —          —          yes (resolved 04-01)
//	n6 is created 04-02, after as_of: in no mart.
func TestIncidentQueries(t *testing.T) {
	w := testorg.Build(t, config.Default(), "incidents.sql")
	for _, tc := range []struct {
		name   string
		params map[string]string
		want   string
	}{
		// The scope: 6 incidents, 2 open (n4, n7), 3 linked (n1, n2, n3) → 3 / 6 = 0.5; ack
		// median of 0.25, 0.5, 1, 1.5 = (0.5 + 1) / 2 = 0.75 h; resolve median of 2, 4, 6, 24 =
		// (4 + 6) / 2 = 5 h. OPS: 5 incidents, 2 open, 3 linked → 0.6; ack median(0.5, 1, 1.5) =
		// 1; resolve median(4, 6, 24) = 6. WEB: n5 alone.
		{"incident_period", map[string]string{"per_team": "true"}, "team,incidents,open_at_as_of,linked_to_deployment,linked_share,ack_hours_p50,resolve_hours_p50\n" +
			",6,2,3,0.5,0.75,5\n" +
			"OPS,5,2,3,0.6,1,6\n" +
			"WEB,1,0,0,0,0.25,2\n"},
		// Without per_team, the scope's row only; one team, that team's numbers as the scope.
		{"incident_period", nil, "team,incidents,open_at_as_of,linked_to_deployment,linked_share,ack_hours_p50,resolve_hours_p50\n" +
			",6,2,3,0.5,0.75,5\n"},
		{"incident_period", map[string]string{"team": "OPS"}, "team,incidents,open_at_as_of,linked_to_deployment,linked_share,ack_hours_p50,resolve_hours_p50\n" +
			",5,2,3,0.6,1,6\n"},
		// February 2025 has no incident: zeros, no share, no medians.
		{"incident_period", map[string]string{"start": "2025-02-01", "end": "2025-03-01", "per_team": "true"}, "team,incidents,open_at_as_of,linked_to_deployment,linked_share,ack_hours_p50,resolve_hours_p50\n" +
			",0,0,0,,,\n"},
		// Per team and month, by month: WEB in December (n5), OPS in March (n1–n4, n7: resolved
		// by as_of n1, n2, n3).
		{"incidents_by_month", nil, "team,month,incidents,resolved,linked_to_deployment,ack_hours_p50,resolve_hours_p50\n" +
			"WEB,2024-12-01,1,1,0,0.25,2\n" +
			"OPS,2025-03-01,5,3,3,1,6\n"},
		{"incidents_by_month", map[string]string{"team": "WEB"}, "team,month,incidents,resolved,linked_to_deployment,ack_hours_p50,resolve_hours_p50\n" +
			"WEB,2024-12-01,1,1,0,0.25,2\n"},
		// From 03-21: n3 (resolved in 6 h, linked), n7 and n4 (open) — 3, 1 resolved, 1 linked;
		// ack only n4's 1.5.
		{"incidents_by_month", map[string]string{"start": "2025-03-21"}, "team,month,incidents,resolved,linked_to_deployment,ack_hours_p50,resolve_hours_p50\n" +
			"OPS,2025-03-01,3,1,1,1.5,6\n"},
		// Hotspots (≥ 3 incidents in the 90 days from 2024-12-31; n5 is older): service api with
		// n1, n2, n3, n4, n7 = 5, open n4 and n7; component checkout with the incidents whose
		// linked items are in it, n1, n2 (OPS-1) and n3 (OPS-2, OPS-3) = 3, none open. Resolve
		// median of 4, 24, 6 = 6 for both. Open items linked: OPS-2 (in progress) and OPS-3
		// (backlog); OPS-1 is done. Most incidents first.
		{"incident_hotspots", nil, "kind,name,team,incidents_90d,open_incidents,resolve_hours_p50,open_item_keys\n" +
			"service,api,OPS,5,2,6,\"[\"\"OPS-2\"\",\"\"OPS-3\"\"]\"\n" +
			"component,checkout,OPS,3,0,6,\"[\"\"OPS-2\"\",\"\"OPS-3\"\"]\"\n"},
		{"incident_hotspots", map[string]string{"team": "WEB"}, "kind,name,team,incidents_90d,open_incidents,resolve_hours_p50,open_item_keys\n"},
		// The register from 03-25, in time order: n7 (03-29, resolved only after as_of, so open
		// and without a resolution time) and n4 (03-30, acknowledged after 1.5 h, open).
		{"incident_records", map[string]string{"start": "2025-03-25"}, "incident_id,team,service,severity,title,created_at,acknowledged_at,resolved_at,ack_hours,resolve_hours,deployment_id,deployment_link,item_keys,deployment_item_keys\n" +
			"n7,OPS,api,P2,,2025-03-29T00:00:00Z,,,,,,,[],[]\n" +
			"n4,OPS,api,P3,,2025-03-30T12:00:00Z,2025-03-30T13:30:00Z,,1.5,,,,[],[]\n"},
	} {
		if got := runNamed(t, w, tc.name, tc.params); got != tc.want {
			t.Errorf("@%s %v:\ngot:\n%s\nwant:\n%s", tc.name, tc.params, got, tc.want)
		}
	}
}
