package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/relscope/relscope/models"
)

// printError maps errors to exit codes by type, never by message: a wrapped usage error is 2,
// data tests 3, and a DuckDB statement interrupted by Ctrl-C (a DBError, wrapped by the
// build) is reported as "interrupted".
func TestPrintErrorByType(t *testing.T) {
	w, err := models.Open(context.Background(), filepath.Join(t.TempDir(), "w.duckdb"), models.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	_, qerr := w.DB.ExecContext(ctx, "select sum(i * i) from range(100000000000) t(i)")
	interrupted := fmt.Errorf("model mart_x: %w", models.CleanError(qerr))

	for _, tc := range []struct {
		err  error
		code int
		out  string
	}{
		{fmt.Errorf("report: %w", usagef("--period %q: want YYYY-MM", "x")), exitUsage, "--help"},
		{fmt.Errorf("build: %w", &models.DataTestError{}), exitDataTests, "data test"},
		{interrupted, exitError, "relscope: interrupted\n"},
		{errors.New("disk full"), exitError, "relscope: disk full\n"},
	} {
		var buf bytes.Buffer
		if code := printError(&buf, tc.err, nil); code != tc.code || !strings.Contains(buf.String(), tc.out) {
			t.Errorf("printError(%v) = %d %q, want %d and %q", tc.err, code, buf.String(), tc.code, tc.out)
		}
	}
}
