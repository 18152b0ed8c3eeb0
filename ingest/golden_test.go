package ingest

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/relscope/relscope/config"
	"github.com/relscope/relscope/internal/golden"
)

// loadFile runs one format over a test file into a MemSink, zone-less times read as UTC.
func loadFile(t *testing.T, f Format, path string) *MemSink {
	t.Helper()
	fh, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	sink := &MemSink{}
	in := &Input{R: newTextReader(fh), File: path, Dates: &DateParser{Loc: time.UTC}, Config: config.Default(), Tuning: testTuning}
	if err := f.Load(context.Background(), in, sink); err != nil {
		t.Fatal(err)
	}
	return sink
}

// goldenSink pins everything a format produced from a file, as indented JSON.
func goldenSink(t *testing.T, name string, s *MemSink) {
	t.Helper()
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden.File(t, filepath.Join("testdata", "golden", name+".json"), append(data, '\n'))
}

// detectFile runs detection on a test file's first bytes.
func detectFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(data) > sniffSize {
		data = data[:sniffSize]
	}
	f, _, err := chooseFormat(path, data, "")
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return f.Name()
}

func TestJiraCSVCloud(t *testing.T) {
	path := filepath.Join("testdata", "jira_cloud.csv")
	if got := detectFile(t, path); got != "jira-csv" {
		t.Fatalf("detected as %s", got)
	}
	s := loadFile(t, jiraCSV{}, path)
	goldenSink(t, "jira_cloud", s)
	// The points the golden file holds, spelled out.
	w := s.WorkItems[0]
	if w.Key != "PAY-101" || w.Team != "Payments" || w.Category != "done" || w.IsPublic != nil ||
		strings.Join(w.FixVersions, "|") != "PAY 2025.51|PAY 2025.52" || strings.Join(w.Sprints, "|") != "PAY Sprint 23|PAY Sprint 24" ||
		*w.EstimateHours != 8 || *w.SpentHours != 10 || *w.StoryPoints != 5 ||
		w.Created.Format(time.RFC3339) != "2025-12-02T09:15:00Z" || !strings.Contains(w.Description, `"retry"`) {
		t.Errorf("PAY-101: %+v", w)
	}
	// Both "Custom field (Team)" columns stay reachable in raw, numbered.
	if !strings.Contains(w.Raw, `"Custom field (Team)":"Payments"`) || !strings.Contains(w.Raw, `"Custom field (Team)#2":"Platform Guild"`) ||
		!strings.Contains(w.Raw, `"Custom field (Vendor ticket)":"VEND-42"`) {
		t.Errorf("raw: %s", w.Raw)
	}
	if s2 := s.WorkItems[1]; s2.SecurityLevel != "Staff only" || s2.IsPublic != nil || s2.Category != "in_progress" {
		t.Errorf("PAY-102: %+v", s2)
	}
	links := map[string]bool{}
	for _, l := range s.Links {
		links[l.Key+" "+l.Type+" "+l.Target] = true
	}
	for _, want := range []string{"PAY-101 is blocked by CHK-7", "PAY-101 blocks PAY-140", "PAY-101 relates to PAY-99"} {
		if !links[want] {
			t.Errorf("missing link %q in %v", want, links)
		}
	}
	// The multi-line description puts PAY-103 on line 5 and PAY-104 on line 6.
	if len(s.Rejects) != 2 || s.Rejects[0].Line != 5 || !strings.Contains(s.Rejects[0].Reason, `Created "31/Dec/25 25:00 PM"`) ||
		s.Rejects[1].Line != 6 || s.Rejects[1].Reason != `Custom field (Story point estimate) "lots": want a number` {
		t.Errorf("rejects %+v", s.Rejects)
	}
}

func TestJiraCSVServerGerman(t *testing.T) {
	path := filepath.Join("testdata", "jira_server.csv")
	if got := detectFile(t, path); got != "jira-csv" {
		t.Fatalf("detected as %s", got)
	}
	s := loadFile(t, jiraCSV{}, path)
	goldenSink(t, "jira_server", s)
	w := s.WorkItems[0]
	// German status names: "Geschlossen" (closed) is done, "In Arbeit" in progress — by the
	// name rules the build applies (the export has no category column).
	if w.Key != "LED-7" || w.Category != "" || buildCategory(w) != "done" || buildCategory(s.WorkItems[1]) != "in_progress" || strings.Join(w.Components, "|") != "ledger-core|ledger-db" || strings.Join(w.Sprints, "|") != "Sprint 40|Sprint 41|Sprint 42" ||
		*w.EstimateHours != 40 || *w.SpentHours != 48 || *w.StoryPoints != 8 || w.EpicKey != "LED-1" ||
		w.Resolved.Format(time.RFC3339) != "2020-12-03T14:05:00Z" {
		t.Errorf("LED-7: %+v", w)
	}
	if w2 := s.WorkItems[1]; w2.Created.Format(time.RFC3339) != "2021-03-12T08:00:00Z" {
		t.Errorf("LED-8 created %s", w2.Created)
	}
	if len(s.Links) != 2 || s.Links[1].Type != "is depended on by" {
		t.Errorf("links %+v", s.Links)
	}
}

// The fuzzers start from small inputs: Go's fuzzer minimises every new finding, which takes
// minutes on whole export files (those are the golden tests' job).
func FuzzJiraCSV(f *testing.F) {
	f.Add("Summary,Issue key,Issue Type,Status,Created,Sprint,Sprint,Original estimate,Outward issue link (Blocks)\n" +
		"x,A-1,Bug,Done,17/Dec/25 10:57 AM,S1,S2,3600,A-2\n")
	f.Add("Issue key,Summary,Issue id,Status,Created,Custom field (Story Points)\nB-2,\"a\nb\",1,Open,3/Nov/20 12:17,lots\n")
	// Localised headers and Excel's dates.
	f.Add("Resumen,Clave de incidencia,Estado,Creada,Campo personalizado (Story Points),Clave principal\nx,C-1,En curso,24/jun/24 8:21 PM,3,C-0\n")
	f.Add("Summary,Issue key,Created,Status Category Changed,Parent key\nx,D-1,3/14/25 16:20,3/15/25 9:00,D-0\n")
	f.Fuzz(func(t *testing.T, body string) {
		s, err := loadMem(t, jiraCSV{}, body)
		if err != nil {
			return
		}
		if int64(len(s.WorkItems)+len(s.Rejects)) != s.Read {
			t.Fatalf("read %d, loaded %d, rejected %d", s.Read, len(s.WorkItems), len(s.Rejects))
		}
	})
}

func TestJiraJSONSearchPage(t *testing.T) {
	path := filepath.Join("testdata", "jira_search.json")
	if got := detectFile(t, path); got != "jira-json" {
		t.Fatalf("detected as %s", got)
	}
	s := loadFile(t, jiraJSON{}, path)
	goldenSink(t, "jira_search", s)
	w := s.WorkItems[0]
	// Story points, sprint and team found through "names"; the old greenhopper sprint string
	// read for its name; the +0100 offset honoured; seconds turned into hours.
	if w.Key != "PAY-201" || *w.StoryPoints != 5 || strings.Join(w.Sprints, "|") != "PAY Sprint 23" || w.Team != "Payments Core" ||
		w.Created.Format(time.RFC3339) != "2025-03-01T08:00:00Z" || *w.EstimateHours != 8 || *w.SpentHours != 10 ||
		w.URL != "https://acme.atlassian.net/browse/PAY-201" || w.Category != "done" || w.IsPublic != nil {
		t.Errorf("PAY-201: %+v", w)
	}
	if !strings.Contains(w.Raw, `"customfield_10099": "vendor field kept in raw"`) {
		t.Error("raw lost a field")
	}
	// PAY-201's 4 history entries hold 7 items, PAY-202's one holds 1: every one is kept,
	// whatever its field.
	if len(s.Transitions) != 8 {
		t.Errorf("%d transitions", len(s.Transitions))
	}
	if s.Releases[0].Name != "PAY 1.0" || *s.Releases[0].IsReleased != true || s.Releases[0].Planned.Format("2006-01-02") != "2025-03-10" {
		t.Errorf("release %+v", s.Releases[0])
	}
	if s.WorkItems[1].Category != "in_progress" || s.WorkItems[1].IsPublic != nil || s.WorkItems[1].StoryPoints != nil {
		t.Errorf("PAY-202: %+v", s.WorkItems[1])
	}
	// PAY-203's object opens on line 82 of the file and is rejected there for its date.
	if len(s.Rejects) != 1 || s.Rejects[0].Line != 82 || !strings.Contains(s.Rejects[0].Reason, `PAY-203: fields.created "yesterday"`) {
		t.Errorf("rejects %+v", s.Rejects)
	}
}

func TestJiraJSONSearchJQL(t *testing.T) {
	path := filepath.Join("testdata", "jira_search_jql.json")
	if got := detectFile(t, path); got != "jira-json" {
		t.Fatalf("detected as %s", got)
	}
	s := loadFile(t, jiraJSON{}, path)
	goldenSink(t, "jira_search_jql", s)
	w := s.WorkItems[0]
	// No names map: Cloud's default field ids; the new sprint objects; ADF description as text.
	if *w.StoryPoints != 3 || strings.Join(w.Sprints, "|") != "MOB Sprint 9" || w.Description != "Cache the basket locally.\nSync on reconnect." {
		t.Errorf("MOB-12: %+v", w)
	}
	if len(s.Transitions) != 2 || s.Transitions[1].Field != "Sprint" {
		t.Errorf("transitions %+v", s.Transitions)
	}
}

func TestJiraJSONArrayAndErrors(t *testing.T) {
	s, err := loadMem(t, jiraJSON{}, `[{"key":"A-1","fields":{"summary":"x","status":{"name":"Open"},"project":{"key":"A"},"created":"2025-01-01T00:00:00.000+0000"}}, 42]`)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.WorkItems) != 1 || len(s.Rejects) != 1 || !strings.Contains(s.Rejects[0].Reason, "not a Jira issue") {
		t.Errorf("array: %+v %+v", s.WorkItems, s.Rejects)
	}
	if _, err := loadMem(t, jiraJSON{}, `{"values": []}`); err == nil || !strings.Contains(err.Error(), `no "issues" array`) {
		t.Errorf("object without issues: %v", err)
	}
	if _, err := loadMem(t, jiraJSON{}, `{"issues": [`); err == nil {
		t.Error("truncated JSON accepted")
	}
}

func FuzzJiraJSON(f *testing.F) {
	f.Add(`[{"key":"A-1","fields":{"created":"2025-01-01"}}]`)
	f.Add(`{"issues":[{"key":"A-1","fields":{"summary":"s","status":{"name":"Done","statusCategory":{"key":"done"}},` +
		`"created":"2025-01-01T00:00:00.000+0000","customfield_10020":["x[id=1,name=S 1]"],"fixVersions":[{"name":"1.0","released":true}],` +
		`"issuelinks":[{"type":{"name":"Blocks"},"inwardIssue":{"key":"B-1"}}]},"changelog":{"histories":[{"created":"2025-01-02T00:00:00.000+0000",` +
		`"items":[{"field":"status","fromString":"To Do","toString":"Done"}]}]}}],"names":{"customfield_10020":"Sprint"}}`)
	f.Fuzz(func(t *testing.T, body string) {
		s, err := loadMem(t, jiraJSON{}, body)
		if err != nil {
			return
		}
		if int64(len(s.WorkItems)+len(s.Rejects)) != s.Read {
			t.Fatalf("read %d, loaded %d, rejected %d", s.Read, len(s.WorkItems), len(s.Rejects))
		}
	})
}

func TestLinearSample(t *testing.T) {
	path := filepath.Join("..", "fixtures", "samples", "semperos_shortcut-repl_linear-export.csv")
	if got := detectFile(t, path); got != "linear-csv" {
		t.Fatalf("detected as %s", got)
	}
	s := loadFile(t, linearCSV{}, path)
	goldenSink(t, "linear_sample", s)
	if len(s.Rejects) != 0 || len(s.WorkItems) != int(s.Read) {
		t.Fatalf("rejects %+v", s.Rejects)
	}
	byKey := map[string]WorkItem{}
	for _, w := range s.WorkItems {
		byKey[w.Key] = w
	}
	// CLA-1: In Progress, 5 points, started "Sat Feb 11 2023 01:51:47 GMT+0000 (GMT)", cycle 1.
	w := byKey["CLA-1"]
	if w.Team != "Claw" || buildCategory(w) != "in_progress" || *w.StoryPoints != 5 || w.Committed.Format(time.RFC3339) != "2023-02-11T01:51:47Z" ||
		strings.Join(w.Sprints, "|") != "Cycle 1" || w.ParentKey != "CLA-4" || w.Project != "CLA" {
		t.Errorf("CLA-1: %+v", w)
	}
	// CLA-2 was canceled: cancelled, resolved at the cancel date.
	if w := byKey["CLA-2"]; w.Category != "cancelled" || w.Resolved.Format(time.RFC3339) != "2023-02-11T01:51:53Z" {
		t.Errorf("CLA-2: %+v", w)
	}
	// "Triage" and "Todo" are backlog; "Done" done.
	if buildCategory(byKey["CLA-3"]) != "backlog" || buildCategory(byKey["CLA-5"]) != "backlog" || buildCategory(byKey["CLA-9"]) != "done" {
		t.Errorf("categories: %s %s %s", buildCategory(byKey["CLA-3"]), buildCategory(byKey["CLA-5"]), buildCategory(byKey["CLA-9"]))
	}
}

func TestLinearNewColumnsAndGuard(t *testing.T) {
	body := `"ID","Team","Title","Status","Estimate","Labels","Created","Started","Completed","Canceled","Blocked by","Blocking"
"ENG-7","Core","'=cmd|' /C calc'!A0","Done",3,"Bug, Security","Mon Mar 03 2025 10:00:00 GMT+0100 (Central European Standard Time)","Tue Mar 04 2025 09:00:00 GMT+0100 (Central European Standard Time)","Fri Mar 07 2025 17:30:00 GMT+0100 (Central European Standard Time)",,"ENG-1, ENG-2","ENG-9"
`
	s, err := loadMem(t, linearCSV{}, body)
	if err != nil {
		t.Fatal(err)
	}
	w := s.WorkItems[0]
	if w.Title != "=cmd|' /C calc'!A0" || strings.Join(w.Labels, "|") != "Bug|Security" || w.IsPublic != nil ||
		w.Created.Format(time.RFC3339) != "2025-03-03T09:00:00Z" || w.Resolved.Format(time.RFC3339) != "2025-03-07T16:30:00Z" {
		t.Errorf("ENG-7: %+v", w)
	}
	if len(s.Links) != 3 || s.Links[0].Type != "is blocked by" || s.Links[2].Type != "blocks" {
		t.Errorf("links %+v", s.Links)
	}
}

func FuzzLinearCSV(f *testing.F) {
	f.Add("\"ID\",\"Team\",\"Title\",\"Status\",\"Created\",\"Started\",\"Cycle Name\"\n\"A-1\",\"T\",\"'=x\",\"Done\",\"Tue Aug 23 2022 13:54:01 GMT+0000 (GMT)\",,\"C\"\n")
	f.Fuzz(func(t *testing.T, body string) {
		s, err := loadMem(t, linearCSV{}, body)
		if err != nil {
			return
		}
		if int64(len(s.WorkItems)+len(s.Rejects)) != s.Read {
			t.Fatalf("read %d, loaded %d, rejected %d", s.Read, len(s.WorkItems), len(s.Rejects))
		}
	})
}

func TestGitHubSamples(t *testing.T) {
	dir := filepath.Join("..", "fixtures", "samples")
	for _, tc := range []struct {
		file, format string
		f            Format
	}{
		{"octokit-webhooks_deployment_status_gh-pages.payload.json", "github-deployments", githubDeployments{}},
		{"octokit-webhooks_workflow_run_completed.payload.json", "github-workflow-runs", githubWorkflowRuns{}},
		{"octokit-webhooks_release_published.payload.json", "github-releases", githubReleases{}},
	} {
		path := filepath.Join(dir, tc.file)
		if got := detectFile(t, path); got != tc.format {
			t.Errorf("%s detected as %s, want %s", tc.file, got, tc.format)
			continue
		}
		s := loadFile(t, tc.f, path)
		if len(s.Rejects) != 0 || s.Read != 1 {
			t.Errorf("%s: read %d, rejects %+v", tc.file, s.Read, s.Rejects)
		}
		goldenSink(t, strings.TrimSuffix(tc.file, ".payload.json"), s)
	}
	// The deployment_status sample: github-pages, in progress, so running with no finish.
	s := loadFile(t, githubDeployments{}, filepath.Join(dir, "octokit-webhooks_deployment_status_gh-pages.payload.json"))
	if d := s.Deployments[0]; d.ID != "145988746" || d.Service != "Hello-World" || d.Environment != "github-pages" ||
		d.Status != "running" || !d.Finished.IsZero() {
		t.Errorf("deployment %+v", d)
	}
	s = loadFile(t, githubWorkflowRuns{}, filepath.Join(dir, "octokit-webhooks_workflow_run_completed.payload.json"))
	if d := s.Deployments[0]; d.Environment != "ci" || d.Status != "success" || d.Finished.IsZero() || d.Service != "octo-repo" || d.Pipeline == "" {
		t.Errorf("run %+v", d)
	}
	s = loadFile(t, githubReleases{}, filepath.Join(dir, "octokit-webhooks_release_published.payload.json"))
	if r := s.Releases[0]; r.Project != "Hello-World" || r.Released.IsZero() || !*r.IsReleased {
		t.Errorf("release %+v", r)
	}
}

// A REST list of deployments with their statuses embedded, and webhook payloads of one
// deployment arriving status by status: the first success is the deployment time.
func TestGitHubDeploymentOutcomes(t *testing.T) {
	body := `[
  {"id": 1, "url": "https://api.github.com/repos/acme/pay-api/deployments/1", "sha": "abc", "ref": "v1.2.0", "task": "deploy",
   "environment": "production", "created_at": "2025-03-10T10:00:00Z", "statuses_url": "x", "payload": {"items": ["pay-api#3", "PAY-9"]},
   "statuses": [{"id": 11, "state": "success", "created_at": "2025-03-10T10:07:00Z"},
                {"id": 10, "state": "in_progress", "created_at": "2025-03-10T10:01:00Z"},
                {"id": 12, "state": "inactive", "created_at": "2025-03-11T09:00:00Z"}]},
  {"id": 2, "url": "https://api.github.com/repos/acme/pay-api/deployments/2", "sha": "def", "ref": "v1.2.1", "task": "deploy",
   "environment": "production", "created_at": "2025-03-11T09:00:00Z", "statuses_url": "x",
   "statuses": [{"id": 20, "state": "failure", "created_at": "2025-03-11T09:04:00Z"}]},
  {"id": 3, "url": "https://api.github.com/repos/acme/pay-api/deployments/3", "environment": "staging", "task": "deploy",
   "created_at": "not a time", "statuses_url": "x"}
]`
	s, err := loadMem(t, githubDeployments{}, body)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Deployments) != 2 || len(s.Rejects) != 1 {
		t.Fatalf("deployments %+v rejects %+v", s.Deployments, s.Rejects)
	}
	if d := s.Deployments[0]; d.Status != "success" || d.Finished.Format(time.RFC3339) != "2025-03-10T10:07:00Z" || d.Version != "v1.2.0" ||
		strings.Join(d.ItemKeys, " ") != "pay-api#3 PAY-9" {
		t.Errorf("deployment 1: %+v", d)
	}
	if d := s.Deployments[1]; d.Status != "failed" || d.Finished.Format(time.RFC3339) != "2025-03-11T09:04:00Z" {
		t.Errorf("deployment 2: %+v", d)
	}
	hooks := `{"deployment_status": {"id": 1, "state": "in_progress", "created_at": "2025-03-10T10:01:00Z"}, "deployment": {"id": 7, "url": "https://api.github.com/repos/acme/pay-api/deployments/7", "environment": "production", "created_at": "2025-03-10T10:00:00Z"}}
{"deployment_status": {"id": 2, "state": "success", "created_at": "2025-03-10T10:05:00Z"}, "deployment": {"id": 7, "url": "https://api.github.com/repos/acme/pay-api/deployments/7", "environment": "production", "created_at": "2025-03-10T10:00:00Z"}}`
	s, err = loadMem(t, githubDeployments{}, hooks)
	if err != nil {
		t.Fatal(err)
	}
	if s.Read != 2 || len(s.Deployments) != 1 || s.Deployments[0].Status != "success" || s.Deployments[0].Finished.Format(time.RFC3339) != "2025-03-10T10:05:00Z" {
		t.Errorf("webhooks: read %d %+v", s.Read, s.Deployments)
	}
}

func TestGitHubIssues(t *testing.T) {
	rest := `[{"number": 12, "title": "Flaky checkout", "state": "closed", "state_reason": "completed",
  "html_url": "https://github.com/acme/shop/issues/12", "repository_url": "https://api.github.com/repos/acme/shop",
  "labels": [{"name": "bug"}, {"name": "internal"}], "milestone": {"title": "v2.1"}, "assignees": [{"login": "sam"}],
  "created_at": "2025-02-01T10:00:00Z", "closed_at": "2025-02-03T10:00:00Z"},
 {"number": 13, "title": "A PR", "state": "open", "html_url": "https://github.com/acme/shop/pull/13", "labels": [],
  "pull_request": {"url": "x"}, "created_at": "2025-02-01T10:00:00Z"},
 {"number": 14, "title": "Won't fix", "state": "closed", "state_reason": "not_planned", "html_url": "https://github.com/acme/shop/issues/14",
  "labels": [], "created_at": "2025-02-01T10:00:00Z", "closed_at": "2025-02-02T10:00:00Z"}]`
	s, err := loadMem(t, githubIssues{}, rest)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.WorkItems) != 2 || len(s.Rejects) != 1 || !strings.Contains(s.Rejects[0].Reason, "pull request") {
		t.Fatalf("items %+v rejects %+v", s.WorkItems, s.Rejects)
	}
	if w := s.WorkItems[0]; w.Key != "shop#12" || w.Category != "done" || w.IsPublic != nil || strings.Join(w.FixVersions, "") != "v2.1" || w.Assignee != "sam" {
		t.Errorf("#12: %+v", w)
	}
	if w := s.WorkItems[1]; w.Category != "cancelled" {
		t.Errorf("#14: %+v", w)
	}
	gh := `[{"number": 5, "title": "From gh", "state": "OPEN", "createdAt": "2025-02-01T10:00:00Z", "url": "https://github.com/acme/shop/issues/5", "labels": []}]`
	s, err = loadMem(t, githubIssues{}, gh)
	if err != nil || len(s.WorkItems) != 1 || s.WorkItems[0].Key != "shop#5" || s.WorkItems[0].Category != "backlog" {
		t.Errorf("gh issue list: %v %+v %+v", err, s.WorkItems, s.Rejects)
	}
	if got, _, err := chooseFormat("issues.json", []byte(rest), ""); err != nil || got.Name() != "github-issues" {
		t.Errorf("detect: %v %v", got, err)
	}
}

func FuzzGitHubJSON(f *testing.F) {
	f.Add(`{"deployment_status":{"state":"success","created_at":"2025-01-01T00:00:00Z"},"deployment":{"id":1,"created_at":"2025-01-01T00:00:00Z"}}`)
	f.Add(`{"workflow_runs":[{"id":1,"status":"completed","conclusion":"failure","run_started_at":"2025-01-01T00:00:00Z","updated_at":"2025-01-01T00:05:00Z"}]}`)
	f.Add(`[{"tag_name":"v1","published_at":"2025-01-01T00:00:00Z","html_url":"https://github.com/a/b/releases/v1"}]`)
	f.Add(`[{"number":1,"title":"t","state":"open","created_at":"2025-01-01T00:00:00Z","html_url":"https://github.com/a/b/issues/1","labels":[]}]`)
	f.Add(`[{"labels":[],"number":213,"state":"CLOSED","title":"Upgrade"}]`)
	f.Fuzz(func(t *testing.T, body string) {
		for _, format := range []Format{githubDeployments{}, githubWorkflowRuns{}, githubReleases{}, githubIssues{}} {
			s, err := loadMem(t, format, body)
			if err != nil {
				continue
			}
			loaded := int64(len(s.WorkItems) + len(s.Releases) + len(s.Deployments))
			if format.Name() == "github-deployments" {
				// Payloads of one deployment merge into one row.
				if loaded > s.Read || (loaded == 0 && int64(len(s.Rejects)) != s.Read) {
					t.Fatalf("%s: read %d, loaded %d, rejected %d", format.Name(), s.Read, loaded, len(s.Rejects))
				}
				continue
			}
			if loaded+int64(len(s.Rejects)) != s.Read {
				t.Fatalf("%s: read %d, loaded %d, rejected %d", format.Name(), s.Read, loaded, len(s.Rejects))
			}
		}
	})
}

func TestIncidentFormats(t *testing.T) {
	for _, tc := range []struct {
		file, format string
		f            Format
		loaded       int
		rejected     int
	}{
		{"pagerduty_incidents.json", "pagerduty-json", pagerdutyJSON{}, 2, 1},
		{"pagerduty_incidents.csv", "pagerduty-csv", pagerdutyCSV{}, 2, 1},
		{"opsgenie_alerts.json", "opsgenie-json", opsgenieJSON{}, 2, 0},
	} {
		path := filepath.Join("testdata", tc.file)
		if got := detectFile(t, path); got != tc.format {
			t.Errorf("%s detected as %s", tc.file, got)
			continue
		}
		s := loadFile(t, tc.f, path)
		if len(s.Incidents) != tc.loaded || len(s.Rejects) != tc.rejected {
			t.Errorf("%s: %d loaded, rejects %+v", tc.file, len(s.Incidents), s.Rejects)
			continue
		}
		goldenSink(t, strings.TrimSuffix(tc.file, filepath.Ext(tc.file))+"_"+strings.TrimPrefix(filepath.Ext(tc.file), "."), s)
	}
	// PagerDuty: resolved at last_status_change_at; acknowledged at the first acknowledgement;
	// the priority, when set, is the severity; the team from the incident.
	s := loadFile(t, pagerdutyJSON{}, filepath.Join("testdata", "pagerduty_incidents.json"))
	if i := s.Incidents[0]; i.Service != "payments-api" || i.Severity != "P2" || i.Team != "Payments" ||
		i.Resolved.Format(time.RFC3339) != "2025-03-11T18:00:00Z" || i.Acknowledged.Format(time.RFC3339) != "2025-03-11T12:04:00Z" {
		t.Errorf("PT4KHLK: %+v", i)
	}
	if i := s.Incidents[1]; !i.Resolved.IsZero() {
		t.Errorf("an acknowledged incident is not resolved: %+v", i)
	}
	// Opsgenie: service from the service: tag, else the source; closed after closeTime ms.
	s = loadFile(t, opsgenieJSON{}, filepath.Join("testdata", "opsgenie_alerts.json"))
	if i := s.Incidents[0]; i.Service != "checkout-web" || i.Resolved.Format(time.RFC3339) != "2025-04-01T11:00:00Z" ||
		i.Acknowledged.Format(time.RFC3339Nano) != "2025-04-01T10:00:15.702Z" {
		t.Errorf("opsgenie 1791: %+v", i)
	}
	if i := s.Incidents[1]; i.Service != "search-indexer" || !i.Resolved.IsZero() {
		t.Errorf("opsgenie 1792: %+v", i)
	}
}

func FuzzIncidentFormats(f *testing.F) {
	f.Add(`{"incidents":[{"id":"P1","incident_number":1,"status":"resolved","created_at":"2025-01-01T00:00:00Z","last_status_change_at":"2025-01-01T01:00:00Z","service":{"summary":"s"}}]}`)
	f.Add("id,incident_number,service_name,created_on,resolved_on,urgency\nP1,1,s,2025-01-01T00:00:00Z,2025-01-01T01:00:00Z,high\n")
	f.Add(`{"data":[{"id":"a","tinyId":"1","createdAt":"2025-01-01T00:00:00Z","tags":["service:s"],"status":"closed","report":{"closeTime":1000}}],"requestId":"r"}`)
	f.Fuzz(func(t *testing.T, body string) {
		for _, format := range []Format{pagerdutyJSON{}, pagerdutyCSV{}, opsgenieJSON{}} {
			s, err := loadMem(t, format, body)
			if err != nil {
				continue
			}
			if int64(len(s.Incidents)+len(s.Rejects)) != s.Read {
				t.Fatalf("%s: read %d, loaded %d, rejected %d", format.Name(), s.Read, len(s.Incidents), len(s.Rejects))
			}
		}
	})
}

func TestServiceNow(t *testing.T) {
	for _, tc := range []struct {
		file, format string
		f            Format
	}{
		{"servicenow_incidents_labels.csv", "servicenow-incident", servicenowIncidents{}},
		{"servicenow_incidents_names.csv", "servicenow-incident", servicenowIncidents{}},
		{"servicenow_changes.csv", "servicenow-change", servicenowChanges{}},
	} {
		path := filepath.Join("testdata", tc.file)
		if got := detectFile(t, path); got != tc.format {
			t.Errorf("%s detected as %s", tc.file, got)
			continue
		}
		goldenSink(t, strings.TrimSuffix(tc.file, ".csv"), loadFile(t, tc.f, path))
	}
	// Labels header, Windows-1252 (é), day first: "25/04/2025" anywhere in the file makes
	// "03/04/2025" the 3rd of April. Display values: the caused-by change is the change id.
	s := loadFile(t, servicenowIncidents{}, filepath.Join("testdata", "servicenow_incidents_labels.csv"))
	if i := s.Incidents[0]; i.Title != "Café checkout returns 500" || i.Created.Format(time.RFC3339) != "2025-04-03T10:15:00Z" ||
		i.Resolved.Format(time.RFC3339) != "2025-04-03T12:45:00Z" || i.Service != "checkout-web" || i.Team != "Checkout" ||
		i.Severity != "1 - Critical" || i.ChangeID != "CHG0030001" {
		t.Errorf("INC0010001: %+v", i)
	}
	if len(s.Rejects) != 1 || s.Rejects[0].Line != 4 {
		t.Errorf("rejects %+v", s.Rejects)
	}
	// Field names, BOM, ISO dates; an incident without configuration item or service loads
	// with no service (it cannot be attributed to a deployment) rather than being rejected.
	s = loadFile(t, servicenowIncidents{}, filepath.Join("testdata", "servicenow_incidents_names.csv"))
	if len(s.Incidents) != 2 || s.Incidents[0].Service != "ledger-worker" || s.Incidents[1].Service != "" || len(s.Rejects) != 0 {
		t.Errorf("names: %+v %+v", s.Incidents, s.Rejects)
	}
	// Changes, month first ("03-15-2025" decides): approval, emergency, missing back-out plan.
	s = loadFile(t, servicenowChanges{}, filepath.Join("testdata", "servicenow_changes.csv"))
	if c := s.Changes[0]; c.Type != "normal" || c.Approval != "Approved" || c.PlannedStart.Format(time.RFC3339) != "2025-03-04T09:00:00Z" ||
		c.Approved.Format(time.RFC3339) != "2025-03-02T16:00:00Z" || c.Service != "checkout-web" {
		t.Errorf("CHG0030001: %+v", c)
	}
	if c := s.Changes[1]; c.Type != "emergency" || c.BackoutPlan != "" || c.Approval != "Not Yet Requested" {
		t.Errorf("CHG0030002: %+v", c)
	}
	if len(s.Rejects) != 1 || !strings.Contains(s.Rejects[0].Reason, `type "Someday"`) {
		t.Errorf("rejects %+v", s.Rejects)
	}
	// --date-order overrides what the file suggests.
	fh, _ := os.Open(filepath.Join("testdata", "servicenow_changes.csv"))
	defer fh.Close()
	sink := &MemSink{}
	servicenowChanges{}.Load(context.Background(), &Input{R: newTextReader(fh), Dates: &DateParser{Loc: time.UTC, Order: OrderDMY}, Config: config.Default()}, sink)
	if c := sink.Changes[0]; c.PlannedStart.Format("2006-01-02") != "2025-04-03" {
		t.Errorf("dmy: %s", c.PlannedStart)
	}
}

func TestNumericDates(t *testing.T) {
	for _, tc := range []struct {
		in    string
		order DateOrder
		want  string
	}{
		{"03-04-2025 14:05:00", OrderAuto, "2025-03-04T14:05:00Z"},
		{"03-04-2025 14:05:00", OrderDMY, "2025-04-03T14:05:00Z"},
		{"25/04/2025", OrderAuto, "2025-04-25T00:00:00Z"},
		{"04.25.2025 09:00", OrderMDY, "2025-04-25T09:00:00Z"},
	} {
		got, err := (&DateParser{Loc: time.UTC, Order: tc.order}).Parse(tc.in)
		if err != nil || got.Format(time.RFC3339) != tc.want {
			t.Errorf("Parse(%q, %v) = %s, %v; want %s", tc.in, tc.order, got, err, tc.want)
		}
	}
	if o := dateOrderOf([]string{"03/04/2025", "11/12/2025 10:00", "13/01/2025"}); o != OrderDMY {
		t.Errorf("order %v", o)
	}
	if o := dateOrderOf([]string{"03/04/2025", "01/31/2025"}); o != OrderMDY {
		t.Errorf("order %v", o)
	}
	if o := dateOrderOf([]string{"03/04/2025"}); o != OrderAuto {
		t.Errorf("order %v", o)
	}
}

func FuzzServiceNow(f *testing.F) {
	f.Add("number,opened_at,short_description,caller_id,cmdb_ci,resolved_at,caused_by\nINC1,03/04/2025 10:00:00,x,y,svc,25/04/2025,CHG1\n")
	f.Add("Number,Type,State,Approval,Planned start date,Backout plan\nCHG1,2 - Normal,Closed,Approved,03-15-2025 10:00:00,\n")
	f.Add("Number,State,Created,Assignment Group\nINC0012001,Resolved,2025-03-03 08:12:44,Checkout\n")
	f.Fuzz(func(t *testing.T, body string) {
		for _, format := range []Format{servicenowIncidents{}, servicenowChanges{}} {
			s, err := loadMem(t, format, body)
			if err != nil {
				continue
			}
			if int64(len(s.Incidents)+len(s.Changes)+len(s.Rejects)) != s.Read {
				t.Fatalf("%s: read %d, loaded %d, rejected %d", format.Name(), s.Read, len(s.Incidents)+len(s.Changes), len(s.Rejects))
			}
		}
	})
}

func TestAzureDevOps(t *testing.T) {
	for _, f := range []string{"ado_flat.csv", "ado_tree.csv"} {
		path := filepath.Join("testdata", f)
		if got := detectFile(t, path); got != "ado-csv" {
			t.Fatalf("%s detected as %s", f, got)
		}
		goldenSink(t, strings.TrimSuffix(f, ".csv"), loadFile(t, adoCSV{}, path))
	}
	s := loadFile(t, adoCSV{}, filepath.Join("testdata", "ado_flat.csv"))
	// en-US dates with AM/PM; Activated Date commits; Closed Date resolves; team = last Area
	// Path segment; "; " tags; "Name <email>" people; hours as they are.
	if w := s.WorkItems[0]; w.Key != "4711" || w.Team != "Refunds" || w.Project != "Fabrikam" || buildCategory(w) != "done" ||
		w.Committed.Format(time.RFC3339) != "2025-03-03T10:00:00Z" || w.Resolved.Format(time.RFC3339) != "2025-03-08T11:30:00Z" ||
		w.Created.Format(time.RFC3339) != "2025-03-02T09:15:00Z" || strings.Join(w.Labels, "|") != "customer-facing|payments" ||
		w.Assignee != "Jane Doe" || *w.StoryPoints != 5 || *w.EstimateHours != 8 || *w.SpentHours != 10 || strings.Join(w.Sprints, "") != "Sprint 23" {
		t.Errorf("4711: %+v", w)
	}
	if w := s.WorkItems[1]; buildCategory(w) != "in_progress" || w.IsPublic != nil || w.Created.Format(time.RFC3339) != "2025-03-10T13:05:00Z" {
		t.Errorf("4712: %+v", w)
	}
	if len(s.Rejects) != 1 || s.Rejects[0].Line != 4 {
		t.Errorf("rejects %+v", s.Rejects)
	}
	// The Iteration Path's nodes below the project, outermost first: a release node with its
	// sprint below it, or the release node alone (the models read them as release names).
	for i, want := range map[int]string{0: "Sprint 23", 2: "Release 2025.10|Sprint 25", 3: "Release 2025.11"} {
		if w := s.WorkItems[i]; strings.Join(w.Sprints, "|") != want || len(w.FixVersions) != 0 {
			t.Errorf("%s: sprints %q, fix versions %q; want sprints %q", w.Key, w.Sprints, w.FixVersions, want)
		}
	}
	// Tree export: titles by level, parents from the levels, Effort as points, Scrum states.
	s = loadFile(t, adoCSV{}, filepath.Join("testdata", "ado_tree.csv"))
	got := map[string]string{}
	for _, w := range s.WorkItems {
		got[w.Key] = w.Title + "|" + w.ParentKey + "|" + buildCategory(w)
	}
	want := map[string]string{"100": "Checkout revamp||in_progress", "101": "One-page checkout|100|in_progress",
		"102": "Address autocomplete|101|in_progress", "103": "Saved cards|101|done", "110": "Guest checkout|100|backlog"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
}

func TestGitLab(t *testing.T) {
	path := filepath.Join("testdata", "gitlab_issues.csv")
	if got := detectFile(t, path); got != "gitlab-issues-csv" {
		t.Fatalf("detected as %s", got)
	}
	s := loadFile(t, gitlabIssuesCSV{}, path)
	goldenSink(t, "gitlab_issues", s)
	if w := s.WorkItems[0]; w.Key != "storefront#12" || w.Category != "done" || *w.StoryPoints != 3 || *w.EstimateHours != 2 ||
		*w.SpentHours != 2.5 || strings.Join(w.FixVersions, "") != "v2.1" || strings.Join(w.Labels, "|") != "bug|frontend" || w.IsPublic != nil {
		t.Errorf("#12: %+v", w)
	}
	if w := s.WorkItems[1]; w.IsPublic == nil || *w.IsPublic || w.Category != "backlog" {
		t.Errorf("confidential #13: %+v", w)
	}
	path = filepath.Join("testdata", "gitlab_deployments.json")
	if got := detectFile(t, path); got != "gitlab-deployments" {
		t.Fatalf("detected as %s", got)
	}
	s = loadFile(t, gitlabDeployments{}, path)
	goldenSink(t, "gitlab_deployments", s)
	if d := s.Deployments[0]; d.Service != "storefront" || d.Status != "success" ||
		d.Started.Format(time.RFC3339) != "2025-03-10T10:00:00Z" || d.Finished.Format(time.RFC3339) != "2025-03-10T10:07:00Z" ||
		d.CommitTime.Format(time.RFC3339) != "2025-03-09T16:20:00Z" || !strings.Contains(d.Description, "SHOP-12") {
		t.Errorf("deployment 41: %+v", d)
	}
	if d := s.Deployments[1]; d.Status != "failed" {
		t.Errorf("deployment 42: %+v", d)
	}
	// No pipeline URL: the file's name stands for the project; running: no finish yet.
	if d := s.Deployments[2]; d.Status != "running" || d.Service != "gitlab_deployments" || !d.Finished.IsZero() {
		t.Errorf("deployment 43: %+v", d)
	}
}

func FuzzADOAndGitLab(f *testing.F) {
	f.Add("\"ID\",\"Work Item Type\",\"Title 1\",\"Title 2\",\"State\",\"Area Path\",\"Created Date\"\n\"1\",\"Epic\",\"a\",\"\",\"New\",\"X\\\\Y\",\"3/2/2025 9:15:00 AM\"\n\"2\",\"Feature\",\"\",\"b\",\"Active\",\"X\",\"2025-01-01\"\n")
	f.Add("Title,Issue ID,URL,State,Created At (UTC),Weight,Time Estimate\nt,1,https://gitlab.com/a/b/-/issues/1,Open,2025-01-01 00:00:00,2,3600\n")
	f.Add(`[{"id":1,"iid":1,"sha":"s","status":"success","created_at":"2025-01-01T00:00:00Z","updated_at":"2025-01-01T00:05:00Z","environment":{"name":"production"},"deployable":{"finished_at":"2025-01-01T00:05:00Z"}}]`)
	f.Fuzz(func(t *testing.T, body string) {
		for _, format := range []Format{adoCSV{}, gitlabIssuesCSV{}, gitlabDeployments{}} {
			s, err := loadMem(t, format, body)
			if err != nil {
				continue
			}
			if int64(len(s.WorkItems)+len(s.Deployments)+len(s.Rejects)) != s.Read {
				t.Fatalf("%s: read %d, loaded %d, rejected %d", format.Name(), s.Read, len(s.WorkItems)+len(s.Deployments), len(s.Rejects))
			}
		}
	})
}

func TestGitHubIssuesGolden(t *testing.T) {
	path := filepath.Join("testdata", "github_issues_rest.json")
	if got := detectFile(t, path); got != "github-issues" {
		t.Fatalf("detected as %s", got)
	}
	s := loadFile(t, githubIssues{}, path)
	goldenSink(t, "github_issues_rest", s)
	if len(s.WorkItems) != 1 || len(s.Rejects) != 1 || s.Rejects[0].Line != 9 {
		t.Errorf("items %d, rejects %+v", len(s.WorkItems), s.Rejects)
	}
}
