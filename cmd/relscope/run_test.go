package main

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/relscope/relscope/internal/demowarehouse"
)

// testGlobals are the globals a command sees, with its streams captured.
func testGlobals(db string) (*globals, *bytes.Buffer, *bytes.Buffer) {
	var stdout, stderr bytes.Buffer
	return &globals{dbPath: db, configPath: filepath.Join(filepath.Dir(db), "relscope.yaml"), stdin: strings.NewReader(""),
		stdout: &stdout, stderr: &stderr}, &stdout, &stderr
}

// Each command's run function takes (ctx, options) and runs without cobra: options are
// filled as flags would fill them, results read from the streams.
func TestRunFunctionsWithoutCobra(t *testing.T) {
	ctx := context.Background()
	w := demowarehouse.Open(t, demowarehouse.Native)
	w.Close() // the commands open it themselves
	g, stdout, stderr := testGlobals(w.Path)

	if err := runBuild(ctx, &buildOptions{g: g, asOf: "2026-10-30T18:00:00Z"}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stderr.String(), "as of 2026-10-30T18:00:00Z") || !strings.Contains(stderr.String(), "mart_cycle_time") {
		t.Errorf("build said:\n%s", stderr)
	}

	stdout.Reset()
	if err := runQuery(ctx, &queryOptions{g: g, args: []string{"select count(*) as n from work_items"}, format: "csv"}); err != nil {
		t.Fatal(err)
	}
	if stdout.String() != "n\n2000\n" {
		t.Errorf("query printed %q", stdout)
	}
	stdout.Reset()
	if err := runSchema(ctx, &schemaOptions{g: g, name: "mart_cycle_time", format: "json"}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout.String(), `"cycle_time_days"`) {
		t.Errorf("schema printed %s", stdout)
	}

	// Mistakes are usage errors before anything is opened.
	var ue usageError
	for name, err := range map[string]error{
		"build --as-of":    runBuild(ctx, &buildOptions{g: g, asOf: "yesterday"}),
		"query --format":   runQuery(ctx, &queryOptions{g: g, args: []string{"select 1"}, format: "xml"}),
		"query two args":   runQuery(ctx, &queryOptions{g: g, args: []string{"select", "1"}, format: "csv"}),
		"fixtures --scale": runFixtures(ctx, &fixturesOptions{g: g, scale: 0, out: t.TempDir()}),
		"ingest --format":  runIngest(ctx, &ingestOptions{g: g, paths: []string{"x.csv"}, format: "excel", dateOrder: "auto"}),
	} {
		if !errors.As(err, &ue) {
			t.Errorf("%s: %v is not a usage error", name, err)
		}
	}
	// An explicit --config must exist; the default may be missing.
	g.configPath, g.configSet = filepath.Join(t.TempDir(), "missing.yaml"), true
	if err := runBuild(ctx, &buildOptions{g: g}); err == nil || !strings.Contains(err.Error(), "missing.yaml") {
		t.Errorf("missing explicit config: %v", err)
	}
}
