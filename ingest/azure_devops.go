package ingest

import (
	"context"
	"strconv"
	"strings"
)

// adoCSV reads Azure DevOps Boards' "Export to CSV" of a query (Boards → Queries → run →
// ⋯ → Export to CSV): a UTF-8 BOM, every value quoted, tags joined with "; ", people as
// "Name <email>", dates in the exporting user's locale. The team is the Area Path's last
// segment, the project its first; Activated Date is the commitment point; Story Points,
// Effort or Size (by process) the points; Original Estimate and Completed Work are hours.
// Tree query exports put each title in "Title 1", "Title 2"… by level: a row's parent is the
// nearest row above it one level up.
type adoCSV struct{}

func (adoCSV) Name() string     { return "ado-csv" }
func (adoCSV) Describe() string { return "Azure DevOps Boards query export (CSV)" }

func (adoCSV) Detect(s *Sniff) float64 {
	if s.Has("id", "work_item_type") && (s.Has("area_path") || s.Has("iteration_path") || s.Has("title") || s.Has("title_1")) {
		return 3
	}
	return 0
}

const adoSource = "azure-devops"

// adoColumns: only the ID is required — a query's default columns ("Assigned to me": ID, Work
// Item Type, Title, State, Area Path, Iteration Path, Tags) lack the dates.
var adoColumns = &csvColumns{
	identity: []string{"id"},
	canonical: map[string]string{
		"item_key": "id", "item_type": "work_item_type", "title": "title", "status": "state",
		"created_at": "created_date", "updated_at": "changed_date", "committed_at": "activated_date",
		"resolved_at": "closed_date", "due_date": "target_date", "labels": "tags", "assignee": "assigned_to",
		"priority": "priority", "description": "description", "parent_key": "parent", "team": "area_path",
		"sprints": "iteration_path", "story_points": "story_points", "original_estimate_hours": "original_estimate",
		"time_spent_hours": "completed_work", "business_value": "business_value", "time_criticality": "time_criticality",
	},
	notes: []columnNote{
		{[]string{"created_date"}, "flow", "no Created Date column: add it to the query (lead time and backlog age need it)"},
		{[]string{"activated_date"}, "cycle_time", "no Activated Date column: add it to the query (the commitment point, for cycle time and aging)"},
		{[]string{"closed_date", "resolved_date"}, "flow", "no Closed Date column: add it to the query (done items have no delivery time without it)"},
		{[]string{"state"}, "flow", "no State column: add it to the query (without it every item reads as backlog)"},
	},
}

func (adoCSV) columns() *csvColumns { return adoColumns }

func (f adoCSV) Load(ctx context.Context, in *Input, sink Sink) error {
	var levels []int     // positions of Title 1..n
	var parents []string // the last id seen at each level
	return eachCSVRecord(ctx, in, sink, f.Name(), adoColumns, func(t *csvTable) error {
		if levels == nil {
			for n := 1; ; n++ {
				i, ok := t.idx["title_"+strconv.Itoa(n)]
				if !ok {
					break
				}
				levels = append(levels, i)
			}
			parents = make([]string, len(levels))
		}
		id := t.get("id")
		if id == "" {
			return rowErrf("ID is empty")
		}
		title, parent := t.get("title"), t.get("parent")
		for lvl, i := range levels {
			if i < len(t.rec) && strings.TrimSpace(t.rec[i]) != "" {
				title = strings.TrimSpace(t.rec[i])
				parents[lvl] = id
				for deeper := lvl + 1; deeper < len(parents); deeper++ {
					parents[deeper] = ""
				}
				if lvl > 0 && parent == "" {
					parent = parents[lvl-1]
				}
				break
			}
		}
		d := rowDates{t: t, p: in.Dates}
		area := strings.Split(t.get("area_path"), `\`)
		w := &WorkItem{Key: id, Source: adoSource, Type: t.get("work_item_type"), Title: title, Status: t.get("state"),
			Priority: t.get("priority"), Description: t.get("description"), Created: d.get("created_date", false),
			Updated: d.get("changed_date", false), Committed: d.get("activated_date", false), DueDate: d.get("target_date", false),
			Labels: splitList(strings.ReplaceAll(t.get("tags"), "; ", ";"), false), Assignee: adoPerson(t.get("assigned_to")),
			ParentKey: parent, Project: area[0]}
		closed, resolved := d.get("closed_date", false), d.get("resolved_date", false)
		if d.err != nil {
			return d.err
		}
		w.Resolved = closed
		if w.Resolved.IsZero() {
			w.Resolved = resolved
		}
		if len(area) > 1 {
			w.Team = area[len(area)-1]
		}
		// Every node of the Iteration Path below the project, outermost first: Boards has no
		// fix version, and a release is an iteration — "a flat set of iteration paths or a
		// hierarchy of paths to support releases, sub-releases, and sprints" (Microsoft's
		// "Define iteration paths", azure-devops-docs set-iteration-paths-sprints.md), so
		// Acme\CHK 2025.20\Sprint 41 is in release CHK 2025.20 and sprint Sprint 41. The
		// models take these nodes as the item's release names when it has no fix version.
		if it := t.get("iteration_path"); strings.Contains(it, `\`) {
			for _, node := range strings.Split(it, `\`)[1:] {
				if node = strings.TrimSpace(node); node != "" {
					w.Sprints = append(w.Sprints, node)
				}
			}
		}
		var err error
		w.StoryPoints = firstNumber(t, []string{"story_points", "effort", "size"}, &err)
		w.EstimateHours = number(t, "original_estimate", &err)
		w.SpentHours = number(t, "completed_work", &err)
		w.BusinessValue = number(t, "business_value", &err)
		w.TimeCriticality = number(t, "time_criticality", &err)
		if err != nil {
			return err
		}
		completeItem(in, w, "")
		w.Raw = t.rawJSONOrig()
		return sink.WorkItem(w)
	})
}

// adoPerson turns "Jane Doe <jane@contoso.com>" into "Jane Doe".
func adoPerson(v string) string {
	if i := strings.Index(v, " <"); i > 0 && strings.HasSuffix(v, ">") {
		return v[:i]
	}
	return v
}
