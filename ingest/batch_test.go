package ingest

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/relscope/relscope/ingest/loader"
)

// failingFormat reads files named *.<suffix>: it loads one deployment, then fails as its mode
// says — "error": the file is malformed after a good row; "append": it hands DuckDB a row the
// table cannot take, which breaks the batch's transaction.
type failingFormat struct{ suffix, mode string }

func (f failingFormat) Name() string     { return "test-" + f.mode }
func (f failingFormat) Describe() string { return "test format" }
func (f failingFormat) Detect(s *Sniff) float64 {
	if strings.HasSuffix(s.Name, "."+f.suffix) {
		return 10
	}
	return 0
}
func (f failingFormat) Load(ctx context.Context, in *Input, sink Sink) error {
	sink.Record(1)
	d := &Deployment{ID: "boom-" + f.mode, Source: "test", Service: "api", Environment: "prod",
		Status: "success", Finished: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	if err := sink.Deployment(d); err != nil {
		return err
	}
	if f.mode == "cancel" {
		testCancel()
		return ctx.Err()
	}
	if f.mode == "append" {
		return sink.(*dbSink).b.Append(loader.Deployments, []driver.Value{"too", "few", "columns"})
	}
	return errors.New("malformed after its first record")
}

// testCancel is what a "cancel" file calls: the user pressing Ctrl-C while it loads.
var testCancel = func() {}

// writeDeployments writes a native deployments file with one successful deployment per id.
func writeDeployments(t *testing.T, dir, name string, ids ...string) {
	t.Helper()
	body := "id,service,environment,status,finished_at\n"
	for _, id := range ids {
		body += id + ",api,prod,success,2025-01-01T00:00:00Z\n"
	}
	if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

// withTestFormats makes ingestPaths (and testOptions) detect fs too, for the test.
func withTestFormats(t *testing.T, fs ...Format) {
	t.Helper()
	old := testExtraFormats
	testExtraFormats = fs
	t.Cleanup(func() { testExtraFormats = old })
}

// Files share a transaction, but a file that fails leaves nothing — neither its own rows nor
// a dent in its neighbours': the first file's last rows are still waiting to be appended when
// the second fails, and must survive its removal.
func TestBatchFailedFileLeavesNeighbours(t *testing.T) {
	withTestFormats(t, failingFormat{suffix: "bad", mode: "error"})
	dir := t.TempDir()
	writeDeployments(t, dir, "a.csv", "d1", "d2")
	os.WriteFile(filepath.Join(dir, "b.bad"), []byte("anything\n"), 0o644)
	writeDeployments(t, dir, "c.csv", "d3")
	w := openTestWarehouse(t)
	res := ingestPaths(t, w, Options{}, dir)
	if len(res) != 3 || res[0].Err != nil || res[2].Err != nil || res[1].Err == nil ||
		!strings.Contains(res[1].Err.Error(), "b.bad") || !strings.Contains(res[1].Err.Error(), "malformed") {
		t.Fatalf("results: %+v", res)
	}
	// a is ingest 1, c ingest 2: the failed file used no id.
	if res[0].IngestID != 1 || res[2].IngestID != 2 {
		t.Errorf("ingest ids %d, %d", res[0].IngestID, res[2].IngestID)
	}
	var ids string
	w.DB.QueryRow(`select string_agg(deployment_id, ',' order by deployment_id) from deployments`).Scan(&ids)
	if ids != "d1,d2,d3" {
		t.Errorf("deployments %s, want d1,d2,d3", ids)
	}
	c := counts(t, w)
	if c["ingest_runs"] != 2 || c["ingest_rejects"] != 0 {
		t.Errorf("counts %v", c)
	}
}

// When the transaction itself breaks, nothing of the batch is kept, and each file is loaded
// again on its own: only the culprit fails, and the results keep the files' order.
func TestBrokenBatchRetriesFilesAlone(t *testing.T) {
	withTestFormats(t, failingFormat{suffix: "broken", mode: "append"})
	dir := t.TempDir()
	writeDeployments(t, dir, "a.csv", "d1")
	os.WriteFile(filepath.Join(dir, "b.broken"), []byte("anything\n"), 0o644)
	writeDeployments(t, dir, "c.csv", "d3")
	writeDeployments(t, dir, "d.csv", "d3")
	w := openTestWarehouse(t)
	res := ingestPaths(t, w, Options{}, dir)
	var got []string
	for _, r := range res {
		switch {
		case r.Err != nil:
			got = append(got, filepath.Base(r.File)+":failed")
		case r.SkippedAs > 0:
			got = append(got, filepath.Base(r.File)+":skipped")
		default:
			got = append(got, filepath.Base(r.File)+":loaded")
		}
	}
	// d.csv has c.csv's content: skipped as already ingested, once c is committed.
	if strings.Join(got, " ") != "a.csv:loaded b.broken:failed c.csv:loaded d.csv:skipped" {
		t.Errorf("results: %v", got)
	}
	var ids string
	w.DB.QueryRow(`select string_agg(deployment_id, ',' order by deployment_id) from deployments`).Scan(&ids)
	if ids != "d1,d3" {
		t.Errorf("deployments %s, want d1,d3", ids)
	}
	if c := counts(t, w); c["ingest_runs"] != 2 {
		t.Errorf("ingest_runs %d, want 2", c["ingest_runs"])
	}
}

// Ctrl-C in the middle of a batch rolls the whole batch back: the files before it in the batch
// are reported as not loaded (they were never committed), and Run returns the cancellation.
func TestCancelMidBatchRollsBack(t *testing.T) {
	withTestFormats(t, failingFormat{suffix: "stop", mode: "cancel"})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	testCancel = cancel
	defer func() { testCancel = func() {} }()
	dir := t.TempDir()
	writeDeployments(t, dir, "a.csv", "d1")
	os.WriteFile(filepath.Join(dir, "b.stop"), []byte("anything\n"), 0o644)
	writeDeployments(t, dir, "c.csv", "d3")
	w := openTestWarehouse(t)
	var res []FileResult
	opt := testOptions(Options{Dates: DateParser{Loc: time.UTC}})
	err := Run(ctx, w, []string{dir}, opt, func(r FileResult) { res = append(res, r) })
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Run: %v, want context.Canceled", err)
	}
	if len(res) != 2 || res[0].Err == nil || !strings.Contains(res[0].Err.Error(), "a.csv: interrupted before it was committed") ||
		res[1].Err == nil || !strings.Contains(res[1].Err.Error(), "interrupted") {
		t.Fatalf("results: %+v", res)
	}
	for tbl, n := range counts(t, w) {
		if n != 0 {
			t.Errorf("%s has %d rows after the interrupted run", tbl, n)
		}
	}
}

// A batch whose commit fails while the next is already being read: the next is rolled back
// too, the failed batch's files are retried alone, and the next batch's files read again after
// them — results and ingest ids stay in file order.
func TestFailedCommitWhileNextBatchReads(t *testing.T) {
	withTestFormats(t, failingFormat{suffix: "broken", mode: "append"})
	withTuning(t, Tuning{BatchFiles: 2})
	dir := t.TempDir()
	for _, f := range []string{"a", "c", "d", "e"} {
		writeDeployments(t, dir, f+".csv", f)
	}
	os.WriteFile(filepath.Join(dir, "b.broken"), []byte("anything\n"), 0o644)
	w := openTestWarehouse(t)
	var got []string
	for _, r := range ingestPaths(t, w, Options{}, dir) {
		if r.Err != nil {
			got = append(got, filepath.Base(r.File)+":failed")
		} else {
			got = append(got, fmt.Sprintf("%s:%d", filepath.Base(r.File), r.IngestID))
		}
	}
	if strings.Join(got, " ") != "a.csv:1 b.broken:failed c.csv:2 d.csv:3 e.csv:4" {
		t.Errorf("results: %v", got)
	}
	var ids string
	w.DB.QueryRow(`select string_agg(deployment_id || '@' || ingest_id, ',' order by deployment_id) from deployments`).Scan(&ids)
	if ids != "a@1,c@2,d@3,e@4" {
		t.Errorf("deployments %s", ids)
	}
}
