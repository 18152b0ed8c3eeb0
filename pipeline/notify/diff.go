package notify

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/relscope/relscope/models"
	"github.com/relscope/relscope/queries"
)

// Kind is a family of observations: what one named query watches.
type Kind string

// The kinds a run observes, each read by the named query of the same name (watch_…).
const (
	KindBlocker     Kind = "blocker"          // @watch_blockers: blocker → status
	KindRelease     Kind = "release"          // @watch_releases: unreleased release → planned date
	KindReleaseItem Kind = "release_item"     // @watch_release_items: release × item → release
	KindForecast    Kind = "release_forecast" // @watch_forecasts: release → P85 date
	KindReadiness   Kind = "readiness"        // @watch_readiness: release → verdict
	KindBand        Kind = "dora_band"        // @watch_bands: team × metric → band
)

// watchQueries maps each kind to its named query. A query this version's marts cannot run
// yet is skipped by name in optionalKinds.
var watchQueries = []struct {
	kind  Kind
	query string
}{
	{KindBlocker, "watch_blockers"},
	{KindRelease, "watch_releases"},
	{KindReleaseItem, "watch_release_items"},
	{KindForecast, "watch_forecasts"},
	{KindReadiness, "watch_readiness"},
	{KindBand, "watch_bands"},
}

// Observation is one thing a run saw: its kind, what (Key), its state (Value) and what an
// event about it needs to say (Detail).
type Observation struct {
	Kind   Kind
	Key    string
	Value  string
	Detail map[string]string
}

// Observations are what one run saw, by kind and key.
type Observations map[Kind]map[string]Observation

// Add records o.
func (obs Observations) Add(o Observation) {
	if obs[o.Kind] == nil {
		obs[o.Kind] = map[string]Observation{}
	}
	obs[o.Kind][o.Key] = o
}

// List returns every observation, sorted by kind and key (for storing and for tests).
func (obs Observations) List() []Observation {
	var out []Observation
	for _, m := range obs {
		for _, o := range m {
			out = append(out, o)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Kind != out[j].Kind {
			return out[i].Kind < out[j].Kind
		}
		return out[i].Key < out[j].Key
	})
	return out
}

// Observe runs the watch queries on a built warehouse. A watch query whose mart this
// warehouse does not have (an older build) is skipped, not an error: its events start once
// a build has it.
func Observe(ctx context.Context, db *sql.DB) (Observations, error) {
	obs := Observations{}
	for _, w := range watchQueries {
		q, err := queries.Find(w.query)
		if err != nil {
			continue // a watch whose named query this version does not have
		}
		params, err := q.Resolve(nil)
		if err != nil {
			return nil, err
		}
		res, err := queries.Exec(ctx, db, q.SQL, params)
		if err != nil {
			return nil, fmt.Errorf("@%s: %w", w.query, models.CleanError(err))
		}
		for _, r := range res.Rows {
			o := Observation{Kind: w.kind, Key: queries.Text(r[0])}
			if r[1] != nil {
				o.Value = queries.Text(r[1])
			}
			if s, ok := r[2].(string); ok && s != "" {
				var raw map[string]any
				if err := json.Unmarshal([]byte(s), &raw); err != nil {
					return nil, fmt.Errorf("@%s: detail of %s: %w", w.query, o.Key, err)
				}
				o.Detail = map[string]string{}
				for k, v := range raw {
					if v != nil {
						o.Detail[k] = fmt.Sprint(v)
					}
				}
			}
			obs.Add(o)
		}
	}
	return obs, nil
}

// bandRank orders DORA bands, best first.
var bandRank = map[string]int{"elite": 4, "high": 3, "medium": 2, "low": 1}

// Diff returns the events between what the job's previous run saw (prev; nil for a first
// run, which has nothing to compare and yields no events) and what this run sees (cur). It
// also carries state forward in cur: a DORA band that got worse remembers the band it fell
// from (detail "fell_from"), so that the run that sees it recover says so.
func Diff(prev, cur Observations) []Event {
	if prev == nil {
		return nil
	}
	var events []Event

	// blocker_changed: a blocker seen by both runs whose status differs.
	for _, key := range sortedKeys(cur[KindBlocker]) {
		c := cur[KindBlocker][key]
		p, ok := prev[KindBlocker][key]
		if !ok || p.Value == c.Value {
			continue
		}
		d := c.Detail
		events = append(events, Event{Type: BlockerChanged, Subject: d["item"], From: p.Value, To: c.Value,
			Summary: fmt.Sprintf("%s (%s) moved from %s to %s; it blocks %s.", d["item"], d["team"], p.Value, c.Value, d["blocks"]),
			Detail:  pick(d, "item", "team", "title", "category", "blocks")})
	}

	// item_slipped, first way: an item of an unreleased release the previous run saw is no
	// longer in it, and the release is still unreleased (a release that shipped does not make
	// its items slip).
	for _, key := range sortedKeys(prev[KindReleaseItem]) {
		if _, still := cur[KindReleaseItem][key]; still {
			continue
		}
		p := prev[KindReleaseItem][key]
		d := p.Detail
		relKey := strings.TrimSuffix(key, "|"+d["item"])
		if _, open := cur[KindRelease][relKey]; !open {
			continue
		}
		now := otherReleases(cur, d["item"], relKey)
		where := "is in no unreleased release now"
		if len(now) > 0 {
			where = "is now planned for " + strings.Join(now, ", ")
		}
		det := pick(d, "item", "team", "title", "release", "project")
		det["reason"] = "left_release"
		if len(now) > 0 {
			det["now_in"] = strings.Join(now, ", ")
		}
		events = append(events, Event{Type: ItemSlipped, Subject: d["item"], From: d["release"], To: det["now_in"],
			Summary: fmt.Sprintf("%s (%s) left release %s and %s.", d["item"], d["team"], d["release"], where),
			Detail:  det})
	}

	// item_slipped, second way: the release's P85 date moved past its planned date (it was
	// on or before it, or unknown, the run before).
	for _, key := range sortedKeys(cur[KindForecast]) {
		c := cur[KindForecast][key]
		p, ok := prev[KindForecast][key]
		planned := c.Detail["planned_date"]
		if !ok || planned == "" || c.Value == "" || c.Value <= planned {
			continue
		}
		if p.Value != "" && p.Value > planned {
			continue // already past it: said before
		}
		was := "no P85 date"
		if p.Value != "" {
			was = "P85 " + p.Value
		}
		det := pick(c.Detail, "release", "project", "planned_date", "p_on_time")
		det["reason"] = "p85_past_planned"
		events = append(events, Event{Type: ItemSlipped, Subject: c.Detail["release"], From: p.Value, To: c.Value,
			Summary: fmt.Sprintf("Release %s's P85 date moved to %s, past its planned %s (was %s).", c.Detail["release"], c.Value, planned, was),
			Detail:  det})
	}

	// readiness_changed: a verdict seen by both runs that differs.
	for _, key := range sortedKeys(cur[KindReadiness]) {
		c := cur[KindReadiness][key]
		p, ok := prev[KindReadiness][key]
		if !ok || p.Value == c.Value {
			continue
		}
		summary := fmt.Sprintf("Release %s's readiness changed from %s to %s.", c.Detail["release"], p.Value, c.Value)
		if r := c.Detail["reasons"]; r != "" {
			summary += " " + r
		}
		events = append(events, Event{Type: ReadinessChanged, Subject: c.Detail["release"], From: p.Value, To: c.Value,
			Summary: summary, Detail: pick(c.Detail, "release", "project", "reasons")})
	}

	// band_changed: worse; or better after getting worse (a recovery).
	for _, key := range sortedKeys(cur[KindBand]) {
		c := cur[KindBand][key]
		p, ok := prev[KindBand][key]
		if !ok {
			continue
		}
		fellFrom := p.Detail["fell_from"]
		cr, pr := bandRank[c.Value], bandRank[p.Value]
		direction := ""
		switch {
		case cr < pr:
			direction = "worse"
			if fellFrom == "" {
				fellFrom = p.Value
			}
		case cr > pr && fellFrom != "":
			direction = "recovered"
			if cr >= bandRank[fellFrom] {
				fellFrom = ""
			}
		}
		if fellFrom != "" {
			c.Detail = withDetail(c.Detail, "fell_from", fellFrom)
		}
		cur[KindBand][key] = c
		if direction == "" {
			continue
		}
		d := c.Detail
		det := pick(d, "team", "metric", "month")
		det["direction"] = direction
		summary := fmt.Sprintf("%s's %s band got worse: %s → %s (%s).", d["team"], metricName(d["metric"]), p.Value, c.Value, d["month"])
		if direction == "recovered" {
			summary = fmt.Sprintf("%s's %s band recovered: %s → %s (%s).", d["team"], metricName(d["metric"]), p.Value, c.Value, d["month"])
		}
		events = append(events, Event{Type: BandChanged, Subject: d["team"] + " / " + d["metric"], From: p.Value, To: c.Value,
			Summary: summary, Detail: det})
	}
	return events
}

// otherReleases lists the unreleased releases cur has item in, other than relKey.
func otherReleases(cur Observations, item, relKey string) []string {
	var out []string
	for _, key := range sortedKeys(cur[KindReleaseItem]) {
		o := cur[KindReleaseItem][key]
		if o.Detail["item"] == item && !strings.HasPrefix(key, relKey+"|") {
			out = append(out, o.Detail["release"])
		}
	}
	return out
}

func metricName(m string) string { return strings.ReplaceAll(m, "_", " ") }

func sortedKeys(m map[string]Observation) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// pick copies the named, non-empty details.
func pick(d map[string]string, names ...string) map[string]string {
	out := map[string]string{}
	for _, n := range names {
		if v := d[n]; v != "" {
			out[n] = v
		}
	}
	return out
}

func withDetail(d map[string]string, k, v string) map[string]string {
	out := map[string]string{}
	for a, b := range d {
		out[a] = b
	}
	out[k] = v
	return out
}
