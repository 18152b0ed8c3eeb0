package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestMain lets the test binary act as the relscope command inside scripts (and for tests
// that start it as a process: it is on $PATH): main itself, with its signal handling. It
// removes the relscope binaries the process tests build (relscopeBinary) when the tests end.
func TestMain(m *testing.M) {
	testscript.Main(withBinaries{m}, map[string]func(){"relscope": main})
}

// TestScripts runs testdata/script/*.txtar: the command line as users meet it.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(env *testscript.Env) error {
			env.Setenv("RELSCOPE_DB", "")
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"exits":    cmdExits,
			"mkbinary": cmdMkbinary,
		},
	})
}

// cmdExits runs "relscope ARGS..." and checks its exit code exactly: exits N [<FILE] ARGS...
// (<FILE is its standard input). `! exec relscope` would accept any non-zero exit — a panic
// exits 2 — so scripts use exits for every outcome but 0, and exits also fails on a Go panic
// or goroutine dump on stderr. Its stdout and stderr become the script's, for the
// assertions that follow.
func cmdExits(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 1 {
		ts.Fatalf("usage: exits CODE [<FILE] [relscope args...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exits: %v", err)
	}
	args = args[1:]
	var stdin []byte
	if len(args) > 0 && strings.HasPrefix(args[0], "<") {
		if stdin, err = os.ReadFile(ts.MkAbs(args[0][1:])); err != nil {
			ts.Fatalf("exits: %v", err)
		}
		args = args[1:]
	}
	cmd := exec.Command("relscope", args...)
	cmd.Dir = ts.Getenv("WORK")
	cmd.Stdin = bytes.NewReader(stdin)
	var env []string
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); k != "RELSCOPE_DB" {
			env = append(env, kv)
		}
	}
	cmd.Env = append(env, "RELSCOPE_DB="+ts.Getenv("RELSCOPE_DB"), "PATH="+ts.Getenv("PATH"))
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	got := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		got = ee.ExitCode()
	} else if err != nil {
		ts.Fatalf("exits: %v", err)
	}
	ts.Stdout().Write(stdout.Bytes())
	ts.Stderr().Write(stderr.Bytes())
	for _, sign := range []string{"panic:", "goroutine ", "fatal error:"} {
		if strings.Contains(stderr.String(), sign) {
			ts.Fatalf("relscope %s: %q on stderr — a crash, not a message:\n%s", strings.Join(args, " "), sign, stderr.String())
		}
	}
	if got != want {
		ts.Fatalf("relscope %s: exit code %d, want %d\nstderr: %s", strings.Join(args, " "), got, want, stderr.String())
	}
}

// TestScriptsAssertExitCodes: no script runs relscope with `! exec` (or `? exec`), which
// accept any outcome but 0 (or any at all) — a panic among them; `exits N` says which.
func TestScriptsAssertExitCodes(t *testing.T) {
	files, err := filepath.Glob("testdata/script/*.txtar")
	if err != nil || len(files) == 0 {
		t.Fatalf("no scripts (%v)", err)
	}
	loose := regexp.MustCompile(`^\s*(\[[^]]*\]\s*)*[!?]\s*exec\s+relscope\b`)
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(data), "\n") {
			if strings.HasPrefix(line, "-- ") {
				break // the script ends where its files begin
			}
			if loose.MatchString(line) {
				t.Errorf("%s:%d: %q accepts any failing exit, a panic too: use `exits N ...` with the exit code DESIGN §6 gives", f, i+1, strings.TrimSpace(line))
			}
		}
	}
}

// cmdMkbinary writes a small PNG-like binary file: mkbinary FILE.
func cmdMkbinary(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: mkbinary FILE")
	}
	data := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x06\x00\x00\x00")
	if err := os.WriteFile(ts.MkAbs(args[0]), data, 0o644); err != nil {
		ts.Fatalf("mkbinary: %v", err)
	}
}
