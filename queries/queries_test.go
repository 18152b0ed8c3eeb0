package queries

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/relscope/relscope/config"
	"github.com/relscope/relscope/fixtures"
	"github.com/relscope/relscope/ingest"
	"github.com/relscope/relscope/models"
)

func TestParse(t *testing.T) {
	q, err := Parse("x.sql", "-- name: x :many\n-- description: Does x.\n-- param: team = % the team\n-- param: since cut-off date\nselect $team, $since\n")
	if err != nil {
		t.Fatal(err)
	}
	if q.Name != "x" || q.Description != "Does x." || len(q.Params) != 2 || q.Params[0].Default != "%" ||
		!q.Params[0].HasDefault || q.Params[1].HasDefault || q.Params[1].Description != "cut-off date" {
		t.Errorf("parsed %+v", q)
	}
	if _, err := q.Resolve(map[string]string{"team": "PAY"}); err == nil || !strings.Contains(err.Error(), "--param since=") {
		t.Errorf("missing param: %v", err)
	}
	if _, err := q.Resolve(map[string]string{"since": "2025-01-01", "tema": "x"}); err == nil || !strings.Contains(err.Error(), `no parameter "tema"`) {
		t.Errorf("unknown param: %v", err)
	}
	for _, bad := range []string{"select 1", "-- name: y\nselect 1", "-- name: y\n-- description: d\n-- param: p unused\nselect 1"} {
		if _, err := Parse("bad.sql", bad); err == nil {
			t.Errorf("Parse(%q) accepted", bad)
		}
	}
	if got := Closest("ingest_rejectz", []string{"ingest_history", "ingest_rejects"}); got != "ingest_rejects" {
		t.Errorf("Closest = %q", got)
	}
	if got := Closest("zzz", []string{"ingest_history"}); got != "" {
		t.Errorf("Closest far = %q", got)
	}
}

// Every named query must run, with its defaults, on a warehouse holding the demo data.
func TestAllQueriesRun(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	if _, err := fixtures.Generate(fixtures.Options{Scale: 300, Seed: 1, Out: filepath.Join(dir, "fx")}); err != nil {
		t.Fatal(err)
	}
	w, err := models.Open(ctx, filepath.Join(dir, "w.duckdb"), models.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	err = ingest.Run(ctx, w, []string{filepath.Join(dir, "fx")}, ingest.Options{Config: config.Default(), Dates: ingest.DateParser{Loc: time.UTC}},
		func(r ingest.FileResult) {
			if r.Err != nil {
				t.Fatal(r.Err)
			}
		})
	if err != nil {
		t.Fatal(err)
	}
	qs, err := All()
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range qs {
		params, err := q.Resolve(nil)
		if err != nil {
			t.Errorf("%s: %v", q.Name, err)
			continue
		}
		res, err := Exec(ctx, w.DB, q.SQL, params)
		if err != nil {
			t.Errorf("%s: %v", q.Name, err)
			continue
		}
		for _, f := range Formats {
			if err := res.Write(&bytes.Buffer{}, f); err != nil {
				t.Errorf("%s as %s: %v", q.Name, f, err)
			}
		}
	}
}

// deployments_by_week on three hand-made runs: two in the ISO week of Monday 2025-03-03
// (one success, one failure), one in the week of 2025-03-10 (success), all Payments/prod.
// Expected: week 2025-03-10 → runs 1, succeeded 1, failed 0; week 2025-03-03 → runs 2,
// succeeded 1, failed 1; newest week first.
func TestDeploymentsByWeek(t *testing.T) {
	ctx := context.Background()
	w, err := models.Open(ctx, filepath.Join(t.TempDir(), "w.duckdb"), models.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	_, err = w.DB.Exec(`insert into deployments (deployment_id, source, team, environment, status, finished_at, ingest_id) values
        ('a', 'native', 'Payments', 'prod', 'success', '2025-03-04 10:00:00+00', 1),
        ('b', 'native', 'Payments', 'prod', 'failed',  '2025-03-09 23:59:00+00', 1),
        ('c', 'native', 'Payments', 'prod', 'success', '2025-03-10 00:01:00+00', 1),
        ('d', 'native', 'Checkout', 'prod', 'success', '2025-03-10 00:01:00+00', 1)`)
	if err != nil {
		t.Fatal(err)
	}
	q, _ := Find("deployments_by_week")
	res, err := Exec(ctx, w.DB, q.SQL, map[string]string{"team": "Pay%"})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	res.Write(&buf, "csv")
	want := "team,environment,week,runs,succeeded,failed,cancelled\n" +
		"Payments,prod,2025-03-10,1,1,0,0\n" +
		"Payments,prod,2025-03-03,2,1,1,0\n"
	if buf.String() != want {
		t.Errorf("got\n%s\nwant\n%s", buf.String(), want)
	}
}

func TestJSONOutput(t *testing.T) {
	res := &Result{Columns: []string{"b", "a", "t", "l"}, Rows: [][]any{
		{nil, 1.5, time.Date(2025, 3, 4, 10, 0, 0, 0, time.FixedZone("", 3600)), []any{"x", "y"}},
	}}
	var buf bytes.Buffer
	if err := res.Write(&buf, "json"); err != nil {
		t.Fatal(err)
	}
	want := "[\n  {\"b\": null, \"a\": 1.5, \"t\": \"2025-03-04T09:00:00Z\", \"l\": [\"x\",\"y\"]}\n]\n"
	if buf.String() != want {
		t.Errorf("got %q\nwant %q", buf.String(), want)
	}
	buf.Reset()
	(&Result{Columns: []string{"x"}}).Write(&buf, "json")
	if buf.String() != "[]\n" {
		t.Errorf("empty result: %q", buf.String())
	}
}
