package ingest

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/relscope/relscope/models"
)

// itemsCSV is a native work_items.csv holding the given keys (project = the key's prefix).
func itemsCSV(keys ...string) string {
	var b strings.Builder
	b.WriteString("key,type,status,created_at\n")
	for _, k := range keys {
		b.WriteString(k + ",Story,In Progress,2025-01-02\n")
	}
	return b.String()
}

// removed lists the items work_item_removals holds.
func removed(t *testing.T, w *models.Warehouse) []string {
	t.Helper()
	rows, err := w.DB.Query(`select item_key from work_item_removals order by item_key`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var k string
		rows.Scan(&k)
		out = append(out, k)
	}
	return out
}

func snapshot(t *testing.T, w *models.Warehouse, paths ...string) SnapshotResult {
	t.Helper()
	var got *SnapshotResult
	res := ingestPaths(t, w, Options{Snapshot: true, SnapshotDone: func(r SnapshotResult) { got = &r }}, paths...)
	for _, r := range res {
		if r.Err != nil && !strings.Contains(r.File, "bad") {
			t.Fatalf("%s: %v", r.File, r.Err)
		}
	}
	if got == nil {
		t.Fatal("SnapshotDone not called")
	}
	return *got
}

// A snapshot removes the items of its projects it no longer holds, and only those; a
// filtered export without the flag removes nothing; a returning item is restored; an
// unchanged snapshot is skipped whole; a snapshot with a file that fails removes nothing.
func TestSnapshotRemovesAndRestores(t *testing.T) {
	w := openTestWarehouse(t)
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	// Week 1: PAY-1..3 and OPS-1. Nothing stored before: nothing to remove.
	if r := snapshot(t, w, write("w1.csv", itemsCSV("PAY-1", "PAY-2", "PAY-3", "OPS-1"))); r.Removed != 0 || r.Projects != 2 || r.NotApplied != "" {
		t.Errorf("week 1: %+v", r)
	}
	// A filtered export (one item, no flag) never removes anything.
	ingestPaths(t, w, Options{}, write("filtered.csv", itemsCSV("PAY-4")))
	if got := removed(t, w); len(got) != 0 {
		t.Errorf("filtered export removed %v", got)
	}
	// Week 2, split over two files (as paginated exports are): PAY-1 and PAY-3. PAY-2 and
	// PAY-4 are gone from project PAY → removed (2). OPS is not in this snapshot at all →
	// OPS-1 stays. 1 project.
	r := snapshot(t, w, write("w2a.csv", itemsCSV("PAY-1")), write("w2b.csv", itemsCSV("PAY-3")))
	if r.Removed != 2 || r.Projects != 1 || r.Restored != 0 {
		t.Errorf("week 2: %+v", r)
	}
	if got := removed(t, w); !slices.Equal(got, []string{"PAY-2", "PAY-4"}) {
		t.Errorf("week 2 removed %v", got)
	}
	// Week 3: PAY-1 and PAY-2. PAY-2 is back → restored (1); PAY-3 gone → removed (1);
	// PAY-4 stays removed. The rows themselves are all kept.
	w3 := write("w3.csv", itemsCSV("PAY-1", "PAY-2"))
	r = snapshot(t, w, w3)
	if r.Removed != 1 || r.Restored != 1 {
		t.Errorf("week 3: %+v", r)
	}
	if got := removed(t, w); !slices.Equal(got, []string{"PAY-3", "PAY-4"}) {
		t.Errorf("week 3 removed %v", got)
	}
	var n int
	w.DB.QueryRow(`select count(*) from work_items`).Scan(&n)
	if n != 5 {
		t.Errorf("%d work items kept, want 5", n)
	}
	// The same file again: unchanged, skipped whole, nothing changes.
	if r := snapshot(t, w, w3); r.NotApplied == "" || !strings.Contains(r.NotApplied, "unchanged") {
		t.Errorf("unchanged snapshot: %+v", r)
	}
	// A snapshot with a file that does not load removes nothing (PAY-1 alone would remove PAY-2).
	r = snapshot(t, w, write("w4.csv", itemsCSV("PAY-1")), write("bad.csv", "key,type\nPAY-9\n"))
	if r.NotApplied == "" || r.Removed != 0 {
		t.Errorf("failed snapshot: %+v", r)
	}
	if got := removed(t, w); !slices.Equal(got, []string{"PAY-3", "PAY-4"}) {
		t.Errorf("after the failed snapshot removed %v", got)
	}
	// Any later export holding a removed item restores it, flag or not (PAY-5 is new, so the
	// file is not the filtered one again).
	ingestPaths(t, w, Options{}, write("late.csv", itemsCSV("PAY-4", "PAY-5")))
	if got := removed(t, w); !slices.Equal(got, []string{"PAY-3"}) {
		t.Errorf("after PAY-4 came back removed %v", got)
	}
}
