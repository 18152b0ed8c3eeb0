package models

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestOpenCreatesCanonicalTables(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "w.duckdb")
	w, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if v, err := w.SchemaVersion(ctx); err != nil || v != LatestVersion() {
		t.Fatalf("version %d, %v", v, err)
	}
	for _, tbl := range []string{"work_items", "work_item_transitions", "work_item_links", "releases", "deployments",
		"incidents", "changes", "ingest_runs", "ingest_rejects"} {
		var n int
		if err := w.DB.QueryRow(`select count(*) from duckdb_tables() where table_name = ?`, tbl).Scan(&n); err != nil || n != 1 {
			t.Errorf("table %s: %d, %v", tbl, n, err)
		}
	}
	// Times are stored and read in UTC whatever the machine's zone.
	var tz string
	w.DB.QueryRow(`select current_setting('TimeZone')`).Scan(&tz)
	if tz != "UTC" {
		t.Errorf("TimeZone %q", tz)
	}
}

// openTemp opens a fresh warehouse in a temporary folder.
func openTemp(t *testing.T) (*Warehouse, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "w.duckdb")
	w, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	return w, path
}

func TestMigrateUpgradesOlderWarehouse(t *testing.T) {
	ctx := context.Background()
	w, _ := openTemp(t)
	w.DB.Exec(`insert into deployments (deployment_id, source, ingest_id) values ('d1', 'native', 1)`)
	// A later relscope adds a migration: opening the old file applies only that one, and
	// the data already there survives.
	next := append(migrations(), migration{version: LatestVersion() + 1, name: "test_add_column",
		sql: `alter table deployments add column region varchar`})
	if err := w.migrate(ctx, next); err != nil {
		t.Fatal(err)
	}
	if v, _ := w.SchemaVersion(ctx); v != LatestVersion()+1 {
		t.Errorf("version %d after upgrade", v)
	}
	var n int
	if err := w.DB.QueryRow(`select count(*) from deployments where region is null and deployment_id = 'd1'`).Scan(&n); err != nil || n != 1 {
		t.Errorf("upgrade lost data or column: %d %v", n, err)
	}
	// A failing migration leaves the version where it was.
	bad := append(next, migration{version: LatestVersion() + 2, name: "bad", sql: `alter table nope add column x int`})
	if err := w.migrate(ctx, bad); err == nil || !strings.Contains(err.Error(), "bad") {
		t.Errorf("bad migration: %v", err)
	}
	if v, _ := w.SchemaVersion(ctx); v != LatestVersion()+1 {
		t.Errorf("version %d after failed migration", v)
	}
}

func TestNewerWarehouseRefused(t *testing.T) {
	ctx := context.Background()
	w, path := openTemp(t)
	w.DB.Exec(`update relscope_meta set value = '999' where key = 'schema_version'`)
	w.Close()
	for _, ro := range []bool{false, true} {
		_, err := Open(ctx, path, Options{ReadOnly: ro})
		if err == nil || !strings.Contains(err.Error(), "newer than this relscope") || !strings.Contains(err.Error(), "999") {
			t.Errorf("read-only %v: %v", ro, err)
		}
	}
}

func TestReadOnlyMissingFile(t *testing.T) {
	_, err := Open(context.Background(), filepath.Join(t.TempDir(), "none.duckdb"), Options{ReadOnly: true})
	if err == nil || !strings.Contains(err.Error(), "relscope init") {
		t.Errorf("missing read-only warehouse: %v", err)
	}
}

// A reader opening an older warehouse gets it upgraded rather than refused.
func TestReadOnlyOpenUpgrades(t *testing.T) {
	ctx := context.Background()
	w, path := openTemp(t)
	w.DB.Exec(`update relscope_meta set value = '1' where key = 'schema_version'`)
	// Undo what migration 2 did, as a version-1 warehouse would be.
	w.DB.Exec(`comment on table deployments is null`)
	w.Close()
	ro, err := Open(ctx, path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	if v, _ := ro.SchemaVersion(ctx); v != LatestVersion() {
		t.Errorf("version %d after read-only open", v)
	}
}

// DuckDB's errors reach callers typed: an interrupted statement is context.Canceled (so
// Ctrl-C during build says "interrupted"), a write to a read-only warehouse ErrReadOnly, and
// the message is DuckDB's own without the driver's prefix.
func TestCleanErrorTypes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "w.duckdb")
	w, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	_, err = w.DB.ExecContext(ctx, "select sum(i * i) from range(100000000000) t(i)")
	err = CleanError(fmt.Errorf("model x: %w", err))
	if !errors.Is(err, context.Canceled) {
		t.Errorf("interrupted statement: %v (%T) is not context.Canceled", err, err)
	}
	var de *DBError
	if errors.As(err, &de) && strings.HasPrefix(de.Error(), "database/sql/driver") {
		t.Errorf("message keeps the driver's prefix: %s", de.Error())
	}
	w.Close()

	ro, err := Open(context.Background(), path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	_, err = ro.DB.Exec("insert into relscope_meta values ('k', 'v')")
	err = CleanError(err)
	if !errors.Is(err, ErrReadOnly) || errors.Is(err, context.Canceled) {
		t.Errorf("write on a read-only warehouse: %v", err)
	}
	if CleanError(nil) != nil || CleanError(context.Canceled) != context.Canceled {
		t.Error("nil and a context's own error must pass unchanged")
	}
}

// ReturnMemory turns DuckDB's allocator background thread on; without it DuckDB's default
// (off) stays.
func TestOpenReturnMemory(t *testing.T) {
	ctx := context.Background()
	for _, on := range []bool{false, true} {
		path := filepath.Join(t.TempDir(), "w.duckdb")
		w, err := Open(ctx, path, Options{ReturnMemory: on})
		if err != nil {
			t.Fatal(err)
		}
		var got bool
		if err := w.DB.QueryRowContext(ctx, "select current_setting('allocator_background_threads')").Scan(&got); err != nil || got != on {
			t.Errorf("ReturnMemory %v: allocator_background_threads %v (%v)", on, got, err)
		}
		w.Close()
	}
}
