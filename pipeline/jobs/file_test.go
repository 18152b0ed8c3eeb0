package jobs

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/relscope/relscope/pipeline/notify"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

const goodFile = `# a weekly job and a frequent one
output: site
base_url: https://reports.example.com/relscope
timezone: Europe/Berlin
lock_timeout: 30s
jobs:
  - name: weekly
    schedule: "0 7 * * MON"
    ingest:
      - exports/deployments-*.csv
      - path: exports/jira/*.json
        snapshot: true
    build:
      as_of: 2025-06-30
    reports:
      - type: html
        out: weekly/dashboard.html
        team: Payments
        period: last-90d
    notify:
      - name: delivery channel
        webhook_env: SLACK_URL
        format: slack
        events: [job_failed, item_slipped]
      - webhook: https://hooks.example.com/relscope
        format: json
        secret_env: HOOK_SECRET
  - name: hourly
    schedule: "@every 1h"
    timezone: UTC
    reports:
      - type: html
`

func TestParseGood(t *testing.T) {
	f, err := Parse("/srv/jobs.yaml", []byte(goodFile), env(map[string]string{
		"SLACK_URL":   "https://hooks.slack.com/services/T0/B0/secret",
		"HOOK_SECRET": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if f.Output != "/srv/site" || f.BaseURL != "https://reports.example.com/relscope/" || f.Location.String() != "Europe/Berlin" || f.LockTimeout != 30*time.Second {
		t.Errorf("file: %+v", f)
	}
	if len(f.Jobs) != 2 {
		t.Fatalf("%d jobs", len(f.Jobs))
	}
	w := f.Jobs[0]
	if w.Name != "weekly" || w.Schedule != "0 7 * * MON" || w.Location.String() != "Europe/Berlin" || w.Line != 7 {
		t.Errorf("weekly: %+v", w)
	}
	if len(w.Ingest) != 2 || w.Ingest[0].Path != "/srv/exports/deployments-*.csv" || w.Ingest[0].Snapshot ||
		w.Ingest[1].Path != "/srv/exports/jira/*.json" || !w.Ingest[1].Snapshot {
		t.Errorf("ingest: %+v", w.Ingest)
	}
	if !w.AsOf.Equal(time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("as_of %v", w.AsOf)
	}
	if len(w.Reports) != 1 || w.Reports[0].Out != "weekly/dashboard.html" || w.Reports[0].Scope.Team != "Payments" || w.Reports[0].Output.Name != "html" {
		t.Errorf("reports: %+v", w.Reports)
	}
	if len(w.Notify) != 2 || w.Notify[0].Name != "delivery channel" || w.Notify[0].Format != notify.Slack ||
		len(w.Notify[0].Events) != 2 || w.Notify[1].Name != "notify[1]" || len(w.Notify[1].Key) != 24 {
		t.Errorf("notify: %+v", w.Notify)
	}
	h := f.Jobs[1]
	if h.Every != time.Hour || h.Location != time.UTC || h.Reports[0].Out != "hourly/dashboard.html" {
		t.Errorf("hourly: %+v", h)
	}
}

// Each mistake is refused with its line and key; several mistakes are all reported.
func TestParseErrors(t *testing.T) {
	for _, tc := range []struct {
		name, yaml string
		want       []string
	}{
		{"unknown top key", "jobs:\n  - name: a\n    reports: [{type: html}]\noutptu: x\n", []string{"jobs.yaml:4: outptu: unknown key"}},
		{"unknown job key", "jobs:\n  - name: a\n    reports: [{type: html}]\n    shedule: '@every 1m'\n", []string{"jobs.yaml:4: shedule: unknown key"}},
		{"unknown ingest key", "jobs:\n  - name: a\n    ingest:\n      - path: x.csv\n        snapshoot: true\n", []string{"jobs.yaml:5", "snapshoot"}},
		{"unknown report key", "jobs:\n  - name: a\n    reports:\n      - type: html\n        teem: x\n", []string{"jobs.yaml:5: teem: unknown key"}},
		{"report type", "jobs:\n  - name: a\n    reports:\n      - type: htm\n", []string{`jobs.yaml:4: type: no output "htm"; did you mean "html"?`}},
		{"bad schedule", "jobs:\n  - name: a\n    schedule: '0 7 * *'\n    reports: [{type: html}]\n", []string{"jobs.yaml:3: schedule:", "not a cron expression"}},
		{"bad every", "jobs:\n  - name: a\n    schedule: '@every soon'\n    reports: [{type: html}]\n", []string{"jobs.yaml:3: schedule:", "@every wants a duration"}},
		{"bad tz", "timezone: Mars/Olympus\njobs:\n  - name: a\n    reports: [{type: html}]\n", []string{"jobs.yaml:1: timezone:"}},
		{"escape", "jobs:\n  - name: a\n    reports:\n      - type: html\n        out: ../../etc/x.html\n", []string{"jobs.yaml:5: out:", "leaves the output folder"}},
		{"absolute", "jobs:\n  - name: a\n    reports:\n      - type: html\n        out: /tmp/x.html\n", []string{"jobs.yaml:5: out:", "not an absolute path"}},
		{"duplicate out", "jobs:\n  - name: a\n    reports: [{type: html, out: x.html}]\n  - name: b\n    reports:\n      - {type: html, out: x.html}\n", []string{"jobs.yaml:6", "also written by job a"}},
		{"duplicate name", "jobs:\n  - name: a\n    reports: [{type: html, out: a.html}]\n  - name: a\n    reports: [{type: html, out: b.html}]\n", []string{"jobs.yaml:4: name: two jobs are named"}},
		{"no jobs", "output: x\n", []string{"jobs: the file lists no jobs"}},
		{"period", "jobs:\n  - name: a\n    reports:\n      - type: html\n        period: last-week\n", []string{"jobs.yaml:5: period:"}},
		{"as_of", "jobs:\n  - name: a\n    build: {as_of: tomorrow}\n    reports: [{type: html}]\n", []string{"jobs.yaml:3", "as_of:"}},
		{"event", "jobs:\n  - name: a\n    reports: [{type: html}]\n    notify:\n      - webhook: https://x.example/h\n        format: json\n        events: [job_finish]\n", []string{"jobs.yaml:7", `did you mean "job_finished"`}},
		{"format", "jobs:\n  - name: a\n    reports: [{type: html}]\n    notify:\n      - webhook: https://x.example/h\n        format: slak\n", []string{"jobs.yaml:6: format:", `did you mean "slack"`}},
		{"env unset", "jobs:\n  - name: a\n    reports: [{type: html}]\n    notify:\n      - webhook_env: NOPE\n        format: slack\n", []string{"jobs.yaml:5: webhook_env: the environment variable NOPE is not set"}},
		{"secret on slack", "jobs:\n  - name: a\n    reports: [{type: html}]\n    notify:\n      - webhook: https://x.example/h\n        format: slack\n        secret_env: S\n", []string{"jobs.yaml:7: secret_env: only the json format is signed"}},
		{"bad secret", "jobs:\n  - name: a\n    reports: [{type: html}]\n    notify:\n      - webhook: https://x.example/h\n        format: json\n        secret_env: BAD\n", []string{"jobs.yaml:7: secret_env: BAD: the secret is not whsec_"}},
		{"not a url", "jobs:\n  - name: a\n    reports: [{type: html}]\n    notify:\n      - webhook: ftp://x.example/secret-token\n        format: json\n", []string{"jobs.yaml:5: webhook: not an http(s) URL"}},
		{"two mistakes", "jobs:\n  - name: a\n    schedule: nope\n    reports:\n      - type: pfd\n", []string{"jobs.yaml:3: schedule:", "jobs.yaml:5: type:"}},
		{"yaml syntax", "jobs:\n  - name: a\n   reports: [\n", []string{"jobs.yaml"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("jobs.yaml", []byte(tc.yaml), env(map[string]string{"S": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "BAD": "whsec_!!!"}))
			if err == nil {
				t.Fatal("accepted")
			}
			var fe *Error
			if !errors.As(err, &fe) {
				t.Errorf("%T is no *Error", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			for _, secret := range []string{"secret-token", "MfKQ9r8", "!!!"} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("error %q shows a secret", err)
				}
			}
		})
	}
}

func TestDefaultOutput(t *testing.T) {
	f, err := Parse(filepath.Join("a", "jobs.yaml"), []byte("jobs:\n  - name: x\n    reports: [{type: html}]\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if f.Output != filepath.Join("a", "out") || f.Jobs[0].Reports[0].Out != "x/dashboard.html" {
		t.Errorf("%s %s", f.Output, f.Jobs[0].Reports[0].Out)
	}
}
