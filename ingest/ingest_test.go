package ingest

import (
	"context"
	"database/sql/driver"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/relscope/relscope/config"
	"github.com/relscope/relscope/fixtures"
	"github.com/relscope/relscope/models"
)

func openTestWarehouse(t *testing.T) *models.Warehouse {
	t.Helper()
	w, err := models.Open(context.Background(), filepath.Join(t.TempDir(), "w.duckdb"), models.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	return w
}

// Test-only settings the helpers below apply (tests set them through withTestFormats and
// withTuning, never through the package's own variables).
var (
	testExtraFormats []Format
	testTuning       Tuning
)

// withTuning makes ingestPaths and loadFile use t for the test.
func withTuning(tb testing.TB, t Tuning) {
	old := testTuning
	testTuning = t
	tb.Cleanup(func() { testTuning = old })
}

// testOptions adds the test's extra formats and tuning to opt.
func testOptions(opt Options) Options {
	if testExtraFormats != nil {
		opt.Formats = append(Formats(), testExtraFormats...)
	}
	if opt.Tuning == (Tuning{}) {
		opt.Tuning = testTuning
	}
	return opt
}

func ingestPaths(t *testing.T, w *models.Warehouse, opt Options, paths ...string) []FileResult {
	t.Helper()
	if opt.Config == nil {
		opt.Config = config.Default()
	}
	opt.Dates.Loc = time.UTC
	opt = testOptions(opt)
	var res []FileResult
	if err := Run(context.Background(), w, paths, opt, func(r FileResult) { res = append(res, r) }); err != nil {
		t.Fatal(err)
	}
	return res
}

// counts returns every canonical table's row count, to compare before and after.
func counts(t *testing.T, w *models.Warehouse) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	for _, tbl := range []string{"work_items", "work_item_transitions", "work_item_links", "releases", "deployments",
		"incidents", "changes", "ingest_runs", "ingest_rejects"} {
		var n int64
		if err := w.DB.QueryRow("select count(*) from " + tbl).Scan(&n); err != nil {
			t.Fatal(err)
		}
		out[tbl] = n
	}
	return out
}

func writeFile(t *testing.T, name, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// Every row type must have exactly the columns of its table, in order: the Appender is positional.
func TestRowsMatchSchema(t *testing.T) {
	w := openTestWarehouse(t)
	for table, row := range map[string][]driver.Value{
		"work_items":            (&WorkItem{}).row(1),
		"work_item_transitions": (&Transition{}).row(1),
		"work_item_links":       (&Link{}).row(1),
		"releases":              (&Release{}).row(1),
		"deployments":           (&Deployment{}).row(1),
		"incidents":             (&Incident{}).row(1),
		"changes":               (&Change{}).row(1),
	} {
		var n int
		if err := w.DB.QueryRow(`select count(*) from duckdb_columns() where table_name = ?`, table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != len(row) {
			t.Errorf("%s has %d columns, its row type gives %d values", table, n, len(row))
		}
	}
}

const deploymentsCSV = "id,service,environment,status,finished_at,items\n" +
	"d1,payments-api,prod,success,2025-03-04T10:15:00Z,PAY-1\n" +
	"d2,payments-api,prod,success,2025-13-04T10:15:00Z,\n" +
	"d3,payments-api,staging,failed,2025-03-05T10:15:00Z,\n"

func TestIngestRejectsBadRowKeepsNeighbours(t *testing.T) {
	w := openTestWarehouse(t)
	p := writeFile(t, "deployments.csv", deploymentsCSV)
	res := ingestPaths(t, w, Options{}, p)
	if len(res) != 1 || res[0].Err != nil {
		t.Fatalf("results %+v", res)
	}
	r := res[0]
	if r.Format != "deployments" || r.Read != 3 || r.Loaded != 2 || r.Rejected != 1 {
		t.Errorf("result %+v; want deployments, read 3, loaded 2, rejected 1", r)
	}
	var file, reason, raw string
	var line int64
	if err := w.DB.QueryRow(`select file, line, reason, raw_line from ingest_rejects`).Scan(&file, &line, &reason, &raw); err != nil {
		t.Fatal(err)
	}
	if file != p || line != 3 || !strings.Contains(reason, "finished_at") || !strings.HasPrefix(raw, "d2,") {
		t.Errorf("reject = %s:%d %q %q", file, line, reason, raw)
	}
	var ids string
	w.DB.QueryRow(`select string_agg(deployment_id, ',' order by deployment_id) from deployments`).Scan(&ids)
	if ids != "d1,d3" {
		t.Errorf("deployments loaded: %s", ids)
	}
	// The export's record stays reachable, field by field, as JSON.
	var fromRaw, rawType string
	if err := w.DB.QueryRow(`select raw->>'items', json_type(raw) from deployments where deployment_id = 'd1'`).Scan(&fromRaw, &rawType); err != nil {
		t.Fatal(err)
	}
	if fromRaw != "PAY-1" || rawType != "OBJECT" {
		t.Errorf("raw->>'items' = %q, json_type %q; want PAY-1, OBJECT", fromRaw, rawType)
	}
	var rowsRead, loaded, rejected int64
	var sum string
	w.DB.QueryRow(`select rows_read, rows_loaded, rows_rejected, sha256 from ingest_runs`).Scan(&rowsRead, &loaded, &rejected, &sum)
	if rowsRead != 3 || loaded != 2 || rejected != 1 || len(sum) != 64 {
		t.Errorf("ingest_runs: %d %d %d %q", rowsRead, loaded, rejected, sum)
	}
}

func TestReingestChangesNoCounts(t *testing.T) {
	w := openTestWarehouse(t)
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "deployments.csv"), []byte(deploymentsCSV), 0o644)
	os.WriteFile(filepath.Join(dir, "items.csv"), []byte("key,type,status,created_at,blocked_by\nPAY-1,Story,Done,2025-01-01,CHK-1\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "history.csv"), []byte("key,at,from,to\nPAY-1,2025-01-02,To Do,In Progress\nPAY-1,2025-01-02,To Do,In Progress\n"), 0o644)
	ingestPaths(t, w, Options{}, dir)
	before := counts(t, w)
	// The duplicate history line in one file is stored once.
	if before["work_item_transitions"] != 1 || before["work_item_links"] != 1 || before["deployments"] != 2 {
		t.Fatalf("first load: %v", before)
	}
	// Identical content is skipped…
	for _, r := range ingestPaths(t, w, Options{}, dir) {
		if r.SkippedAs == 0 {
			t.Errorf("%s not skipped", r.File)
		}
	}
	if after := counts(t, w); !equalCounts(before, after) {
		t.Errorf("skip changed counts: %v -> %v", before, after)
	}
	// …and a forced reload updates in place: only the run log grows.
	ingestPaths(t, w, Options{Force: true}, dir)
	after := counts(t, w)
	for k, v := range before {
		if k == "ingest_runs" || k == "ingest_rejects" {
			continue
		}
		if after[k] != v {
			t.Errorf("forced reload changed %s: %d -> %d", k, v, after[k])
		}
	}
	// A newer export of the same deployment updates it rather than adding another.
	p := writeFile(t, "newer.csv", "id,service,environment,status,finished_at\nd1,payments-api,prod,rolled_back,2025-03-04T10:15:00Z\n")
	ingestPaths(t, w, Options{}, p)
	var n int
	var status string
	w.DB.QueryRow(`select count(*), any_value(status) from deployments where deployment_id = 'd1'`).Scan(&n, &status)
	if n != 1 || status != "rolled_back" {
		t.Errorf("d1: %d rows, status %s; want 1 row, rolled_back", n, status)
	}
}

func equalCounts(a, b map[string]int64) bool {
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return len(a) == len(b)
}

func TestBadFileLeavesWarehouseUnchanged(t *testing.T) {
	w := openTestWarehouse(t)
	ingestPaths(t, w, Options{}, writeFile(t, "deployments.csv", deploymentsCSV))
	before := counts(t, w)

	bin := writeFile(t, "image.png", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
	res := ingestPaths(t, w, Options{Format: "deployments"}, bin)
	if res[0].Err == nil || !strings.Contains(res[0].Err.Error(), bin) || !strings.Contains(res[0].Err.Error(), "not a text file") {
		t.Errorf("binary file: %v", res[0].Err)
	}
	// Every row rejected: the file is refused as a whole, nothing is kept of it.
	allBad := writeFile(t, "bad.csv", "id,service,environment,status,finished_at\na,s,prod,nope,2025-01-01\nb,s,prod,nope,2025-01-01\n")
	res = ingestPaths(t, w, Options{}, allBad)
	if res[0].Err == nil || !strings.Contains(res[0].Err.Error(), "every one of its 2 rows was rejected") {
		t.Errorf("all-rejected file: %v", res[0].Err)
	}
	// A header the forced format cannot read.
	res = ingestPaths(t, w, Options{Format: "incidents"}, writeFile(t, "x.csv", deploymentsCSV))
	if res[0].Err == nil || !strings.Contains(res[0].Err.Error(), "missing column(s) created_at") {
		t.Errorf("wrong header: %v", res[0].Err)
	}
	if after := counts(t, w); !equalCounts(before, after) {
		t.Errorf("failed files changed the warehouse: %v -> %v", before, after)
	}
}

func TestIngestStdinAndCancel(t *testing.T) {
	w := openTestWarehouse(t)
	res := ingestPaths(t, w, Options{Stdin: strings.NewReader(deploymentsCSV)}, "-")
	if res[0].Err != nil || res[0].File != "stdin" || res[0].Loaded != 2 {
		t.Errorf("stdin: %+v", res[0])
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := Run(ctx, w, []string{writeFile(t, "d.csv", deploymentsCSV)}, Options{Config: config.Default()}, func(FileResult) {})
	if err == nil {
		t.Error("cancelled run: no error")
	}
}

// The generator's mixed organisation writes every real export format, and every file ingests
// through detection with no rejects: each format reads what its writer writes.
func TestMixedFixturesIngest(t *testing.T) {
	dir := t.TempDir()
	m, err := fixtures.Generate(fixtures.Options{Scale: 700, Seed: 3, Out: filepath.Join(dir, "fx"), Mixed: true})
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(filepath.Join(dir, "fx", fixtures.ConfigFile), false)
	if err != nil {
		t.Fatal(err)
	}
	w := openTestWarehouse(t)
	formats := map[string]int{}
	for _, r := range ingestPaths(t, w, Options{Config: cfg}, filepath.Join(dir, "fx")) {
		if r.Err != nil {
			t.Errorf("%s: %v", r.File, r.Err)
			continue
		}
		if r.Rejected > 0 {
			t.Errorf("%s (%s): %d rejected, first: %+v", r.File, r.Format, r.Rejected, r.Rejects[0])
		}
		formats[r.Format]++
	}
	for _, f := range Formats() {
		if f.Name() == "changes" || f.Name() == "jira-fields" {
			continue // ServiceNow carries the changes of a mixed organisation; a field list is metadata (TestJiraFieldList)
		}
		if formats[f.Name()] == 0 {
			t.Errorf("the mixed organisation has no %s file", f.Name())
		}
	}
	var items int
	w.DB.QueryRow(`select count(*) from work_items`).Scan(&items)
	if items != m.Scale {
		t.Errorf("%d work items, want %d", items, m.Scale)
	}
	// Every team gets its name, whatever its tracker called it — once the build applies the
	// generated configuration (ingest stores each export's own team field).
	ms, err := models.Models()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Build(context.Background(), ms, models.Settings{AsOf: m.End, Config: cfg}, nil); err != nil {
		t.Fatal(err)
	}
	var teams string
	w.DB.QueryRow(`select string_agg(distinct team, ',' order by team) from stg_relscope__work_items`).Scan(&teams)
	if teams != "Checkout,Identity,Mobile,Orders,Payments,Platform,Search" {
		t.Errorf("teams %s", teams)
	}
}

// The jira-server shape is one Jira Server search over every project in pages of 1,000 issues
// (startAt stepping by 1,000, total the whole search), beside native operations CSVs; every
// file ingests with no rejects, and the Server spellings are read: Story Points in
// customfield_10002, GreenHopper sprint strings, teams from project keys.
func TestJiraServerFixturesIngest(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "fx")
	m, err := fixtures.Generate(fixtures.Options{Scale: 2500, Seed: 3, Out: dir, Shape: fixtures.ShapeJiraServer})
	if err != nil {
		t.Fatal(err)
	}
	var pages []string
	formats := map[string]int{}
	for _, f := range m.Files {
		formats[f.Format]++
		if f.Format == "jira-json" {
			pages = append(pages, f.Name)
		}
	}
	if m.Shape != fixtures.ShapeJiraServer || len(pages) != 3 || formats["deployments"] != 1 || formats["incidents"] != 1 || formats["changes"] != 1 || len(formats) != 4 {
		t.Fatalf("shape %q, files by format %v", m.Shape, formats)
	}
	for i, name := range pages {
		var page struct {
			StartAt    int               `json:"startAt"`
			MaxResults int               `json:"maxResults"`
			Total      int               `json:"total"`
			Issues     []json.RawMessage `json:"issues"`
			Names      map[string]string `json:"names"`
		}
		data, _ := os.ReadFile(filepath.Join(dir, name))
		if err := json.Unmarshal(data, &page); err != nil {
			t.Fatal(err)
		}
		want := 1000
		if i == 2 {
			want = 500
		}
		if page.StartAt != i*1000 || page.MaxResults != 1000 || page.Total != 2500 || len(page.Issues) != want || page.Names != nil {
			t.Errorf("%s: startAt %d maxResults %d total %d, %d issues, names %v", name, page.StartAt, page.MaxResults, page.Total, len(page.Issues), page.Names)
		}
	}
	cfg, err := config.Load(filepath.Join(dir, fixtures.ConfigFile), false)
	if err != nil {
		t.Fatal(err)
	}
	w := openTestWarehouse(t)
	for _, r := range ingestPaths(t, w, Options{Config: cfg}, dir) {
		if r.Err != nil || r.Rejected > 0 {
			t.Errorf("%s (%s): %v, %d rejected", r.File, r.Format, r.Err, r.Rejected)
		}
	}
	var items, points, hours, sprints, histories, links, releases int
	w.DB.QueryRow(`select count(*), count(story_points), count(original_estimate_hours), count(*) filter (where len(sprints) > 0 and sprints[1] like '% Sprint %'),
		(select count(*) from work_item_transitions), (select count(*) from work_item_links), (select count(*) from releases) from work_items`).
		Scan(&items, &points, &hours, &sprints, &histories, &links, &releases)
	if items != 2500 || points == 0 || hours == 0 || sprints == 0 || histories < 2*items || links == 0 || releases == 0 {
		t.Errorf("items %d, with points %d, hours %d, sprints %d; histories %d, links %d, releases %d", items, points, hours, sprints, histories, links, releases)
	}
	ms, err := models.Models()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Build(context.Background(), ms, models.Settings{AsOf: m.End, Config: cfg}, nil); err != nil {
		t.Fatal(err)
	}
	var teams string
	w.DB.QueryRow(`select string_agg(distinct team, ',' order by team) from stg_relscope__work_items`).Scan(&teams)
	if teams != "Checkout,Identity,Mobile,Payments,Platform,Search" {
		t.Errorf("teams %s", teams)
	}
}

// Within one run, a later file that repeats an earlier file's keys still replaces those rows:
// the run's key index learns what each committed file stored.
func TestSameRunLaterFileUpdates(t *testing.T) {
	// In one batch, and with every file a batch of its own (committed in the background
	// while the next is read).
	for _, per := range []int{1000, 1} {
		old := testTuning
		testTuning = Tuning{BatchFiles: per}
		testSameRunLaterFileUpdates(t)
		testTuning = old
	}
}

func testSameRunLaterFileUpdates(t *testing.T) {
	w := openTestWarehouse(t)
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.csv"), []byte("id,service,environment,status,finished_at\nd1,api,prod,success,2025-01-01T00:00:00Z\nd2,api,prod,success,2025-01-02T00:00:00Z\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "b.csv"), []byte("id,service,environment,status,finished_at\nd1,api,prod,rolled_back,2025-01-01T00:00:00Z\nd3,api,prod,success,2025-01-03T00:00:00Z\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "c_history.csv"), []byte("key,at,to\nA-1,2025-01-01,In Progress\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "d_history.csv"), []byte("key,at,to\nA-1,2025-01-01,In Progress\nA-1,2025-01-02,Done\n"), 0o644)
	ingestPaths(t, w, Options{}, dir)
	var n int
	var statuses string
	w.DB.QueryRow(`select count(*), string_agg(deployment_id || '=' || status, ' ' order by deployment_id) from deployments`).Scan(&n, &statuses)
	if n != 3 || statuses != "d1=rolled_back d2=success d3=success" {
		t.Errorf("deployments: %d %s", n, statuses)
	}
	w.DB.QueryRow(`select count(*) from work_item_transitions`).Scan(&n)
	if n != 2 {
		t.Errorf("%d transitions, want 2 (the repeated one stored once)", n)
	}
}

// A run leaves the warehouse's DuckDB settings as it found them — after a run that loaded,
// one whose files all failed, one that was cancelled and one whose paths were unusable — and
// changes no process-wide state (the Go runtime's GC policy is the program's, cmd's).
func TestRunRestoresSettings(t *testing.T) {
	w := openTestWarehouse(t)
	if _, err := w.DB.Exec("set global threads = 3; set global checkpoint_threshold = '32MB'"); err != nil {
		t.Fatal(err)
	}
	settings := func() string {
		var s string
		w.DB.QueryRow(`select string_agg(name || '=' || value, ' ' order by name) from duckdb_settings()
			where name in ('threads', 'checkpoint_threshold', 'write_buffer_row_group_count')`).Scan(&s)
		return s
	}
	before := settings()
	gc := debug.SetGCPercent(100)
	debug.SetGCPercent(gc)
	good := writeFile(t, "d.csv", deploymentsCSV)
	bad := writeFile(t, "x.csv", "a,b,c\n1,2,3\n")
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	for name, run := range map[string]func() error{
		"loaded":    func() error { return Run(context.Background(), w, []string{good}, Options{}, func(FileResult) {}) },
		"failed":    func() error { return Run(context.Background(), w, []string{bad}, Options{}, func(FileResult) {}) },
		"cancelled": func() error { return Run(cancelled, w, []string{good}, Options{}, func(FileResult) {}) },
		"no path": func() error {
			return Run(context.Background(), w, []string{"/nonexistent"}, Options{}, func(FileResult) {})
		},
		"tuned": func() error {
			return Run(context.Background(), w, []string{good}, Options{Force: true, Tuning: Tuning{Threads: 2, BatchFiles: 1}}, func(FileResult) {})
		},
	} {
		run()
		if got := settings(); got != before {
			t.Errorf("%s: settings %s, were %s", name, got, before)
		}
		if now := debug.SetGCPercent(gc); now != gc {
			t.Errorf("%s: GC percent %d, was %d", name, now, gc)
		}
	}
}

// A folder holding the warehouse beside the exports (relscope init, then relscope ingest .)
// loads the exports and leaves the warehouse's own files alone: the database, its WAL, and
// DuckDB's spill folder are not exports.
func TestFolderWithTheWarehouseInIt(t *testing.T) {
	dir := t.TempDir()
	w, err := models.Open(context.Background(), filepath.Join(dir, "relscope.duckdb"), models.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	os.WriteFile(filepath.Join(dir, "relscope.duckdb.wal"), []byte("\x00\x01wal"), 0o644)
	os.MkdirAll(filepath.Join(dir, "relscope.duckdb.tmp"), 0o755)
	os.WriteFile(filepath.Join(dir, "relscope.duckdb.tmp", "duckdb_temp_storage-0.tmp"), []byte("\x00spill"), 0o644)
	writeDeployments(t, dir, "deployments.csv", "d1", "d2")
	res := ingestPaths(t, w, Options{}, dir)
	if len(res) != 1 || res[0].Err != nil || res[0].Loaded != 2 {
		t.Fatalf("results %+v: want deployments.csv alone, loaded", res)
	}
}
