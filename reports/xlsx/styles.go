package xlsx

import (
	"fmt"

	"github.com/xuri/excelize/v2"

	"github.com/relscope/relscope/reports/document"
)

// The palette: a dark blue for headings, Excel's own good/neutral/bad fills for grades (the
// colours finance readers already know from conditional formatting), greys for notes.
// fontFamily is Excel's default font; LibreOffice shows a metric-compatible one (Carlito)
// where it is installed. Every styled font names it: a font without a name is drawn in the
// viewer's default, a serif in LibreOffice.
const fontFamily = "Calibri"

const (
	colorTitle   = "1F3864"
	colorHeader  = "1F4E79"
	colorRule    = "D9D9D9"
	colorNote    = "595959"
	colorSection = "DDEBF7"
)

// tone is the colour of a grade or a change.
type tone int

const (
	toneNone tone = iota
	toneGood
	toneFair // a grade just below the best (DORA high)
	toneWarn
	toneBad
	toneGrey
)

var toneColors = map[tone]struct{ font, fill string }{
	toneGood: {"006100", "C6EFCE"},
	toneFair: {"375623", "E2EFDA"},
	toneWarn: {"9C5700", "FFEB9C"},
	toneBad:  {"9C0006", "FFC7CE"},
	toneGrey: {"595959", "EDEDED"},
}

// gradeTones colours the grades relscope's marts use (document.TypeStatus).
var gradeTones = map[string]tone{
	"elite": toneGood, "high": toneFair, "medium": toneWarn, "low": toneBad,
	"pass": toneGood, "warn": toneWarn, "fail": toneBad,
	"go": toneGood, "at_risk": toneWarn, "no_go": toneBad,
	"on_track": toneGood, "watch": toneFair, "critical": toneBad, "overdue": toneBad,
	"no_baseline": toneGrey,
}

// gradeOrder lists the grades in a fixed order, so conditional formats come out the same
// every time.
var gradeOrder = []string{"elite", "high", "medium", "low", "pass", "warn", "fail", "go", "at_risk", "no_go",
	"on_track", "watch", "critical", "overdue", "no_baseline"}

// role is what a styled cell is.
type role int

const (
	roleCell   role = iota // a value in a table
	roleKPI                // a headline value on the summary
	roleChange             // a change against the previous period
	roleMeta               // a value of the summary's scope lines
	roleHeader             // a column's heading
)

type styleKey struct {
	typ  document.ValueType
	role role
	tone tone
}

// styles creates each cell style once.
type styles struct {
	f     *excelize.File
	cache map[styleKey]int
	cond  map[tone]int

	title, subtitle, heading, intro, label, header, note, warning, warnWrap, text, wrap, link int
}

func newStyles(f *excelize.File) (*styles, error) {
	s := &styles{f: f, cache: map[styleKey]int{}, cond: map[tone]int{}}
	rule := []excelize.Border{{Type: "bottom", Color: colorRule, Style: 1}}
	for _, d := range []struct {
		id *int
		st excelize.Style
	}{
		{&s.title, excelize.Style{Font: &excelize.Font{Family: fontFamily, Bold: true, Size: 18, Color: colorTitle}}},
		{&s.subtitle, excelize.Style{Font: &excelize.Font{Family: fontFamily, Size: 12, Color: colorNote}}},
		{&s.heading, excelize.Style{Font: &excelize.Font{Family: fontFamily, Bold: true, Size: 13, Color: colorTitle},
			Border: []excelize.Border{{Type: "bottom", Color: colorHeader, Style: 2}}}},
		{&s.intro, excelize.Style{Font: &excelize.Font{Family: fontFamily, Italic: true, Color: colorNote}}},
		{&s.label, excelize.Style{Font: &excelize.Font{Family: fontFamily, Bold: true, Color: colorNote}}},
		{&s.header, excelize.Style{Font: &excelize.Font{Family: fontFamily, Bold: true, Color: "FFFFFF"},
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{colorHeader}},
			Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}}},
		{&s.note, excelize.Style{Font: &excelize.Font{Family: fontFamily, Italic: true, Color: colorNote}, Alignment: &excelize.Alignment{Vertical: "top"}}},
		{&s.warning, excelize.Style{Font: &excelize.Font{Family: fontFamily, Bold: true, Color: toneColors[toneBad].font},
			Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{toneColors[toneBad].fill}}}},
		{&s.warnWrap, excelize.Style{Font: &excelize.Font{Family: fontFamily, Bold: true, Color: toneColors[toneBad].font},
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{toneColors[toneBad].fill}},
			Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}}},
		{&s.text, excelize.Style{Border: rule, Alignment: &excelize.Alignment{Vertical: "top"}}},
		{&s.wrap, excelize.Style{Border: rule, Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}}},
		{&s.link, excelize.Style{Font: &excelize.Font{Family: fontFamily, Color: "0563C1", Underline: "single"}, Border: rule,
			Alignment: &excelize.Alignment{Vertical: "top"}}},
	} {
		id, err := f.NewStyle(&d.st)
		if err != nil {
			return nil, err
		}
		*d.id = id
	}
	for _, t := range []tone{toneGood, toneFair, toneWarn, toneBad, toneGrey} {
		c := toneColors[t]
		id, err := f.NewConditionalStyle(&excelize.Style{Font: &excelize.Font{Family: fontFamily, Color: c.font},
			Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{c.fill}}})
		if err != nil {
			return nil, err
		}
		s.cond[t] = id
	}
	return s, nil
}

// numFmt is the number format a value type is shown with: days and hours with one decimal,
// percentages with one, dates and times as ISO dates (times in UTC, as the warehouse keeps
// them).
func numFmt(t document.ValueType) string {
	switch t {
	case document.TypeInt:
		return "#,##0"
	case document.TypeNumber:
		return "#,##0.0#"
	case document.TypePercent:
		return "0.0%"
	case document.TypeDays, document.TypeHours:
		return "#,##0.0"
	case document.TypeDate:
		return "yyyy-mm-dd"
	case document.TypeDateTime:
		return "yyyy-mm-dd hh:mm"
	case document.TypeBool:
		// Excel shows a boolean cell as TRUE/FALSE whatever its format; LibreOffice shows
		// 1/0 unless the format says otherwise.
		return `"TRUE";"TRUE";"FALSE"`
	}
	return ""
}

// changeFmt shows a change with its sign, in the metric's unit; a percentage's change is in
// percentage points (its cell holds points, not a fraction).
func changeFmt(t document.ValueType) string {
	switch t {
	case document.TypeText, document.TypeStatus:
		return ""
	case document.TypeInt:
		return `+#,##0;-#,##0;0`
	case document.TypePercent:
		return `+0.0" pp";-0.0" pp";0.0" pp"`
	default:
		return `+#,##0.0#;-#,##0.0#;0.0`
	}
}

// get returns the style of a value of type t in role r with tone tn.
func (s *styles) get(t document.ValueType, r role, tn tone) int {
	k := styleKey{t, r, tn}
	if id, ok := s.cache[k]; ok {
		return id
	}
	st := excelize.Style{Alignment: &excelize.Alignment{Vertical: "top"}}
	if r == roleCell || r == roleChange {
		st.Border = []excelize.Border{{Type: "bottom", Color: colorRule, Style: 1}}
	}
	if r == roleMeta {
		st.Alignment.Horizontal = "left"
	}
	f := numFmt(t)
	if r == roleChange {
		f = changeFmt(t)
	}
	if f != "" {
		st.CustomNumFmt = &f
	}
	switch t {
	case document.TypeBool, document.TypeStatus:
		st.Alignment.Horizontal = "center"
	case document.TypeDate, document.TypeDateTime:
		if r == roleCell {
			st.Alignment.Horizontal = "center"
		}
	}
	if r == roleChange && t == document.TypeText {
		st.Alignment.Horizontal = "center"
	}
	if r == roleKPI {
		st.Font = &excelize.Font{Family: fontFamily, Bold: true, Size: 12}
		st.Alignment.Horizontal = "right"
		st.Border = []excelize.Border{{Type: "bottom", Color: colorRule, Style: 1}}
	}
	if c, ok := toneColors[tn]; ok {
		if st.Font == nil {
			st.Font = &excelize.Font{Family: fontFamily}
		}
		st.Font.Color = c.font
		if r != roleChange {
			st.Fill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{c.fill}}
		}
	}
	id, err := s.f.NewStyle(&st)
	if err != nil {
		panic(fmt.Sprintf("style %+v: %v", k, err)) // the styles are this package's constants
	}
	s.cache[k] = id
	return id
}

// headerFor is the header style of a column of type t, aligned as its values are: numbers
// right, dates and grades centred, text left.
func (s *styles) headerFor(t document.ValueType) int {
	k := styleKey{t, roleHeader, toneNone}
	if id, ok := s.cache[k]; ok {
		return id
	}
	align := "left"
	switch cellType(t) {
	case document.TypeInt, document.TypeNumber, document.TypePercent, document.TypeDays, document.TypeHours:
		align = "right"
	case document.TypeDate, document.TypeDateTime, document.TypeBool, document.TypeStatus:
		align = "center"
	}
	id, err := s.f.NewStyle(&excelize.Style{Font: &excelize.Font{Family: fontFamily, Bold: true, Color: "FFFFFF"},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{colorHeader}},
		Alignment: &excelize.Alignment{Horizontal: align, Vertical: "center", WrapText: true}})
	if err != nil {
		panic(err)
	}
	s.cache[k] = id
	return id
}

// gradeFormats colours a range of grade cells (elite … low, pass/warn/fail, go/no_go, …) with
// conditional formats, so the colours follow the values if a reader edits or sorts them.
func (s *styles) gradeFormats(sheet, ref string) error {
	var opts []excelize.ConditionalFormatOptions
	for _, g := range gradeOrder {
		id := s.cond[gradeTones[g]]
		opts = append(opts, excelize.ConditionalFormatOptions{Type: "cell", Criteria: "==", Format: &id, Value: `"` + g + `"`})
	}
	return s.f.SetConditionalFormat(sheet, ref, opts)
}
