package loader

import (
	"context"
	"database/sql/driver"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

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

// workItem is a work_items row in the column order of the migrations (ingest/rows.go builds
// them from its WorkItem): key, source, then every optional column NULL unless set.
func workItem(key, source string, ingestID int64, set map[int]driver.Value) []driver.Value {
	row := make([]driver.Value, 34)
	row[0], row[1], row[30], row[31] = key, source, false, ingestID
	for i, v := range set {
		row[i] = v
	}
	return row
}

// The batch's table writers (Arrow in make's builds, DuckDB's Appender in a plain go build; make
// test runs this in both) store every column type — text, lists (empty and not), doubles,
// timestamps, dates, booleans, bigints — and NULL for each unset value, in the order given,
// across several blocks; and leave nothing else behind in the catalog.
func TestTableWritersStoreEveryType(t *testing.T) {
	w := openTestWarehouse(t)
	ctx := context.Background()
	b, err := Begin(ctx, w.DB, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	points, value := 2.5, 13.0
	at := time.Date(2025, 3, 4, 10, 15, 30, 123456000, time.FixedZone("CET", 3600))
	full := struct{ Title, Description, Raw string }{"é ✓ \"q\"", "line1\nline2", `{"k":"v"}`}
	// The columns of work_items, in order (models/migrations/0001_canonical_tables.sql, then
	// 0007's status_category_changed_at).
	row := []driver.Value{"A-1", "jira", "A", "Payments", "Story", full.Title, full.Description, "Done", "done", "High",
		at, at.Add(time.Hour), at.Add(2 * time.Hour), at.Add(30 * time.Minute), points, value, value,
		[]string{"1.0", "1.1"}, []string{}, []string{""}, []string{"api"}, "A-0", "A-E", "ana", "https://x/A-1",
		value, value, value, "internal", time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC), true, int64(7), full.Raw, at}
	if err := b.Add(WorkItems, row); err != nil {
		t.Fatal(err)
	}
	// Enough bare rows to span several Arrow blocks (32,768 rows each).
	const bare = 70000
	for i := range bare {
		if err := b.Add(WorkItems, workItem("B-"+strconv.Itoa(i), "jira", 7, nil)); err != nil {
			t.Fatal(err)
		}
	}
	release := []driver.Value{"1.0", "jira", "", nil, nil, at, false, nil, int64(7), nil}
	if err := b.Add(Releases, release); err != nil {
		t.Fatal(err)
	}
	if err := b.Commit(7, 7); err != nil {
		t.Fatal(err)
	}

	var got struct {
		title, desc, fix, sprints, labels, comps, created, due, raw string
		points, bv                                                  float64
		public                                                      bool
		id                                                          int64
	}
	err = w.DB.QueryRow(`select title, description, fix_versions::varchar, sprints::varchar, labels::varchar,
		components::varchar, strftime(created_at at time zone 'UTC', '%Y-%m-%d %H:%M:%S.%f'), due_date::varchar, raw,
		story_points, business_value, is_public, ingest_id from work_items where item_key = 'A-1'`).Scan(
		&got.title, &got.desc, &got.fix, &got.sprints, &got.labels, &got.comps, &got.created, &got.due, &got.raw,
		&got.points, &got.bv, &got.public, &got.id)
	if err != nil {
		t.Fatal(err)
	}
	// 10:15:30.123456 CET is 09:15:30.123456 UTC.
	want := [...]string{full.Title, full.Description, "[1.0, 1.1]", "[]", "['']", "[api]",
		"2025-03-04 09:15:30.123456", "2025-04-01", full.Raw}
	for i, g := range []string{got.title, got.desc, got.fix, got.sprints, got.labels, got.comps, got.created, got.due, got.raw} {
		if g != want[i] {
			t.Errorf("value %d = %q, want %q", i, g, want[i])
		}
	}
	if got.points != 2.5 || got.bv != 13 || !got.public || got.id != 7 {
		t.Errorf("story_points %v, business_value %v, is_public %v, ingest_id %d", got.points, got.bv, got.public, got.id)
	}

	// A bare row: every optional column NULL, is_public false; rows kept in the order sent.
	var nonNull, n int64
	var ordered bool
	err = w.DB.QueryRow(`select count(*) filter (where coalesce(project, team, title, status, priority, url, raw,
			created_at::varchar, story_points::varchar, fix_versions::varchar, due_date::varchar) is not null or is_public),
		count(*), bool_and(k = rn)
		from (select *, try_cast(substr(item_key, 3) as int) k, row_number() over (order by rowid) - 1 rn
			from work_items where item_key like 'B-%')`).Scan(&nonNull, &n, &ordered)
	if err != nil {
		t.Fatal(err)
	}
	if nonNull != 0 || n != bare || !ordered {
		t.Errorf("bare rows: %d with a value set, %d rows (want %d), in order %v", nonNull, n, bare, ordered)
	}
	var isReleased bool
	if err := w.DB.QueryRow(`select is_released from releases`).Scan(&isReleased); err != nil || isReleased {
		t.Errorf("is_released %v (%v), want false", isReleased, err)
	}
	var views int
	w.DB.QueryRow(`select count(*) from duckdb_views() where not internal`).Scan(&views)
	if views != 0 {
		t.Errorf("%d views left in the catalog", views)
	}
}

// A batch keeps the newest row of each key — over what is stored and within itself — and a
// discarded file leaves nothing, not even its rows still queued for the worker; a rolled-back
// batch leaves the tables as they were. (make test runs this with both writers.)
func TestBatchMergeDiscardRollback(t *testing.T) {
	w := openTestWarehouse(t)
	ctx := context.Background()
	keys := NewKeys(w.DB)
	title := func(s string) map[int]driver.Value { return map[int]driver.Value{5: s} }

	b, err := Begin(ctx, w.DB, keys, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range [][]driver.Value{workItem("A-1", "jira", 1, title("old")), workItem("A-2", "jira", 1, title("kept"))} {
		if err := b.Add(WorkItems, r); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.Commit(1, 1); err != nil {
		t.Fatal(err)
	}

	b, err = Begin(ctx, w.DB, keys, Options{})
	if err != nil {
		t.Fatal(err)
	}
	// File 2 updates A-1 twice (the later line wins); file 3 is discarded.
	for _, r := range [][]driver.Value{workItem("A-1", "jira", 2, title("first")), workItem("A-1", "jira", 2, title("new")),
		workItem("A-9", "jira", 3, nil)} {
		if err := b.Add(WorkItems, r); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.Discard(3); err != nil {
		t.Fatal(err)
	}
	if err := b.Commit(2, 3); err != nil {
		t.Fatal(err)
	}
	var got string
	w.DB.QueryRow(`select string_agg(item_key || '=' || title || '@' || ingest_id, ' ' order by item_key) from work_items`).Scan(&got)
	if want := "A-1=new@2 A-2=kept@1"; got != want {
		t.Errorf("work_items %s, want %s", got, want)
	}

	b, err = Begin(ctx, w.DB, keys, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Add(WorkItems, workItem("A-2", "jira", 4, title("gone"))); err != nil {
		t.Fatal(err)
	}
	b.Rollback()
	w.DB.QueryRow(`select string_agg(item_key || '=' || title || '@' || ingest_id, ' ' order by item_key) from work_items`).Scan(&got)
	if want := "A-1=new@2 A-2=kept@1"; got != want {
		t.Errorf("after rollback: work_items %s, want %s", got, want)
	}
}

// A row the table cannot take fails the batch once, naming the table — from Add or at the
// latest from Commit — and Rollback after it leaves nothing.
func TestBatchFailedInsert(t *testing.T) {
	w := openTestWarehouse(t)
	ctx := context.Background()
	b, err := Begin(ctx, w.DB, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Add(WorkItems, workItem("A-1", "jira", 1, nil)); err != nil {
		t.Fatal(err)
	}
	err = b.Append(Deployments, []driver.Value{"too", "few", "columns"})
	if err == nil {
		err = b.Commit(1, 1)
	}
	if err == nil || !strings.Contains(err.Error(), "deployments") || strings.Count(err.Error(), "append to") > 1 {
		t.Fatalf("error %v, want one naming deployments", err)
	}
	b.Rollback()
	var n int
	w.DB.QueryRow(`select count(*) from work_items`).Scan(&n)
	if n != 0 {
		t.Errorf("%d work items after the failed batch", n)
	}
}

// The rows queued for the worker never hold more than the batch's byte budget (half of
// Options.BufferBytes), however long they are: 40 MB of 20 KB rows pass through a 1 MB buffer,
// and all of them are stored. (Counted in rows alone, the queue held 131,072 rows of any
// length.)
func TestBatchQueueBoundedByBytes(t *testing.T) {
	w := openTestWarehouse(t)
	ctx := context.Background()
	opt := Options{BufferBytes: 1 << 20}
	b, err := Begin(ctx, w.DB, nil, opt)
	if err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("x", 20<<10)
	const rows = 2000
	var most int64
	for i := range rows {
		if err := b.Add(WorkItems, workItem("A-"+strconv.Itoa(i), "jira", 1, map[int]driver.Value{6: long})); err != nil {
			t.Fatal(err)
		}
		b.queued.mu.Lock()
		most = max(most, b.queued.used)
		b.queued.mu.Unlock()
	}
	if err := b.Commit(1, 1); err != nil {
		t.Fatal(err)
	}
	if limit := opt.queueBytes(); most > limit || most == 0 {
		t.Errorf("the queue held up to %d bytes, want at most %d (and some)", most, limit)
	}
	var n int
	w.DB.QueryRow(`select count(*) from work_items where length(description) = ?`, len(long)).Scan(&n)
	if n != rows {
		t.Errorf("%d rows stored, want %d", n, rows)
	}
}

// A batch that reaches its commit commits, even if the ingest is interrupted then: an
// interrupt during DuckDB's commit fails the statement though the rows are stored, which
// would report an ingest interrupted whose rows are in the warehouse. Here the interrupt
// comes just before the commit statement.
func TestBatchCommitsOnceMerged(t *testing.T) {
	w := openTestWarehouse(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	b, err := Begin(ctx, w.DB, NewKeys(w.DB), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Add(WorkItems, workItem("A-1", "jira", 1, nil)); err != nil {
		t.Fatal(err)
	}
	beforeCommit = cancel
	defer func() { beforeCommit = nil }()
	if err := b.Commit(1, 1); err != nil {
		t.Fatalf("interrupted at the commit: %v", err)
	}
	var n int
	if err := w.DB.QueryRow(`select count(*) from work_items`).Scan(&n); err != nil || n != 1 {
		t.Errorf("work_items: %d rows, %v", n, err)
	}
}
