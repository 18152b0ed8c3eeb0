// Package pdf draws relscope documents as PDF for readers who only read PDFs: an A4 page
// with a running header (organisation or team, period, as_of) and page numbers, KPI tiles
// with their grade, trend and sparkline, tables that repeat their header across pages, and
// charts drawn as vectors from the same chart specs as the dashboard — no images. Headings
// never end a page: a heading moves to the next page with the start of what it introduces.
//
// Text is set in the embedded DejaVu Sans (see text.go): any text from data is drawn without
// a panic — characters the font lacks become a visible replacement glyph, right-to-left runs
// are ordered for display, and long words are broken to fit.
package pdf

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"
	"github.com/go-fonts/dejavu/dejavusans"
	"github.com/go-fonts/dejavu/dejavusansbold"

	"github.com/relscope/relscope/internal/atomicfile"
	"github.com/relscope/relscope/reports/document"
)

// Renderer draws documents as a single PDF file.
type Renderer struct{}

// Name is the format's name on the command line.
func (Renderer) Name() string { return "pdf" }

// Render writes doc to the file dst, atomically.
func (Renderer) Render(ctx context.Context, doc *document.Document, dst string) error {
	return atomicfile.Write(dst, 0o644, func(w io.Writer) error { return Write(ctx, doc, w) })
}

// Write draws doc as PDF to w.
func Write(ctx context.Context, doc *document.Document, w io.Writer) error {
	l := newLayout(ctx, doc)
	if err := l.document(); err != nil {
		return err
	}
	if err := l.f.Error(); err != nil {
		return fmt.Errorf("pdf: %w", err)
	}
	var buf bytes.Buffer
	if err := l.f.Output(&buf); err != nil {
		return fmt.Errorf("pdf: %w", err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// Page geometry, in millimetres (A4 portrait).
const (
	pageW    = 210.0
	pageH    = 297.0
	marginX  = 16.0
	top      = 21.0 // first line of content under the running header
	bottom   = 280.0
	contentW = pageW - 2*marginX
	ptMM     = 25.4 / 72 // one point in millimetres
)

// layout is one document being drawn: the fpdf document and the cursor.
type layout struct {
	ctx context.Context
	f   *fpdf.Fpdf
	doc *document.Document
	y   float64
	// size and style of the current font, for measure.
	size  float64
	style string
	// body is the size of text blocks' paragraphs and bullets.
	body float64
}

func newLayout(ctx context.Context, doc *document.Document) *layout {
	f := fpdf.NewCustom(&fpdf.InitType{OrientationStr: "P", UnitStr: "mm", SizeStr: "A4"})
	f.SetAutoPageBreak(false, 0)
	f.SetMargins(marginX, top, marginX)
	f.SetCellMargin(0)
	f.AliasNbPages("{nb}")
	f.AddUTF8FontFromBytes(fontFamily, "", dejavusans.TTF)
	f.AddUTF8FontFromBytes(fontFamily, "B", dejavusansbold.TTF)
	f.SetTitle(clean(doc.Title, false), true)
	f.SetSubject(clean(doc.Subtitle, false), true)
	f.SetAuthor("relscope", true)
	f.SetCreator(strings.TrimSpace("relscope "+doc.Meta.Version), true)
	f.SetProducer("relscope (go-pdf/fpdf)", true)
	f.SetLang("en")
	f.SetDisplayMode("fullwidth", "continuous")
	if !doc.Meta.Generated.IsZero() {
		f.SetCreationDate(doc.Meta.Generated)
		f.SetModificationDate(doc.Meta.Generated)
	}
	f.SetCatalogSort(true)
	l := &layout{ctx: ctx, f: f, doc: doc, body: 9}
	f.SetHeaderFunc(l.header)
	f.SetFooterFunc(l.footer)
	return l
}

// font selects the font: style "" or "B", size in points, and the text colour.
func (l *layout) font(style string, size float64, c rgb) {
	l.f.SetFont(fontFamily, style, size)
	l.f.SetTextColor(c.r, c.g, c.b)
	l.size, l.style = size, style
}

// measure is the width of cleaned text in the current font.
func (l *layout) measure(s string) float64 { return l.f.GetStringWidth(s) }

// lineH is the line height of the current font.
func (l *layout) lineH() float64 { return l.size * ptMM * 1.3 }

// text draws one cleaned line with its top at y, aligned "L", "R" or "C" in [x, x+w].
func (l *layout) text(x, y, w float64, s, align string) {
	if s == "" {
		return
	}
	s = visual(s)
	switch align {
	case "R":
		x += w - l.measure(s)
	case "C":
		x += (w - l.measure(s)) / 2
	}
	l.f.Text(x, y+l.size*ptMM*1.0, s)
}

// lines draws wrapped lines from y and returns the height used.
func (l *layout) lines(x, y, w float64, ls []string, align string) float64 {
	h := l.lineH()
	for i, s := range ls {
		l.text(x, y+float64(i)*h, w, s, align)
	}
	return float64(len(ls)) * h
}

// wrapped wraps cleaned text to w in the current font, keeping at most max lines (the last
// ending in an ellipsis when cut); max 0 keeps every line.
func (l *layout) wrapped(s string, w float64, max int) []string {
	ls := wrap(s, w, l.measure)
	if max > 0 && len(ls) > max {
		ls = ls[:max]
		ls[max-1] = fit(ls[max-1]+" …", w, l.measure)
	}
	return ls
}

func (l *layout) fill(c rgb)    { l.f.SetFillColor(c.r, c.g, c.b) }
func (l *layout) draw(c rgb)    { l.f.SetDrawColor(c.r, c.g, c.b) }
func (l *layout) pen(w float64) { l.f.SetLineWidth(w) }

// newPage starts a page; the header func draws the running header.
func (l *layout) newPage() {
	l.f.AddPage()
	l.y = top
}

// room is the height left on the page.
func (l *layout) room() float64 { return bottom - l.y }

// ensure starts a new page unless h fits below the cursor (a block taller than a page starts
// on a fresh page and is cut by its own drawing).
func (l *layout) ensure(h float64) {
	if h > l.room() && l.y > top+0.1 {
		l.newPage()
	}
}

// scopeLine is the organisation or team, period and as_of, for the header and the title.
func (l *layout) scopeLine() string {
	m := l.doc.Meta
	var parts []string
	if m.Organisation != "" {
		parts = append(parts, m.Organisation)
	}
	if m.Team != "" {
		parts = append(parts, "Team "+m.Team)
	} else if m.Organisation == "" {
		parts = append(parts, "All teams")
	}
	if p := m.Period.String(); p != "" {
		parts = append(parts, p)
	}
	if !m.AsOf.IsZero() {
		parts = append(parts, "data as of "+m.AsOf.UTC().Format("2 Jan 2006 15:04 UTC"))
	}
	return clean(strings.Join(parts, " · "), false)
}

func (l *layout) header() {
	l.font("", 7.5, muted)
	title := clean(l.doc.Title, false)
	scope := l.scopeLine()
	l.text(marginX, 10, contentW, fit(scope, contentW*0.62, l.measure), "R")
	l.font("B", 7.5, muted)
	l.text(marginX, 10, contentW, fit(title, contentW*0.36, l.measure), "L")
	l.draw(rule)
	l.pen(0.2)
	l.f.Line(marginX, 14.5, pageW-marginX, 14.5)
}

func (l *layout) footer() {
	l.font("", 7, muted)
	l.draw(rule)
	l.pen(0.2)
	l.f.Line(marginX, 285, pageW-marginX, 285)
	left := "relscope"
	if v := l.doc.Meta.Version; v != "" {
		left += " " + v
	}
	if g := l.doc.Meta.Generated; !g.IsZero() {
		left += " · generated " + g.UTC().Format("2 Jan 2006 15:04 UTC")
	}
	l.text(marginX, 287, contentW, clean(left, false), "L")
	l.text(marginX, 287, contentW, fmt.Sprintf("Page %d of {nb}", l.f.PageNo()), "R")
}

// document draws the whole document.
func (l *layout) document() error {
	l.newPage()
	l.titleBlock()
	for i := range l.doc.Sections {
		if err := l.ctx.Err(); err != nil {
			return err
		}
		l.section(&l.doc.Sections[i])
	}
	l.coverage()
	l.provenance()
	return l.ctx.Err()
}

func (l *layout) titleBlock() {
	l.font("B", 19, ink)
	ls := l.wrapped(clean(l.doc.Title, false), contentW, 4)
	l.y += l.lines(marginX, l.y, contentW, ls, "L")
	if s := clean(l.doc.Subtitle, false); s != "" {
		l.y += 1
		l.font("", 10.5, muted)
		l.y += l.lines(marginX, l.y, contentW, l.wrapped(s, contentW, 3), "L")
	}
	if s := l.scopeLine(); s != "" {
		l.y += 1
		l.font("", 8.5, muted)
		l.y += l.lines(marginX, l.y, contentW, l.wrapped(s, contentW, 2), "L")
	}
	l.y += 2
	l.fill(accent)
	l.f.Rect(marginX, l.y, 24, 0.9, "F")
	l.y += 5
}

// sectionHead is the height of a section's title and intro.
func (l *layout) sectionHead(s *document.Section) (title, intro []string, h float64) {
	l.font("B", 13, ink)
	title = l.wrapped(clean(s.Title, false), contentW, 2)
	h = float64(len(title))*l.lineH() + 2.5
	if s.Intro != "" {
		l.font("", 8.5, muted)
		intro = l.wrapped(clean(s.Intro, true), contentW, 0)
		h += float64(len(intro))*l.lineH() + 1
	}
	return title, intro, h + 1.5
}

func (l *layout) section(s *document.Section) {
	title, intro, headH := l.sectionHead(s)
	first := 0.0
	if len(s.Blocks) > 0 {
		first = l.minHeight(s.Blocks[0])
	}
	if l.y > top+0.1 {
		l.y += 3
	}
	// Keep the heading with the start of its first block: never a heading alone at a page foot.
	l.ensure(headH + first)
	l.font("B", 13, ink)
	l.y += l.lines(marginX, l.y, contentW, title, "L")
	l.draw(rule)
	l.pen(0.3)
	l.f.Line(marginX, l.y+0.8, pageW-marginX, l.y+0.8)
	l.y += 2.5
	if len(intro) > 0 {
		l.font("", 8.5, muted)
		l.y += l.lines(marginX, l.y, contentW, intro, "L") + 1
	}
	l.y += 1.5
	for _, b := range s.Blocks {
		if l.ctx.Err() != nil {
			return
		}
		l.block(b)
		l.y += 4
	}
}

// minHeight is the height a block needs at least on the page where it starts: all of it for
// tiles and charts, the title, header and first rows of a table, the first lines of text.
func (l *layout) minHeight(b document.Block) float64 {
	switch b := b.(type) {
	case *document.KPIGroup:
		return l.kpiHeight(b, true)
	case *document.Chart:
		return l.chartHeight(b)
	case *document.Table:
		return l.tableMinHeight(b, contentW)
	case *document.Text:
		return l.textMinHeight(b)
	}
	return 0
}

func (l *layout) block(b document.Block) {
	switch b := b.(type) {
	case *document.KPIGroup:
		l.kpis(b)
	case *document.Chart:
		l.chart(b)
	case *document.Table:
		l.table(b, marginX, contentW)
	case *document.Text:
		l.textBlock(b)
	}
}

// blockTitle draws a block's title (kept with the block by the caller's ensure).
func (l *layout) blockTitle(t string) {
	if t = clean(t, false); t == "" {
		return
	}
	l.font("B", 10, ink)
	l.y += l.lines(marginX, l.y, contentW, l.wrapped(t, contentW, 2), "L") + 1.2
}

func (l *layout) blockTitleHeight(t string) float64 {
	if t = clean(t, false); t == "" {
		return 0
	}
	l.font("B", 10, ink)
	return float64(len(l.wrapped(t, contentW, 2)))*l.lineH() + 1.2
}

// note draws a small grey line (chart and table notes).
func (l *layout) note(s string) {
	if s = clean(s, true); s == "" {
		return
	}
	l.font("", 7, muted)
	ls := l.wrapped(s, contentW, 4)
	l.ensure(float64(len(ls)) * l.lineH())
	l.y += l.lines(marginX, l.y+0.8, contentW, ls, "L") + 0.8
}

func (l *layout) textMinHeight(t *document.Text) float64 {
	h := l.blockTitleHeight(t.Title)
	l.font("", l.body, ink)
	n := 0
	for _, p := range t.Paragraphs {
		n += len(l.wrapped(clean(p, true), contentW, 0))
	}
	for _, b := range t.Bullets {
		n += len(l.wrapped(clean(b, true), contentW-5, 0))
	}
	if n > 3 {
		n = 3
	}
	return h + float64(n)*l.lineH()
}

func (l *layout) textBlock(t *document.Text) {
	l.ensure(l.textMinHeight(t))
	l.blockTitle(t.Title)
	for _, p := range t.Paragraphs {
		l.font("", l.body, ink)
		l.flow(marginX, contentW, l.wrapped(clean(p, true), contentW, 0))
		l.y += 1.5
	}
	for _, b := range t.Bullets {
		l.font("", l.body, ink)
		ls := l.wrapped(clean(b, true), contentW-5, 0)
		l.ensure(l.lineH())
		l.font("B", l.body, accent)
		l.text(marginX+0.8, l.y, 4, "•", "L")
		l.font("", l.body, ink)
		l.flow(marginX+5, contentW-5, ls)
		l.y += 0.8
	}
}

// flow draws lines, continuing on a new page when the page is full.
func (l *layout) flow(x, w float64, ls []string) {
	h := l.lineH()
	for _, s := range ls {
		if l.y+h > bottom {
			st, sz := l.style, l.size
			l.newPage()
			l.f.SetFont(fontFamily, st, sz)
			l.size, l.style = sz, st
		}
		l.text(x, l.y, w, s, "L")
		l.y += h
	}
}

// coverage lists what could not be computed, at the end of the document. Notes that say the
// same thing for several teams are one line naming the teams.
func (l *layout) coverage() {
	groups := groupNotes(l.doc.Coverage)
	if len(groups) == 0 {
		return
	}
	const most = 12
	var bullets []string
	for i, g := range groups {
		if i == most {
			bullets = append(bullets, fmt.Sprintf("… and %d more (relscope query @coverage_gaps lists them all).", len(groups)-most))
			break
		}
		s := humanMetric(g.metric)
		if len(g.teams) > 0 {
			s += " (" + joinTeams(g.teams) + ")"
		}
		s += ": " + g.text
		if g.of > 0 {
			s += fmt.Sprintf(" (%s of %s)", thousands(float64(g.missing), 0), thousands(float64(g.of), 0))
		}
		if g.fill != "" {
			s += ". To fill it: " + g.fill
		}
		bullets = append(bullets, s)
	}
	// Reference notes, in smaller type than the report's text.
	l.body = 7.8
	defer func() { l.body = 9 }()
	l.section(&document.Section{
		Title:  "Coverage notes",
		Intro:  "Where the data could not support a number in this scope, and which export would fill the gap.",
		Blocks: []document.Block{&document.Text{Bullets: bullets}},
	})
}

// noteGroup is the coverage notes of one metric that say the same for several teams.
type noteGroup struct {
	metric, text, fill string
	teams              []string
	missing, of        int64
}

var countSuffix = regexp.MustCompile(`^(.*) \((\d+) of (\d+)\)$`)

// groupNotes merges notes that differ only in their team and their "(n of m)" counts, which
// are summed, keeping the order in which each first appears.
func groupNotes(notes []document.Note) []*noteGroup {
	var out []*noteGroup
	index := map[string]*noteGroup{}
	for _, n := range notes {
		text, missing, of := n.Text, int64(0), int64(0)
		if m := countSuffix.FindStringSubmatch(n.Text); m != nil {
			text = m[1]
			missing, _ = strconv.ParseInt(m[2], 10, 64)
			of, _ = strconv.ParseInt(m[3], 10, 64)
		}
		key := n.Metric + "\x00" + text + "\x00" + n.Fill
		g := index[key]
		if g == nil {
			g = &noteGroup{metric: n.Metric, text: text, fill: n.Fill}
			index[key] = g
			out = append(out, g)
		}
		if n.Team != "" {
			g.teams = append(g.teams, n.Team)
		}
		g.missing += missing
		g.of += of
	}
	return out
}

// joinTeams names up to five teams, then how many more.
func joinTeams(teams []string) string {
	if len(teams) <= 5 {
		return strings.Join(teams, ", ")
	}
	return strings.Join(teams[:5], ", ") + fmt.Sprintf(" and %d more teams", len(teams)-5)
}

// humanMetric turns a metric id into words: "cycle_time" → "Cycle time".
func humanMetric(m string) string {
	if m == "" {
		return "Metric"
	}
	m = strings.ReplaceAll(m, "_", " ")
	return strings.ToUpper(m[:1]) + m[1:]
}

// provenance says how the numbers were computed: the named queries and the build settings.
func (l *layout) provenance() {
	m := l.doc.Meta
	var b strings.Builder
	b.WriteString("How this was computed: relscope")
	if m.Version != "" {
		b.WriteString(" " + m.Version)
	}
	if len(m.Queries) > 0 {
		seen := map[string]bool{}
		var names []string
		for _, q := range m.Queries {
			if !seen[q.Name] {
				seen[q.Name] = true
				names = append(names, "@"+q.Name)
			}
		}
		b.WriteString(", from the named queries " + strings.Join(names, ", ") + " (run them with relscope query)")
	}
	var settings []string
	for _, s := range m.Settings {
		if s.Name != "as_of" && s.Value != "" {
			settings = append(settings, s.Name+" "+s.Value)
		}
	}
	if len(settings) > 0 {
		b.WriteString("; build settings: " + strings.Join(settings, ", "))
	}
	if !m.AsOf.IsZero() {
		b.WriteString("; as of " + m.AsOf.UTC().Format(time.RFC3339))
	}
	b.WriteString(".")
	l.y += 2
	l.note(b.String())
}

type fpdfPoint = fpdf.PointType

func (l *layout) polygon(p []fpdfPoint, style string) { l.f.Polygon(p, style) }
