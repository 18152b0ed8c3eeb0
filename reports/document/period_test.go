package document

import (
	"testing"
	"time"
)

func TestParsePeriod(t *testing.T) {
	asOf := time.Date(2025, 7, 15, 12, 0, 0, 0, time.UTC)
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	for _, tc := range []struct {
		in          string
		start, end  time.Time
		prevStart   time.Time
		text, label string
	}{
		{"2025-06", day(2025, 6, 1), day(2025, 7, 1), day(2025, 5, 1), "June 2025", "2025-06"},
		{"2025-01", day(2025, 1, 1), day(2025, 2, 1), day(2024, 12, 1), "January 2025", "2025-01"},
		{"2025-q2", day(2025, 4, 1), day(2025, 7, 1), day(2025, 1, 1), "2025-Q2 (Apr–Jun)", "2025-Q2"},
		{"2025-Q1", day(2025, 1, 1), day(2025, 4, 1), day(2024, 10, 1), "2025-Q1 (Jan–Mar)", "2025-Q1"},
		{"2024", day(2024, 1, 1), day(2025, 1, 1), day(2023, 1, 1), "2024", "2024"},
		// last-90d: the 90 days up to as_of; the previous period is the 90 days before.
		{"last-90d", asOf.AddDate(0, 0, -90), asOf, asOf.AddDate(0, 0, -180), "2025-04-16 to 2025-07-15", "last-90d"},
	} {
		p, err := ParsePeriod(tc.in, asOf)
		if err != nil {
			t.Fatalf("%s: %v", tc.in, err)
		}
		if !p.Start.Equal(tc.start) || !p.End.Equal(tc.end) || p.Label != tc.label {
			t.Errorf("%s: got %s [%s, %s), want %s [%s, %s)", tc.in, p.Label, p.Start, p.End, tc.label, tc.start, tc.end)
		}
		if prev := p.Previous(); !prev.Start.Equal(tc.prevStart) || !prev.End.Equal(p.Start) {
			t.Errorf("%s: previous [%s, %s), want [%s, %s)", tc.in, prev.Start, prev.End, tc.prevStart, p.Start)
		}
		if p.String() != tc.text {
			t.Errorf("%s: String() = %q, want %q", tc.in, p.String(), tc.text)
		}
	}
	for _, bad := range []string{"", "2025-13", "2025-Q5", "25-06", "last-0d", "last-90", "june"} {
		if _, err := ParsePeriod(bad, asOf); err == nil {
			t.Errorf("%q: want an error", bad)
		}
	}
}

func TestDefaultPeriods(t *testing.T) {
	asOf := time.Date(2025, 7, 15, 12, 0, 0, 0, time.UTC)
	if p := LastFullMonth(asOf); p.Label != "2025-06" || !p.End.Equal(time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("LastFullMonth = %+v", p)
	}
	// Six full months (January to June) plus July up to as_of.
	if p := LastMonths(asOf, 6); !p.Start.Equal(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)) || !p.End.Equal(asOf) {
		t.Errorf("LastMonths = %+v", p)
	}
}

// TestPeriodLastDay: a dated period prints the last day it covers. [2025-03-03, 2025-06-01)
// counts 90 days, the last of them 2025-05-31; its previous period [2024-12-03, 2025-03-03)
// ends on 2025-03-02, the day before the period starts, not on it.
func TestPeriodLastDay(t *testing.T) {
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	p := Period{Label: "last-90d", Start: day(2025, 3, 3), End: day(2025, 6, 1)}
	if got := p.String(); got != "2025-03-03 to 2025-05-31" {
		t.Errorf("String() = %q", got)
	}
	if got := p.Previous().String(); got != "2024-12-03 to 2025-03-02" {
		t.Errorf("Previous().String() = %q", got)
	}
}
