package models_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/relscope/relscope/config"
	"github.com/relscope/relscope/models"
)

// MOV-1 (testdata/moved_item.sql) was created 03-05 but its exported history has it In
// Progress from 03-03 (an item moved between projects keeps its history): committed 03-03,
// delivered 03-10 by resolution. Cycle time 7 d, lead time 5 d — what the export says, so the
// build passes, the item is flagged, and mart_coverage says why its cycle time is not trusted.
func TestCommitmentBeforeCreationInExport(t *testing.T) {
	w := buildFrom(t, nil, "org.sql", "moved_item.sql")
	expect(t, w, "MOV-1 in mart_cycle_time", `select item_key, cycle_time_days, lead_time_days, commitment_before_creation
		from mart_cycle_time where team = 'MOV'`, `MOV-1|7|5|true`)
	expect(t, w, "MOV coverage", `select metric, population, covered, missing, reason from mart_coverage
		where team = 'MOV' and metric = 'cycle_time'`,
		`cycle_time|1|0|1|the export records the commitment before the item was created (status history older than the item; moved or imported?), so its cycle time exceeds its lead time`)
	// The org's own items are all committed after their creation.
	expect(t, w, "flagged", `select count(*) from mart_cycle_time where commitment_before_creation`, `1`)
}

// The data test bites when the logic, not the export, puts the commitment first: a
// commitment model that guessed "a day before creation" must fail the build.
func TestCommitmentBeforeCreationByLogicFails(t *testing.T) {
	ctx := context.Background()
	w, err := models.Open(ctx, filepath.Join(t.TempDir(), "w.duckdb"), models.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if _, err := w.DB.Exec(readTestdata(t, "org.sql")); err != nil {
		t.Fatal(err)
	}
	ms, err := models.Models()
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		if m.Name == "int_item_commitment" {
			m.SQL = strings.Replace(m.SQL, "coalesce(c.committed_at, w.export_committed_at) as committed_at",
				"w.created_at - interval 1 day as committed_at", 1)
		}
	}
	_, err = w.Build(ctx, ms, models.Settings{AsOf: asOf, Config: config.Default()}, nil)
	var dt *models.DataTestError
	if !errors.As(err, &dt) {
		t.Fatalf("build with a guessed commitment: %v, want a data test failure", err)
	}
	if !strings.Contains(dt.Error(), "committed_at >= created_at") {
		t.Errorf("failure does not name the commitment test:\n%v", dt)
	}
}
