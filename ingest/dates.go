package ingest

import (
	"fmt"
	"strings"
	"time"
)

// DateOrder says how to read an ambiguous numeric date such as 03/04/2025.
type DateOrder int

const (
	// OrderAuto decides from the file (or assumes month first when nothing tells).
	OrderAuto DateOrder = iota
	// OrderDMY reads 03/04/2025 as 3 April.
	OrderDMY
	// OrderMDY reads 03/04/2025 as 4 March.
	OrderMDY
)

// ParseDateOrder reads the --date-order flag.
func ParseDateOrder(s string) (DateOrder, error) {
	switch strings.ToLower(s) {
	case "", "auto":
		return OrderAuto, nil
	case "dmy":
		return OrderDMY, nil
	case "mdy":
		return OrderMDY, nil
	}
	return OrderAuto, fmt.Errorf("--date-order %q: want dmy, mdy or auto", s)
}

// DateParser turns export timestamps into UTC times. Times without a zone are read in Loc.
type DateParser struct {
	Loc   *time.Location
	Order DateOrder
}

// Dates outside these years are placeholders (0001-01-01 is .NET's and Excel's "no date")
// or typos, never real delivery events.
const (
	minYear = 1900
	maxYear = 2999
)

// parseJSDate reads JavaScript's Date.prototype.toString() as Linear exports it:
// "Tue Aug 23 2022 13:54:01 GMT+0000 (Coordinated Universal Time)"; the zone name in
// parentheses is the browser's and is ignored, the offset before it decides.
func parseJSDate(s string) (time.Time, bool) {
	if i := strings.IndexByte(s, '('); i > 0 {
		s = strings.TrimSpace(s[:i])
	}
	t, err := time.Parse("Mon Jan 02 2006 15:04:05 GMT-0700", s)
	return t, err == nil
}

// parseNumericDate reads day/month dates like 03-04-2025 14:05:00, 03/04/2025 or 03.04.2025
// in the given order; with OrderAuto a day above 12 decides, and an ambiguous date is read
// month first (the US order ServiceNow and Excel default to). Formats that can see the whole
// file decide the order from it first (see dateOrderOf).
func parseNumericDate(s string, order DateOrder, loc *time.Location) (time.Time, bool) {
	if len(s) < 6 {
		return time.Time{}, false
	}
	datePart, clock, _ := strings.Cut(s, " ")
	sep := byte(0)
	for _, c := range []byte{'-', '/', '.'} {
		if strings.Count(datePart, string(c)) == 2 {
			sep = c
			break
		}
	}
	if sep == 0 {
		return time.Time{}, false
	}
	parts := strings.Split(datePart, string(sep))
	a, ok1 := digits(parts[0])
	b, ok2 := digits(parts[1])
	year, ok3 := numericYear(parts[2], sep)
	if !ok1 || !ok2 || !ok3 || len(parts[0]) > 2 || len(parts[1]) > 2 {
		return time.Time{}, false
	}
	day, month := b, a // month first
	switch {
	case order == OrderDMY:
		day, month = a, b
	case order == OrderMDY:
	case a > 12:
		day, month = a, b
	}
	if month < 1 || month > 12 || day < 1 || day > daysIn(month, year) {
		return time.Time{}, false
	}
	hour, min, sec := 0, 0, 0
	clock = strings.TrimSpace(clock)
	ampm := ""
	if i := strings.LastIndexByte(clock, ' '); i > 0 {
		ampm = strings.ToUpper(strings.TrimSpace(clock[i+1:]))
		clock = strings.TrimSpace(clock[:i])
		if ampm != "AM" && ampm != "PM" {
			return time.Time{}, false
		}
	}
	if clock != "" {
		f := strings.Split(clock, ":")
		if len(f) < 2 || len(f) > 3 {
			return time.Time{}, false
		}
		var ok bool
		if hour, ok = digits(f[0]); !ok || hour > 23 {
			return time.Time{}, false
		}
		if min, ok = digits(f[1]); !ok || min > 59 {
			return time.Time{}, false
		}
		if len(f) == 3 {
			if sec, ok = digits(f[2]); !ok || sec > 59 {
				return time.Time{}, false
			}
		}
		switch ampm {
		case "AM", "PM":
			if hour < 1 || hour > 12 {
				return time.Time{}, false
			}
			if hour == 12 {
				hour = 0
			}
			if ampm == "PM" {
				hour += 12
			}
		}
	}
	return time.Date(year, time.Month(month), day, hour, min, sec, 0, loc), true
}

// numericYear reads the year of a numeric date: four digits, or — as Excel writes dates when it
// re-saves a CSV (M/D/YY H:MM) — two, with / or . between the parts; 70–99 are the 1900s. Two-digit
// years with dashes are not read: 25-03-04 is more likely year first than day first.
func numericYear(s string, sep byte) (int, bool) {
	y, ok := digits(s)
	switch {
	case !ok:
		return 0, false
	case len(s) == 4:
		return y, true
	case len(s) == 2 && sep != '-':
		if y >= 70 {
			return 1900 + y, true
		}
		return 2000 + y, true
	}
	return 0, false
}

// dateOrderOf decides the day/month order of numeric dates from many of them: any first part
// above 12 means day first, any second part above 12 month first; neither decides nothing.
func dateOrderOf(values []string) DateOrder {
	for _, v := range values {
		d, _, _ := strings.Cut(strings.TrimSpace(v), " ")
		for _, sep := range []string{"-", "/", "."} {
			parts := strings.Split(d, sep)
			if len(parts) != 3 {
				continue
			}
			if _, ok := numericYear(parts[2], sep[0]); !ok {
				continue
			}
			a, ok1 := digits(parts[0])
			b, ok2 := digits(parts[1])
			if !ok1 || !ok2 {
				continue
			}
			if a > 12 && b <= 12 {
				return OrderDMY
			}
			if b > 12 && a <= 12 {
				return OrderMDY
			}
		}
	}
	return OrderAuto
}

func (p *DateParser) location() *time.Location {
	if p.Loc == nil {
		return time.UTC
	}
	return p.Loc
}

// dateHint is appended to every date error so the user knows what would have worked.
const dateHint = "want RFC 3339 (2025-03-04T10:15:00Z), 2006-01-02 15:04[:05], 2006-01-02, Jira's 17/Dec/25 10:57 AM, JavaScript's Tue Aug 23 2022 13:54:01 GMT+0000, 03-04-2025 14:05 or Excel's 3/4/25 14:05 (see --date-order)"

// Parse reads s. The empty string is the zero time and no error: callers decide whether a
// value is required.
func (p *DateParser) Parse(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	t, ok := p.parseISO(s)
	if !ok {
		t, ok = parseJiraDate(s, p.location())
	}
	if !ok {
		t, ok = parseJSDate(s)
	}
	if !ok {
		t, ok = parseNumericDate(s, p.Order, p.location())
	}
	if ok {
		t = t.UTC()
		if y := t.Year(); y < minYear || y > maxYear {
			return time.Time{}, fmt.Errorf("%q: year %d is outside %d–%d", s, y, minYear, maxYear)
		}
		return t, nil
	}
	return time.Time{}, fmt.Errorf("%q: %s", s, dateHint)
}

// parseISO is a hand-written reader for YYYY-MM-DD[(T| )HH:MM[:SS[.fff]]][Z|±HH[:]MM| UTC],
// the shape of every native file and most APIs; it is several times faster than trying
// time.Parse layouts one after another, which matters at millions of rows.
func (p *DateParser) parseISO(s string) (time.Time, bool) {
	if len(s) < 10 || s[4] != '-' || s[7] != '-' {
		return time.Time{}, false
	}
	year, ok1 := digits(s[0:4])
	month, ok2 := digits(s[5:7])
	day, ok3 := digits(s[8:10])
	if !ok1 || !ok2 || !ok3 || month < 1 || month > 12 || day < 1 || day > daysIn(month, year) {
		return time.Time{}, false
	}
	rest := s[10:]
	var hour, min, sec, nsec int
	if rest != "" {
		if rest[0] != 'T' && rest[0] != ' ' && rest[0] != 't' {
			return time.Time{}, false
		}
		rest = rest[1:]
		if len(rest) < 5 || rest[2] != ':' {
			return time.Time{}, false
		}
		var okh, okm bool
		hour, okh = digits(rest[0:2])
		min, okm = digits(rest[3:5])
		if !okh || !okm || hour > 23 || min > 59 {
			return time.Time{}, false
		}
		rest = rest[5:]
		if len(rest) >= 3 && rest[0] == ':' {
			var oks bool
			sec, oks = digits(rest[1:3])
			if !oks || sec > 60 {
				return time.Time{}, false
			}
			rest = rest[3:]
			if len(rest) > 0 && (rest[0] == '.' || rest[0] == ',') {
				i := 1
				scale := 100000000
				for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
					nsec += int(rest[i]-'0') * scale
					scale /= 10
					i++
				}
				if i == 1 {
					return time.Time{}, false
				}
				rest = rest[i:]
			}
		}
	}
	loc := p.Loc
	if loc == nil {
		loc = time.UTC
	}
	switch z := strings.TrimSpace(rest); {
	case z == "":
	case z == "Z" || z == "z" || z == "UTC" || z == "GMT":
		loc = time.UTC
	case z[0] == '+' || z[0] == '-':
		off, ok := parseOffset(z[1:])
		if !ok {
			return time.Time{}, false
		}
		if z[0] == '-' {
			off = -off
		}
		loc = time.FixedZone("", off)
	default:
		return time.Time{}, false
	}
	return time.Date(year, time.Month(month), day, hour, min, sec, nsec, loc), true
}

// parseOffset reads HH:MM, HHMM or HH as seconds east of UTC.
func parseOffset(s string) (int, bool) {
	s = strings.Replace(s, ":", "", 1)
	if len(s) != 2 && len(s) != 4 {
		return 0, false
	}
	h, ok := digits(s[:2])
	if !ok || h > 14 {
		return 0, false
	}
	m := 0
	if len(s) == 4 {
		if m, ok = digits(s[2:]); !ok || m > 59 {
			return 0, false
		}
	}
	return h*3600 + m*60, true
}

func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, len(s) > 0
}

func daysIn(month, year int) int {
	return time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}
