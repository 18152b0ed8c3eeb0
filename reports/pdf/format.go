package pdf

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/relscope/relscope/reports/document"
)

// dash is shown for a value that is not known.
const dash = "—"

// formatValue shows a cell or KPI value of type t in words an executive reads: thousands
// separated, one decimal for days and hours, whole percentages, dates as "3 Mar 2025".
func formatValue(v any, t document.ValueType) string {
	if v == nil {
		return dash
	}
	switch t {
	case document.TypeInt:
		if f, ok := toFloat(v); ok {
			return thousands(math.Round(f), 0)
		}
	case document.TypeNumber:
		if f, ok := toFloat(v); ok {
			if f == math.Trunc(f) && math.Abs(f) < 1e15 {
				return thousands(f, 0)
			}
			if math.Abs(f) < 10 {
				return thousands(f, 2)
			}
			return thousands(f, 1)
		}
	case document.TypePercent:
		if f, ok := toFloat(v); ok {
			return percent(f)
		}
	case document.TypeDays, document.TypeHours:
		if f, ok := toFloat(v); ok {
			return thousands(f, 1)
		}
	case document.TypeDate:
		if tm, ok := v.(time.Time); ok {
			return tm.UTC().Format("2 Jan 2006")
		}
	case document.TypeDateTime:
		if tm, ok := v.(time.Time); ok {
			return tm.UTC().Format("2 Jan 2006 15:04")
		}
	case document.TypeBool:
		if b, ok := v.(bool); ok {
			if b {
				return "yes"
			}
			return "no"
		}
	case document.TypeList:
		if l, ok := v.([]string); ok {
			if len(l) == 0 {
				return dash
			}
			return strings.Join(l, ", ")
		}
	case document.TypeStatus:
		if s, ok := v.(string); ok {
			return statusLabel(s)
		}
	}
	switch x := v.(type) {
	case string:
		return x
	case time.Time:
		return x.UTC().Format("2 Jan 2006")
	case []string:
		return strings.Join(x, ", ")
	}
	if f, ok := toFloat(v); ok {
		return thousands(f, 1)
	}
	return fmt.Sprint(v)
}

// percent shows a fraction as a percentage with at most one decimal: 0.125 → 12.5%.
func percent(f float64) string {
	p := math.Round(f*1000) / 10
	return strconv.FormatFloat(p, 'f', -1, 64) + "%"
}

// thousands formats f with dec decimals and comma thousands separators; trailing zero
// decimals are dropped.
func thousands(f float64, dec int) string {
	s := strconv.FormatFloat(f, 'f', dec, 64)
	if dec > 0 {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	out := b.String()
	if hasFrac {
		out += "." + frac
	}
	if neg && out != "0" {
		out = "-" + out
	}
	return out
}

func toFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, !math.IsNaN(x) && !math.IsInf(x, 0)
	case float32:
		return float64(x), true
	case int64:
		return float64(x), true
	case int:
		return float64(x), true
	case int32:
		return float64(x), true
	}
	return 0, false
}

// isNumeric says whether a column of type t is right-aligned.
func isNumeric(t document.ValueType) bool {
	switch t {
	case document.TypeInt, document.TypeNumber, document.TypePercent, document.TypeDays, document.TypeHours:
		return true
	}
	return false
}

// statusLabel turns a grade into words: "at_risk" → "At risk", "no_go" → "No-go".
func statusLabel(s string) string {
	switch strings.ToLower(s) {
	case "no_go":
		return "No-go"
	case "go":
		return "Go"
	case "":
		return dash
	}
	s = strings.ReplaceAll(s, "_", " ")
	return strings.ToUpper(s[:1]) + s[1:]
}

// rgb is a colour.
type rgb struct{ r, g, b int }

// The palette: dark ink on white, one accent, and grade colours that stay distinct for
// colour-blind readers (the grade is always written in words beside its colour too).
var (
	ink      = rgb{31, 41, 51}
	muted    = rgb{97, 110, 124}
	rule     = rgb{203, 210, 217}
	faint    = rgb{245, 247, 250}
	accent   = rgb{11, 92, 173}
	white    = rgb{255, 255, 255}
	good     = rgb{0, 122, 77}
	fair     = rgb{86, 160, 72}
	warn     = rgb{196, 130, 0}
	bad      = rgb{192, 57, 43}
	unknownC = rgb{150, 158, 168}
)

// series colours: the Okabe–Ito palette, which colour-blind readers can tell apart.
var seriesColours = []rgb{
	{0, 114, 178}, {230, 159, 0}, {0, 158, 115}, {204, 121, 167},
	{86, 180, 233}, {213, 94, 0}, {120, 120, 120}, {240, 228, 66},
}

// statusColour is the colour of a grade; ok is false for values that are not grades.
func statusColour(s string) (rgb, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "elite", "pass", "go", "on_track", "on track", "on_time", "on time", "early", "successful", "success", "yes", "ok", "released", "shipped", "approved":
		return good, true
	case "high":
		return fair, true
	case "medium", "warn", "at_risk", "at risk", "late", "partial", "requested", "pending":
		return warn, true
	case "low", "fail", "failed", "no_go", "no-go", "overdue", "critical", "rolled_back", "no", "rejected", "not approved", "not yet requested":
		return bad, true
	case "unknown", "n/a", "none":
		return unknownC, true
	}
	return rgb{}, false
}
