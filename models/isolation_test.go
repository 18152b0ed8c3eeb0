package models_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/relscope/relscope/internal/demowarehouse"
	"github.com/relscope/relscope/models"
)

// TestReadersDuringBuildSeeOneBuild: in one process (as `serve` would be), queries on other
// connections while builds run see the previous build's marts or the new one's, whole —
// as_of and the age-based marts of the same build — never a mix (the build is one
// transaction; DuckDB gives each reader a snapshot). Across processes the file lock keeps
// readers out while a build writes (cmd/relscope's TestReadersDuringBuildsSeeWholeBuilds).
func TestReadersDuringBuildSeeOneBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the demo warehouse")
	}
	ctx := context.Background()
	w := demowarehouse.Open(t, demowarehouse.Native)
	ms, err := models.Models()
	if err != nil {
		t.Fatal(err)
	}
	// One reading, in one statement: the build's as_of and what changes with it.
	const poll = `select (select value from relscope_meta where key = 'as_of'),
		(select count(*) || ':' || coalesce(round(sum(age_days), 6)::varchar, 'null') from mart_aging_wip),
		(select count(*) || ':' || coalesce(round(sum(age_days), 6)::varchar, 'null') from mart_backlog_aging),
		(select count(*) from mart_coverage)`
	read := func() string {
		var a, b, c, d string
		if err := w.DB.QueryRowContext(ctx, poll).Scan(&a, &b, &c, &d); err != nil {
			t.Errorf("reader: %v", err)
		}
		return a + " " + b + " " + c + " " + d
	}
	dates := []time.Time{w.AsOf.AddDate(0, -4, 0), w.AsOf}
	want := map[string]int{}
	for i, d := range dates {
		if _, err := w.Build(ctx, ms, models.Settings{AsOf: d, Config: w.Config}, nil); err != nil {
			t.Fatal(err)
		}
		want[read()] = i
	}
	if len(want) != 2 {
		t.Fatalf("both builds read the same: %v", want)
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	seen := make([]int, 2)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			got := read()
			if i, ok := want[got]; ok {
				seen[i]++
			} else if got != "" {
				t.Errorf("a reader saw a mix of two builds: %s\nwant one of %v", got, want)
				return
			}
		}
	}()
	for i := 0; i < 4; i++ {
		if _, err := w.Build(ctx, ms, models.Settings{AsOf: dates[i%2], Config: w.Config}, nil); err != nil {
			t.Error(err)
		}
	}
	close(stop)
	wg.Wait()
	t.Logf("reads of each build: %v of %v", seen, want)
	if seen[0] == 0 || seen[1] == 0 {
		t.Errorf("the reader saw builds %v times: it did not read during the builds", seen)
	}
}
