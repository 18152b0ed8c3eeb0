package main

// Helpers of the tests that prove DESIGN §9 on real relscope processes: the binaries, built
// once per test binary with `go build` exactly as `make build` builds them; running, killing
// and interrupting them; and fingerprints of the warehouses they leave.

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/relscope/relscope/internal/contentsum"
	"github.com/relscope/relscope/models"
)

// withBinaries runs the tests, then removes the binaries they built.
type withBinaries struct{ m *testing.M }

func (w withBinaries) Run() int {
	code := w.m.Run()
	binaries.mu.Lock()
	if binaries.dir != "" {
		os.RemoveAll(binaries.dir)
	}
	binaries.mu.Unlock()
	return code
}

var binaries struct {
	mu   sync.Mutex
	dir  string
	path map[bool]string // by arrow tag
	err  map[bool]error
}

// relscopeBinary is the relscope command built as this test binary is (Arrow writers under
// make's duckdb_arrow tag, the Appender otherwise), once per test binary.
func relscopeBinary(t testing.TB) string { return buildRelscope(t, arrowBuild) }

// buildRelscope builds relscope with or without the duckdb_arrow tag, once per test binary
// for each (a link of the cgo binary takes 10-30 s), into a folder removed when the tests end.
func buildRelscope(t testing.TB, arrow bool) string {
	t.Helper()
	binaries.mu.Lock()
	defer binaries.mu.Unlock()
	if p, ok := binaries.path[arrow]; ok {
		return p
	}
	if err, ok := binaries.err[arrow]; ok {
		t.Fatal(err)
	}
	if binaries.path == nil {
		binaries.path, binaries.err = map[bool]string{}, map[bool]error{}
	}
	if binaries.dir == "" {
		dir, err := os.MkdirTemp("", "relscope-bin-*")
		if err != nil {
			t.Fatal(err)
		}
		binaries.dir = dir
	}
	name, flags := "relscope-appender", "GOFLAGS="
	if arrow {
		name, flags = "relscope-arrow", "GOFLAGS=-tags=duckdb_arrow"
	}
	out := filepath.Join(binaries.dir, name)
	goCmd, err := exec.LookPath("go")
	if err != nil {
		goCmd = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	start := time.Now()
	cmd := exec.Command(goCmd, "build", "-o", out, ".")
	cmd.Env = append(os.Environ(), flags)
	if b, err := cmd.CombinedOutput(); err != nil {
		binaries.err[arrow] = fmt.Errorf("go build %s (%s): %v\n%s", name, flags, err, b)
		t.Fatal(binaries.err[arrow])
	}
	t.Logf("built %s in %s", name, time.Since(start).Round(time.Millisecond))
	binaries.path[arrow] = out
	return out
}

// result is how a relscope process ended.
type result struct {
	code           int
	stdout, stderr string
	elapsed        time.Duration
	// killed: the test ended it (SIGKILL) before it exited by itself.
	killed bool
}

// proc runs relscope processes in a folder, against a warehouse.
type proc struct {
	bin, dir string
	env      []string // added to the test's environment (RELSCOPE_DB is always unset)
}

func (p proc) command(args ...string) *exec.Cmd {
	cmd := exec.Command(p.bin, args...)
	cmd.Dir = p.dir
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "RELSCOPE_") && !strings.HasPrefix(kv, "GOMEMLIMIT=") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, p.env...)
	return cmd
}

// run runs relscope to its end.
func (p proc) run(t testing.TB, args ...string) result {
	t.Helper()
	return p.runUntil(t, 0, args...)
}

// runUntil runs relscope and kills it (SIGKILL) after d, unless it has ended by then; d = 0
// waits for the end. It fails the test on a panic whatever the exit.
func (p proc) runUntil(t testing.TB, d time.Duration, args ...string) result {
	t.Helper()
	cmd := p.command(args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var res result
	var err error
	if d > 0 {
		select {
		case err = <-done:
		case <-time.After(d):
			cmd.Process.Kill()
			err = <-done
			res.killed = cmd.ProcessState != nil && !cmd.ProcessState.Exited()
		}
	} else {
		err = <-done
	}
	res.elapsed = time.Since(start)
	res.stdout, res.stderr = stdout.String(), stderr.String()
	res.code = exitCode(t, err)
	noPanic(t, "relscope "+strings.Join(args, " "), res.stderr)
	return res
}

// mustRun runs relscope and fails the test unless it exits with want.
func (p proc) mustRun(t testing.TB, want int, args ...string) result {
	t.Helper()
	res := p.run(t, args...)
	if res.code != want {
		t.Fatalf("relscope %s: exit %d, want %d\nstderr:\n%s", strings.Join(args, " "), res.code, want, tail(res.stderr, 3000))
	}
	return res
}

func exitCode(t testing.TB, err error) int {
	t.Helper()
	if err == nil {
		return 0
	}
	if ee, ok := err.(*exec.ExitError); ok {
		if ee.Exited() {
			return ee.ExitCode()
		}
		return -1 // a signal ended it
	}
	t.Fatal(err)
	return 0
}

// noPanic fails the test if stderr shows a Go panic or a goroutine dump: bad input, a kill, a
// lock, an interrupt are all met with a message, never a stack trace.
func noPanic(t testing.TB, what, stderr string) {
	t.Helper()
	for _, sign := range []string{"panic:", "goroutine ", "fatal error:", "SIGSEGV"} {
		if strings.Contains(stderr, sign) {
			t.Errorf("%s: %q on stderr:\n%s", what, sign, tail(stderr, 3000))
			return
		}
	}
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

// copyFile copies a file (a warehouse closed cleanly is one file).
func copyFile(t testing.TB, from, to string) {
	t.Helper()
	src, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	os.Remove(to + ".wal")
	dst, err := os.Create(to)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		t.Fatal(err)
	}
	if err := dst.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(from + ".wal"); err == nil {
		t.Fatalf("%s has a WAL beside it: close it before copying", from)
	}
}

// runColumns are the columns of the run's own tables that differ from run to run by design.
var runColumns = map[string][]string{"ingest_runs": {"started_at", "finished_at"}}

// stateTables are the tables a warehouse's state is compared on: every table but
// relscope_meta (its built_at is a clock reading; as_of is compared on its own).
func stateTables(table string) bool { return table != "relscope_meta" }

// fingerprint opens the warehouse as the next relscope command would (for writing: a WAL
// left by a killed process is replayed, an interrupted migration resumed), fingerprints its
// tables and closes it. A warehouse that cannot be opened fails the test.
func fingerprint(t testing.TB, path string) (contentsum.Sums, string) {
	t.Helper()
	ctx := context.Background()
	w, err := models.Open(ctx, path, models.Options{})
	if err != nil {
		t.Fatalf("the warehouse cannot be opened: %v", err)
	}
	defer w.Close()
	sums, err := contentsum.Of(ctx, w.DB, contentsum.Options{Match: stateTables, Skip: runColumns})
	if err != nil {
		t.Fatal(err)
	}
	asOf, err := w.Meta(ctx, "as_of")
	if err != nil {
		t.Fatal(err)
	}
	return sums, asOf
}
