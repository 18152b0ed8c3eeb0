package main

// Ctrl-C through the CLI's own signal path (main → runProcess), on a real relscope process:
// the batches committed before stay, the interrupted one is rolled back, the exit code is 1
// and the message says what happened to each file.

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/relscope/relscope/internal/contentsum"
)

// TestInterruptedIngest sends SIGINT to `relscope ingest --batch-files 5` once the first
// batch has committed (its five lines printed): the warehouse then holds exactly the files
// reported loaded — whole batches, the state a run of those files alone gives — every other
// file is reported not loaded, and running the command again loads the rest.
func TestInterruptedIngest(t *testing.T) {
	if testing.Short() {
		t.Skip("interrupts a real process (-short)")
	}
	t.Parallel()
	dir := t.TempDir()
	const files, perFile, perBatch = 40, 4000, 5
	var names []string
	for i := 0; i < files; i++ {
		name := fmt.Sprintf("in/deployments-%02d.csv", i)
		names = append(names, name)
		os.MkdirAll(filepath.Join(dir, "in"), 0o755)
		writeDeploymentsCSV(t, filepath.Join(dir, name), i*perFile, perFile, 0)
	}
	p := proc{bin: relscopeBinary(t), dir: dir}
	db := filepath.Join(dir, "w.duckdb")
	p.mustRun(t, 0, "--db", db, "init")

	cmd := p.command("--db", db, "ingest", "--batch-files", fmt.Sprint(perBatch), "in")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var lines []string
	sc := bufio.NewScanner(stderr)
	sent := false
	for sc.Scan() {
		lines = append(lines, sc.Text())
		if !sent && strings.Count(strings.Join(lines, "\n"), "row(s) loaded") >= perBatch {
			cmd.Process.Signal(syscall.SIGINT)
			sent = true
		}
	}
	err = cmd.Wait()
	out := strings.Join(lines, "\n")
	noPanic(t, "interrupted ingest", out)
	if code := exitCode(t, err); code != 1 {
		t.Fatalf("exit %d, want 1\n%s", code, out)
	}
	if !strings.HasSuffix(strings.TrimSpace(out), "relscope: interrupted") {
		t.Errorf("the last line is not `relscope: interrupted`:\n%s", tail(out, 2000))
	}
	var loaded, notLoaded []string
	for _, name := range names {
		switch {
		case strings.Contains(out, name+": deployments, 4000 row(s) loaded"):
			loaded = append(loaded, name)
		case strings.Contains(out, name+": interrupted before it was committed; nothing of this file was loaded"),
			strings.Contains(out, name+": interrupted; nothing of this file was loaded"):
			notLoaded = append(notLoaded, name)
		}
	}
	if len(loaded) == 0 || len(loaded)%perBatch != 0 || len(loaded) == files {
		t.Fatalf("%d files reported loaded: want whole batches of %d, and not all %d\n%s", len(loaded), perBatch, files, out)
	}
	for i, name := range loaded {
		if name != names[i] {
			t.Fatalf("loaded files are not the first ones in order: %v", loaded)
		}
	}
	// The files of the interrupted batch are each reported; those never reached are not. On a
	// quiet machine the signal can land between two batches (a batch of these files commits in
	// a quarter of a second), and then no batch was open: none is reported.
	if len(notLoaded) > perBatch {
		t.Errorf("%d files reported not loaded: want the interrupted batch's (0 to %d)\n%s", len(notLoaded), perBatch, out)
	}
	t.Logf("%d files loaded, %d of the interrupted batch reported not loaded", len(loaded), len(notLoaded))
	got, _ := fingerprint(t, db)

	// The state the committed files give by themselves.
	ref := filepath.Join(dir, "ref.duckdb")
	p.mustRun(t, 0, "--db", ref, "init")
	p.mustRun(t, 0, append([]string{"--db", ref, "ingest", "--batch-files", fmt.Sprint(perBatch)}, loaded...)...)
	want, _ := fingerprint(t, ref)
	if d := contentsum.Diff(got, want); d != nil {
		t.Errorf("the interrupted warehouse is not the committed batches' state:\n  %s", strings.Join(d, "\n  "))
	}

	// Again, to its end: the rest loads, the committed files are skipped as unchanged.
	res := p.mustRun(t, 0, "--db", db, "ingest", "--batch-files", fmt.Sprint(perBatch), "in")
	if n := strings.Count(res.stderr, "unchanged since ingest"); n != len(loaded) {
		t.Errorf("the re-run skipped %d files, want the %d committed:\n%s", n, len(loaded), res.stderr)
	}
	full := filepath.Join(dir, "full.duckdb")
	p.mustRun(t, 0, "--db", full, "init")
	p.mustRun(t, 0, "--db", full, "ingest", "--batch-files", fmt.Sprint(perBatch), "in")
	got, _ = fingerprint(t, db)
	want, _ = fingerprint(t, full)
	if d := contentsum.Diff(got, want); d != nil {
		t.Errorf("after the re-run the warehouse is not what an uninterrupted run gives:\n  %s", strings.Join(d, "\n  "))
	}
}

// TestInterruptedBuild sends SIGINT to a build: it exits 1 saying so, and the previous
// build's marts and as_of are there, unchanged.
func TestInterruptedBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("interrupts a real process (-short)")
	}
	t.Parallel()
	dir := t.TempDir()
	writeDeploymentsCSV(t, filepath.Join(dir, "d.csv"), 0, 20000, 0)
	p := proc{bin: relscopeBinary(t), dir: dir}
	db := filepath.Join(dir, "w.duckdb")
	p.mustRun(t, 0, "--db", db, "ingest", "d.csv")
	p.mustRun(t, 0, "--db", db, "build", "--as-of", "2025-06-30")
	before, asOf := fingerprint(t, db)
	probe := filepath.Join(dir, "probe.duckdb")
	copyFile(t, db, probe)
	full := p.mustRun(t, 0, "--db", probe, "build", "--as-of", "2025-12-31")
	for _, at := range []float64{0.3, 0.6} {
		cmd := p.command("--db", db, "build", "--as-of", "2025-12-31")
		var out strings.Builder
		cmd.Stderr = &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(at * float64(full.elapsed)))
		cmd.Process.Signal(syscall.SIGINT)
		code := exitCode(t, cmd.Wait())
		noPanic(t, "interrupted build", out.String())
		if code == 0 {
			t.Logf("the build finished before the interrupt at %.0f%%", at*100)
			p.mustRun(t, 0, "--db", db, "build", "--as-of", "2025-06-30")
			before, asOf = fingerprint(t, db)
			continue
		}
		if code != 1 || !strings.Contains(out.String(), "relscope: interrupted") {
			t.Errorf("interrupted build: exit %d, want 1 and `relscope: interrupted`:\n%s", code, out.String())
		}
		got, gotAsOf := fingerprint(t, db)
		if d := contentsum.Diff(got, before); d != nil || gotAsOf != asOf {
			t.Errorf("after an interrupted build (as_of %s, was %s):\n  %s", gotAsOf, asOf, strings.Join(d, "\n  "))
		}
	}
}
