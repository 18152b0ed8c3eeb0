package ingest

import (
	"bytes"
	"context"
	"fmt"
	json "github.com/goccy/go-json"
	"regexp"
	"sort"
	"strings"
	"time"
)

// jiraJSON reads Jira's REST search results: a /rest/api/2|3/search page ({"issues": [...],
// "names": {...}}), a /search/jql page ({"issues": [...], "nextPageToken": ...}), or a JSON
// array of issues. With expand=changelog, each issue's histories become transitions (status,
// Fix Version, Sprint, Flagged — every field Jira logged). With expand=names, the names map
// finds the story-points, sprint, team and epic-link fields; without it, common Cloud field
// ids and the sprint value's shape are tried. Fix versions become releases.
type jiraJSON struct{}

func (jiraJSON) Name() string { return "jira-json" }
func (jiraJSON) Describe() string {
	return "Jira REST search JSON (/search or /search/jql pages, or an array of issues), with changelog"
}

func (jiraJSON) Detect(s *Sniff) float64 {
	h := bytes.TrimLeft(bytes.TrimPrefix(s.Head, utf8BOM), " \t\r\n")
	if len(h) == 0 || (h[0] != '{' && h[0] != '[') {
		return 0
	}
	if bytes.Contains(h, []byte(`"fields"`)) && bytes.Contains(h, []byte(`"key"`)) &&
		(bytes.Contains(h, []byte(`"issues"`)) || h[0] == '[') &&
		(bytes.Contains(h, []byte(`"issuetype"`)) || bytes.Contains(h, []byte(`"summary"`))) {
		return 3
	}
	return 0
}

// jiraIssue is what relscope reads of an issue; everything else stays in raw.
type jiraIssue struct {
	Key    string                     `json:"key"`
	Self   string                     `json:"self"`
	Fields map[string]json.RawMessage `json:"fields"`
	Log    *struct {
		Histories []struct {
			Created string `json:"created"`
			Author  *struct {
				DisplayName  string `json:"displayName"`
				EmailAddress string `json:"emailAddress"`
				Name         string `json:"name"`
			} `json:"author"`
			Items []struct {
				Field      string  `json:"field"`
				FromString *string `json:"fromString"`
				ToString   *string `json:"toString"`
			} `json:"items"`
		} `json:"histories"`
	} `json:"changelog"`
}

type jiraNamed struct {
	Name        string `json:"name"`
	Key         string `json:"key"`
	Value       string `json:"value"`
	Title       string `json:"title"`
	DisplayName string `json:"displayName"`
}

// jiraFieldIDs are the custom fields this file's issues use for the concepts relscope needs.
type jiraFieldIDs struct {
	points, sprint, team, epic []string
}

// Field ids of Jira Cloud's defaults, tried when the export has no names map.
var jiraDefaultIDs = jiraFieldIDs{
	points: []string{"customfield_10016", "customfield_10026", "customfield_10028", "customfield_10002"},
	sprint: []string{"customfield_10020", "customfield_10010"},
	team:   []string{"customfield_10001"},
	epic:   []string{"customfield_10014"},
}

func jiraFields(names map[string]string) jiraFieldIDs {
	if len(names) == 0 {
		return jiraDefaultIDs
	}
	var ids jiraFieldIDs
	for id, name := range names {
		switch strings.ToLower(strings.TrimSpace(name)) {
		case "story points", "story point estimate":
			ids.points = append(ids.points, id)
		case "sprint":
			ids.sprint = append(ids.sprint, id)
		case "team":
			ids.team = append(ids.team, id)
		case "epic link":
			ids.epic = append(ids.epic, id)
		}
	}
	// Stable order: "Story Points" before "Story point estimate" is not knowable, so by id.
	for _, l := range [][]string{ids.points, ids.sprint, ids.team, ids.epic} {
		sort.Strings(l)
	}
	return ids
}

func (f jiraJSON) Load(ctx context.Context, in *Input, sink Sink) error {
	doc, err := readJSONDoc(in.R)
	if err != nil {
		return err
	}
	recs, others, err := doc.records("issues")
	if err != nil {
		return fmt.Errorf("not a Jira search result: %w", err)
	}
	var names map[string]string
	if raw, ok := others["names"]; ok {
		json.Unmarshal(raw, &names)
	}
	if len(names) == 0 {
		names = in.FieldNames // a field list beside the pages (jira-fields)
	}
	ids := jiraFields(names)
	return mapInOrder(ctx, in.Tuning, len(recs),
		func(i int) int64 { return recs[i].line },
		func(i int) string { return string(recs[i].raw) },
		func(i int, s Sink) error { return f.mapIssue(recs[i].raw, ids, in, s) }, sink)
}

func (jiraJSON) mapIssue(raw json.RawMessage, ids jiraFieldIDs, in *Input, sink Sink) error {
	var is jiraIssue
	if err := json.Unmarshal(raw, &is); err != nil {
		return rowErrf("not a Jira issue: %v", err)
	}
	if is.Key == "" || is.Fields == nil {
		return rowErrf("not a Jira issue: no key or fields")
	}
	fl := jiraFieldReader{f: is.Fields}
	var firstErr error
	date := func(name string, required bool) time.Time {
		v := fl.str(name)
		if v == "" {
			if required && firstErr == nil {
				firstErr = rowErrf("%s: fields.%s is empty", is.Key, name)
			}
			return time.Time{}
		}
		tm, err := in.Dates.Parse(v)
		if err != nil && firstErr == nil {
			firstErr = rowErrf("%s: fields.%s %v", is.Key, name, err)
		}
		return tm
	}
	status := fl.named("status")
	project := fl.named("project")
	w := &WorkItem{
		Key: is.Key, Source: jiraSource, Project: project.Key, Type: fl.named("issuetype").Name,
		Title: fl.str("summary"), Description: fl.text("description"), Status: status.Name,
		Priority: fl.named("priority").Name, Created: date("created", true), Updated: date("updated", false),
		Resolved: date("resolutiondate", false), DueDate: date("duedate", false),
		StatusCategoryChanged: date("statuscategorychangedate", false),
		Labels:                fl.strings("labels"), Components: fl.names("components"), Assignee: fl.named("assignee").DisplayName,
		SecurityLevel: fl.named("security").Name, ParentKey: fl.named("parent").Key,
	}
	if firstErr != nil {
		return firstErr
	}
	var versions []jiraVersion
	json.Unmarshal(is.Fields["fixVersions"], &versions)
	for _, v := range versions {
		w.FixVersions = append(w.FixVersions, v.Name)
	}
	w.Sprints = fl.sprints(ids.sprint)
	w.Team = fl.firstName(ids.team)
	w.EpicKey = fl.firstName(ids.epic)
	w.StoryPoints = fl.firstNumber(ids.points)
	w.EstimateHours = fl.hours("timeoriginalestimate")
	w.SpentHours = fl.hours("timespent")
	if base, _, ok := strings.Cut(is.Self, "/rest/api/"); ok {
		w.URL = base + "/browse/" + is.Key
	}
	completeItem(in, w, jiraCategory(status))
	w.Raw = string(raw)
	// The history is read before anything is emitted: a record is loaded whole or rejected whole.
	var history []*Transition
	if is.Log != nil {
		for _, h := range is.Log.Histories {
			at, err := in.Dates.Parse(h.Created)
			if err != nil || at.IsZero() {
				if err == nil {
					err = fmt.Errorf("is empty")
				}
				return rowErrf("%s: changelog entry created %v", is.Key, err)
			}
			by := ""
			if a := h.Author; a != nil {
				by = firstNonEmpty(a.DisplayName, a.EmailAddress, a.Name)
			}
			for _, it := range h.Items {
				history = append(history, &Transition{Source: jiraSource, Key: is.Key, At: at, Field: it.Field,
					From: deref(it.FromString), To: deref(it.ToString), By: by})
			}
		}
	}
	if err := sink.WorkItem(w); err != nil {
		return err
	}
	for _, tr := range history {
		if err := sink.Transition(tr); err != nil {
			return err
		}
	}
	for _, v := range versions {
		r := &Release{Name: v.Name, Source: jiraSource, Project: w.Project, Description: v.Description, IsReleased: v.Released}
		if v.ReleaseDate != "" {
			r.Planned, _ = in.Dates.Parse(v.ReleaseDate)
			// Jira records that a version was released, not when: its release date stands in.
			if v.Released != nil && *v.Released {
				r.Released = r.Planned
			}
		}
		r.Raw = mustJSON(v)
		if err := sink.Release(r); err != nil {
			return err
		}
	}
	for _, l := range fl.links() {
		if err := sink.Link(&Link{Source: jiraSource, Key: is.Key, Type: l[0], Target: l[1]}); err != nil {
			return err
		}
	}
	return nil
}

// jiraCategory reads Jira's status category: its key (new, indeterminate, done) or name.
func jiraCategory(status jiraStatus) string {
	switch status.Category.Key {
	case "new":
		return "backlog"
	case "indeterminate":
		return "in_progress"
	case "done":
		return "done"
	}
	return status.Category.Name
}

type jiraStatus struct {
	jiraNamed
	Category struct {
		Key  string `json:"key"`
		Name string `json:"name"`
	} `json:"statusCategory"`
}

type jiraVersion struct {
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	ReleaseDate string `json:"releaseDate,omitempty"`
	Released    *bool  `json:"released,omitempty"`
	Archived    *bool  `json:"archived,omitempty"`
}

// jiraFieldReader reads values out of an issue's fields object.
type jiraFieldReader struct{ f map[string]json.RawMessage }

func (r jiraFieldReader) str(name string) string {
	var s string
	json.Unmarshal(r.f[name], &s)
	return strings.TrimSpace(s)
}

func (r jiraFieldReader) named(name string) jiraStatus {
	var v jiraStatus
	json.Unmarshal(r.f[name], &v)
	return v
}

func (r jiraFieldReader) strings(name string) []string {
	var v []string
	json.Unmarshal(r.f[name], &v)
	return nonEmpty(v)
}

func (r jiraFieldReader) names(name string) []string {
	var v []jiraNamed
	json.Unmarshal(r.f[name], &v)
	var out []string
	for _, n := range v {
		if n.Name != "" {
			out = append(out, n.Name)
		}
	}
	return out
}

// firstName returns the first of the fields that has a value, whether the value is a string
// or an object with a name/value/title (teams and epic links come in every shape).
func (r jiraFieldReader) firstName(ids []string) string {
	for _, id := range ids {
		raw := r.f[id]
		if len(raw) == 0 || string(raw) == "null" {
			continue
		}
		var s string
		if json.Unmarshal(raw, &s) == nil && s != "" {
			return s
		}
		var n jiraNamed
		if json.Unmarshal(raw, &n) == nil {
			for _, v := range []string{n.Name, n.Title, n.Value, n.Key} {
				if v != "" {
					return v
				}
			}
		}
	}
	return ""
}

func (r jiraFieldReader) firstNumber(ids []string) *float64 {
	for _, id := range ids {
		var f *float64
		if json.Unmarshal(r.f[id], &f) == nil && f != nil {
			return f
		}
	}
	return nil
}

// hours reads an estimate in seconds.
func (r jiraFieldReader) hours(name string) *float64 {
	var secs *float64
	if json.Unmarshal(r.f[name], &secs) != nil || secs == nil {
		return nil
	}
	h := *secs / 3600
	return &h
}

// sprintString matches the old (Server, pre-2020 Cloud) sprint shape:
// "com.atlassian.greenhopper.service.sprint.Sprint@1a2b[id=1,rapidViewId=1,state=CLOSED,name=Sprint 1,...]".
var sprintString = regexp.MustCompile(`[\[,]name=([^,\]]*)`)

// sprints reads the sprint field in either shape: objects with a name, or greenhopper strings.
func (r jiraFieldReader) sprints(ids []string) []string {
	for _, id := range ids {
		var objs []jiraNamed
		if json.Unmarshal(r.f[id], &objs) == nil && len(objs) > 0 && objs[0].Name != "" {
			var out []string
			for _, o := range objs {
				out = append(out, o.Name)
			}
			return out
		}
		var strs []string
		if json.Unmarshal(r.f[id], &strs) == nil && len(strs) > 0 {
			var out []string
			for _, s := range strs {
				if m := sprintString.FindStringSubmatch(s); m != nil {
					out = append(out, m[1])
				} else if s != "" {
					out = append(out, s)
				}
			}
			return out
		}
	}
	return nil
}

// links reads issuelinks as (link type as seen from this issue, other key) pairs.
func (r jiraFieldReader) links() [][2]string {
	var links []struct {
		Type struct {
			Name, Inward, Outward string
		} `json:"type"`
		Inward  *struct{ Key string } `json:"inwardIssue"`
		Outward *struct{ Key string } `json:"outwardIssue"`
	}
	json.Unmarshal(r.f["issuelinks"], &links)
	var out [][2]string
	for _, l := range links {
		if l.Outward != nil && l.Outward.Key != "" {
			out = append(out, [2]string{jiraLinkType(l.Type.Name, false), l.Outward.Key})
		}
		if l.Inward != nil && l.Inward.Key != "" {
			out = append(out, [2]string{jiraLinkType(l.Type.Name, true), l.Inward.Key})
		}
	}
	return out
}

// text reads a plain-text field, or the text of an Atlassian Document Format one (API v3).
func (r jiraFieldReader) text(name string) string {
	raw := r.f[name]
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var node adfNode
	if json.Unmarshal(raw, &node) != nil {
		return ""
	}
	var b strings.Builder
	node.write(&b)
	return strings.TrimSpace(b.String())
}

type adfNode struct {
	Type    string    `json:"type"`
	Text    string    `json:"text"`
	Content []adfNode `json:"content"`
}

func (n adfNode) write(b *strings.Builder) {
	b.WriteString(n.Text)
	for _, c := range n.Content {
		c.write(b)
	}
	switch n.Type {
	case "paragraph", "heading", "listItem", "codeBlock", "blockquote":
		b.WriteByte('\n')
	case "hardBreak":
		b.WriteByte('\n')
	}
}

func nonEmpty(v []string) []string {
	var out []string
	for _, s := range v {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
