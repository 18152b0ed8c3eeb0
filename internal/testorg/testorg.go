// Package testorg builds the hand-built test organisations of models/testdata — org.sql (one
// team, PAY) and gov.sql (the governance additions, teams OPS and FC) — into a fresh warehouse,
// for the tests of models and queries whose expected numbers are worked out by hand in
// models/marts_test.go and models/governance_test.go.
package testorg

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/relscope/relscope/config"
	"github.com/relscope/relscope/models"
)

// AsOf is the moment every test organisation is built at: 2025-03-31 00:00 UTC.
var AsOf = time.Date(2025, 3, 31, 0, 0, 0, 0, time.UTC)

// Gov builds org.sql and gov.sql with GovConfig, as of AsOf.
func Gov(t testing.TB) *models.Warehouse {
	return Build(t, GovConfig(), "org.sql", "gov.sql")
}

// GovConfig is the default configuration plus the rules gov.sql is built for: three packaging
// levels and one CI alias.
//
//	critical  services [pay-api]   maxima feature 1
//	big-bang  releases ["FC 1.*"]  maxima feature 7
//	standard  (every release)      maxima feature 10, fix 10, infrastructure 1
//	ci_aliases: OPS-API-PROD -> ops-api
func GovConfig() *config.Config {
	cfg := config.Default()
	cfg.Packaging.Criticality = []config.Criticality{
		{Name: "critical", Services: []string{"pay-api"}, Maxima: map[string]int{"feature": 1}},
		{Name: "big-bang", Releases: []string{"FC 1.*"}, Maxima: map[string]int{"feature": 7}},
		{Name: "standard", Maxima: map[string]int{"feature": 10, "fix": 10, "infrastructure": 1}},
	}
	cfg.CIAliases = map[string]string{"OPS-API-PROD": "ops-api"}
	return cfg
}

// Build loads the named files of models/testdata into a fresh warehouse and builds every
// model with cfg as of AsOf; the warehouse is closed when the test ends.
func Build(t testing.TB, cfg *config.Config, files ...string) *models.Warehouse {
	t.Helper()
	ctx := context.Background()
	w, err := models.Open(ctx, filepath.Join(t.TempDir(), "w.duckdb"), models.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	_, here, _, _ := runtime.Caller(0)
	dir := filepath.Join(filepath.Dir(here), "..", "..", "models", "testdata")
	for _, f := range files {
		data, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.DB.Exec(string(data)); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
	}
	ms, err := models.Models()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Build(ctx, ms, models.Settings{AsOf: AsOf, Config: cfg}, nil); err != nil {
		t.Fatal(err)
	}
	return w
}
