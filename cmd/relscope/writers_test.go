package main

// The two builds of ingest's table writers — Arrow blocks (make's duckdb_arrow tag) and
// DuckDB's Appender (a plain go build) — must store the same rows. One test run builds both
// binaries, ingests the same exports with each (every export format relscope reads, and the
// hostile files that load), and compares every canonical table column by column.

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/relscope/relscope/fixtures"
	"github.com/relscope/relscope/internal/contentsum"
)

func TestArrowAndAppenderStoreTheSame(t *testing.T) {
	if testing.Short() {
		t.Skip("builds relscope twice (-short)")
	}
	t.Parallel()
	dir := t.TempDir()
	exports := filepath.Join(dir, "exports")
	if _, err := fixtures.Generate(fixtures.Options{Scale: 3000, Seed: 7, Out: exports, Mixed: true}); err != nil {
		t.Fatal(err)
	}
	// The real-world samples and the hostile files that load, for their odd values (NUL in a
	// field, control characters, a 5 MB field, invalid UTF-8, extreme numbers, …).
	odd := filepath.Join(exports, "odd")
	os.MkdirAll(odd, 0o755)
	samples, _ := filepath.Glob("../../ingest/testdata/*.*")
	hostile, _ := filepath.Glob(filepath.Join(hostileDir, "*"))
	for _, f := range append(samples, hostile...) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(odd, filepath.Base(f)), data, 0o644)
	}
	for _, f := range generateHostile(t, odd) {
		if strings.HasPrefix(filepath.Base(f), "overlap_") {
			os.Remove(f) // they update keys only another test stores
		}
	}

	dbs := map[bool]string{}
	for _, arrow := range []bool{true, false} {
		bin := buildRelscope(t, arrow)
		db := filepath.Join(dir, filepath.Base(bin)+".duckdb")
		// Same folder, same relative paths: ingest_runs.file and ingest_rejects.file agree.
		res := proc{bin: bin, dir: exports}.run(t, "--db", db, "--config", fixtures.ConfigFile, "ingest", ".")
		if res.code != 0 && res.code != 1 { // some hostile files fail, the same in both
			t.Fatalf("%s: exit %d\n%s", filepath.Base(bin), res.code, tail(res.stderr, 2000))
		}
		dbs[arrow] = db
	}
	compareWarehouses(t, dbs[true], dbs[false])
}

// compareWarehouses compares every table of two warehouses column by column (but for the
// times an ingest ran), and shows a few rows of a table that differs.
func compareWarehouses(t *testing.T, arrowDB, appenderDB string) {
	t.Helper()
	ctx := context.Background()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	for name, path := range map[string]string{"arrow": arrowDB, "appender": appenderDB} {
		if _, err := db.ExecContext(ctx, fmt.Sprintf(`attach '%s' as %s (read_only)`, strings.ReplaceAll(path, "'", "''"), name)); err != nil {
			t.Fatal(err)
		}
	}
	sums := map[string]contentsum.Sums{}
	for _, name := range []string{"arrow", "appender"} {
		s, err := contentsum.Of(ctx, db, contentsum.Options{Catalog: name, Match: stateTables, Skip: runColumns})
		if err != nil {
			t.Fatal(err)
		}
		sums[name] = s
	}
	canonical := []string{"work_items", "work_item_transitions", "work_item_links", "releases", "deployments",
		"incidents", "changes", "ingest_runs", "ingest_rejects"}
	for _, tbl := range canonical {
		if sums["arrow"][tbl].Rows == 0 {
			t.Errorf("%s is empty: the comparison proves nothing for it", tbl)
		}
	}
	d := contentsum.Diff(sums["arrow"], sums["appender"])
	for _, line := range d {
		t.Errorf("arrow against appender: %s", line)
	}
	differs := map[string]bool{}
	for _, line := range d {
		tbl, _, _ := strings.Cut(line, ".")
		tbl, _, _ = strings.Cut(tbl, ":")
		differs[tbl] = true
	}
	for tbl := range differs {
		rows, err := db.QueryContext(ctx, fmt.Sprintf(`(select 'arrow only' as side, * exclude (raw) from (select * from arrow.main.%[1]s except all select * from appender.main.%[1]s) limit 3)
			union all (select 'appender only', * exclude (raw) from (select * from appender.main.%[1]s except all select * from arrow.main.%[1]s) limit 3)`, tbl))
		if err != nil {
			continue // ingest_runs has no raw; the diff above says enough
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			rows.Scan(ptrs...)
			t.Logf("%s: %v", tbl, vals)
		}
		rows.Close()
	}
	t.Logf("compared %d tables: %d rows of work_items, %d of deployments, %d rejects", len(sums["arrow"]),
		sums["arrow"]["work_items"].Rows, sums["arrow"]["deployments"].Rows, sums["arrow"]["ingest_rejects"].Rows)
}
