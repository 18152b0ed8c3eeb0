package queries

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/relscope/relscope/config"
	"github.com/relscope/relscope/internal/demowarehouse"
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
	if got := models.Closest("ingest_rejectz", []string{"ingest_history", "ingest_rejects"}); got != "ingest_rejects" {
		t.Errorf("Closest = %q", got)
	}
	if got := models.Closest("zzz", []string{"ingest_history"}); got != "" {
		t.Errorf("Closest far = %q", got)
	}
}

// Every named query must run, with its defaults, on a warehouse holding the demo data.
func TestAllQueriesRun(t *testing.T) {
	ctx := context.Background()
	w := demowarehouse.Open(t, demowarehouse.Demo)
	qs, err := All()
	if len(qs) < 12 {
		t.Errorf("only %d named queries", len(qs))
	}
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
	_, err = w.DB.Exec(`insert into deployments (deployment_id, source, service, team, environment, status, kind, finished_at, ingest_id) values
        ('a', 'native', 'pay-api', 'Payments', 'prod', 'success', 'normal', '2025-03-04 10:00:00+00', 1),
        ('b', 'native', 'pay-api', 'Payments', 'prod', 'failed', 'normal', '2025-03-09 23:59:00+00', 1),
        ('c', 'native', 'pay-api', 'Payments', 'prod', 'success', 'normal', '2025-03-10 00:01:00+00', 1),
        ('d', 'native', 'chk-api', 'Checkout', 'prod', 'success', 'normal', '2025-03-10 00:01:00+00', 1)`)
	if err != nil {
		t.Fatal(err)
	}
	ms, _ := models.Models()
	if _, err := w.Build(ctx, ms, models.Settings{AsOf: time.Date(2025, 3, 31, 0, 0, 0, 0, time.UTC), Config: config.Default()}, nil); err != nil {
		t.Fatal(err)
	}
	q, _ := Find("deployments_by_week")
	res, err := Exec(ctx, w.DB, q.SQL, map[string]string{"team": "Payments"})
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

// orgWarehouse builds the hand-built organisation of models/testdata/org.sql (its numbers are
// worked out in models/marts_test.go) as of 2025-03-31.
func orgWarehouse(t *testing.T) *models.Warehouse {
	t.Helper()
	return fixtureWarehouse(t, "org.sql")
}

// fixtureWarehouse builds the inserts of models/testdata/file as of 2025-03-31.
func fixtureWarehouse(t *testing.T, file string) *models.Warehouse {
	t.Helper()
	return buildWarehouse(t, filepath.Join("..", "models", "testdata", file))
}

// buildWarehouse builds the inserts of the files (paths from this package) as of 2025-03-31.
func buildWarehouse(t *testing.T, files ...string) *models.Warehouse {
	t.Helper()
	ctx := context.Background()
	w, err := models.Open(ctx, filepath.Join(t.TempDir(), "w.duckdb"), models.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	for _, f := range files {
		inserts, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.DB.Exec(string(inserts)); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
	}
	ms, _ := models.Models()
	if _, err := w.Build(ctx, ms, models.Settings{AsOf: time.Date(2025, 3, 31, 0, 0, 0, 0, time.UTC), Config: config.Default()}, nil); err != nil {
		t.Fatal(err)
	}
	return w
}

func runNamed(t *testing.T, w *models.Warehouse, name string, params map[string]string) string {
	t.Helper()
	q, err := Find(name)
	if err != nil {
		t.Fatal(err)
	}
	p, err := q.Resolve(params)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Exec(context.Background(), w.DB, q.SQL, p)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	var buf bytes.Buffer
	res.Write(&buf, "csv")
	return buf.String()
}

func TestNamedQueriesOnOrg(t *testing.T) {
	w := orgWarehouse(t)
	for _, tc := range []struct {
		name   string
		params map[string]string
		want   string
	}{
		// PAY-1 8.5 d and PAY-3 7.5 d are the only delivered items with a cycle time; PAY-3 was
		// blocked 2.5 d. Both delivered 03-10 12:00, within 90 days of as_of.
		{"slowest_items", nil, "item_key,team,item_type,title,cycle_time_days,lead_time_days,committed_at,delivered_at,delivered_via,blocked_days\n" +
			"PAY-1,PAY,Story,,8.5,9.5,2025-03-02T00:00:00Z,2025-03-10T12:00:00Z,deployment,\n" +
			"PAY-3,PAY,Story,,7.5,9.5,2025-03-03T00:00:00Z,2025-03-10T12:00:00Z,deployment,2.5\n"},
		{"slowest_items", map[string]string{"top": "1"}, "item_key,team,item_type,title,cycle_time_days,lead_time_days,committed_at,delivered_at,delivered_via,blocked_days\n" +
			"PAY-1,PAY,Story,,8.5,9.5,2025-03-02T00:00:00Z,2025-03-10T12:00:00Z,deployment,\n"},
		// PAY-4: 29 days old against a p95 of 8.45 → critical.
		{"aging_wip_at_risk", nil, "item_key,team,item_type,title,status,aging_status,age_days,team_p85_days,team_p95_days,fix_versions\n" +
			"PAY-4,PAY,Story,,In Progress,critical,29,8.4,8.5,\"[\"\"PAY 1.1\"\"]\"\n"},
		// PAY 1.0: (1 added + 1 removed) / 2 planned = 1.0 ≥ 0.2; PAY 1.1 had no churn.
		{"releases_with_scope_churn", nil, "release,team,freeze_date,released_at,planned_at_freeze,added_after_freeze,removed_after_freeze,scope_volatility,successful\n" +
			"PAY 1.0,PAY,2025-03-07,2025-03-10T12:00:00Z,2,1,1,1,false\n"},
		// March: 4 failures of 5 production deployments; recoveries 0.5, 2, 2.5, 30 h → median 2.25.
		{"teams_by_change_failure_rate", nil, "team,deployments,failed,change_failure_rate,recovery_hours_p50,change_failure_rate_band\n" +
			"PAY,5,4,0.8,2.3,low\n"},
		{"incidents_per_release", nil, "release,team,released_at,deployments,failed_deployments,incidents,successful\n" +
			"PAY 1.0,PAY,2025-03-10T12:00:00Z,2,2,1,false\n"},
		// No change records at all: nothing to audit here.
		{"unapproved_changes_shipped", nil, "deployment_id,team,service,finished_at,status,change_id,change_type,approval,state,finding\n"},
		// PAY-4 is open and blocked by CHK-8, which is not in the warehouse (so counted as open);
		// PAY-3 is done, so CHK-7 holds nothing now.
		{"blocked_items_by_blocker", nil, "blocker_key,blocker_team,blocker_status,blocked_items,blocked_days,items\n" +
			"CHK-8,CHK,(not in the warehouse),1,0,\"[\"\"PAY-4\"\"]\"\n"},
		// March 2025 (models/marts_test.go, TestMartDoraMonthly): 5 production deployments, 4
		// failed → CFR 0.8 (low); deploy days per week over the weeks whose Thursday is in March
		// (03-03, 03-10, 03-17, 03-24): 0, 1 (d2), 1 (d4), 0 → median 0.5 → below weekly but
		// deployed in the month → medium; lead time median(204, 180) = 192 h (items basis) →
		// medium; recovery median(0.5, 2, 2.5, 30) = 2.25 → 2.3 h → high; rework d4 of 5 = 0.2.
		{"dora_latest", map[string]string{"month": "2025-03"}, "team,month,deployments,deploy_days_per_week_p50,lead_time_hours_p50,lead_time_basis,change_failure_rate,recovery_hours_p50,rework_rate,deployment_frequency_band,lead_time_band,change_failure_rate_band,recovery_time_band\n" +
			"PAY,2025-03-01,5,0.5,192,items,0.8,2.3,0.2,medium,medium,low,high\n"},
		// Failures in the 30 days before 03-31: d1 (03-10), d2 (03-10), d3 (03-20); d0 is 03-01 00:00 + 9 h, 29.6 days back.
		{"deployment_failures", map[string]string{"days": "29"}, "deployment_id,team,service,version,finished_at,failure_reason,incidents,recovered_at,recovery_hours\n" +
			"d3,PAY,pay-api,PAY 1.0.1,2025-03-20T10:00:00Z,rolled_back,0,2025-03-20T10:30:00Z,0.5\n" +
			"d2,PAY,pay-api,PAY 1.0,2025-03-10T12:00:00Z,incident,1,2025-03-11T18:00:00Z,30\n" +
			"d1,PAY,pay-api,PAY 1.0,2025-03-10T10:00:00Z,failed,0,2025-03-10T12:00:00Z,2\n"},
		{"backlog_age_by_team", nil, "team,items,0-30,31-90,91-180,181-365,>365,oldest_days,oldest_item\n" +
			"PAY,1,0,0,1,0,0,120,PAY-5\n"},
		// PAY-6 spent 12 h of 10 planned → 1.2, error |12 − 10| / 12 = 0.1667, within ±25%;
		// PAY-7 8 h of 4 → 2.0, error 4 / 8 = 0.5. Median ratio (1.2 + 2) / 2 = 1.6; MAPE
		// (0.1667 + 0.5) / 2 = 0.3333 → 0.333; within ±25%: 1 of 2 = 0.5.
		{"estimation_accuracy_by_team", nil, "team,items,median_ratio,mape,share_within_25pct\n" +
			"PAY,2,1.6,0.333,0.5\n"},
		{"build_settings", nil, "as_of,attribution_window_hours,freeze_days,dora_bands,forecast_window_days\n" +
			"2025-03-31T00:00:00Z,72,3,2024,90\n"},
		// PAY: 5 delivered items (PAY-1, 2, 3, 6, 7), 1 open (PAY-4), 1 in the backlog (PAY-5),
		// 7 deployment runs (d0-d6), 2 releases.
		{"teams", nil, "team,delivered_items,open_items,backlog_items,deployment_runs,releases\n" +
			"PAY,5,1,1,7,2\n"},
		// No team matches: no gaps; PAY's three missing cycle times (no history for PAY-2, 6, 7).
		{"coverage_gaps", map[string]string{"team": "CHK"}, "metric,team,population,covered,coverage,missing,reason\n"},
		// i1 6 h, i2 1 h, i3 1.5 h to resolve, all pay-api in March → p50 1.5; none acknowledged;
		// i1 (attributed to d2) and i3 (caused by d0) are linked.
		{"incidents_monthly", nil, "team,service,month,incidents,resolved,linked_to_deployment,ack_hours_p50,resolve_hours_p50\n" +
			"PAY,pay-api,2025-03-01,3,3,2,,1.5\n"},
		// pay-api: 3 incidents in 90 days, none open; i1's deployment d2 shipped PAY-1 and PAY-3,
		// both done, so no open item is linked.
		{"incident_hotspots", nil, "kind,name,team,incidents_90d,open_incidents,resolve_hours_p50,open_item_keys\n" +
			"service,pay-api,PAY,3,0,1.5,[]\n"},
		// March: PAY-1 8.5 and PAY-3 7.5 → p50 8.0, p85 8.35 → 8.4 rounded to 1 place.
		{"cycle_time_trend", nil, "team,month,items,p50_days,p85_days\n" +
			"PAY,2025-03-01,2,8,8.4\n"},
	} {
		if got := runNamed(t, w, tc.name, tc.params); got != tc.want {
			t.Errorf("@%s %v:\ngot:\n%s\nwant:\n%s", tc.name, tc.params, got, tc.want)
		}
	}
}

// A --param value the query cannot use is refused before anything runs, naming the parameter
// and the type it wants, not with DuckDB's conversion error quoting the SQL.
func TestParamTypes(t *testing.T) {
	q, err := Find("slowest_items")
	if err != nil {
		t.Fatal(err)
	}
	_, err = q.Resolve(map[string]string{"top": "abc"})
	if err == nil || !strings.Contains(err.Error(), "--param top=abc: top wants a whole number") {
		t.Errorf("top=abc: %v", err)
	}
	if _, err := q.Resolve(map[string]string{"top": "5"}); err != nil {
		t.Errorf("top=5: %v", err)
	}
	q, _ = Find("releases_with_scope_churn")
	if _, err := q.Resolve(map[string]string{"min_volatility": "lots"}); err == nil || !strings.Contains(err.Error(), "wants a number") {
		t.Errorf("min_volatility=lots: %v", err)
	}
	q, _ = Find("incidents_per_release")
	if _, err := q.Resolve(map[string]string{"since": "last week"}); err == nil || !strings.Contains(err.Error(), "wants a date (YYYY-MM-DD)") {
		t.Errorf("since=last week: %v", err)
	}
}
