package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestMain lets the test binary act as the relscope command inside scripts (and for tests
// that start it as a process: it is on $PATH): main itself, with its signal handling.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){"relscope": main})
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

// cmdExits runs "relscope ARGS..." and checks its exit code: exits N ARGS...
// Its stdout and stderr become the script's, for the assertions that follow.
func cmdExits(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 1 {
		ts.Fatalf("usage: exits CODE [relscope args...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exits: %v", err)
	}
	cmd := exec.Command("relscope", args[1:]...)
	cmd.Dir = ts.Getenv("WORK")
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
	if got != want {
		ts.Fatalf("relscope %s: exit code %d, want %d\nstderr: %s", strings.Join(args[1:], " "), got, want, stderr.String())
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
