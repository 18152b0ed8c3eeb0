package models_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/relscope/relscope/config"
	"github.com/relscope/relscope/fixtures"
	"github.com/relscope/relscope/ingest"
	"github.com/relscope/relscope/models"
)

// Rules are applied once, at build (DESIGN §1): after a change to every rule of relscope.yaml,
// `relscope build` alone gives every mart exactly what a fresh ingest and build under the new
// configuration give. Ingest stores what the exports say; nothing it stores depends on a rule.
func TestConfigChangeNeedsOnlyBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("ingests and builds the mixed organisation twice")
	}
	ctx := context.Background()
	dir := t.TempDir()
	fx := filepath.Join(dir, "fx")
	m, err := fixtures.Generate(fixtures.Options{Scale: 400, Seed: 5, Out: fx, Mixed: true})
	if err != nil {
		t.Fatal(err)
	}
	load := func() *config.Config {
		cfg, err := config.Load(filepath.Join(fx, fixtures.ConfigFile), false)
		if err != nil {
			t.Fatal(err)
		}
		return cfg
	}
	before, after := load(), load()
	// Every rule family changes, rules are added and rules are taken away (a rule ingest had
	// applied could not be taken back by a build): production environments, status categories,
	// commitment statuses, the service map, team aliases, public rules, windows, DORA year.
	before.StatusCategories = map[string]string{"In Review": "blocked"}
	before.TeamAliases["Search"] = "Discovery"
	before.Public.PrivateLabels = append(before.Public.PrivateLabels, "customer-facing")
	before.ServiceTeams["gateway-api"] = "Payments"
	after.ProductionEnvironments = append(after.ProductionEnvironments, "staging")
	after.StatusCategories = map[string]string{"Selected": "in_progress", "Done": "done"}
	after.CommitmentStatuses = []string{"In Progress", "In Review"}
	after.ServiceTeams["mobile-bff-api"] = "Platform"
	after.TeamAliases["PAY"] = "Payments"
	after.TeamAliases["Identity"] = "Accounts"
	after.Public.PrivateTypes = []string{"Bug"}
	after.AttributionWindowHours = 24
	after.FreezeDays = 5
	after.DoraBands = 2023
	after.ForecastWindowDays = 60

	open := func(name string, cfg *config.Config) *models.Warehouse {
		w, err := models.Open(ctx, filepath.Join(dir, name), models.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { w.Close() })
		err = ingest.Run(ctx, w, []string{fx}, ingest.Options{Config: cfg, Dates: ingest.DateParser{Loc: time.UTC}},
			func(r ingest.FileResult) {
				if r.Err != nil {
					t.Fatal(r.Err)
				}
			})
		if err != nil {
			t.Fatal(err)
		}
		return w
	}
	build := func(w *models.Warehouse, cfg *config.Config) {
		ms, err := models.Models()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Build(ctx, ms, models.Settings{AsOf: m.End, Config: cfg}, nil); err != nil {
			t.Fatal(err)
		}
	}
	rebuilt := open("rebuilt.duckdb", before)
	build(rebuilt, before)
	first := marts(t, rebuilt)
	build(rebuilt, after)
	fresh := open("fresh.duckdb", after)
	build(fresh, after)

	got, want := marts(t, rebuilt), marts(t, fresh)
	if len(want) < 20 {
		t.Fatalf("only %d marts", len(want))
	}
	changed := 0
	for name, rows := range want {
		if got[name] != rows {
			t.Errorf("%s after a config change and build differs from a fresh ingest and build:\nbuild only:\n%s\nfresh:\n%s",
				name, head(got[name]), head(rows))
		}
		if first[name] != rows {
			changed++
		}
	}
	// The change must reach the marts at all, or the test proves nothing.
	if changed < 10 {
		t.Errorf("the config change altered only %d of %d marts", changed, len(want))
	}
}

// marts renders every mart's rows, sorted, as text.
func marts(t *testing.T, w *models.Warehouse) map[string]string {
	t.Helper()
	docs, err := w.Catalog(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, d := range docs {
		if d.Layer == "mart" {
			out[d.Name] = rows(t, w, "select * from "+d.Name+" order by all")
		}
	}
	return out
}

func head(s string) string {
	if len(s) > 3000 {
		return s[:3000] + "\n…"
	}
	return s
}
