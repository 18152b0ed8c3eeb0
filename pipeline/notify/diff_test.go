package notify

import (
	"fmt"
	"strings"
	"testing"
)

func obs(list ...Observation) Observations {
	o := Observations{}
	for _, x := range list {
		o.Add(x)
	}
	return o
}

func d(kv ...string) map[string]string {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return m
}

func eventLines(es []Event) string {
	var b strings.Builder
	for _, e := range es {
		fmt.Fprintf(&b, "%s %s %s→%s %s\n", e.Type, e.Subject, e.From, e.To, e.Detail["reason"]+e.Detail["direction"])
	}
	return b.String()
}

// Two runs' observations, and the events between them:
//
//	blocker OPS-7 (blocks PAY-3): In Progress → Done         → blocker_changed OPS-7
//	blocker OPS-8: Blocked → Blocked                          → nothing (no change)
//	blocker OPS-9: only in the second run                     → nothing (new, not a change)
//	PAY-3 in PAY 1.2 (still unreleased), then only in PAY 1.3 → item_slipped PAY-3 left_release
//	PAY-4 in PAY 1.1, which shipped (not unreleased any more) → nothing
//	PAY 1.2 P85 2025-07-10 ≤ planned 2025-07-15, then 07-20  → item_slipped PAY 1.2 p85_past_planned
//	PAY 1.3 P85 07-30 > planned 07-25 both times             → nothing (said before)
//	readiness PAY 1.2: go → at_risk                           → readiness_changed
//	Payments / change_failure_rate: high → medium             → band_changed worse
//	Payments / lead_time: elite → elite                       → nothing
func TestDiff(t *testing.T) {
	prev := obs(
		Observation{Kind: KindBlocker, Key: "jira|OPS-7", Value: "In Progress", Detail: d("item", "OPS-7", "team", "Ops", "blocks", "PAY-3 (Payments)")},
		Observation{Kind: KindBlocker, Key: "jira|OPS-8", Value: "Blocked", Detail: d("item", "OPS-8")},
		Observation{Kind: KindRelease, Key: "jira|PAY|PAY 1.1", Value: "2025-06-30"},
		Observation{Kind: KindRelease, Key: "jira|PAY|PAY 1.2", Value: "2025-07-15"},
		Observation{Kind: KindReleaseItem, Key: "jira|PAY|PAY 1.1|PAY-4", Detail: d("item", "PAY-4", "release", "PAY 1.1")},
		Observation{Kind: KindReleaseItem, Key: "jira|PAY|PAY 1.2|PAY-3", Detail: d("item", "PAY-3", "team", "Payments", "release", "PAY 1.2")},
		Observation{Kind: KindForecast, Key: "jira|PAY|PAY 1.2", Value: "2025-07-10", Detail: d("release", "PAY 1.2", "planned_date", "2025-07-15")},
		Observation{Kind: KindForecast, Key: "jira|PAY|PAY 1.3", Value: "2025-07-30", Detail: d("release", "PAY 1.3", "planned_date", "2025-07-25")},
		Observation{Kind: KindReadiness, Key: "jira|PAY|PAY 1.2", Value: "go", Detail: d("release", "PAY 1.2")},
		Observation{Kind: KindBand, Key: "Payments|change_failure_rate", Value: "high", Detail: d("team", "Payments", "metric", "change_failure_rate", "month", "2025-05")},
		Observation{Kind: KindBand, Key: "Payments|lead_time", Value: "elite", Detail: d("team", "Payments", "metric", "lead_time")},
	)
	cur := obs(
		Observation{Kind: KindBlocker, Key: "jira|OPS-7", Value: "Done", Detail: d("item", "OPS-7", "team", "Ops", "blocks", "PAY-3 (Payments)")},
		Observation{Kind: KindBlocker, Key: "jira|OPS-8", Value: "Blocked", Detail: d("item", "OPS-8")},
		Observation{Kind: KindBlocker, Key: "jira|OPS-9", Value: "To Do", Detail: d("item", "OPS-9")},
		Observation{Kind: KindRelease, Key: "jira|PAY|PAY 1.2", Value: "2025-07-15"},
		Observation{Kind: KindRelease, Key: "jira|PAY|PAY 1.3", Value: "2025-07-25"},
		Observation{Kind: KindReleaseItem, Key: "jira|PAY|PAY 1.3|PAY-3", Detail: d("item", "PAY-3", "team", "Payments", "release", "PAY 1.3")},
		Observation{Kind: KindForecast, Key: "jira|PAY|PAY 1.2", Value: "2025-07-20", Detail: d("release", "PAY 1.2", "planned_date", "2025-07-15")},
		Observation{Kind: KindForecast, Key: "jira|PAY|PAY 1.3", Value: "2025-08-02", Detail: d("release", "PAY 1.3", "planned_date", "2025-07-25")},
		Observation{Kind: KindReadiness, Key: "jira|PAY|PAY 1.2", Value: "at_risk", Detail: d("release", "PAY 1.2", "reasons", "forecast: warn")},
		Observation{Kind: KindBand, Key: "Payments|change_failure_rate", Value: "medium", Detail: d("team", "Payments", "metric", "change_failure_rate", "month", "2025-06")},
		Observation{Kind: KindBand, Key: "Payments|lead_time", Value: "elite", Detail: d("team", "Payments", "metric", "lead_time")},
	)
	got := eventLines(Diff(prev, cur))
	want := `blocker_changed OPS-7 In Progress→Done 
item_slipped PAY-3 PAY 1.2→PAY 1.3 left_release
item_slipped PAY 1.2 2025-07-10→2025-07-20 p85_past_planned
readiness_changed PAY 1.2 go→at_risk 
band_changed Payments / change_failure_rate high→medium worse
`
	if got != want {
		t.Errorf("events:\n%s\nwant:\n%s", got, want)
	}
	if Diff(nil, cur) != nil {
		t.Error("a first run (nothing before) has events")
	}
}

// A band that falls and climbs back over four runs: high → low (worse), low → medium
// (recovered, still below high), medium → high (recovered, back where it was), high →
// elite (better than ever: no event, nothing had fallen).
func TestBandRecovery(t *testing.T) {
	band := func(v string, detail map[string]string) Observations {
		dd := d("team", "Ops", "metric", "recovery_time")
		for k, x := range detail {
			dd[k] = x
		}
		return obs(Observation{Kind: KindBand, Key: "Ops|recovery_time", Value: v, Detail: dd})
	}
	runs := []string{"high", "low", "medium", "high", "elite"}
	want := []string{"band_changed Ops / recovery_time high→low worse\n", "band_changed Ops / recovery_time low→medium recovered\n",
		"band_changed Ops / recovery_time medium→high recovered\n", ""}
	prev := band(runs[0], nil)
	for i, v := range runs[1:] {
		cur := band(v, nil)
		if got := eventLines(Diff(prev, cur)); got != want[i] {
			t.Errorf("run %d (%s): %q, want %q", i+2, v, got, want[i])
		}
		prev = cur // as stored: Diff carried fell_from into cur
	}
	if ff := prev[KindBand]["Ops|recovery_time"].Detail["fell_from"]; ff != "" {
		t.Errorf("fell_from %q after the recovery", ff)
	}
}
