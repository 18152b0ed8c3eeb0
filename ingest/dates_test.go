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

func TestParseJiraDates(t *testing.T) {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	p := &DateParser{Loc: time.UTC}
	for _, tc := range []struct{ in, want string }{
		{"17/Dec/25 10:57 AM", "2025-12-17T10:57:00Z"},
		{"17/Dec/25 12:05 AM", "2025-12-17T00:05:00Z"},
		{"17/Dec/25 12:05 PM", "2025-12-17T12:05:00Z"},
		{"1/Feb/24 9:03 PM", "2024-02-01T21:03:00Z"},
		{"3/Nov/20 12:17", "2020-11-03T12:17:00Z"},
		{"03/Nov/2020 17:45", "2020-11-03T17:45:00Z"},
		{"29/Feb/24", "2024-02-29T00:00:00Z"},
		{"03/Dez/20 14:05", "2020-12-03T14:05:00Z"},  // German
		{"12/Mär/25 08:00", "2025-03-12T08:00:00Z"},  // German
		{"17/déc./25 10:57", "2025-12-17T10:57:00Z"}, // French
		{"5/févr./25 10:57", "2025-02-05T10:57:00Z"}, // French
		{"8/ago/25 16:20", "2025-08-08T16:20:00Z"},   // Spanish / Portuguese
		{"8/dic/25 16:20", "2025-12-08T16:20:00Z"},   // Spanish
		{"8/out/25 16:20", "2025-10-08T16:20:00Z"},   // Portuguese
		{"8/set/25 16:20", "2025-09-08T16:20:00Z"},   // Portuguese
		{"8/сент./25 16:20", "2025-09-08T16:20:00Z"}, // Russian
		{"8/мая/25 16:20", "2025-05-08T16:20:00Z"},   // Russian
		{"8/May/99 4:20 p.m.", "1999-05-08T16:20:00Z"},
	} {
		got, err := p.Parse(tc.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", tc.in, err)
			continue
		}
		if s := got.Format(time.RFC3339); s != tc.want {
			t.Errorf("Parse(%q) = %s, want %s", tc.in, s, tc.want)
		}
	}
	// Zone-less Jira times are read in the configured zone.
	pb := &DateParser{Loc: berlin}
	if got, _ := pb.Parse("17/Dec/25 10:57 AM"); got.Format(time.RFC3339) != "2025-12-17T09:57:00Z" {
		t.Errorf("Berlin: %s", got)
	}
	for _, bad := range []string{"32/Dec/25 10:57", "17/Foo/25 10:57", "17/Dec/25 13:00 PM", "17/Dec/25 0:10 AM", "17/Dec/5 10:57", "17/Dec/25 10", "30/Feb/24"} {
		if _, err := p.Parse(bad); err == nil {
			t.Errorf("Parse(%q) accepted", bad)
		}
	}
}

// Excel re-saves a CSV with its own date format: M/D/YY H:MM in a US locale, D.M.YY in a German
// one. Two-digit years are read with / and . (70–99: the 1900s), not with dashes, where year
// first (25-03-04) is as likely.
func TestTwoDigitYearDates(t *testing.T) {
	for _, tc := range []struct {
		in    string
		order DateOrder
		want  string
	}{
		{"12/17/25 10:57", OrderAuto, "2025-12-17T10:57:00Z"},
		{"3/4/25 9:05", OrderAuto, "2025-03-04T09:05:00Z"},
		{"3/4/25 9:05", OrderDMY, "2025-04-03T09:05:00Z"},
		{"17.12.25 10:57", OrderAuto, "2025-12-17T10:57:00Z"},
		{"1/2/99", OrderMDY, "1999-01-02T00:00:00Z"},
		{"12/17/25 10:57 PM", OrderAuto, "2025-12-17T22:57:00Z"},
	} {
		p := &DateParser{Loc: time.UTC, Order: tc.order}
		got, err := p.Parse(tc.in)
		if err != nil || got.Format(time.RFC3339) != tc.want {
			t.Errorf("Parse(%q, order %d) = %v, %v; want %s", tc.in, tc.order, got, err, tc.want)
		}
	}
	p := &DateParser{Loc: time.UTC}
	for _, bad := range []string{"25-03-04", "13/13/25", "2/30/25 10:00", "3/4/2 10:00", "3/4/025"} {
		if tm, err := p.Parse(bad); err == nil {
			t.Errorf("Parse(%q) = %v, want an error", bad, tm)
		}
	}
	if got := dateOrderOf([]string{"3/4/25 9:05", "13/4/25 10:00"}); got != OrderDMY {
		t.Errorf("order of D/M/YY dates = %d, want DMY", got)
	}
	if got := dateOrderOf([]string{"3/4/25 9:05", "4/13/25 10:00"}); got != OrderMDY {
		t.Errorf("order of M/D/YY dates = %d, want MDY", got)
	}
}

// An Excel re-saved file's date order is decided from the records detection reads: one day
// above 12 in any date column decides for the whole file.
func TestSniffDateOrder(t *testing.T) {
	head := "Issue key,Summary,Created,Updated\nPAY-1,One,3/4/25 9:05,3/5/25 10:00\nPAY-2,Two,3/14/25 9:05,3/15/25 10:00\n"
	if got := newSniff("x.csv", []byte(head)).dateOrder(); got != OrderMDY {
		t.Errorf("date order = %d, want MDY", got)
	}
	head = "Issue key,Summary,Created\nPAY-1,One,3/4/25 9:05\n"
	if got := newSniff("x.csv", []byte(head)).dateOrder(); got != OrderAuto {
		t.Errorf("undecidable date order = %d, want auto", got)
	}
}
