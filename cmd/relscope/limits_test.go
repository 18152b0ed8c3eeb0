package main

// DESIGN §9: --memory-limit and --temp-dir are honoured by build. On real relscope processes, with RELSCOPE_PEAK_RSS=1 (the process prints its
// peak resident memory, Linux VmHWM).

import (
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
