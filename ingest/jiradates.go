package ingest

import (
	"strings"
	"time"
	"unicode"
)

// monthNames maps month abbreviations and names, lower-cased and without a trailing dot, in
// the languages Jira exports in (English, German, French, Spanish, Portuguese, Russian), to
// their month. Jira writes the locale's abbreviation, sometimes with a dot ("déc.", "сент.").
var monthNames = func() map[string]time.Month {
	m := map[string]time.Month{}
	add := func(month time.Month, names ...string) {
		for _, n := range names {
			m[n] = month
		}
	}
	add(time.January, "jan", "january", "januar", "jän", "janv", "janvier", "ene", "enero", "janeiro", "янв", "январь", "января")
	add(time.February, "feb", "february", "februar", "févr", "fevr", "février", "fev", "fevereiro", "febrero", "фев", "февр", "февраль", "февраля")
	add(time.March, "mar", "march", "mär", "märz", "maerz", "mars", "marzo", "março", "marco", "мар", "март", "марта")
	add(time.April, "apr", "april", "avr", "avril", "abr", "abril", "апр", "апрель", "апреля")
	add(time.May, "may", "mai", "mayo", "maio", "май", "мая")
	add(time.June, "jun", "june", "juni", "juin", "junio", "junho", "июн", "июнь", "июня")
	add(time.July, "jul", "july", "juli", "juil", "juillet", "julio", "julho", "июл", "июль", "июля")
	add(time.August, "aug", "august", "août", "aout", "ago", "agosto", "авг", "август", "августа")
	add(time.September, "sep", "sept", "september", "septembre", "septiembre", "set", "setembro", "сен", "сент", "сентябрь", "сентября")
	add(time.October, "oct", "october", "okt", "oktober", "octobre", "octubre", "out", "outubro", "окт", "октябрь", "октября")
	add(time.November, "nov", "november", "novembre", "noviembre", "novembro", "ноя", "нояб", "ноябрь", "ноября")
	add(time.December, "dec", "december", "dez", "dezember", "déc", "décembre", "dic", "diciembre", "dezembro", "дек", "декабрь", "декабря")
	return m
}()

// parseJiraDate reads Jira's export dates: "17/Dec/25 10:57 AM", "3/Nov/20 12:17",
// "03/Dez/2020 14:05", "17/déc./25 10:57", with the month in any language of monthNames and
// the time in 12- or 24-hour form (AM/PM, a.m./p.m.). It reads the time in loc.
func parseJiraDate(s string, loc *time.Location) (time.Time, bool) {
	s = strings.TrimSpace(s)
	d1 := strings.IndexByte(s, '/')
	if d1 < 1 || d1 > 2 {
		return time.Time{}, false
	}
	rest := s[d1+1:]
	d2 := strings.IndexByte(rest, '/')
	if d2 < 1 {
		return time.Time{}, false
	}
	day, ok := digits(s[:d1])
	if !ok {
		return time.Time{}, false
	}
	month, ok := monthNames[strings.TrimSuffix(strings.ToLower(rest[:d2]), ".")]
	if !ok {
		return time.Time{}, false
	}
	rest = rest[d2+1:]
	yearStr, clock, _ := strings.Cut(rest, " ")
	year, ok := digits(yearStr)
	if !ok || (len(yearStr) != 2 && len(yearStr) != 4) {
		return time.Time{}, false
	}
	if len(yearStr) == 2 {
		// Two-digit years: Jira's exports are recent; 70–99 are the 1900s.
		if year >= 70 {
			year += 1900
		} else {
			year += 2000
		}
	}
	if day < 1 || day > daysIn(int(month), year) {
		return time.Time{}, false
	}
	hour, min := 0, 0
	clock = strings.TrimSpace(clock)
	if clock != "" {
		hm, ampm, _ := strings.Cut(clock, " ")
		h, m, found := strings.Cut(hm, ":")
		if !found {
			return time.Time{}, false
		}
		if m2, _, hasSec := strings.Cut(m, ":"); hasSec {
			m = m2
		}
		if hour, ok = digits(h); !ok {
			return time.Time{}, false
		}
		if min, ok = digits(m); !ok || min > 59 {
			return time.Time{}, false
		}
		switch marker := strings.Map(func(r rune) rune {
			if r == '.' || unicode.IsSpace(r) {
				return -1
			}
			return unicode.ToLower(r)
		}, ampm); marker {
		case "":
			if hour > 23 {
				return time.Time{}, false
			}
		case "am", "vorm":
			if hour < 1 || hour > 12 {
				return time.Time{}, false
			}
			if hour == 12 {
				hour = 0
			}
		case "pm", "nachm":
			if hour < 1 || hour > 12 {
				return time.Time{}, false
			}
			if hour != 12 {
				hour += 12
			}
		default:
			return time.Time{}, false
		}
	}
	if loc == nil {
		loc = time.UTC
	}
	return time.Date(year, month, day, hour, min, 0, 0, loc), true
}
