package models_test

import "testing"

// The incident organisation (testdata/incidents.sql), as of 2025-03-31 00:00 UTC, attribution
// window 72 h:
//
//	deployments of api (team OPS), production, successful:
//	  e1 03-10 10:00, ships OPS-1 (its item list)
//	  e2 03-20 08:00, change CHG1, ships OPS-2
//	items: OPS-1 done, OPS-2 in progress, OPS-3 backlog — all with component checkout
//	  (OPS-3 also search)
//
//	incident  service created      ack          resolved     link
//	n1        api     03-10 12:00  03-10 12:30  03-10 16:00  attributed to e1 (2 h after it)
//	n2        api     03-12 09:00  03-12 10:00  03-13 09:00  attributed to e1 (47 h ≤ 72 h)
//	n3        api     03-21 00:00  —            03-21 06:00  change CHG1 → e2; names OPS-3
//	n4        api     03-30 12:00  03-30 13:30  open         none: e2 is 244 h earlier
//	n5        web     2024-12-01 10:00, ack 10:15, resolved 12:00 (team WEB; not in the 90 days)
//	n6        api     04-02 — after as_of: not in any mart
//	n7        api     03-29 00:00  —            04-01 00:00  none (e2 is 208 h earlier); its
//	                                                         resolution is after as_of: open
//
// ack hours: n1 0.5, n2 1, n4 1.5, n5 0.25. Resolve hours: n1 4, n2 24, n3 6, n5 2.

func TestMartIncidents(t *testing.T) {
	w := buildFrom(t, nil, "incidents.sql")
	expect(t, w, "mart_incidents", `select incident_id, team, ack_hours, resolve_hours, deployment_id, deployment_link,
			item_keys, deployment_item_keys, month
		from mart_incidents order by incident_id`, `
		n1|OPS|0.5|4|e1|attributed|[]|[OPS-1]|2025-03-01
		n2|OPS|1|24|e1|attributed|[]|[OPS-1]|2025-03-01
		n3|OPS|-|6|e2|change_id|[OPS-3]|[OPS-2]|2025-03-01
		n4|OPS|1.5|-|-|-|[]|[]|2025-03-01
		n5|WEB|0.25|2|-|-|[]|[]|2024-12-01
		n7|OPS|-|-|-|-|[]|[]|2025-03-01`)
	// n7 was resolved after as_of: as of 03-31 it is open, and its resolution is not shown.
	expect(t, w, "n7 as of as_of", `select resolved_at is null from mart_incidents where incident_id = 'n7'`, `true`)
}

func TestMartIncidentMonthly(t *testing.T) {
	w := buildFrom(t, nil, "incidents.sql")
	// OPS/api/March: n1, n2, n3, n4, n7 = 5 incidents; resolved by as_of n1, n2, n3 = 3, open 2;
	// linked n1, n2 (e1) and n3 (e2) = 3. ack p50 of 0.5, 1, 1.5 = 1; resolve p50 of 4, 6, 24 = 6.
	// WEB/web/December: n5 alone: ack 0.25, resolve 2.
	expect(t, w, "mart_incident_monthly", `select team, service, month, incidents, resolved, open_at_as_of,
			linked_to_deployment, ack_hours_p50, resolve_hours_p50
		from mart_incident_monthly order by team, month`, `
		OPS|api|2025-03-01|5|3|2|3|1|6
		WEB|web|2024-12-01|1|1|0|0|0.25|2`)
}

func TestMartIncidentHotspots(t *testing.T) {
	w := buildFrom(t, nil, "incidents.sql")
	// The 90 days up to as_of start 2024-12-31: n5 (web) is older, so web is no hotspot.
	// service api: n1, n2, n3, n4, n7 = 5, open n4 and n7 = 2; ack p50 of 0.5, 1, 1.5 = 1;
	//   resolve p50 of 4, 24, 6 = 6. Linked items: OPS-1 (shipped by e1, for n1 and n2), OPS-2
	//   (shipped by e2, for n3), OPS-3 (named by n3); open: OPS-2 (in progress), OPS-3 (backlog).
	// component checkout: the incidents with a linked item in it: n1, n2 (OPS-1), n3 (OPS-2,
	//   OPS-3) = 3, none open; ack p50 of 0.5, 1 = 0.75; resolve p50 of 4, 24, 6 = 6.
	// component search: only n3 (OPS-3) — fewer than 3, no hotspot.
	expect(t, w, "mart_incident_hotspots", `select kind, name, team, incidents_90d, open_incidents, ack_hours_p50,
			resolve_hours_p50, item_keys, open_item_keys
		from mart_incident_hotspots order by kind, name`, `
		component|checkout|OPS|3|0|0.75|6|[OPS-1 OPS-2 OPS-3]|[OPS-2 OPS-3]
		service|api|OPS|5|2|1|6|[OPS-1 OPS-2 OPS-3]|[OPS-2 OPS-3]`)
}
