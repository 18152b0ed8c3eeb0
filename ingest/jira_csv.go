package ingest

import (
	"context"
	"math"
	"strconv"
	"strings"
)

// jiraCSV reads Jira's "Export Excel CSV (all fields)" / "Export CSV (all fields)" from the
// issue navigator, Cloud and Server/Data Center alike. Repeated headers (Sprint, Labels, Fix
// versions, Component/s) are read positionally as lists; of two different custom fields that
// share a name, the first with a value wins and both stay in raw ("Custom field (Team)#2").
// Estimates are in seconds. The CSV carries no history: cycle time for these items needs the
// JSON export with its changelog (see mart_coverage).
type jiraCSV struct{}

func (jiraCSV) Name() string     { return "jira-csv" }
func (jiraCSV) Describe() string { return "Jira issue navigator CSV export (Cloud or Server/DC)" }

func (jiraCSV) Detect(s *Sniff) float64 {
	if s.Has("issue_key", "summary") && (s.Has("issue_type") || s.Has("issue_id")) {
		return 3
	}
	return 0
}

const jiraSource = "jira"

// Jira's spellings of the same columns across Cloud, Server and versions.
var (
	jiraFixVersions = []string{"fix_versions", "fix_version/s", "fix_version"}
	jiraComponents  = []string{"components", "component/s"}
	jiraPoints      = []string{"custom_field_(story_points)", "custom_field_(story_point_estimate)", "story_points", "story_point_estimate"}
	jiraTeam        = []string{"custom_field_(team)", "team", "custom_field_(team_name)"}
	jiraEpic        = []string{"custom_field_(epic_link)", "epic_link"}
)

// jiraCSVColumns: only the issue key is required; the header may be in any language of
// jiraHeaderVocab, or mapped with columns:.
var jiraCSVColumns = &csvColumns{
	identity: []string{"issue_key"},
	canonical: map[string]string{
		"item_key": "issue_key", "title": "summary", "item_type": "issue_type", "status": "status",
		"status_category": "status_category", "status_category_changed_at": "status_category_changed",
		"project": "project_key", "priority": "priority", "created_at": "created", "updated_at": "updated",
		"resolved_at": "resolved", "due_date": "due_date", "labels": "labels", "sprints": "sprint",
		"fix_versions": "fix_versions", "components": "components", "assignee": "assignee",
		"description": "description", "parent_key": "parent_key", "epic_key": "custom_field_(epic_link)",
		"team": "custom_field_(team)", "story_points": "custom_field_(story_points)",
		"security_level": "security_level", "business_value": "custom_field_(business_value)",
	},
	vocab: jiraHeaderVocab,
	notes: []columnNote{
		{[]string{"created"}, "flow", "no Created column: export it (lead time and backlog age need it)"},
		{[]string{"status"}, "flow", "no Status column: export it (without it every item reads as backlog)"},
		{[]string{"resolved", "status_category_changed"}, "flow",
			"no Resolved or Status Category Changed column: export one (done items have no delivery time without it)"},
		{jiraFixVersions, "release_scope", "no Fix versions column: export it (release scope, and delivery by a deployment of the item's version, need it)"},
	},
}

func (jiraCSV) columns() *csvColumns { return jiraCSVColumns }

func (f jiraCSV) Load(ctx context.Context, in *Input, sink Sink) error {
	var links []jiraLinkColumn
	return eachCSVRecord(ctx, in, sink, f.Name(), jiraCSVColumns, func(t *csvTable) error {
		if links == nil {
			links = jiraLinkColumns(t.header)
		}
		return f.mapRow(t, in, sink, links)
	})
}

func (jiraCSV) mapRow(t *csvTable, in *Input, sink Sink, links []jiraLinkColumn) error {
	if err := requireValues(t, "issue_key"); err != nil {
		return err
	}
	d := rowDates{t: t, p: in.Dates}
	w := &WorkItem{
		Key: t.get("issue_key"), Source: jiraSource, Project: t.get("project_key"), Team: t.firstAny(jiraTeam...),
		Type: t.get("issue_type"), Title: t.get("summary"), Description: t.get("description"), Status: t.get("status"),
		Priority: t.get("priority"), Created: d.get("created", false), Updated: d.get("updated", false),
		Resolved: d.get("resolved", false), DueDate: d.get("due_date", false),
		StatusCategoryChanged: d.get("status_category_changed", false),
		FixVersions:           t.allOf(jiraFixVersions...), Sprints: t.all("sprint"), Labels: t.all("labels"),
		Components: t.allOf(jiraComponents...), EpicKey: t.firstAny(jiraEpic...), Assignee: t.get("assignee"),
		SecurityLevel: t.get("security_level"), ParentKey: t.get("parent_key"),
	}
	if d.err != nil {
		return d.err
	}
	if p := t.get("parent"); w.ParentKey == "" && strings.Contains(p, "-") {
		w.ParentKey = p // Cloud writes the parent's id under Parent (and its key under Parent key), Server its key
	}
	var err error
	w.StoryPoints = firstNumber(t, jiraPoints, &err)
	w.EstimateHours = secondsToHours(t, "original_estimate", &err)
	w.SpentHours = secondsToHours(t, "time_spent", &err)
	w.BusinessValue = firstNumber(t, []string{"custom_field_(business_value)", "business_value"}, &err)
	if err != nil {
		return err
	}
	completeItem(in, w, t.get("status_category"))
	w.Raw = t.rawJSONOrig()
	if err := sink.WorkItem(w); err != nil {
		return err
	}
	for _, lc := range links {
		for _, i := range lc.positions {
			if i >= len(t.rec) {
				continue
			}
			for _, target := range splitList(t.rec[i], true) {
				if err := sink.Link(&Link{Source: jiraSource, Key: w.Key, Type: lc.linkType, Target: target}); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// jiraLinkColumn is one "Inward/Outward issue link (Type)" column family.
type jiraLinkColumn struct {
	linkType  string
	positions []int
}

// jiraLinkColumns finds the link columns and names each link as seen from the row's item:
// "Outward issue link (Blocks)" → blocks, "Inward issue link (Blocks)" → is blocked by.
func jiraLinkColumns(header []string) []jiraLinkColumn {
	var out []jiraLinkColumn
	byType := map[string]int{}
	for i, h := range header {
		var inward bool
		var name string
		switch {
		case strings.HasPrefix(h, "outward_issue_link_(") && strings.HasSuffix(h, ")"):
			name = h[len("outward_issue_link_(") : len(h)-1]
		case strings.HasPrefix(h, "inward_issue_link_(") && strings.HasSuffix(h, ")"):
			name, inward = h[len("inward_issue_link_("):len(h)-1], true
		default:
			continue
		}
		typ := jiraLinkType(strings.ReplaceAll(name, "_", " "), inward)
		if j, ok := byType[typ]; ok {
			out[j].positions = append(out[j].positions, i)
			continue
		}
		byType[typ] = len(out)
		out = append(out, jiraLinkColumn{linkType: typ, positions: []int{i}})
	}
	return out
}

// jiraLinkType names Jira's standard link types as relscope's links do; others keep their
// name ("relates", inward "is relates by" would read badly, so inward ones get "is … of").
func jiraLinkType(name string, inward bool) string {
	switch strings.ToLower(name) {
	case "blocks", "blocker":
		if inward {
			return "is blocked by"
		}
		return "blocks"
	case "dependency", "depends", "dependent":
		if inward {
			return "is depended on by"
		}
		return "depends on"
	case "relates", "relate", "related":
		return "relates to"
	case "duplicate", "duplicates":
		if inward {
			return "is duplicated by"
		}
		return "duplicates"
	case "cloners", "clones":
		if inward {
			return "is cloned by"
		}
		return "clones"
	}
	if inward {
		return "is " + strings.ToLower(name) + " of"
	}
	return strings.ToLower(name)
}

func firstNumber(t *csvTable, cols []string, errp *error) *float64 {
	if *errp != nil {
		return nil
	}
	v, col := t.firstAnyCol(cols...)
	f, ok, err := parseNumber(v)
	if err != nil {
		*errp = rowErrf("%s %v", t.label(col), err)
		return nil
	}
	if !ok {
		return nil
	}
	return &f
}

// secondsToHours reads Jira's estimate columns, which are in seconds.
func secondsToHours(t *csvTable, col string, errp *error) *float64 {
	if *errp != nil {
		return nil
	}
	v := t.get(col)
	if v == "" {
		return nil
	}
	secs, err := strconv.ParseFloat(v, 64)
	if err != nil || secs < 0 || math.IsNaN(secs) || math.IsInf(secs, 0) {
		*errp = rowErrf("%s %q: want a number of seconds", t.label(col), v)
		return nil
	}
	h := secs / 3600
	return &h
}
