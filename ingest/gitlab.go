package ingest

import (
	"context"
	json "github.com/goccy/go-json"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

const gitlabSource = "gitlab"

// gitlabProject returns the project path's last part from a GitLab web URL:
// https://gitlab.com/acme/payments/pay-api/-/issues/12 → pay-api.
func gitlabProject(u string) string {
	if i := strings.Index(u, "/-/"); i > 0 {
		return u[strings.LastIndex(u[:i], "/")+1 : i]
	}
	return ""
}

// gitlabIssuesCSV reads GitLab's issue list "Export as CSV" (emailed as a CSV attachment):
// times in UTC ("Created At (UTC)"), estimates in seconds, Weight as points, the milestone as
// fix version, and Confidential issues private. Keys are PROJECT#IID, from the issue URL.
type gitlabIssuesCSV struct{}

func (gitlabIssuesCSV) Name() string     { return "gitlab-issues-csv" }
func (gitlabIssuesCSV) Describe() string { return "GitLab issues CSV export" }

func (gitlabIssuesCSV) Detect(s *Sniff) float64 {
	if s.Has("issue_id", "url", "state", "created_at_(utc)") {
		return 3
	}
	return 0
}

// gitlabIssueColumns: only the issue ID (the IID) is required; the project comes from the
// issue's URL, else the file's name.
var gitlabIssueColumns = &csvColumns{
	identity: []string{"issue_id"},
	canonical: map[string]string{
		"item_key": "issue_id", "url": "url", "title": "title", "description": "description", "status": "state",
		"created_at": "created_at_(utc)", "updated_at": "updated_at_(utc)", "resolved_at": "closed_at_(utc)",
		"due_date": "due_date", "assignee": "assignee", "labels": "labels", "epic_key": "epic_id",
		"fix_versions": "milestone", "story_points": "weight",
	},
	notes: []columnNote{
		{[]string{"url"}, "flow", "no URL column: export it (meanwhile the project is taken from the file's name)"},
		{[]string{"created_at_(utc)"}, "flow", "no Created At (UTC) column: export it (lead time and backlog age need it)"},
		{[]string{"state"}, "flow", "no State column: add it to the query (without it every item reads as backlog)"},
	},
}

func (gitlabIssuesCSV) columns() *csvColumns { return gitlabIssueColumns }

func (f gitlabIssuesCSV) Load(ctx context.Context, in *Input, sink Sink) error {
	utc := &DateParser{Loc: time.UTC, Order: in.Dates.Order} // the export says its times are UTC
	fileProject := strings.TrimSuffix(filepath.Base(in.File), filepath.Ext(in.File))
	return eachCSVRecord(ctx, in, sink, f.Name(), gitlabIssueColumns, func(t *csvTable) error {
		if t.get("issue_id") == "" {
			return rowErrf("%s is empty", t.label("issue_id"))
		}
		project := gitlabProject(t.get("url"))
		if project == "" {
			project = fileProject
		}
		d := rowDates{t: t, p: utc}
		w := &WorkItem{Key: project + "#" + t.get("issue_id"), Source: gitlabSource, Project: project, Type: "Issue",
			Title: t.get("title"), Description: t.get("description"), Status: t.get("state"), URL: t.get("url"),
			Created: d.get("created_at_(utc)", false), Updated: d.get("updated_at_(utc)", false), Resolved: d.get("closed_at_(utc)", false),
			DueDate: d.get("due_date", false), Assignee: t.get("assignee"), Labels: splitList(t.get("labels"), false), EpicKey: t.get("epic_id")}
		if d.err != nil {
			return d.err
		}
		if m := t.get("milestone"); m != "" {
			w.FixVersions = []string{m}
		}
		var err error
		w.StoryPoints = number(t, "weight", &err)
		w.EstimateHours = secondsToHours(t, "time_estimate", &err)
		w.SpentHours = secondsToHours(t, "time_spent", &err)
		if err != nil {
			return err
		}
		category := "backlog"
		if strings.EqualFold(w.Status, "closed") {
			category = "done"
		}
		completeItem(in, w, category)
		if conf, _, _ := parseBool(t.get("confidential")); conf {
			public := false // the export itself says confidential
			w.IsPublic = &public
		}
		w.Raw = t.rawJSONOrig()
		return sink.WorkItem(w)
	})
}

// gitlabDeployments reads GET /projects/:id/deployments: the environment, status, the
// deployable job's start and finish, and its commit (time and message, where item keys may
// appear). The project — the service — comes from the pipeline's URL, else the file's name.
type gitlabDeployments struct{}

func (gitlabDeployments) Name() string { return "gitlab-deployments" }
func (gitlabDeployments) Describe() string {
	return "GitLab deployments (GET /projects/:id/deployments)"
}

func (gitlabDeployments) Detect(s *Sniff) float64 {
	h := jsonHead(s)
	if len(h) == 0 || (h[0] != '[' && h[0] != '{') {
		return 0
	}
	if hasAll(h, "iid", "environment", "deployable", "sha") {
		return 3
	}
	return 0
}

func (gitlabDeployments) Load(ctx context.Context, in *Input, sink Sink) error {
	fileProject := strings.TrimSuffix(filepath.Base(in.File), filepath.Ext(in.File))
	return loadJSONRecords(ctx, in, sink, nil, func(raw json.RawMessage) error {
		var v struct {
			ID          int64  `json:"id"`
			Ref         string `json:"ref"`
			SHA         string `json:"sha"`
			Status      string `json:"status"`
			CreatedAt   string `json:"created_at"`
			UpdatedAt   string `json:"updated_at"`
			FinishedAt  string `json:"finished_at"`
			Environment struct {
				Name string `json:"name"`
			} `json:"environment"`
			Deployable *struct {
				Name       string `json:"name"`
				StartedAt  string `json:"started_at"`
				FinishedAt string `json:"finished_at"`
				Commit     *struct {
					Title     string `json:"title"`
					Message   string `json:"message"`
					CreatedAt string `json:"created_at"`
				} `json:"commit"`
				Pipeline *struct {
					WebURL string `json:"web_url"`
				} `json:"pipeline"`
			} `json:"deployable"`
		}
		if err := json.Unmarshal(raw, &v); err != nil || v.ID == 0 {
			return rowErrf("not a GitLab deployment")
		}
		status, err := DeploymentStatus(strings.Replace(v.Status, "created", "pending", 1))
		if err != nil {
			if v.Status != "blocked" {
				return rowErrf("deployment %d: %v", v.ID, err)
			}
			status = "running" // waiting for a manual approval
		}
		d := &Deployment{ID: strconv.FormatInt(v.ID, 10), Source: gitlabSource, Environment: v.Environment.Name, Status: status,
			Kind: "normal", Version: v.Ref, CommitSHA: v.SHA}
		started, finished := v.CreatedAt, firstNonEmpty(v.FinishedAt)
		if j := v.Deployable; j != nil {
			started = firstNonEmpty(j.StartedAt, v.CreatedAt)
			finished = firstNonEmpty(finished, j.FinishedAt)
			d.Pipeline = j.Name
			if j.Commit != nil {
				d.Description = firstNonEmpty(j.Commit.Message, j.Commit.Title)
				d.CommitTime, _ = in.Dates.Parse(j.Commit.CreatedAt)
			}
			if j.Pipeline != nil {
				d.Service = gitlabProject(j.Pipeline.WebURL)
			}
		}
		if finished == "" && status != "running" {
			finished = v.UpdatedAt
		}
		if d.Service == "" {
			d.Service = fileProject
		}
		if d.Started, err = in.Dates.Parse(started); err != nil {
			return rowErrf("deployment %d started %v", v.ID, err)
		}
		if status != "running" {
			if d.Finished, err = in.Dates.Parse(finished); err != nil || d.Finished.IsZero() {
				return rowErrf("deployment %d: no finish time", v.ID)
			}
		}
		d.Team = teamFor(in, "", d.Service)
		d.Raw = string(raw)
		return sink.Deployment(d)
	})
}
