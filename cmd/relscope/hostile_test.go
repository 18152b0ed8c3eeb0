package main

// DESIGN §9: "Bad input is rejected with file, line and reason, never a panic." Every file of
// ingest/testdata/hostile (small ones, committed) and a few big ones generated here is
// ingested, one at a time, into a warehouse holding data already: each must exit 0 with its
// rows loaded or rejected (every row accounted for) or exit 1 with a message naming the
// file; never a panic; and a file that fails must leave every table exactly as it was —
// compared by content, not counts, including files whose keys overlap stored rows. What
// each file gives is pinned in testdata/hostile.golden (-update rewrites it; read the diff).

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/relscope/relscope/internal/contentsum"
	"github.com/relscope/relscope/internal/golden"
	"github.com/relscope/relscope/models"
)

const hostileDir = "../../ingest/testdata/hostile"

var timing = regexp.MustCompile(`\(ingest (\d+), [^)]*\)`)

// generateHostile writes the hostile files too big to commit (DESIGN: no file over a few
// hundred KB in git) and those that overlap the keys the test stores first.
func generateHostile(t *testing.T, dir string) []string {
	t.Helper()
	const dep = "id,service,environment,status,finished_at,description\n"
	files := map[string]func(w *bufio.Writer){
		// A 5 MB field, and a row after it.
		"field_5mb.csv": func(w *bufio.Writer) {
			w.WriteString(dep + "f1,svc,production,success,2025-03-01T10:00:00Z,")
			w.WriteString(strings.Repeat("x", 5<<20))
			w.WriteString("\nf2,svc,production,success,2025-03-01T10:00:00Z,after the big one\n")
		},
		// A header of 200,000 columns (a CSV bomb) and one row of as many empty fields.
		"csv_bomb_columns.csv": func(w *bufio.Writer) {
			w.WriteString("id,service,environment,status,finished_at")
			for i := 0; i < 200000; i++ {
				fmt.Fprintf(w, ",c%d", i)
			}
			w.WriteString("\nb1,svc,production,success,2025-03-01T10:00:00Z" + strings.Repeat(",", 200000) + "\n")
		},
		// A million nested arrays, half a million nested objects.
		"deep_array.json":  func(w *bufio.Writer) { w.WriteString(strings.Repeat("[", 1e6) + strings.Repeat("]", 1e6)) },
		"deep_object.json": func(w *bufio.Writer) { w.WriteString(strings.Repeat(`{"a":`, 5e5) + "1" + strings.Repeat("}", 5e5)) },
		// A valid Jira page whose one custom field nests 200,000 deep.
		"jira_deep_field.json": func(w *bufio.Writer) {
			w.WriteString(`{"startAt":0,"total":1,"issues":[{"key":"DEEP-1","fields":{"summary":"d","issuetype":{"name":"Story"},"status":{"name":"Done"},"created":"2025-03-01T09:00:00.000+0000","customfield_1":`)
			w.WriteString(strings.Repeat("[", 2e5) + strings.Repeat("]", 2e5) + "}}]}")
		},
		// 20 MB on one line, no newline at all.
		"long_line_no_newline.csv": func(w *bufio.Writer) { w.WriteString(strings.Repeat("a", 20<<20)) },
		// 200,000 rows, every one rejected.
		"all_rows_rejected.csv": func(w *bufio.Writer) {
			w.WriteString(dep)
			for i := 0; i < 200000; i++ {
				fmt.Fprintf(w, "r%d,svc,production,exploded,2025-03-01T10:00:00Z,\n", i)
			}
		},
		// Updates of stored deployments, every row of them rejected: the file fails, and the
		// stored rows it names stay as they were.
		"overlap_every_row_rejected.csv": func(w *bufio.Writer) {
			w.WriteString(dep)
			for i := 0; i < 50; i++ {
				fmt.Fprintf(w, "dep-%07d,svc-00,production,success,the day after,updated\n", i)
			}
		},
		// A Jira page whose first issues update stored ones (PAY-201, PAY-202) and that is cut
		// off inside the third: its rows were written before the failure, and are taken out.
		"overlap_truncated_jira.json": func(w *bufio.Writer) {
			w.WriteString(`{"startAt":0,"maxResults":50,"total":3,"issues":[`)
			for _, k := range []string{"PAY-201", "PAY-202"} {
				fmt.Fprintf(w, `{"key":%q,"fields":{"summary":"overwritten by a broken page","issuetype":{"name":"Bug"},"status":{"name":"Done","statusCategory":{"key":"done"}},"project":{"key":"PAY"},"created":"2025-03-01T09:00:00.000+0000"}},`, k)
			}
			w.WriteString(`{"key":"PAY-203","fields":{"summary":"cut off he`)
		},
		// A NUL byte far past the part read to detect the format (64 KB), after rows that
		// update stored deployments: a NUL inside a field is data, and the file loads.
		"overlap_late_nul.csv": func(w *bufio.Writer) {
			w.WriteString(dep)
			for i := 0; i < 3000; i++ {
				fmt.Fprintf(w, "dep-%07d,svc-00,production,failed,2025-03-01T10:00:00Z,a later export\n", i)
			}
			w.WriteString("z1,svc,production,success,2025-03-01T10:00:00Z,nul\x00here\n")
		},
	}
	var paths []string
	for name, fill := range files {
		p := filepath.Join(dir, name)
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		w := bufio.NewWriterSize(f, 1<<20)
		fill(w)
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		f.Close()
		if info, _ := os.Stat(p); info.Size() < 1<<10 && !strings.HasPrefix(name, "overlap_") {
			t.Fatalf("%s: %d bytes, meant to be big", name, info.Size())
		}
		paths = append(paths, p)
	}
	sort.Strings(paths)
	return paths
}

// ingestInProcess runs `relscope ingest` through run, as main does, and returns its exit
// code and stderr.
func ingestInProcess(t *testing.T, db, file string) (int, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"--db", db, "--lock-timeout", "0", "ingest", file}, strings.NewReader(""), &stdout, &stderr)
	return code, stderr.String()
}

func TestHostileInputs(t *testing.T) {
	if testing.Short() {
		t.Skip("ingests ~90 hostile files (-short)")
	}
	committed, err := filepath.Glob(filepath.Join(hostileDir, "*"))
	if err != nil || len(committed) < 50 {
		t.Fatalf("%d files in %s (%v): the corpus holds at least 50", len(committed), hostileDir, err)
	}
	for _, f := range committed {
		if info, err := os.Stat(f); err != nil || info.Size() > 300<<10 {
			t.Errorf("%s: %v bytes: generate big files in the test, do not commit them", f, info.Size())
		}
	}
	dir := t.TempDir()
	generated := generateHostile(t, dir)
	db := filepath.Join(dir, "w.duckdb")
	// What is stored before: deployments the overlap files update, and a Jira page.
	writeDeploymentsCSV(t, filepath.Join(dir, "stored.csv"), 0, 1000, 0)
	for _, f := range []string{filepath.Join(dir, "stored.csv"), "../../ingest/testdata/jira_search.json"} {
		if code, stderr := ingestInProcess(t, db, f); code != 0 {
			t.Fatalf("loading %s: exit %d\n%s", f, code, stderr)
		}
	}

	named := regexp.MustCompile(`relscope: (\S+): `)
	var report strings.Builder
	for _, f := range append(committed, generated...) {
		name := filepath.Base(f)
		before := hostileSums(t, db)
		code, stderr := ingestInProcess(t, db, f)
		noPanic(t, name, stderr)
		first, _, _ := strings.Cut(strings.ReplaceAll(stderr, f, name), "\n")
		// The golden file keeps what a reader checks, not what changes from run to run (the
		// time taken) or as formats are added (the list of those tried).
		first = timing.ReplaceAllString(first, "(ingest $1)")
		first, _, _ = strings.Cut(first, "; tried ")
		fmt.Fprintf(&report, "%s: exit %d: %s\n", name, code, first)
		switch code {
		case 1:
			m := named.FindStringSubmatch(stderr)
			if m == nil || filepath.Base(m[1]) != name {
				t.Errorf("%s: exit 1, but the message does not begin by naming the file:\n%s", name, stderr)
			}
			if d := contentsum.Diff(hostileSums(t, db), before); d != nil {
				t.Errorf("%s failed but changed the warehouse:\n  %s", name, strings.Join(d, "\n  "))
			}
		case 0:
			checkAccounted(t, db, name)
		default:
			t.Errorf("%s: exit %d, want 0 (loaded, with rejects) or 1 (not loaded)\n%s", name, code, stderr)
		}
	}
	golden.File(t, "testdata/hostile.golden", []byte(report.String()))
}

// hostileSums fingerprints every table of the warehouse.
func hostileSums(t *testing.T, db string) contentsum.Sums {
	t.Helper()
	ctx := context.Background()
	w, err := models.Open(ctx, db, models.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	s, err := contentsum.Of(ctx, w.DB, contentsum.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// checkAccounted: the newest ingest (the file's) counts every record as loaded or
// rejected, its rejects are all in ingest_rejects with a line and a reason, and the rows it
// loaded are in the canonical tables under its ingest id.
func checkAccounted(t *testing.T, db, name string) {
	t.Helper()
	ctx := context.Background()
	w, err := models.Open(ctx, db, models.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	var id, read, loaded, rejected, rejectRows, badRejects, stored int64
	var file string
	err = w.DB.QueryRowContext(ctx, `select ingest_id, file, rows_read, rows_loaded, rows_rejected,
		(select count(*) from ingest_rejects j where j.ingest_id = r.ingest_id),
		(select count(*) from ingest_rejects j where j.ingest_id = r.ingest_id and (j.line is null or j.line < 1 or coalesce(j.reason, '') = '')),
		(select count(*) from work_items w where w.ingest_id = r.ingest_id) + (select count(*) from deployments d where d.ingest_id = r.ingest_id)
		  + (select count(*) from incidents i where i.ingest_id = r.ingest_id) + (select count(*) from changes c where c.ingest_id = r.ingest_id)
		  + (select count(*) from releases l where l.ingest_id = r.ingest_id) + (select count(*) from work_item_transitions x where x.ingest_id = r.ingest_id)
		from ingest_runs r order by ingest_id desc limit 1`).Scan(&id, &file, &read, &loaded, &rejected, &rejectRows, &badRejects, &stored)
	if err != nil {
		t.Fatal(err)
	}
	switch {
	case filepath.Base(file) != name:
		t.Errorf("%s: exit 0, but the newest ingest is of %s", name, file)
	case loaded+rejected != read:
		t.Errorf("%s: %d read, %d loaded, %d rejected: rows unaccounted for", name, read, loaded, rejected)
	case rejectRows != rejected || badRejects > 0:
		t.Errorf("%s: %d rejected, %d in ingest_rejects, %d without a line or reason", name, rejected, rejectRows, badRejects)
	case loaded > 0 && stored == 0:
		t.Errorf("%s: %d rows loaded, none stored under ingest %d", name, loaded, id)
	}
}
