package ingest

import (
	"bytes"
	"context"
	"fmt"
	json "github.com/goccy/go-json"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

// The GitHub formats read what the REST API (through `gh api --paginate`) returns, and the
// matching webhook payloads, one document, an array, or newline-delimited JSON.

const githubSource = "github"

// githubRepo names a repository from its API or web URL: .../repos/OWNER/REPO/... or
// github.com/OWNER/REPO/....
func githubRepo(urls ...string) string {
	for _, u := range urls {
		if i := strings.Index(u, "/repos/"); i >= 0 {
			parts := strings.Split(u[i+len("/repos/"):], "/")
			if len(parts) >= 2 {
				return parts[1]
			}
		}
		if i := strings.Index(u, "github.com/"); i >= 0 {
			parts := strings.Split(u[i+len("github.com/"):], "/")
			if len(parts) >= 2 {
				return parts[1]
			}
		}
	}
	return ""
}

// ghStatus is a deployment status.
type ghStatus struct {
	ID          int64  `json:"id"`
	State       string `json:"state"`
	CreatedAt   string `json:"created_at"`
	Environment string `json:"environment"`
	Description string `json:"description"`
}

type ghDeployment struct {
	ID            int64           `json:"id"`
	URL           string          `json:"url"`
	SHA           string          `json:"sha"`
	Ref           string          `json:"ref"`
	Task          string          `json:"task"`
	Environment   string          `json:"environment"`
	Description   *string         `json:"description"`
	CreatedAt     string          `json:"created_at"`
	RepositoryURL string          `json:"repository_url"`
	Statuses      []ghStatus      `json:"statuses"`
	Payload       json.RawMessage `json:"payload"`
}

// githubDeployments reads deployments with their statuses: the REST list
// (GET /repos/{owner}/{repo}/deployments) with each deployment's statuses embedded under
// "statuses" (see the README for the gh/jq line that does it), or deployment_status webhook
// payloads. A deployment's time is its first success status; its status is success once one
// succeeded, failed when its last status is failure or error, running while pending.
type githubDeployments struct{}

func (githubDeployments) Name() string { return "github-deployments" }
func (githubDeployments) Describe() string {
	return "GitHub deployments with statuses (REST list or deployment_status webhooks)"
}

func (githubDeployments) Detect(s *Sniff) float64 {
	h := jsonHead(s)
	if len(h) == 0 || (h[0] != '{' && h[0] != '[') {
		return 0
	}
	if hasAll(h, "deployment_status", "deployment") || hasAll(h, "statuses_url", "environment", "task") {
		return 3
	}
	return 0
}

func (f githubDeployments) Load(ctx context.Context, in *Input, sink Sink) error {
	// Webhooks send one payload per status: gather each deployment's statuses first.
	doc, err := readJSONDoc(in.R)
	if err != nil {
		return err
	}
	recs, err := doc.expand("deployments")
	if err != nil {
		return fmt.Errorf("not JSON: %w", err)
	}
	type acc struct {
		dep     ghDeployment
		raw     json.RawMessage
		line    int64
		records int
	}
	var order []int64
	byID := map[int64]*acc{}
	for _, rec := range recs {
		var p struct {
			Deployment *ghDeployment    `json:"deployment"`
			Status     *ghStatus        `json:"deployment_status"`
			Repo       *json.RawMessage `json:"repository"`
		}
		var d ghDeployment
		if json.Unmarshal(rec.raw, &p) == nil && p.Deployment != nil {
			d = *p.Deployment
			if p.Status != nil {
				d.Statuses = append(d.Statuses, *p.Status)
			}
		} else if err := json.Unmarshal(rec.raw, &d); err != nil || d.ID == 0 {
			sink.Record(rec.line)
			if err := sink.Reject("not a GitHub deployment or deployment_status payload", string(rec.raw)); err != nil {
				return err
			}
			continue
		}
		a, ok := byID[d.ID]
		if !ok {
			a = &acc{dep: d, raw: rec.raw, line: rec.line}
			byID[d.ID] = a
			order = append(order, d.ID)
		} else {
			a.dep.Statuses = append(a.dep.Statuses, d.Statuses...)
			a.raw = rec.raw
		}
		a.records++
	}
	// Every payload counts as one record read; those of one deployment load (or are
	// rejected) together, as one row.
	for n, id := range order {
		if n%1024 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		a := byID[id]
		dep, reason := f.mapDeployment(a.dep, in)
		for i := 0; i < a.records; i++ {
			sink.Record(a.line)
			if reason != "" {
				if err := sink.Reject(reason, string(a.raw)); err != nil {
					return err
				}
			}
		}
		if reason != "" {
			continue
		}
		dep.Raw = string(a.raw)
		if err := sink.Deployment(dep); err != nil {
			return err
		}
	}
	return nil
}

// mapDeployment decides a deployment's outcome from its statuses; "" reason means it mapped.
func (githubDeployments) mapDeployment(d ghDeployment, in *Input) (*Deployment, string) {
	dep := &Deployment{ID: strconv.FormatInt(d.ID, 10), Source: githubSource, Service: githubRepo(d.RepositoryURL, d.URL),
		Environment: d.Environment, Version: d.Ref, CommitSHA: d.SHA, Pipeline: d.Task, Kind: "normal"}
	if d.Description != nil {
		dep.Description = *d.Description
	}
	// The deployment payload is the deployer's own JSON; an "items" list there (keys, or one
	// string of them) names the items the deployment ships.
	var payload struct {
		Items json.RawMessage `json:"items"`
	}
	if json.Unmarshal(d.Payload, &payload) == nil && len(payload.Items) > 0 {
		var list []string
		var one string
		if json.Unmarshal(payload.Items, &list) == nil {
			dep.ItemKeys = nonEmpty(list)
		} else if json.Unmarshal(payload.Items, &one) == nil {
			dep.ItemKeys = splitList(one, true)
		}
	}
	var err error
	if dep.Started, err = in.Dates.Parse(d.CreatedAt); err != nil {
		return nil, "created_at " + err.Error()
	}
	sort.SliceStable(d.Statuses, func(i, j int) bool { return d.Statuses[i].CreatedAt < d.Statuses[j].CreatedAt })
	dep.Status = "running"
	var lastFailure time.Time
	for _, s := range d.Statuses {
		at, err := in.Dates.Parse(s.CreatedAt)
		if err != nil {
			return nil, fmt.Sprintf("status %d created_at %v", s.ID, err)
		}
		switch s.State {
		case "success":
			if dep.Status != "success" {
				dep.Status, dep.Finished = "success", at
			}
		case "failure", "error":
			if dep.Status != "success" {
				dep.Status, lastFailure = "failed", at
			}
		case "inactive":
			// A later deployment superseded this one: its outcome stands.
		default: // queued, pending, in_progress
		}
	}
	if dep.Status == "failed" {
		dep.Finished = lastFailure
	}
	dep.Team = teamFor(in, "", dep.Service)
	return dep, ""
}

// githubWorkflowRuns reads GitHub Actions workflow runs (GET /repos/{owner}/{repo}/actions/runs,
// {"workflow_runs": [...]}, or workflow_run webhook payloads) as pipeline runs in the
// deployments table, environment "ci": they feed pipeline failure rates, not DORA.
type githubWorkflowRuns struct{}

func (githubWorkflowRuns) Name() string     { return "github-workflow-runs" }
func (githubWorkflowRuns) Describe() string { return "GitHub Actions workflow runs (REST or webhook)" }

func (githubWorkflowRuns) Detect(s *Sniff) float64 {
	h := jsonHead(s)
	if len(h) == 0 || (h[0] != '{' && h[0] != '[') {
		return 0
	}
	// A deployment_status event carries the workflow run that deployed: it is a deployment.
	if bytes.Contains(h, []byte(`"deployment_status"`)) {
		return 0
	}
	if hasAll(h, "workflow_runs") || hasAll(h, "workflow_run", "workflow") || hasAll(h, "run_number", "workflow_id", "head_sha") {
		return 3
	}
	return 0
}

type ghRun struct {
	ID           int64  `json:"id"`
	Name         string `json:"name"`
	DisplayTitle string `json:"display_title"`
	HeadBranch   string `json:"head_branch"`
	HeadSHA      string `json:"head_sha"`
	Status       string `json:"status"`
	Conclusion   string `json:"conclusion"`
	CreatedAt    string `json:"created_at"`
	UpdatedAt    string `json:"updated_at"`
	RunStartedAt string `json:"run_started_at"`
	URL          string `json:"url"`
	Path         string `json:"path"`
	HeadCommit   *struct {
		Message   string `json:"message"`
		Timestamp string `json:"timestamp"`
	} `json:"head_commit"`
	Repository *struct {
		Name string `json:"name"`
	} `json:"repository"`
}

func (f githubWorkflowRuns) Load(ctx context.Context, in *Input, sink Sink) error {
	return loadJSONRecords(ctx, in, sink, []string{"workflow_runs"}, func(raw json.RawMessage) error {
		var wrap struct {
			Run      *ghRun `json:"workflow_run"`
			Workflow *struct {
				Name string `json:"name"`
			} `json:"workflow"`
		}
		var r ghRun
		workflowName := ""
		if json.Unmarshal(raw, &wrap) == nil && wrap.Run != nil {
			r = *wrap.Run
			if wrap.Workflow != nil {
				workflowName = wrap.Workflow.Name
			}
		} else if err := json.Unmarshal(raw, &r); err != nil || r.ID == 0 {
			return rowErrf("not a GitHub workflow run")
		}
		d := &Deployment{ID: strconv.FormatInt(r.ID, 10), Source: "github-actions", Environment: "ci", Pipeline: firstNonEmpty(r.Name, workflowName, r.Path),
			Version: r.HeadBranch, CommitSHA: r.HeadSHA, Description: r.DisplayTitle, Kind: "normal"}
		if r.Repository != nil {
			d.Service = r.Repository.Name
		} else {
			d.Service = githubRepo(r.URL)
		}
		started := r.RunStartedAt
		if started == "" {
			started = r.CreatedAt
		}
		var err error
		if d.Started, err = in.Dates.Parse(started); err != nil {
			return rowErrf("run %d run_started_at %v", r.ID, err)
		}
		if r.HeadCommit != nil {
			if d.Description == "" {
				d.Description = r.HeadCommit.Message
			}
			d.CommitTime, _ = in.Dates.Parse(r.HeadCommit.Timestamp)
		}
		if r.Status != "completed" {
			d.Status = "running"
		} else {
			switch r.Conclusion {
			case "success":
				d.Status = "success"
			case "failure", "timed_out", "startup_failure":
				d.Status = "failed"
			default: // cancelled, skipped, neutral, action_required, stale
				d.Status = "cancelled"
			}
			if d.Finished, err = in.Dates.Parse(r.UpdatedAt); err != nil || d.Finished.IsZero() {
				return rowErrf("run %d updated_at %q: want the completion time", r.ID, r.UpdatedAt)
			}
		}
		d.Team = teamFor(in, "", d.Service)
		d.Raw = string(raw)
		return sink.Deployment(d)
	})
}

// githubReleases reads GET /repos/{owner}/{repo}/releases (or release webhooks) into releases:
// name (or tag), published_at as the release time; drafts are unreleased.
type githubReleases struct{}

func (githubReleases) Name() string     { return "github-releases" }
func (githubReleases) Describe() string { return "GitHub releases (REST or webhook)" }

func (githubReleases) Detect(s *Sniff) float64 {
	h := jsonHead(s)
	if len(h) == 0 || (h[0] != '{' && h[0] != '[') {
		return 0
	}
	if hasAll(h, "tag_name", "published_at") || hasAll(h, "release", "tag_name") {
		return 2.5
	}
	return 0
}

func (githubReleases) Load(ctx context.Context, in *Input, sink Sink) error {
	return loadJSONRecords(ctx, in, sink, nil, func(raw json.RawMessage) error {
		type ghRelease struct {
			Name        string `json:"name"`
			TagName     string `json:"tag_name"`
			Draft       bool   `json:"draft"`
			CreatedAt   string `json:"created_at"`
			PublishedAt string `json:"published_at"`
			Body        string `json:"body"`
			URL         string `json:"url"`
			HTMLURL     string `json:"html_url"`
		}
		var wrap struct {
			Release *ghRelease `json:"release"`
			Repo    *struct {
				Name string `json:"name"`
			} `json:"repository"`
		}
		var r ghRelease
		project := ""
		if json.Unmarshal(raw, &wrap) == nil && wrap.Release != nil {
			r = *wrap.Release
			if wrap.Repo != nil {
				project = wrap.Repo.Name
			}
		} else if err := json.Unmarshal(raw, &r); err != nil || r.TagName == "" {
			return rowErrf("not a GitHub release")
		}
		if project == "" {
			project = githubRepo(r.URL, r.HTMLURL)
		}
		rel := &Release{Name: r.Name, Source: githubSource, Project: project, Description: r.Body}
		if rel.Name == "" {
			rel.Name = r.TagName
		}
		released := !r.Draft && r.PublishedAt != ""
		rel.IsReleased = &released
		if released {
			var err error
			if rel.Released, err = in.Dates.Parse(r.PublishedAt); err != nil {
				return rowErrf("release %s published_at %v", rel.Name, err)
			}
		}
		rel.Raw = string(raw)
		return sink.Release(rel)
	})
}

// githubIssues reads issues from GET /repos/{owner}/{repo}/issues?state=all or from
// `gh issue list --state all --json ...` (camelCase). Keys are REPO#NUMBER; the milestone is the
// fix version; closed as not planned is cancelled. Pull requests, which the REST endpoint
// lists among issues, are rejected as such.
type githubIssues struct{}

func (githubIssues) Name() string     { return "github-issues" }
func (githubIssues) Describe() string { return "GitHub issues (REST or gh issue list --json)" }

func (githubIssues) Detect(s *Sniff) float64 {
	h := jsonHead(s)
	if len(h) == 0 || h[0] != '[' {
		return 0
	}
	if !hasAll(h, "number", "title", "state") || bytes.Contains(h, []byte(`"workflow_id"`)) {
		return 0
	}
	// `gh issue list --json number,title,state,...` may carry nothing else: an array of objects
	// with a number, a title and a state is an issue list, whatever fields were asked for.
	if hasAll(h, "html_url", "labels") || hasAll(h, "createdAt") || hasAll(h, "repository_url") || ghIssueList(h) {
		return 2
	}
	return 0
}

// ghIssueList reports whether the head of a JSON array is objects with number, title and state
// (the first one decides; a head cut mid-array still has it whole or is not decided).
func ghIssueList(h []byte) bool {
	var first struct {
		Number *int    `json:"number"`
		Title  *string `json:"title"`
		State  *string `json:"state"`
	}
	d := json.NewDecoder(bytes.NewReader(h))
	if tok, err := d.Token(); err != nil || tok != json.Delim('[') || !d.More() {
		return false
	}
	return d.Decode(&first) == nil && first.Number != nil && first.Title != nil && first.State != nil
}

func (githubIssues) Load(ctx context.Context, in *Input, sink Sink) error {
	// `gh issue list -R OWNER/REPO --json number,title,state` names no repository: the file's
	// name does (shop-issues.json → shop-issues), said once in a note.
	fileRepo := strings.TrimSuffix(filepath.Base(in.File), filepath.Ext(in.File))
	noted := map[string]bool{}
	note := func(col, metric, text string) error {
		if noted[col] {
			return nil
		}
		noted[col] = true
		return sink.Note(Note{Column: col, Metric: metric, Text: text})
	}
	return loadJSONRecords(ctx, in, sink, nil, func(raw json.RawMessage) error {
		var v struct {
			Number        int             `json:"number"`
			Title         string          `json:"title"`
			Body          string          `json:"body"`
			State         string          `json:"state"`
			StateReason   string          `json:"state_reason"`
			StateReason2  string          `json:"stateReason"`
			CreatedAt     string          `json:"created_at"`
			CreatedAt2    string          `json:"createdAt"`
			UpdatedAt     string          `json:"updated_at"`
			UpdatedAt2    string          `json:"updatedAt"`
			ClosedAt      string          `json:"closed_at"`
			ClosedAt2     string          `json:"closedAt"`
			HTMLURL       string          `json:"html_url"`
			URL           string          `json:"url"`
			RepositoryURL string          `json:"repository_url"`
			PullRequest   json.RawMessage `json:"pull_request"`
			Labels        []struct {
				Name string `json:"name"`
			} `json:"labels"`
			Milestone *struct {
				Title string `json:"title"`
			} `json:"milestone"`
			Assignees []struct {
				Login string `json:"login"`
			} `json:"assignees"`
		}
		if err := json.Unmarshal(raw, &v); err != nil || v.Number == 0 {
			return rowErrf("not a GitHub issue")
		}
		if len(v.PullRequest) > 0 && string(v.PullRequest) != "null" {
			return rowErrf("#%d is a pull request (the issues API lists them too), not a backlog item", v.Number)
		}
		repo := githubRepo(v.RepositoryURL, v.HTMLURL, v.URL)
		if repo == "" {
			if err := note("url", "flow", "no url field: add url to gh issue list --json (meanwhile the repository is the file's name, "+fileRepo+")"); err != nil {
				return err
			}
			repo = fileRepo
		}
		w := &WorkItem{Key: repo + "#" + strconv.Itoa(v.Number), Source: githubSource, Project: repo, Type: "Issue",
			Title: v.Title, Description: v.Body, URL: firstNonEmpty(v.HTMLURL, v.URL)}
		reason := strings.ToLower(firstNonEmpty(v.StateReason, v.StateReason2))
		state := strings.ToLower(v.State)
		category := "backlog"
		switch {
		case state == "closed" && reason == "not_planned":
			w.Status, category = "Closed (not planned)", "cancelled"
		case state == "closed":
			w.Status, category = "Closed", "done"
		default:
			w.Status = "Open"
		}
		var err error
		if w.Created, err = in.Dates.Parse(firstNonEmpty(v.CreatedAt, v.CreatedAt2)); err != nil {
			return rowErrf("#%d created_at %v", v.Number, err)
		}
		if w.Created.IsZero() {
			if err := note("createdAt", "flow", "no createdAt field: add createdAt to gh issue list --json (lead time and backlog age need it)"); err != nil {
				return err
			}
		}
		w.Updated, _ = in.Dates.Parse(firstNonEmpty(v.UpdatedAt, v.UpdatedAt2))
		w.Resolved, _ = in.Dates.Parse(firstNonEmpty(v.ClosedAt, v.ClosedAt2))
		if state == "closed" && w.Resolved.IsZero() {
			if err := note("closedAt", "flow", "no closedAt field: add closedAt to gh issue list --json (closed issues have no delivery time without it)"); err != nil {
				return err
			}
		}
		for _, l := range v.Labels {
			w.Labels = append(w.Labels, l.Name)
		}
		if v.Milestone != nil && v.Milestone.Title != "" {
			w.FixVersions = []string{v.Milestone.Title}
		}
		if len(v.Assignees) > 0 {
			w.Assignee = v.Assignees[0].Login
		}
		completeItem(in, w, category)
		w.Raw = string(raw)
		return sink.WorkItem(w)
	})
}

func firstNonEmpty(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}
