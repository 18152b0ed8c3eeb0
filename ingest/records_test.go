package ingest

import (
	"errors"
	"fmt"
	"testing"
)

// A row error is found however it is wrapped, and rejects the record with the whole message;
// any other error stops the file, and no error does nothing.
func TestRejectOrFail(t *testing.T) {
	sink := &MemSink{}
	sink.Record(7)
	raw := func() string { return "a,b" }
	if err := rejectOrFail(sink, fmt.Errorf("PAY-1: %w", rowErrf("created %q: want a date", "x")), raw); err != nil {
		t.Fatal(err)
	}
	if len(sink.Rejects) != 1 || sink.Rejects[0] != (Reject{Line: 7, Reason: `PAY-1: created "x": want a date`, Raw: "a,b"}) {
		t.Errorf("rejects %+v", sink.Rejects)
	}
	fatal := errors.New("read: disk gone")
	if err := rejectOrFail(sink, fmt.Errorf("page 2: %w", fatal), raw); !errors.Is(err, fatal) {
		t.Errorf("a file error came back as %v", err)
	}
	if err := rejectOrFail(sink, nil, raw); err != nil || len(sink.Rejects) != 1 {
		t.Errorf("nil: %v, %d rejects", err, len(sink.Rejects))
	}
}
