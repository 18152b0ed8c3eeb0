package ingest

import (
	"context"
	"strconv"
	"testing"
	"time"
)

// The sink's table writers (Arrow in make's builds, DuckDB's Appender in a plain go build; make
// test runs this in both) store every column type — text, lists (empty and not), doubles,
// timestamps, dates, booleans, bigints — and NULL for each unset value, in the order given,
// across several blocks; and leave nothing else behind in the catalog.
func TestTableWritersStoreEveryType(t *testing.T) {
	w := openTestWarehouse(t)
	ctx := context.Background()
	conn, err := w.DB.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "begin"); err != nil {
		t.Fatal(err)
	}
	s, err := newSink(ctx, conn, nil)
	if err != nil {
		t.Fatal(err)
	}
	s.startFile(7, "f.csv")
	points, value := 2.5, 13.0
	at := time.Date(2025, 3, 4, 10, 15, 30, 123456000, time.FixedZone("CET", 3600))
	full := &WorkItem{Key: "A-1", Source: "jira", Project: "A", Team: "Payments", Type: "Story", Title: "é ✓ \"q\"",
		Description: "line1\nline2", Status: "Done", Category: "done", Priority: "High", Created: at,
		Updated: at.Add(time.Hour), Resolved: at.Add(2 * time.Hour), Committed: at.Add(30 * time.Minute),
		StoryPoints: &points, EstimateHours: &value, SpentHours: &value, FixVersions: []string{"1.0", "1.1"},
		Sprints: []string{}, Labels: []string{""}, Components: []string{"api"}, ParentKey: "A-0", EpicKey: "A-E",
		Assignee: "ana", URL: "https://x/A-1", BusinessValue: &value, TimeCriticality: &value, RiskReduction: &value,
		SecurityLevel: "internal", DueDate: time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC), IsPublic: true,
		Raw: `{"k":"v"}`}
	if err := s.WorkItem(full); err != nil {
		t.Fatal(err)
	}
	// Enough bare rows to span several Arrow blocks (32,768 rows each).
	const bare = 70000
	for i := range bare {
		if err := s.WorkItem(&WorkItem{Key: "B-" + strconv.Itoa(i), Source: "jira"}); err != nil {
			t.Fatal(err)
		}
	}
	released := false
	if err := s.Release(&Release{Name: "1.0", Source: "jira", IsReleased: &released, Released: at}); err != nil {
		t.Fatal(err)
	}
	if err := s.close(); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(ctx, "commit"); err != nil {
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
