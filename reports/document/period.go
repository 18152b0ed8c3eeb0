package document

import (
	"fmt"
	"regexp"
	"strconv"
	"time"
)

var (
	monthRe   = regexp.MustCompile(`^(\d{4})-(\d{2})$`)
	quarterRe = regexp.MustCompile(`^(\d{4})-[Qq]([1-4])$`)
	yearRe    = regexp.MustCompile(`^(\d{4})$`)
	lastRe    = regexp.MustCompile(`^last-(\d{1,4})d$`)
)

// ParsePeriod reads a --period value (DESIGN §7): YYYY-MM, YYYY-Qn, YYYY or last-Nd (the N
// days up to asOf, e.g. last-90d). Calendar periods are in UTC.
func ParsePeriod(s string, asOf time.Time) (Period, error) {
	asOf = asOf.UTC()
	if m := monthRe.FindStringSubmatch(s); m != nil {
		y, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		if mo < 1 || mo > 12 {
			return Period{}, fmt.Errorf("period %q: month %02d is not 01-12", s, mo)
		}
		start := time.Date(y, time.Month(mo), 1, 0, 0, 0, 0, time.UTC)
		return Period{Label: s, Start: start, End: start.AddDate(0, 1, 0)}, nil
	}
	if m := quarterRe.FindStringSubmatch(s); m != nil {
		y, _ := strconv.Atoi(m[1])
		q, _ := strconv.Atoi(m[2])
		start := time.Date(y, time.Month(3*(q-1)+1), 1, 0, 0, 0, 0, time.UTC)
		return Period{Label: fmt.Sprintf("%d-Q%d", y, q), Start: start, End: start.AddDate(0, 3, 0)}, nil
	}
	if m := yearRe.FindStringSubmatch(s); m != nil {
		y, _ := strconv.Atoi(m[1])
		start := time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
		return Period{Label: s, Start: start, End: start.AddDate(1, 0, 0)}, nil
	}
	if m := lastRe.FindStringSubmatch(s); m != nil {
		n, _ := strconv.Atoi(m[1])
		if n < 1 {
			return Period{}, fmt.Errorf("period %q: want at least one day", s)
		}
		return Period{Label: s, Start: asOf.AddDate(0, 0, -n), End: asOf}, nil
	}
	return Period{}, fmt.Errorf("period %q: want YYYY-MM, YYYY-Qn, YYYY or last-Nd (e.g. 2025-06, 2025-Q2, 2025, last-90d)", s)
}

// LastFullMonth is the calendar month before the one asOf falls in: the monthly report's
// default period.
func LastFullMonth(asOf time.Time) Period {
	asOf = asOf.UTC()
	end := time.Date(asOf.Year(), asOf.Month(), 1, 0, 0, 0, 0, time.UTC)
	start := end.AddDate(0, -1, 0)
	return Period{Label: start.Format("2006-01"), Start: start, End: end}
}

// LastMonths is the n full calendar months before the month asOf falls in, plus that month up
// to asOf: the dashboard's and workbook's default period (n = 6).
func LastMonths(asOf time.Time, n int) Period {
	asOf = asOf.UTC()
	this := time.Date(asOf.Year(), asOf.Month(), 1, 0, 0, 0, 0, time.UTC)
	return Period{Label: fmt.Sprintf("last %d months", n), Start: this.AddDate(0, -n, 0), End: asOf}
}

// Previous is the period of the same length just before p, for "change against the previous
// period": the previous month, quarter or year for calendar periods, else the same number of
// days before Start.
func (p Period) Previous() Period {
	switch {
	case p.Start.AddDate(0, 1, 0).Equal(p.End) && p.Start.Day() == 1:
		s := p.Start.AddDate(0, -1, 0)
		return Period{Label: s.Format("2006-01"), Start: s, End: p.Start}
	case p.Start.AddDate(0, 3, 0).Equal(p.End) && p.Start.Day() == 1:
		s := p.Start.AddDate(0, -3, 0)
		return Period{Label: fmt.Sprintf("%d-Q%d", s.Year(), (int(s.Month())-1)/3+1), Start: s, End: p.Start}
	case p.Start.AddDate(1, 0, 0).Equal(p.End) && p.Start.YearDay() == 1:
		s := p.Start.AddDate(-1, 0, 0)
		return Period{Label: strconv.Itoa(s.Year()), Start: s, End: p.Start}
	}
	d := p.End.Sub(p.Start)
	return Period{Label: "previous " + p.Label, Start: p.Start.Add(-d), End: p.Start}
}

// Contains reports whether t falls in [Start, End).
func (p Period) Contains(t time.Time) bool { return !t.Before(p.Start) && t.Before(p.End) }

// String is the period in words for headers: "June 2025", "2025-Q2 (Apr–Jun)", "2025",
// "2025-03-03 to 2025-05-31" for [2025-03-03, 2025-06-01) — the last day covered, End being
// exclusive — and "up to 2025-06-01" (no start: everything before the as_of moment); a period
// without dates (what a release brief covers) is its Label.
func (p Period) String() string {
	switch {
	case p.Start.IsZero() && p.End.IsZero():
		return p.Label
	case p.Start.IsZero():
		// An open start: everything up to End (the release log's "all releases").
		return "up to " + p.End.Format("2006-01-02")
	case p.Start.AddDate(0, 1, 0).Equal(p.End) && p.Start.Day() == 1:
		return p.Start.Format("January 2006")
	case p.Start.AddDate(0, 3, 0).Equal(p.End) && p.Start.Day() == 1:
		return fmt.Sprintf("%d-Q%d (%s–%s)", p.Start.Year(), (int(p.Start.Month())-1)/3+1,
			p.Start.Format("Jan"), p.End.AddDate(0, 0, -1).Format("Jan"))
	case p.Start.AddDate(1, 0, 0).Equal(p.End) && p.Start.YearDay() == 1:
		return strconv.Itoa(p.Start.Year())
	}
	return p.Start.Format("2006-01-02") + " to " + p.lastDay().Format("2006-01-02")
}

// lastDay is the last day the period covers. End is exclusive: a period ending at midnight ends
// the day before (so a previous period no longer reads as ending on the day its successor
// starts); one ending during a day (an as_of of 12:00) covers part of that day.
func (p Period) lastDay() time.Time { return p.End.Add(-time.Nanosecond) }
