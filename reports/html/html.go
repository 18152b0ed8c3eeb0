// Package html renders a document as one self-contained HTML file: the dashboard an
// organisation can mail around. Charts are ECharts options built with go-echarts and drawn
// by the ECharts library embedded in the page — no network request of any kind when the file
// is opened (a Content-Security-Policy of default-src 'none' says so to the browser too).
//
// Every text from the data is escaped where it lands: html/template escapes the page's
// headings, tables and notes; chart options travel as JSON with <, > and & escaped, in a
// non-executable <script type="application/json">; the page script escapes what it puts in
// tooltips. Titles are drawn in HTML, never on the canvas.
package html

import (
	"bytes"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/relscope/relscope/internal/atomicfile"
	"github.com/relscope/relscope/reports/document"
)

//go:embed page.html page.css page.js
var pageFS embed.FS

// The ECharts library (fetched by `make`, git-ignored) and its licence notice (in the
// repository). The pattern matches the notice alone in a tree where the library was not
// fetched, so the package still compiles; Render then says how to get it.
//
//go:embed assets/*
var assetsFS embed.FS

// Renderer draws documents as HTML dashboards.
type Renderer struct{}

// Name is "html".
func (Renderer) Name() string { return "html" }

// Render writes doc to the file dst, atomically.
func (Renderer) Render(ctx context.Context, doc *document.Document, dst string) error {
	return atomicfile.Write(dst, 0o644, func(w io.Writer) error { return Write(w, doc) })
}

// Write writes doc as one HTML page to w.
func Write(w io.Writer, doc *document.Document) error {
	echartsJS, err := fs.ReadFile(assetsFS, "assets/echarts.min.js")
	if err != nil {
		return fmt.Errorf("this relscope was built without the ECharts library (reports/html/assets/echarts.min.js): build it with `make build`")
	}
	notice, _ := fs.ReadFile(assetsFS, "assets/ECHARTS-NOTICE")
	licence, _ := fs.ReadFile(assetsFS, "assets/ECHARTS-LICENSE")
	css, _ := fs.ReadFile(pageFS, "page.css")
	js, _ := fs.ReadFile(pageFS, "page.js")

	p := buildPage(doc)
	data, err := json.Marshal(p.payload) // escapes <, > and & as \u003c, \u003e, \u0026
	if err != nil {
		return err
	}
	// The library must not close its own <script> early; echarts 5.4.3 has no "</script" in
	// it, and this keeps it so for any other version.
	// The HTML parser turns CR and CRLF into LF before the browser hashes a script for the
	// Content-Security-Policy: do it first, so the hash matches.
	lib := newlines.Replace(strings.ReplaceAll(string(echartsJS), "</script", `<\/script`))
	js = []byte(newlines.Replace(string(js)))
	v := struct {
		*page
		CSS        template.CSS
		ECharts    template.JS
		Script     template.JS
		Data       template.JS
		CSP        string
		Notice     string
		Licence    string
		EChartsVer string
	}{
		page:    p,
		CSS:     template.CSS(css),
		ECharts: template.JS(lib),
		Script:  template.JS(js),
		Data:    template.JS(data),
		CSP: "default-src 'none'; script-src " + scriptHash(lib) + " " + scriptHash(string(js)) +
			"; style-src 'unsafe-inline'; img-src data:; font-src data:; base-uri 'none'; form-action 'none'",
		Notice:  string(notice),
		Licence: string(licence),
	}
	tmpl, err := template.New("page.html").Funcs(template.FuncMap{}).ParseFS(pageFS, "page.html")
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := tmpl.Execute(&buf, v); err != nil {
		return err
	}
	_, err = w.Write(buf.Bytes())
	return err
}

var newlines = strings.NewReplacer("\r\n", "\n", "\r", "\n")

// scriptHash is the CSP source that allows exactly this inline script.
func scriptHash(s string) string {
	h := sha256.Sum256([]byte(s))
	return "'sha256-" + base64.StdEncoding.EncodeToString(h[:]) + "'"
}

// page is the template's view of a document.
type page struct {
	Doc      *document.Document
	Meta     []metaItem
	Sections []sectionView
	Coverage []document.Note
	Teams    []string
	Months   []string
	Settings []document.Setting
	Queries  []string
	payload  payload
}

type metaItem struct{ Label, Value string }

type payload struct {
	Charts []chartSpec `json:"charts"`
	Teams  []string    `json:"teams"`
}

type sectionView struct {
	ID, Title, Intro string
	Blocks           []blockView
	// Coverage is set on the overview (or the first section): the coverage notes go there.
	Coverage bool
}

// blockView is one block ready for the template: exactly one of its pointers is set.
type blockView struct {
	KPIs  *kpiGroupView
	Chart *chartView
	Table *tableView
	Text  *document.Text
}

type kpiGroupView struct {
	ID, Title string
	KPIs      []kpiView
}

type kpiView struct {
	Label, Value, Unit, Band, Note string
	// Change is the change against the previous period in words ("+12% vs previous"), Trend
	// whether it is better, worse or flat (a CSS class), Previous the previous value.
	Change, Trend, Previous string
	Source                  string
	// Teams are the tile's numbers for each team, shown by the page's team filter.
	Teams []teamKPIView
}

type teamKPIView struct {
	Team string
	kpiView
}

type chartView struct {
	ID, Title, Note, Source string
	Index                   int
	Table                   *tableView
}

type tableView struct {
	ID, Title, Description, Empty, Source, More string
	Columns                                     []document.Column
	Rows                                        []rowView
	// TeamCol and DateCol are the indexes of the columns the page filters rows by (-1: none).
	TeamCol, DateCol int
	// PrintLimit is how many rows a printed page shows (the page script keeps it true for the
	// rows a filter leaves); PrintMore says what was left out.
	PrintLimit int
	PrintMore  string
}

// The rows printed of a table beside a chart, and of a table of its own: a printout is a
// summary, the file holds every row.
const (
	chartTablePrintRows = 12
	tablePrintRows      = 30
)

type rowView struct {
	Team, Date string
	// PrintCut rows are left out of a printed page.
	PrintCut bool
	Cells    []cellView
}

type cellView struct {
	Text, Class, Href string
	// Badge is the class of a coloured grade label (TypeStatus).
	Badge string
}

var idRe = regexp.MustCompile(`[^a-z0-9-]+`)

// safeID makes an element id from a spec's id: lowercase letters, digits and dashes.
func safeID(prefix, s string, n int) string {
	id := strings.Trim(idRe.ReplaceAllString(strings.ToLower(s), "-"), "-")
	if id == "" {
		id = strconv.Itoa(n)
	}
	return prefix + id
}

func buildPage(doc *document.Document) *page {
	p := &page{Doc: doc, Coverage: doc.Coverage, Settings: doc.Meta.Settings}
	m := doc.Meta
	team := m.Team
	if team == "" {
		team = "every team"
	}
	p.Meta = []metaItem{{"As of", formatTime(m.AsOf)}, {"Team", team}, {"Period", m.Period.String()}}
	if m.Organisation != "" {
		p.Meta = append([]metaItem{{"Organisation", m.Organisation}}, p.Meta...)
	}
	p.Meta = append(p.Meta, metaItem{"relscope", m.Version})
	if !m.Generated.IsZero() {
		p.Meta = append(p.Meta, metaItem{"Generated", formatTime(m.Generated)})
	}
	for _, q := range m.Queries {
		p.Queries = append(p.Queries, queryText(q))
	}
	teams := map[string]bool{}
	used := map[string]int{}
	uniq := func(prefix, id string) string {
		s := safeID(prefix, id, used[prefix])
		used[s]++
		if used[s] > 1 {
			s += "-" + strconv.Itoa(used[s])
		}
		used[prefix]++
		return s
	}
	colours := teamColours(documentTeams(doc))
	coverageAt := 0
	for i, s := range doc.Sections {
		if s.ID == "overview" {
			coverageAt = i
		}
	}
	for si, s := range doc.Sections {
		sv := sectionView{ID: uniq("", s.ID), Title: s.Title, Intro: s.Intro, Coverage: si == coverageAt}
		for _, b := range s.Blocks {
			switch b := b.(type) {
			case *document.KPIGroup:
				g := &kpiGroupView{ID: uniq("kpi-", b.ID), Title: b.Title}
				for _, k := range b.KPIs {
					g.KPIs = append(g.KPIs, kpiViewOf(k))
					for _, t := range k.Teams {
						teams[t.Team] = true
					}
				}
				sv.Blocks = append(sv.Blocks, blockView{KPIs: g})
			case *document.Chart:
				id := uniq("chart-", b.ID)
				cv := &chartView{ID: id, Title: b.Title, Note: b.Note, Source: queryText(b.Source), Index: len(p.payload.Charts)}
				if b.Table != nil {
					cv.Table = tableViewOf(b.Table, uniq("table-", b.Table.ID), teams, chartTablePrintRows)
					if cv.Table.Source == cv.Source {
						cv.Table.Source = "" // said once, under the chart
					}
				}
				spec := chartOption(b, id, colours)
				p.payload.Charts = append(p.payload.Charts, spec)
				sv.Blocks = append(sv.Blocks, blockView{Chart: cv})
			case *document.Table:
				sv.Blocks = append(sv.Blocks, blockView{Table: tableViewOf(b, uniq("table-", b.ID), teams, tablePrintRows)})
			case *document.Text:
				sv.Blocks = append(sv.Blocks, blockView{Text: b})
			}
		}
		p.Sections = append(p.Sections, sv)
	}
	if len(p.Sections) == 0 && len(p.Coverage) > 0 {
		p.Sections = append(p.Sections, sectionView{ID: "coverage", Title: "Coverage", Coverage: true})
	}
	for t := range teams {
		p.Teams = append(p.Teams, t)
	}
	sort.Strings(p.Teams)
	if m.Team != "" {
		p.Teams = nil // one team already: nothing to filter
	}
	p.payload.Teams = p.Teams
	// The period filter offers each month of the period.
	if !m.Period.Start.IsZero() && m.Period.End.After(m.Period.Start) {
		for t := time.Date(m.Period.Start.Year(), m.Period.Start.Month(), 1, 0, 0, 0, 0, time.UTC); t.Before(m.Period.End); t = t.AddDate(0, 1, 0) {
			p.Months = append(p.Months, t.Format("2006-01"))
		}
		if len(p.Months) < 2 {
			p.Months = nil
		}
	}
	return p
}

// documentTeams are the teams a document names: first those with per-team tile numbers (the
// teams the headline metrics know), then the others its tables' team columns hold (charts'
// tables included), each group in name order — so that the main teams get the first, and
// distinct, colours.
func documentTeams(doc *document.Document) []string {
	main, other := map[string]bool{}, map[string]bool{}
	table := func(t *document.Table) {
		for i, c := range t.Columns {
			if c.Name != "team" {
				continue
			}
			for _, r := range t.Rows {
				if i < len(r) {
					if s, ok := r[i].(string); ok && s != "" {
						other[s] = true
					}
				}
			}
			return
		}
	}
	for _, s := range doc.Sections {
		for _, b := range s.Blocks {
			switch b := b.(type) {
			case *document.KPIGroup:
				for _, k := range b.KPIs {
					for _, t := range k.Teams {
						main[t.Team] = true
					}
				}
			case *document.Chart:
				if b.Table != nil {
					table(b.Table)
				}
			case *document.Table:
				table(b)
			}
		}
	}
	var first, rest []string
	for t := range main {
		first = append(first, t)
	}
	for t := range other {
		if !main[t] {
			rest = append(rest, t)
		}
	}
	sort.Strings(first)
	sort.Strings(rest)
	return append(first, rest...)
}

func queryText(q document.QueryRef) string {
	if q.Name == "" {
		return ""
	}
	keys := make([]string, 0, len(q.Params))
	for k := range q.Params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	s := "@" + q.Name
	for _, k := range keys {
		s += " " + k + "=" + q.Params[k]
	}
	return s
}

func kpiViewOf(k document.KPI) kpiView {
	v := kpiValueView(k)
	for _, t := range k.Teams {
		tk := k
		tk.Value, tk.Previous, tk.Band, tk.Note = t.Value, t.Previous, t.Band, t.Note
		v.Teams = append(v.Teams, teamKPIView{Team: t.Team, kpiView: kpiValueView(tk)})
	}
	return v
}

func kpiValueView(k document.KPI) kpiView {
	v := kpiView{Label: k.Label, Unit: k.Unit, Band: k.Band, Note: k.Note, Source: queryText(k.Source)}
	if k.Value == nil {
		v.Value = "—"
	} else {
		v.Value = formatNumber(*k.Value, k.Type)
	}
	if k.Value != nil && k.Previous != nil {
		v.Previous = formatNumber(*k.Previous, k.Type)
		d := *k.Value - *k.Previous
		var change string
		switch {
		case k.Type == document.TypePercent:
			change = fmt.Sprintf("%+.1f pts", d*100)
		case *k.Previous != 0:
			change = fmt.Sprintf("%+.0f%%", d/math.Abs(*k.Previous)*100)
		default:
			change = "+" + formatNumber(d, k.Type)
		}
		v.Trend = "flat"
		if math.Abs(d) > 1e-9 {
			up := d > 0
			switch {
			case k.Better == document.BetterHigher && up, k.Better == document.BetterLower && !up:
				v.Trend = "better"
			case k.Better != "":
				v.Trend = "worse"
			}
		} else {
			change = "no change"
		}
		v.Change = change
	}
	return v
}

// tableRowLimit caps the rows a page table shows; the spec's queries cap them first.
const tableRowLimit = 500

func tableViewOf(t *document.Table, id string, teams map[string]bool, printRows int) *tableView {
	tv := &tableView{ID: id, Title: t.Title, Description: t.Description, Empty: t.Empty, Columns: t.Columns,
		Source: queryText(t.Source), TeamCol: -1, DateCol: -1, PrintLimit: printRows}
	if tv.Empty == "" {
		tv.Empty = "Nothing in this scope."
	}
	for i, c := range t.Columns {
		if c.Name == "team" && tv.TeamCol < 0 {
			tv.TeamCol = i
		}
		if (c.Type == document.TypeDate || c.Type == document.TypeDateTime) && tv.DateCol < 0 {
			tv.DateCol = i
		}
		if tv.Columns[i].Label == "" {
			tv.Columns[i].Label = c.Name
		}
	}
	rows := t.Rows
	if len(rows) > tableRowLimit {
		rows = rows[:tableRowLimit]
	}
	for _, r := range rows {
		rv := rowView{Cells: make([]cellView, len(t.Columns))}
		for i, c := range t.Columns {
			var v any
			if i < len(r) {
				v = r[i]
			}
			rv.Cells[i] = cellOf(v, c.Type)
		}
		if tv.TeamCol >= 0 {
			if s, ok := r[tv.TeamCol].(string); ok {
				rv.Team = s
				teams[s] = true
			}
		}
		if tv.DateCol >= 0 {
			if tm, ok := r[tv.DateCol].(time.Time); ok {
				rv.Date = tm.UTC().Format("2006-01")
			}
		}
		tv.Rows = append(tv.Rows, rv)
	}
	for i := range tv.Rows {
		tv.Rows[i].PrintCut = i >= printRows
	}
	if len(tv.Rows) > printRows {
		tv.PrintMore = printMore(printRows, len(tv.Rows))
	}
	total := int64(len(t.Rows))
	if t.Total > total {
		total = t.Total
	}
	if int64(len(tv.Rows)) < total {
		tv.More = fmt.Sprintf("First %s of %s rows.", formatInt(int64(len(tv.Rows))), formatInt(total))
	}
	return tv
}

// printMore is the note under a printed table that shows only its first rows (page.js writes
// the same words when a filter changes the rows shown).
func printMore(printed, shown int) string {
	return fmt.Sprintf("Printed: the first %s of these %s rows; the dashboard file holds them all.", formatInt(int64(printed)), formatInt(int64(shown)))
}

var statusRe = regexp.MustCompile(`[^a-z0-9_]+`)

func cellOf(v any, t document.ValueType) cellView {
	c := cellView{Text: formatValue(v, t)}
	switch t {
	case document.TypeInt, document.TypeNumber, document.TypePercent, document.TypeDays, document.TypeHours:
		c.Class = "num"
	case document.TypeStatus:
		if s, ok := v.(string); ok && s != "" {
			c.Badge = "status status-" + statusRe.ReplaceAllString(strings.ToLower(s), "")
			c.Text = strings.ReplaceAll(s, "_", " ") // at_risk reads "AT RISK"
		}
	case document.TypeURL:
		if s, ok := v.(string); ok && (strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://")) {
			c.Href = s
		}
	case document.TypeList:
		if l, ok := v.([]string); ok && len(l) > listCellLimit {
			c.Text = strings.Join(l[:listCellLimit], ", ") + fmt.Sprintf(" … and %s more", formatInt(int64(len(l)-listCellLimit)))
		}
	}
	return c
}

// listCellLimit caps the values a list cell shows (a release's items grow with the warehouse):
// the first ones, then how many more — the workbook holds every one.
const listCellLimit = 25

func formatTime(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	t = t.UTC()
	if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 {
		return t.Format("2006-01-02")
	}
	return t.Format("2006-01-02 15:04 UTC")
}

func formatValue(v any, t document.ValueType) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case bool:
		if x {
			return "yes"
		}
		return "no"
	case time.Time:
		if t == document.TypeDate {
			return x.UTC().Format("2006-01-02")
		}
		return formatTime(x)
	case []string:
		return strings.Join(x, ", ")
	case int64:
		return formatInt(x)
	case int:
		return formatInt(int64(x))
	case float64:
		return formatNumber(x, t)
	}
	return fmt.Sprint(v)
}

func formatNumber(f float64, t document.ValueType) string {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return "—"
	}
	switch t {
	case document.TypePercent:
		return trimZeros(strconv.FormatFloat(f*100, 'f', 1, 64)) + "%"
	case document.TypeInt:
		return formatInt(int64(math.Round(f)))
	case document.TypeDays, document.TypeHours:
		return strconv.FormatFloat(f, 'f', 1, 64)
	}
	if math.Abs(f) >= 1000 && f == math.Trunc(f) {
		return formatInt(int64(f))
	}
	if math.Abs(f) >= 100 {
		return strconv.FormatFloat(f, 'f', 0, 64)
	}
	return trimZeros(strconv.FormatFloat(f, 'f', 2, 64))
}

func trimZeros(s string) string {
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

// formatInt writes n with thousands separators: 1234567 → 1,234,567.
func formatInt(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
