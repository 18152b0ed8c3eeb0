package jobs

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/relscope/relscope/models"
	"github.com/relscope/relscope/pipeline/notify"
)

// Webhook URLs carry their secret in the path (Slack's /services/T…/B…/token) or the query;
// signing secrets are secrets. A run that notifies one hook that accepts and one that cannot
// be reached (the error net/http gives quotes the URL) logs, at debug level, neither URL's
// path or query nor the signing secret — not in the log, not in the run's result, not in any
// table of the warehouse (notification_log, job_runs).
func TestWebhookSecretsNeverLogged(t *testing.T) {
	dir := t.TempDir()
	h := newHook(t)
	// A port nothing listens on: the delivery fails with a connection error.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := "http://" + l.Addr().String()
	l.Close()
	const pathToken, queryToken, deadToken = "T0SECRET/B0SECRET/pathtoken1234", "querytoken5678", "deadtoken9012"
	r := newRunner(t, dir, `jobs:
  - name: weekly
    ingest: ["data/*.csv"]
    build: {as_of: 2025-07-01}
    reports:
      - type: html
        out: weekly/dashboard.html
    notify:
      - name: good
        webhook: `+h.srv.URL+`/services/`+pathToken+`?token=`+queryToken+`
        format: json
        secret_env: HOOK_SECRET
      - name: dead
        webhook: `+dead+`/services/`+deadToken+`?token=`+deadToken+`
        format: json
        secret_env: HOOK_SECRET
`)
	var logs bytes.Buffer
	r.Log = slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	r.Policy = notify.Policy{MaxAttempts: 2, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond, Timeout: 2 * time.Second}
	writeFile(t, filepath.Join(dir, "data", "work_items.csv"), state1Items)
	writeFile(t, filepath.Join(dir, "data", "releases.csv"), releasesCSV)
	res := r.Run(context.Background(), r.File.Jobs[0])
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	if h.count() == 0 {
		t.Fatal("the good hook received nothing: the test proves nothing")
	}
	failed := false
	for _, d := range res.Deliveries {
		failed = failed || d.Err != nil
	}
	if !failed || !strings.Contains(logs.String(), "dead") {
		t.Fatalf("the dead hook's failure was not reported (deliveries %+v)\n%s", res.Deliveries, logs.String())
	}

	// Everything the run left behind that a person or a log shipper reads.
	var tables strings.Builder
	w, err := models.Open(context.Background(), r.DBPath, models.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, tbl := range []string{"notification_log", "job_runs"} {
		rows, err := w.DB.Query(`select * from ` + tbl)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			rows.Scan(ptrs...)
			for _, v := range vals {
				fmt.Fprintf(&tables, "%v\n", v)
			}
		}
		rows.Close()
	}
	w.Close()
	var result strings.Builder
	for _, d := range res.Deliveries {
		result.WriteString(d.Target + " " + d.Endpoint + " ")
		if d.Err != nil {
			result.WriteString(d.Err.Error())
		}
		result.WriteString("\n")
	}
	for what, text := range map[string]string{"the log": logs.String(), "the run's deliveries": result.String(), "the warehouse": tables.String()} {
		for _, s := range []string{"T0SECRET", "pathtoken1234", queryToken, deadToken, secret, strings.TrimPrefix(secret, "whsec_")} {
			if strings.Contains(text, s) {
				t.Errorf("%s holds %q:\n%s", what, s, text)
			}
		}
	}
}
