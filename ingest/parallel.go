package ingest

import (
	"context"
	"runtime"
)

// mapInOrder maps n independent records on every core and hands each record's rows to sink in
// record order, as a sequential loop would: sink.Record(line(i)), then the record's rows, or
// its reject when mapRec returned a rowError, however wrapped (a record is loaded whole or rejected whole). Any
// other error stops the file. Mapping a Jira issue (decoding its fields and changelog) is most
// of a page's cost and needs nothing but the record, so it spreads; the sink stays on the
// caller's goroutine. At most a window of chunks is mapped ahead of the sink.
func mapInOrder(ctx context.Context, t Tuning, n int, line func(i int) int64, raw func(i int) string,
	mapRec func(i int, s Sink) error, sink Sink) error {
	const chunk = 16
	workers := runtime.GOMAXPROCS(0)
	if n <= t.parallelMin() || workers < 2 {
		for i := range n {
			if i%1024 == 0 && ctx.Err() != nil {
				return ctx.Err()
			}
			sink.Record(line(i))
			if err := deliver(sink, i, raw, nil, mapRec(i, sink)); err != nil {
				return err
			}
		}
		return nil
	}
	type result struct {
		rows MemSink
		err  error
	}
	chunks := (n + chunk - 1) / chunk
	results := make([]result, n)
	done := make([]chan struct{}, chunks)
	for c := range done {
		done[c] = make(chan struct{})
	}
	window := make(chan struct{}, 2*workers) // chunks mapped but not yet delivered
	work := make(chan int)
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		defer close(work)
		for c := range chunks {
			select {
			case window <- struct{}{}:
			case <-stop:
				return
			}
			select {
			case work <- c:
			case <-stop:
				return
			}
		}
	}()
	for range workers {
		go func() {
			for c := range work {
				for i := c * chunk; i < min(n, (c+1)*chunk); i++ {
					results[i].err = mapRec(i, &results[i].rows)
				}
				close(done[c])
			}
		}()
	}
	for c := range chunks {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		<-done[c]
		for i := c * chunk; i < min(n, (c+1)*chunk); i++ {
			sink.Record(line(i))
			if err := deliver(sink, i, raw, &results[i].rows, results[i].err); err != nil {
				return err
			}
			results[i] = result{}
		}
		<-window
	}
	return nil
}

// parallelMinRecords is the most records mapped on the caller's goroutine alone, unless
// Tuning.ParallelMinRecords says otherwise (tests run small inputs through the parallel path).
const parallelMinRecords = 16

// deliver passes one mapped record to sink: its reject, or its rows (from rows, when mapped
// into a MemSink; nil when mapRec wrote to sink itself).
func deliver(sink Sink, i int, raw func(int) string, rows *MemSink, err error) error {
	if err != nil {
		return rejectOrFail(sink, err, func() string { return raw(i) })
	}
	if rows == nil {
		return nil
	}
	return rows.replay(sink)
}
