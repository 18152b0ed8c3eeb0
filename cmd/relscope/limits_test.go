package main

// DESIGN §9: --memory-limit and --temp-dir are honoured by build. On real relscope processes, with RELSCOPE_PEAK_RSS=1 (the process prints its
// peak resident memory, Linux VmHWM).

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/relscope/relscope/fixtures"
	"github.com/relscope/relscope/internal/contentsum"
)

var peakRSS = regexp.MustCompile(`relscope peak RSS: (\d+) kB`)

// peakMiB reads the peak RSS a process printed.
func peakMiB(t *testing.T, stderr string) float64 {
	t.Helper()
	m := peakRSS.FindStringSubmatch(stderr)
	if m == nil {
		t.Fatalf("no peak RSS printed:\n%s", tail(stderr, 1000))
	}
	kb, _ := strconv.ParseFloat(m[1], 64)
	return kb / 1024
}

// watchDir polls dir until stop is closed and reports the most bytes it ever held.
func watchDir(dir string, stop <-chan struct{}) <-chan int64 {
	out := make(chan int64, 1)
	go func() {
		var most int64
		for {
			var n int64
			filepath.Walk(dir, func(_ string, info os.FileInfo, err error) error {
				if err == nil && !info.IsDir() {
					n += info.Size()
				}
				return nil
			})
			most = max(most, n)
			select {
			case <-stop:
				out <- most
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	return out
}

// A build under a memory limit far below what it would use spills to --temp-dir and
// succeeds with the same marts; under a limit too small even for that it fails with
// DuckDB's out-of-memory error naming the limit, exit 1, no panic. (1M items under 1 GB is
// measured by hand: README.)
func TestBuildHonoursMemoryLimitAndTempDir(t *testing.T) {
	if testing.Short() {
		t.Skip("builds under a memory limit (-short)")
	}
	t.Parallel()
	dir := t.TempDir()
	if _, err := fixtures.Generate(fixtures.Options{Scale: 5000, Seed: 42, Out: filepath.Join(dir, "fx")}); err != nil {
		t.Fatal(err)
	}
	p := proc{bin: relscopeBinary(t), dir: dir, env: []string{"RELSCOPE_PEAK_RSS=1"}}
	base := filepath.Join(dir, "base.duckdb")
	p.mustRun(t, 0, "--db", base, "ingest", "fx")

	free := filepath.Join(dir, "free.duckdb")
	copyFile(t, base, free)
	unlimited := p.mustRun(t, 0, "--db", free, "build", "--as-of", "2026-10-30")

	limited := filepath.Join(dir, "limited.duckdb")
	copyFile(t, base, limited)
	spill := filepath.Join(dir, "spill")
	stop := make(chan struct{})
	most := watchDir(spill, stop)
	res := p.mustRun(t, 0, "--db", limited, "build", "--as-of", "2026-10-30", "--memory-limit", "96MB", "--temp-dir", spill)
	close(stop)
	spilled := <-most
	t.Logf("build of 5,000 items: %.0f MiB peak unlimited (%s); %.0f MiB peak and %.1f MB spilled under 96MB (%s)",
		peakMiB(t, unlimited.stderr), unlimited.elapsed.Round(time.Millisecond), peakMiB(t, res.stderr), float64(spilled)/1e6, res.elapsed.Round(time.Millisecond))
	if spilled == 0 {
		t.Errorf("nothing was spilled to --temp-dir %s under --memory-limit 96MB", spill)
	}
	if _, err := os.Stat(limited + ".tmp"); err == nil {
		t.Errorf("DuckDB's default spill folder %s.tmp was used despite --temp-dir", limited)
	}
	a, _ := fingerprint(t, free)
	b, _ := fingerprint(t, limited)
	if d := contentsum.Diff(b, a); d != nil {
		t.Errorf("the warehouse built under the limit differs:\n  %s", strings.Join(d, "\n  "))
	}

	// Too little for anything: DuckDB's own error, naming the limit.
	tiny := filepath.Join(dir, "tiny.duckdb")
	copyFile(t, base, tiny)
	res = p.run(t, "--db", tiny, "build", "--as-of", "2026-10-30", "--memory-limit", "16MB", "--temp-dir", spill)
	if res.code != 1 || !strings.Contains(res.stderr, "Out of Memory Error") || !regexp.MustCompile(`/1[45]\.\d MiB used`).MatchString(res.stderr) {
		t.Errorf("build under 16MB: exit %d, want 1 with DuckDB's out-of-memory error at 15.2 MiB:\n%s", res.code, tail(res.stderr, 1500))
	}
}

// An ingest that spills under --memory-limit keeps using --temp-dir: DuckDB refused the
// setting on the loader's later connections once something had spilled ("Cannot switch
// temporary directory after the current one has been used") until it went in the DSN.
func TestIngestSpillsToTempDir(t *testing.T) {
	if testing.Short() {
		t.Skip("ingests a 60 MB file under a memory limit (-short)")
	}
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "deployments.csv")
	var b strings.Builder
	b.WriteString("id,service,environment,status,finished_at,version,description\n")
	at := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	pad := strings.Repeat("lorem ipsum dolor sit amet ", 20)
	rows := 0
	for ; b.Len() < 60<<20; rows++ {
		b.WriteString("h-" + strconv.Itoa(rows) + ",svc-" + strconv.Itoa(rows%40) + ",production,success," +
			at.Add(time.Duration(rows)*time.Minute).Format(time.RFC3339) + ",v1," + pad + strconv.Itoa(rows) + "\n")
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	p := proc{bin: relscopeBinary(t), dir: dir}
	db := filepath.Join(dir, "w.duckdb")
	res := p.run(t, "--db", db, "ingest", "--memory-limit", "128MB", "--temp-dir", filepath.Join(dir, "spill"), "deployments.csv")
	noPanic(t, "ingest under a memory limit", res.stderr)
	if res.code != 0 || !strings.Contains(res.stderr, strconv.Itoa(rows)+" row(s) loaded") {
		t.Errorf("ingest of %d rows under --memory-limit 128MB --temp-dir: exit %d\n%s", rows, res.code, tail(res.stderr, 1500))
	}
	if _, err := os.Stat(db + ".tmp"); err == nil {
		t.Errorf("DuckDB's default spill folder %s.tmp was used despite --temp-dir", db)
	}
}

// An ingest's peak memory does not grow with its input: with --memory-limit 128MB, a 200 MB
// CSV of long rows peaks at most 250 MiB above a 40 MB one, and under 800 MiB. Before the
// loader's queue was bounded by bytes (ingest/loader Options.BufferBytes) it held up to
// 131,072 rows however long, and the Go heap's soft limit was 800 MB whatever the flag said:
// 437 MiB and 870 MiB (+433); now 381 and 510 MiB (+129: DuckDB holds a file's uncommitted
// rows up to its limit). Peaks are the processes' own (RELSCOPE_PEAK_RSS: VmHWM), not
// getrusage's, which a child inherits from the test that forks it. The bound is the Arrow
// writers' (make's build): DuckDB's Appender of a plain go build peaks at 303 and 707 MiB.
func TestIngestPeakMemoryBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("ingests a 40 MB and a 200 MB file (-short)")
	}
	if !arrowBuild {
		t.Skip("the bound is the Arrow writers' (make's build, -tags=duckdb_arrow)")
	}
	dir := t.TempDir()
	p := proc{bin: relscopeBinary(t), dir: dir, env: []string{"RELSCOPE_PEAK_RSS=1"}}
	peak := func(name string, size int) (float64, int) {
		rows := writeLongRows(t, filepath.Join(dir, name), size)
		res := p.run(t, "--db", filepath.Join(dir, name+".duckdb"), "ingest", "--memory-limit", "128MB", name)
		if res.code != 0 || !strings.Contains(res.stderr, strconv.Itoa(rows)+" row(s) loaded") {
			t.Fatalf("ingest of %d rows: exit %d\n%s", rows, res.code, tail(res.stderr, 1500))
		}
		return peakMiB(t, res.stderr), rows
	}
	small, smallRows := peak("small.csv", 40<<20)
	big, bigRows := peak("big.csv", 200<<20)
	t.Logf("peak RSS: %d rows (40 MB) %.0f MiB, %d rows (200 MB) %.0f MiB", smallRows, small, bigRows, big)
	if big > small+250 || big > 800 {
		t.Errorf("a 200 MB file peaked at %.0f MiB, a 40 MB one at %.0f MiB: want at most 250 MiB more, and under 800 MiB", big, small)
	}
}

// writeLongRows writes a work_items CSV of about size bytes whose rows hold 2.4 KB
// descriptions, and returns its row count.
func writeLongRows(t *testing.T, path string, size int) int {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	w.WriteString("key,type,status,created_at,title,description\n")
	words := strings.Fields("alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu")
	var desc strings.Builder
	rows, written := 0, 0
	for written < size {
		rows++
		desc.Reset()
		for i := range 400 {
			if i > 0 {
				desc.WriteByte(' ')
			}
			desc.WriteString(words[(rows*7+i*i)%len(words)])
		}
		n, _ := fmt.Fprintf(w, "L-%d,Story,Done,2025-03-04T10:00:00Z,Item %d,%s\n", rows, rows, desc.String())
		written += n
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return rows
}

// TestBuildMemoryLimitDefault: a build without --memory-limit gives DuckDB 512MB, not DuckDB's
// own 80% of RAM (a 1M-item build kept 4.16 GB resident as cache; 0.88–0.90 GB under 512MB,
// 2–5% slower than under 1GB), with the allocator returning freed memory, and --help says so.
func TestBuildMemoryLimitDefault(t *testing.T) {
	f := newBuildCmd(&globals{}).Flags().Lookup("memory-limit")
	if f == nil || f.DefValue != "512MB" {
		t.Fatalf("build --memory-limit default = %v, want 512MB", f)
	}
	if !strings.Contains(f.Usage, "spills") {
		t.Errorf("build --memory-limit help %q does not say what exceeds it spills", f.Usage)
	}
	if o := builderWarehouse(defaultBuildMemoryLimit); !o.ReturnMemory || o.MemoryLimit != "512MB" {
		t.Errorf("build, demo, run and serve open the warehouse with %+v", o)
	}
}
