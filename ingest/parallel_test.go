package ingest

import (
	"context"
	"errors"
	"strconv"
	"testing"
)

// mapInOrder delivers exactly what a sequential loop would: every record's line, then its
// rows or its reject, in record order, whatever order the records were mapped in.
func TestMapInOrder(t *testing.T) {
	const n = 1000
	mapRec := func(i int, s Sink) error {
		if i%7 == 0 {
			return rowErrf("record %d is bad", i)
		}
		if err := s.Deployment(&Deployment{ID: strconv.Itoa(i)}); err != nil {
			return err
		}
		return s.Transition(&Transition{Key: strconv.Itoa(i)})
	}
	line := func(i int) int64 { return int64(10 + i) }
	raw := func(i int) string { return "raw " + strconv.Itoa(i) }
	for _, n := range []int{3, n} { // the sequential path for small files, the parallel one
		sink := &MemSink{}
		if err := mapInOrder(context.Background(), Tuning{}, n, line, raw, mapRec, sink); err != nil {
			t.Fatal(err)
		}
		if sink.Read != int64(n) {
			t.Errorf("n=%d: %d records read", n, sink.Read)
		}
		var wantDeps, wantRejects int
		for i := range n {
			if i%7 == 0 {
				r := sink.Rejects[wantRejects]
				if r.Line != line(i) || r.Raw != raw(i) || r.Reason != "record "+strconv.Itoa(i)+" is bad" {
					t.Fatalf("n=%d: reject %d = %+v", n, wantRejects, r)
				}
				wantRejects++
				continue
			}
			if d := sink.Deployments[wantDeps]; d.ID != strconv.Itoa(i) || sink.Transitions[wantDeps].Key != d.ID {
				t.Fatalf("n=%d: row %d is %s, want %d", n, wantDeps, d.ID, i)
			}
			wantDeps++
		}
		if len(sink.Deployments) != wantDeps || len(sink.Rejects) != wantRejects {
			t.Errorf("n=%d: %d rows, %d rejects", n, len(sink.Deployments), len(sink.Rejects))
		}
	}

	// An error that is not a reject stops the file: nothing after the record is delivered.
	boom := errors.New("boom")
	sink := &MemSink{}
	err := mapInOrder(context.Background(), Tuning{}, n, line, raw, func(i int, s Sink) error {
		if i == 500 {
			return boom
		}
		return s.Deployment(&Deployment{ID: strconv.Itoa(i)})
	}, sink)
	if !errors.Is(err, boom) || len(sink.Deployments) != 500 || sink.Read != 501 {
		t.Errorf("fatal error: %v, %d rows, %d read", err, len(sink.Deployments), sink.Read)
	}

	// Cancelled: stops with the context's error.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := mapInOrder(ctx, Tuning{}, n, line, raw, mapRec, &MemSink{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

// The Jira JSON tests again, with every file — however small — mapped on several goroutines:
// the goldens and rejects must come out the same.
func TestJiraJSONMappedInParallel(t *testing.T) {
	withTuning(t, Tuning{ParallelMinRecords: -1})
	t.Run("SearchPage", TestJiraJSONSearchPage)
	t.Run("SearchJQL", TestJiraJSONSearchJQL)
	t.Run("ArrayAndErrors", TestJiraJSONArrayAndErrors)
	t.Run("MixedFixtures", TestMixedFixturesIngest)
}
