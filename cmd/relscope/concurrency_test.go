package main

// DESIGN §9: "a second writer waits (configurable) or fails naming the holder; readers never
// see half a build" — on real relscope processes.

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/relscope/relscope/fixtures"
)

// holdWarehouse starts `relscope sql --write` on db, which holds the warehouse's write lock
// until release is called (its standard input closes).
func holdWarehouse(t *testing.T, p proc, db string) (pid int, release func()) {
	t.Helper()
	cmd := p.command("--db", db, "sql", "--write")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// It holds the lock once it answers.
	fmt.Fprintln(stdin, "create table if not exists held (x int);")
	deadline := time.Now().Add(30 * time.Second)
	for {
		res := p.run(t, "--db", db, "--lock-timeout", "0", "query", "select 1")
		if res.code != 0 && strings.Contains(res.stderr, "is locked by") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("relscope sql --write never held the lock: %s", res.stderr)
		}
		time.Sleep(50 * time.Millisecond)
	}
	var once sync.Once
	release = func() {
		once.Do(func() {
			stdin.Close()
			cmd.Wait()
		})
	}
	t.Cleanup(release)
	return cmd.Process.Pid, release
}

// A second writer waits up to --lock-timeout (or $RELSCOPE_LOCK_TIMEOUT), then exits 1 naming
// the warehouse, the process holding it (its PID, as DuckDB reports it) and what to do; when
// the holder ends within the timeout, the waiting command proceeds.
func TestSecondWriterWaitsThenFails(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	p := proc{bin: relscopeBinary(t), dir: dir}
	db := filepath.Join(dir, "w.duckdb")
	p.mustRun(t, 0, "--db", db, "init")
	writeDeploymentsCSV(t, filepath.Join(dir, "d.csv"), 0, 10, 0)
	pid, release := holdWarehouse(t, p, db)

	for _, c := range []struct {
		name string
		env  []string
		args []string
	}{
		{"--lock-timeout", nil, []string{"--lock-timeout", "1500ms"}},
		{"RELSCOPE_LOCK_TIMEOUT", []string{"RELSCOPE_LOCK_TIMEOUT=1500ms"}, nil},
	} {
		q := p
		q.env = c.env
		res := q.run(t, append(append([]string{"--db", db}, c.args...), "ingest", "d.csv")...)
		if res.code != 1 {
			t.Fatalf("%s: exit %d, want 1\n%s", c.name, res.code, res.stderr)
		}
		if res.elapsed < 1500*time.Millisecond || res.elapsed > 20*time.Second {
			t.Errorf("%s: gave up after %s, want about 1.5s", c.name, res.elapsed)
		}
		for _, want := range []string{
			"waiting up to 1.5s for " + filepath.Base(p.bin) + fmt.Sprintf(" (PID %d) to release", pid),
			"warehouse " + db + " is locked by another process (" + p.bin + fmt.Sprintf(", PID %d)", pid),
			"one process write a warehouse, or several read it",
			"--lock-timeout 5m (or RELSCOPE_LOCK_TIMEOUT=5m)",
		} {
			if !strings.Contains(res.stderr, want) {
				t.Errorf("%s: stderr does not say %q:\n%s", c.name, want, res.stderr)
			}
		}
		// How long it waited, as measured: 1.5s, or a little more on a loaded machine.
		if m := regexp.MustCompile(`still locked after waiting (\S+)\n`).FindStringSubmatch(res.stderr); m == nil {
			t.Errorf("%s: stderr does not say how long it waited:\n%s", c.name, res.stderr)
		} else if d, err := time.ParseDuration(m[1]); err != nil || d < 1500*time.Millisecond || d > res.elapsed+time.Second {
			t.Errorf("%s: says it waited %s (took %s), want at least 1.5s", c.name, m[1], res.elapsed)
		}
	}

	// A reader is refused the same way (DuckDB gives no reader a warehouse being written).
	res := p.run(t, "--db", db, "--lock-timeout", "0", "query", "select count(*) from deployments")
	if res.code != 1 || !strings.Contains(res.stderr, fmt.Sprintf("PID %d", pid)) {
		t.Errorf("reader: exit %d, want 1 naming PID %d:\n%s", res.code, pid, res.stderr)
	}

	// Released while a writer waits: it goes on and loads the file.
	got := make(chan result, 1)
	go func() { got <- p.run(t, "--db", db, "--lock-timeout", "60s", "ingest", "d.csv") }()
	time.Sleep(1500 * time.Millisecond)
	release()
	res = <-got
	if res.code != 0 || !strings.Contains(res.stderr, "10 row(s) loaded") || !strings.Contains(res.stderr, "waiting up to 1m0s") {
		t.Errorf("the waiting ingest: exit %d\n%s", res.code, res.stderr)
	}

	// A timeout that is not a duration is a usage error, whichever way it is given.
	if res := p.run(t, "--db", db, "--lock-timeout", "soon", "query", "select 1"); res.code != 2 {
		t.Errorf("--lock-timeout soon: exit %d, want 2\n%s", res.code, res.stderr)
	}
	q := p
	q.env = []string{"RELSCOPE_LOCK_TIMEOUT=soon"}
	if res := q.run(t, "--db", db, "query", "select 1"); res.code != 2 || !strings.Contains(res.stderr, `RELSCOPE_LOCK_TIMEOUT="soon"`) {
		t.Errorf("RELSCOPE_LOCK_TIMEOUT=soon: exit %d, want 2\n%s", res.code, res.stderr)
	}
}

// Readers polling the marts (each a relscope query process) while builds alternate between
// two as-of dates see either build's marts whole — as_of and the age-based marts of the same
// build — never a mix, and readers and builds take turns (waiting for the lock) instead of
// failing.
func TestReadersDuringBuildsSeeWholeBuilds(t *testing.T) {
	if testing.Short() {
		t.Skip("runs builds against polling readers (-short)")
	}
	t.Parallel()
	dir := t.TempDir()
	if _, err := fixtures.Generate(fixtures.Options{Scale: 1000, Seed: 42, Out: dir}); err != nil {
		t.Fatal(err)
	}
	p := proc{bin: relscopeBinary(t), dir: dir}
	db := filepath.Join(dir, "w.duckdb")
	p.mustRun(t, 0, "--db", db, "ingest", ".")
	// One reading of the marts: the build's as_of, and numbers of marts that change with it.
	const poll = `select (select value from relscope_meta where key = 'as_of') as as_of,
		(select count(*) || ':' || round(sum(age_days), 6) from mart_aging_wip) as aging,
		(select count(*) || ':' || round(sum(age_days), 6) from mart_backlog_aging) as backlog,
		(select count(*) from mart_cycle_time) as delivered,
		(select count(*) from mart_coverage) as coverage`
	dates := []string{"2026-06-30", "2026-10-30"}
	want := map[string]string{}
	for _, d := range dates {
		p.mustRun(t, 0, "--db", db, "build", "--as-of", d)
		res := p.mustRun(t, 0, "--db", db, "query", "--format", "csv", poll)
		want[res.stdout] = d
	}
	if len(want) != 2 {
		t.Fatalf("the two builds read the same: %v", want)
	}

	stop := make(chan struct{})
	var wg sync.WaitGroup
	var mu sync.Mutex
	seen := map[string]int{}
	polls := 0
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			res := p.run(t, "--db", db, "--lock-timeout", "60s", "query", "--format", "csv", poll)
			mu.Lock()
			polls++
			if res.code != 0 {
				t.Errorf("reader: exit %d\n%s", res.code, res.stderr)
			} else if d, ok := want[res.stdout]; !ok {
				t.Errorf("a reader saw a mix of builds:\n%s\nwant one of:\n%v", res.stdout, want)
			} else {
				seen[d]++
			}
			mu.Unlock()
		}
	}()
	builds := 6
	for i := 0; i < builds; i++ {
		res := p.run(t, "--db", db, "--lock-timeout", "60s", "build", "--as-of", dates[i%2])
		if res.code != 0 {
			t.Errorf("build %d: exit %d\n%s", i, res.code, res.stderr)
		}
		// Builds started back to back take the lock again before a waiting reader's next
		// retry; let the reader finish one reading before the next build, so every build's
		// marts are read at least once (the readings during a build still wait for its lock).
		mu.Lock()
		after := polls
		mu.Unlock()
		for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			mu.Lock()
			n := polls
			mu.Unlock()
			if n > after {
				break
			}
		}
	}
	close(stop)
	wg.Wait()
	t.Logf("%d reads during %d builds saw: %v", polls, builds, seen)
	if len(seen) < 2 {
		t.Errorf("the readers saw only %v: they did not read between builds", seen)
	}
	os.Remove(db)
}
