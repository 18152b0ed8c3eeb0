package ingest

import (
	"strings"
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	p := &DateParser{Loc: berlin}
	for _, tc := range []struct{ in, want string }{
		{"2025-03-04T10:15:00Z", "2025-03-04T10:15:00Z"},
		{"2025-03-04T10:15:00.123Z", "2025-03-04T10:15:00.123Z"},
		{"2025-03-04T10:15:00+02:00", "2025-03-04T08:15:00Z"},
		{"2025-03-04T10:15:00+0200", "2025-03-04T08:15:00Z"},
		{"2025-03-04T10:15:00-05", "2025-03-04T15:15:00Z"},
		{"2025-03-04 10:15:00 UTC", "2025-03-04T10:15:00Z"},
		// Zone-less times are read in the configured zone (Berlin is UTC+1 in March, +2 in July).
		{"2025-03-04 10:15:00", "2025-03-04T09:15:00Z"},
		{"2025-07-04 10:15", "2025-07-04T08:15:00Z"},
		{"2025-03-04", "2025-03-03T23:00:00Z"},
		{"  2025-03-04T10:15:00Z  ", "2025-03-04T10:15:00Z"},
		{"2024-02-29T00:00:00Z", "2024-02-29T00:00:00Z"},
	} {
		got, err := p.Parse(tc.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", tc.in, err)
			continue
		}
		if s := got.Format(time.RFC3339Nano); s != tc.want {
			t.Errorf("Parse(%q) = %s, want %s", tc.in, s, tc.want)
		}
		if got.Location() != time.UTC {
			t.Errorf("Parse(%q) not in UTC", tc.in)
		}
	}
	for _, bad := range []string{"not-a-date", "2025-13-01", "2025-02-30", "2023-02-29", "2025-03-04T25:00", "2025-03-04X10:00",
		"2025-03-04T10:15:00+25:00", "2025-3-4", "20250304", "0001-01-01T00:00:00", "3001-06-01"} {
		if _, err := p.Parse(bad); err == nil || !strings.Contains(err.Error(), "want RFC 3339") && !strings.Contains(err.Error(), "outside 1900") {
			t.Errorf("Parse(%q): error %v, want one naming the accepted forms", bad, err)
		}
	}
	if tm, err := p.Parse(""); err != nil || !tm.IsZero() {
		t.Errorf("Parse(\"\") = %v, %v; want zero, nil", tm, err)
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2025-03-04T10:15:00Z", "2025-03-04 10:15", "2025-03-04", "2025-03-04T10:15:00.5+05:30", "x"} {
		f.Add(s)
	}
	p := &DateParser{Loc: time.UTC}
	f.Fuzz(func(t *testing.T, s string) {
		tm, err := p.Parse(s)
		if err != nil {
			return
		}
		if strings.TrimSpace(s) == "" {
			if !tm.IsZero() {
				t.Fatalf("blank %q gave %v", s, tm)
			}
			return
		}
		// Whatever parses must be a real instant that survives a round trip through RFC 3339.
		back, err := time.Parse(time.RFC3339Nano, tm.Format(time.RFC3339Nano))
		if err != nil || !back.Equal(tm) {
			t.Fatalf("%q -> %v does not round-trip: %v", s, tm, err)
		}
	})
}
