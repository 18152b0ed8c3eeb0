package ingest

import (
	"context"
	"strings"
)

// linearCSV reads Linear's "Export CSV" (Settings → Workspace → Import/Export → Export CSV, or
// a view's "Export CSV"): JavaScript Date.toString() dates, comma-joined labels, a "'" guard
// before values that start like a spreadsheet formula, and, in newer exports, dependency
// columns ("Blocked by", "Blocking", "Related to"). Linear has no status history in the CSV;
// its "Started" date is the commitment point, "Completed" or "Canceled" the resolution.
type linearCSV struct{}

func (linearCSV) Name() string     { return "linear-csv" }
func (linearCSV) Describe() string { return "Linear CSV export" }

func (linearCSV) Detect(s *Sniff) float64 {
	if s.Has("id", "team", "title", "status", "created") && (s.Has("cycle_name") || s.Has("started") || s.Has("canceled")) {
		return 3
	}
	return 0
}

const linearSource = "linear"

// linearColumns: only the ID is required.
var linearColumns = &csvColumns{
	identity: []string{"id"},
	canonical: map[string]string{
		"item_key": "id", "team": "team", "title": "title", "description": "description", "status": "status",
		"priority": "priority", "created_at": "created", "updated_at": "updated", "committed_at": "started",
		"resolved_at": "completed", "due_date": "due_date", "assignee": "assignee", "labels": "labels",
		"parent_key": "parent_issue", "sprints": "cycle_name", "fix_versions": "project_milestone", "story_points": "estimate",
	},
	notes: []columnNote{
		{[]string{"created"}, "flow", "no Created column: export it (lead time and backlog age need it)"},
		{[]string{"started"}, "cycle_time", "no Started column: export it (the commitment point, for cycle time and aging)"},
		{[]string{"completed", "canceled"}, "flow", "no Completed column: export it (done items have no delivery time without it)"},
		{[]string{"status"}, "flow", "no Status column: export it (without it every item reads as backlog)"},
	},
}

func (linearCSV) columns() *csvColumns { return linearColumns }

func (f linearCSV) Load(ctx context.Context, in *Input, sink Sink) error {
	return eachCSVRecord(ctx, in, sink, f.Name(), linearColumns, func(t *csvTable) error {
		return f.mapRow(t, in, sink)
	})
}

func (linearCSV) mapRow(t *csvTable, in *Input, sink Sink) error {
	if err := requireValues(t, "id"); err != nil {
		return err
	}
	get := func(col string) string { return unguard(t.get(col)) }
	d := rowDates{t: t, p: in.Dates}
	w := &WorkItem{
		Key: get("id"), Source: linearSource, Team: get("team"), Title: get("title"), Description: get("description"),
		Status: get("status"), Priority: get("priority"), Created: d.get("created", false), Updated: d.get("updated", false),
		Committed: d.get("started", false), DueDate: d.get("due_date", false), Assignee: get("assignee"),
		Labels: splitList(get("labels"), false), ParentKey: get("parent_issue"),
	}
	completed, canceled := d.get("completed", false), d.get("canceled", false)
	if d.err != nil {
		return d.err
	}
	w.Resolved = completed
	if w.Resolved.IsZero() {
		w.Resolved = canceled
	}
	if c := get("cycle_name"); c != "" {
		w.Sprints = []string{c}
	}
	if m := t.firstAny("project_milestone", "milestone"); m != "" {
		w.FixVersions = []string{unguard(m)}
	}
	var err error
	w.StoryPoints = number(t, "estimate", &err)
	if err != nil {
		return err
	}
	exportCategory := ""
	if !canceled.IsZero() {
		exportCategory = "cancelled"
	} else if !completed.IsZero() {
		exportCategory = "done"
	}
	completeItem(in, w, exportCategory)
	w.Raw = t.rawJSONOrig()
	if err := sink.WorkItem(w); err != nil {
		return err
	}
	for _, l := range []struct{ col, typ string }{{"blocked_by", "is blocked by"}, {"blocking", "blocks"}, {"related_to", "relates to"}, {"duplicate_of", "duplicates"}} {
		for _, target := range splitList(get(l.col), true) {
			if err := sink.Link(&Link{Source: linearSource, Key: w.Key, Type: l.typ, Target: target}); err != nil {
				return err
			}
		}
	}
	return nil
}

// unguard removes the "'" spreadsheet exports put before values starting with = + - @ so
// that a spreadsheet does not run them as formulas.
func unguard(s string) string {
	if len(s) >= 2 && s[0] == '\'' && strings.ContainsRune("=+-@", rune(s[1])) {
		return s[1:]
	}
	return s
}
