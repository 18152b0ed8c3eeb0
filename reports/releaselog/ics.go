package releaselog

import (
	"bytes"
	"strings"

	ics "github.com/arran4/golang-ical"
)

// renderICS writes calendar.ics (RFC 5545) with arran4/golang-ical: VERSION, PRODID, a name,
// a refresh hint (REFRESH-INTERVAL, RFC 7986, and X-PUBLISHED-TTL) and one all-day VEVENT per
// release, past and upcoming, with a stable UID and DTSTAMP = as_of. The library folds lines
// at 75 octets on UTF-8 character boundaries and escapes TEXT values; it ends lines with LF
// on Linux unless given CRLF, and does not escape a carriage return in a value, so text is
// cleaned of control characters first (clean).
func renderICS(s *site) []byte {
	cal := ics.NewCalendarFor("relscope")
	cal.SetProductId("-//relscope//relscope " + clean(s.Version) + "//EN")
	cal.SetCalscale("GREGORIAN")
	cal.SetMethod(ics.MethodPublish)
	cal.SetName(clean(s.Title))
	cal.SetXWRCalDesc(clean(s.Title) + ": release dates")
	cal.SetRefreshInterval("PT12H")
	cal.SetXPublishedTTL("PT12H")
	if s.BaseURL != "" {
		cal.SetUrl(s.URL("calendar.ics"))
	}
	for _, group := range [][]*release{s.Released, s.Upcoming} {
		for _, r := range group {
			if r.Date.IsZero() {
				continue // no day to put it on
			}
			ev := cal.AddEvent(r.ID)
			ev.SetDtStampTime(s.AsOf)
			ev.SetAllDayStartAt(r.Date)
			ev.SetAllDayEndAt(r.Date.AddDate(0, 0, 1))
			summary := clean(r.Name) + " released"
			status := ics.ObjectStatusConfirmed
			switch {
			case r.Upcoming:
				summary = clean(r.Name) + " (planned)"
				status = ics.ObjectStatusTentative
			case r.RolledBack:
				summary = clean(r.Name) + " released (rolled back)"
			}
			ev.SetSummary(summary)
			ev.SetStatus(status)
			ev.SetTimeTransparency(ics.TransparencyTransparent)
			ev.SetDescription(plainNotes(r))
			ev.SetURL(s.URL(r.Page()))
		}
	}
	var b bytes.Buffer
	// The library ends lines with the platform's newline (LF on Linux) unless told: RFC 5545
	// says CRLF.
	cal.SerializeTo(&b, ics.WithNewLine("\r\n"))
	return b.Bytes()
}

// plainNotes is a release's notes as plain text (calendar descriptions).
func plainNotes(r *release) string {
	var b strings.Builder
	switch {
	case r.Maintenance:
		b.WriteString("Maintenance release: no public changes.\n")
	case r.Upcoming && len(r.Items) == 0:
		b.WriteString("Planned; no public change is finished yet.\n")
	case r.Upcoming:
		b.WriteString("Planned; finished so far:\n")
	}
	if r.RolledBack {
		b.WriteString("This release was rolled back after it shipped.\n")
	}
	for _, g := range r.Groups() {
		b.WriteString(g.Category + ":\n")
		for _, it := range g.Items {
			b.WriteString("- " + clean(it.Title) + " (" + clean(it.Key) + ")\n")
		}
	}
	return strings.TrimRight(b.String(), "\n")
}

// clean removes control characters (line breaks become spaces) from text bound for a
// line-oriented format.
func clean(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			return ' '
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == '\u2028' || r == '\u2029':
			return -1
		}
		return r
	}, s)
}
