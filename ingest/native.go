package ingest

import (
	"context"
	"slices"
	"time"

	"github.com/relscope/relscope/config"
)

// nativeCSV is one of relscope's own interchange CSVs (DESIGN §3 "Native CSV formats").
// Headers are case-insensitive; spaces and dashes in them read as underscores.
type nativeCSV struct {
	name     string
	describe string
	required []string
	optional []string
	// mapRow maps the current record; a rowError rejects it, any other error aborts the file.
	mapRow func(t *csvTable, in *Input, sink Sink) error
}

func (f *nativeCSV) Name() string     { return f.name }
func (f *nativeCSV) Describe() string { return f.describe }

// Detect scores by how much of the header the format knows, so that two formats whose
// required columns are both present (deployments and incidents share id and service) are
// told apart by the rest.
func (f *nativeCSV) Detect(s *Sniff) float64 {
	if !s.Has(f.required...) {
		return 0
	}
	known := 0
	for _, h := range s.Header {
		if slices.Contains(f.required, h) || slices.Contains(f.optional, h) {
			known++
		}
	}
	return 1 + float64(known)/float64(len(s.Header))
}

// columns lets columns: map a header onto a native column: the canonical columns are the
// format's own.
func (f *nativeCSV) columns() *csvColumns {
	c := &csvColumns{identity: f.required[:1], canonical: make(map[string]string, len(f.required)+len(f.optional))}
	for _, col := range append(append([]string{}, f.required...), f.optional...) {
		c.canonical[col] = col
	}
	return c
}

func (f *nativeCSV) Load(ctx context.Context, in *Input, sink Sink) error {
	return eachCSVRow(ctx, in, sink, f.name, f.required, func(t *csvTable) error { return f.mapRow(t, in, sink) })
}

const nativeSource = "native"

var nativeWorkItems = &nativeCSV{
	name:     "work_items",
	describe: "relscope work_items.csv (key, type, status, created_at, …)",
	required: []string{"key", "type", "status", "created_at"},
	optional: []string{"source", "project", "team", "title", "description", "status_category", "priority",
		"updated_at", "resolved_at", "committed_at", "story_points", "original_estimate_hours", "time_spent_hours",
		"fix_versions", "sprints", "labels", "components", "parent_key", "epic_key", "assignee", "url",
		"business_value", "time_criticality", "risk_reduction", "security_level", "due_date", "is_public",
		"blocks", "blocked_by", "depends_on", "relates_to"},
	mapRow: func(t *csvTable, in *Input, sink Sink) error {
		if err := requireValues(t, "key", "type", "status", "created_at"); err != nil {
			return err
		}
		d := rowDates{t: t, p: in.Dates}
		w := &WorkItem{
			Key: t.get("key"), Source: t.get("source"), Project: t.get("project"), Team: t.get("team"),
			Type: t.get("type"), Title: t.get("title"), Description: t.get("description"), Status: t.get("status"),
			Priority: t.get("priority"), Created: d.get("created_at", true), Updated: d.get("updated_at", false),
			Resolved: d.get("resolved_at", false), Committed: d.get("committed_at", false), DueDate: d.get("due_date", false),
			FixVersions: splitList(t.get("fix_versions"), false), Sprints: splitList(t.get("sprints"), false),
			Labels: splitList(t.get("labels"), false), Components: splitList(t.get("components"), false),
			ParentKey: t.get("parent_key"), EpicKey: t.get("epic_key"), Assignee: t.get("assignee"), URL: t.get("url"),
			SecurityLevel: t.get("security_level"),
		}
		if d.err != nil {
			return d.err
		}
		var err error
		w.StoryPoints = number(t, "story_points", &err)
		w.EstimateHours = number(t, "original_estimate_hours", &err)
		w.SpentHours = number(t, "time_spent_hours", &err)
		w.BusinessValue = number(t, "business_value", &err)
		w.TimeCriticality = number(t, "time_criticality", &err)
		w.RiskReduction = number(t, "risk_reduction", &err)
		if err != nil {
			return err
		}
		if w.Source == "" {
			w.Source = nativeSource
		}
		given := t.get("status_category")
		if given != "" && !config.ValidCategory(given) {
			return rowErrf("status_category %q: want backlog, in_progress, blocked, done or cancelled", given)
		}
		completeItem(in, w, given)
		pub, hasPub, perr := parseBool(t.get("is_public"))
		if perr != nil {
			return rowErrf("is_public %v", perr)
		}
		if hasPub {
			w.IsPublic = &pub
		}
		w.Raw = t.rawJSON()
		if err := sink.WorkItem(w); err != nil {
			return err
		}
		for _, l := range []struct{ col, typ string }{
			{"blocks", "blocks"}, {"blocked_by", "is blocked by"}, {"depends_on", "depends on"}, {"relates_to", "relates to"},
		} {
			for _, target := range splitList(t.get(l.col), true) {
				if err := sink.Link(&Link{Source: w.Source, Key: w.Key, Type: l.typ, Target: target}); err != nil {
					return err
				}
			}
		}
		return nil
	},
}

var nativeTransitions = &nativeCSV{
	name:     "transitions",
	describe: "relscope transitions.csv: item history (key, at, field, from, to, by)",
	required: []string{"key", "at", "to"},
	optional: []string{"source", "field", "from", "by"},
	mapRow: func(t *csvTable, in *Input, sink Sink) error {
		if err := requireValues(t, "key", "at"); err != nil {
			return err
		}
		d := rowDates{t: t, p: in.Dates}
		tr := &Transition{Source: t.get("source"), Key: t.get("key"), At: d.get("at", true), Field: t.get("field"),
			From: t.get("from"), To: t.get("to"), By: t.get("by")}
		if d.err != nil {
			return d.err
		}
		if tr.Source == "" {
			tr.Source = nativeSource
		}
		if tr.Field == "" {
			tr.Field = "status"
		}
		return sink.Transition(tr)
	},
}

var nativeReleases = &nativeCSV{
	name:     "releases",
	describe: "relscope releases.csv (name, project, release_date, freeze_date, released_at)",
	required: []string{"name", "project"},
	optional: []string{"source", "release_date", "planned_date", "freeze_date", "released_at", "is_released", "released", "description"},
	mapRow: func(t *csvTable, in *Input, sink Sink) error {
		if err := requireValues(t, "name", "project"); err != nil {
			return err
		}
		d := rowDates{t: t, p: in.Dates}
		r := &Release{Name: t.get("name"), Source: t.get("source"), Project: t.get("project"),
			Freeze: d.get("freeze_date", false), Released: d.get("released_at", false), Description: t.get("description")}
		if t.get("planned_date") != "" {
			r.Planned = d.get("planned_date", false)
		} else {
			r.Planned = d.get("release_date", false)
		}
		if d.err != nil {
			return d.err
		}
		rel, ok, err := parseBool(t.first("is_released", "released"))
		if err != nil {
			return rowErrf("is_released %v", err)
		}
		if ok {
			r.IsReleased = &rel
		} else if !r.Released.IsZero() {
			yes := true
			r.IsReleased = &yes
		}
		if r.Source == "" {
			r.Source = nativeSource
		}
		r.Raw = t.rawJSON()
		return sink.Release(r)
	},
}

var nativeDeployments = &nativeCSV{
	name:     "deployments",
	describe: "relscope deployments.csv (id, service, environment, status, finished_at, …)",
	required: []string{"id", "service", "environment", "status", "finished_at"},
	optional: []string{"source", "started_at", "version", "team", "kind", "change_id", "items", "commit_sha",
		"commit_time", "pipeline", "description"},
	mapRow: func(t *csvTable, in *Input, sink Sink) error {
		if err := requireValues(t, "id", "service", "environment", "status"); err != nil {
			return err
		}
		status, err := DeploymentStatus(t.get("status"))
		if err != nil {
			return rowError(err.Error())
		}
		kind, err := DeploymentKind(t.get("kind"))
		if err != nil {
			return rowError(err.Error())
		}
		d := rowDates{t: t, p: in.Dates}
		dep := &Deployment{ID: t.get("id"), Source: t.get("source"), Service: t.get("service"), Team: t.get("team"),
			Environment: t.get("environment"), Status: status, Kind: kind, Started: d.get("started_at", false),
			// A deployment still running has no finish time yet; every other needs one.
			Finished: d.get("finished_at", status != "running"), Version: t.get("version"), ChangeID: t.get("change_id"),
			CommitSHA: t.get("commit_sha"), CommitTime: d.get("commit_time", false), Pipeline: t.get("pipeline"),
			Description: t.get("description"), ItemKeys: splitList(t.get("items"), true)}
		if d.err != nil {
			return d.err
		}
		if !dep.Started.IsZero() && !dep.Finished.IsZero() && dep.Finished.Before(dep.Started) {
			return rowErrf("finished_at %s is before started_at %s", dep.Finished.Format(time.RFC3339), dep.Started.Format(time.RFC3339))
		}
		if dep.Source == "" {
			dep.Source = nativeSource
		}
		dep.Team = teamFor(in, dep.Team, dep.Service)
		dep.Raw = t.rawJSON()
		return sink.Deployment(dep)
	},
}

var nativeIncidents = &nativeCSV{
	name:     "incidents",
	describe: "relscope incidents.csv (id, service, created_at, resolved_at, …)",
	required: []string{"id", "service", "created_at"},
	optional: []string{"source", "team", "resolved_at", "acknowledged_at", "severity", "title",
		"caused_by_deployment", "change_id", "items"},
	mapRow: func(t *csvTable, in *Input, sink Sink) error {
		if err := requireValues(t, "id", "service", "created_at"); err != nil {
			return err
		}
		d := rowDates{t: t, p: in.Dates}
		inc := &Incident{ID: t.get("id"), Source: t.get("source"), Service: t.get("service"), Team: t.get("team"),
			Severity: t.get("severity"), Title: t.get("title"), Created: d.get("created_at", true),
			Acknowledged: d.get("acknowledged_at", false), Resolved: d.get("resolved_at", false),
			CausedBy: t.get("caused_by_deployment"), ChangeID: t.get("change_id"), ItemKeys: splitList(t.get("items"), true)}
		if d.err != nil {
			return d.err
		}
		if !inc.Resolved.IsZero() && inc.Resolved.Before(inc.Created) {
			return rowErrf("resolved_at %s is before created_at %s", inc.Resolved.Format(time.RFC3339), inc.Created.Format(time.RFC3339))
		}
		if inc.Source == "" {
			inc.Source = nativeSource
		}
		inc.Team = teamFor(in, inc.Team, inc.Service)
		inc.Raw = t.rawJSON()
		return sink.Incident(inc)
	},
}

var nativeChanges = &nativeCSV{
	name:     "changes",
	describe: "relscope changes.csv: change requests (id, type, state, …)",
	required: []string{"id", "type", "state"},
	optional: []string{"source", "risk", "approval", "approved_at", "planned_start", "planned_end", "backout_plan",
		"cmdb_ci", "service", "team", "release", "items"},
	mapRow: func(t *csvTable, in *Input, sink Sink) error {
		if err := requireValues(t, "id", "type", "state"); err != nil {
			return err
		}
		typ, err := ChangeType(t.get("type"))
		if err != nil {
			return rowError(err.Error())
		}
		d := rowDates{t: t, p: in.Dates}
		c := &Change{ID: t.get("id"), Source: t.get("source"), Type: typ, State: t.get("state"), Risk: t.get("risk"),
			Approval: t.get("approval"), Approved: d.get("approved_at", false), PlannedStart: d.get("planned_start", false),
			PlannedEnd: d.get("planned_end", false), BackoutPlan: t.get("backout_plan"), CmdbCI: t.get("cmdb_ci"),
			Service: t.get("service"), Team: t.get("team"), Release: t.get("release"), ItemKeys: splitList(t.get("items"), true)}
		if d.err != nil {
			return d.err
		}
		if c.Source == "" {
			c.Source = nativeSource
		}
		if c.Service == "" {
			c.Service = c.CmdbCI
		}
		c.Team = teamFor(in, c.Team, c.Service)
		c.Raw = t.rawJSON()
		return sink.Change(c)
	},
}
