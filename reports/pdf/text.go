package pdf

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/go-fonts/dejavu/dejavusans"
	"github.com/go-fonts/dejavu/dejavusansbold"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/text/unicode/bidi"
	"golang.org/x/text/unicode/norm"
)

// The font is DejaVu Sans (book and bold, version 2.37), from the github.com/go-fonts/dejavu
// module, which ships the upstream TTF files unchanged. Its licence (Bitstream Vera, with
// DejaVu's changes in the public domain and Arev's glyphs under their own permissive terms)
// lets it be embedded and redistributed; the notice is in DEJAVU-LICENSE beside this file.
// It covers Latin, Greek, Cyrillic, Armenian, Georgian, Hebrew and Arabic (without shaping)
// and many symbols — but no CJK ideographs: those are drawn as the replacement glyph.
const fontFamily = "DejaVuSans"

// replacement is drawn for every character the font has no glyph for: visible, never a panic.
const replacement = '\uFFFD'

// glyphs is the set of characters both faces can draw, read once from their cmap tables.
type glyphs struct {
	bmp    [65536 / 64]uint64
	astral map[rune]bool
}

var (
	coverageOnce sync.Once
	coverage     *glyphs
)

func fontCoverage() *glyphs {
	coverageOnce.Do(func() {
		g := &glyphs{astral: map[rune]bool{}}
		var faces []*sfnt.Font
		for _, ttf := range [][]byte{dejavusans.TTF, dejavusansbold.TTF} {
			f, err := sfnt.Parse(ttf)
			if err != nil {
				// The embedded font is fixed at build time; a parse failure is a broken build.
				panic("pdf: embedded font: " + err.Error())
			}
			faces = append(faces, f)
		}
		var buf sfnt.Buffer
		inAll := func(r rune) bool {
			for _, f := range faces {
				if i, err := f.GlyphIndex(&buf, r); err != nil || i == 0 {
					return false
				}
			}
			return true
		}
		for r := rune(0); r < 65536; r++ {
			if inAll(r) {
				g.bmp[r/64] |= 1 << (r % 64)
			}
		}
		// The few astral characters DejaVu has (mathematical alphanumerics and the like).
		for r := rune(0x10000); r < 0x20000; r++ {
			if inAll(r) {
				g.astral[r] = true
			}
		}
		coverage = g
	})
	return coverage
}

func (g *glyphs) has(r rune) bool {
	if r < 65536 {
		return g.bmp[r/64]&(1<<(r%64)) != 0
	}
	return g.astral[r]
}

// clean makes text from data safe to draw: NFC-normalised (so "e" + combining acute is one
// glyph), tabs and other spaces as plain spaces, control and bidi-format characters dropped,
// and every character the font cannot draw replaced by U+FFFD. Newlines are kept when
// keepNewlines is set (paragraphs), else they become spaces (cells, labels).
func clean(s string, keepNewlines bool) string {
	if s == "" {
		return s
	}
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, string(replacement))
	}
	s = norm.NFC.String(s)
	g := fontCoverage()
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '\n' && keepNewlines:
			b.WriteRune('\n')
		case r == '\r':
			// \r\n is a newline already; a lone \r is dropped.
		case r == '\n' || r == '\t' || r == '\u00A0' || (unicode.IsSpace(r) && r != ' '):
			b.WriteByte(' ')
		case unicode.IsControl(r) || unicode.Is(unicode.Cf, r):
			// Zero-width and bidi controls: the layout below orders right-to-left runs itself.
		case g.has(r):
			b.WriteRune(r)
		default:
			b.WriteRune(replacement)
		}
	}
	return b.String()
}

// visual reorders one line of text for drawing: PDF text is drawn left to right, so runs of
// right-to-left script (Hebrew, Arabic) are reversed by the Unicode bidirectional algorithm
// (with a left-to-right paragraph direction, as the rest of the document). Arabic letters are
// not shaped into their joined forms. Lines without right-to-left characters are returned as
// they are.
func visual(s string) string {
	rtl := false
	for _, r := range s {
		if r >= 0x0590 && r <= 0x08FF || r >= 0xFB1D && r <= 0xFDFF || r >= 0xFE70 && r <= 0xFEFF {
			rtl = true
			break
		}
	}
	if !rtl {
		return s
	}
	var p bidi.Paragraph
	if _, err := p.SetString(s, bidi.DefaultDirection(bidi.LeftToRight)); err != nil {
		return s
	}
	o, err := p.Order()
	if err != nil {
		return s
	}
	var b strings.Builder
	for i := 0; i < o.NumRuns(); i++ {
		r := o.Run(i)
		if r.Direction() == bidi.RightToLeft {
			// x/text gives a neutral space between a right-to-left run and the
			// left-to-right text after it to the run; it stays where it was.
			t := r.String()
			core := strings.TrimRight(t, " ")
			lead := len(core) - len(strings.TrimLeft(core, " "))
			b.WriteString(core[:lead])
			b.WriteString(bidi.ReverseString(core[lead:]))
			b.WriteString(t[len(core):])
		} else {
			b.WriteString(r.String())
		}
	}
	return b.String()
}

// wrap breaks cleaned text into lines no wider than width, as measured by measure: at spaces
// where it can, inside a word (between characters) where a single word is wider than a line,
// so that unbroken strings (URLs, hashes, long keys) never run off the page. Newlines start a
// new line. Every line is returned in logical order.
func wrap(s string, width float64, measure func(string) float64) []string {
	// Widths are sums of glyph widths: allow for rounding, so text measured to fit does.
	width += 1e-6
	var lines []string
	for _, para := range strings.Split(s, "\n") {
		words := strings.Fields(para)
		if len(words) == 0 {
			lines = append(lines, "")
			continue
		}
		space := measure(" ")
		line, lineW := "", 0.0
		flush := func() {
			lines = append(lines, line)
			line, lineW = "", 0
		}
		for _, w := range words {
			ww := measure(w)
			if line != "" && lineW+space+ww <= width {
				line += " " + w
				lineW += space + ww
				continue
			}
			if line != "" {
				flush()
			}
			if ww > width {
				pieces := breakWord(w, width, measure)
				lines = append(lines, pieces[:len(pieces)-1]...)
				w = pieces[len(pieces)-1]
				ww = measure(w)
			}
			line, lineW = w, ww
		}
		flush()
	}
	return lines
}

// breakWord cuts a word wider than width into pieces that fit (each at least one character,
// so it always progresses), preferring a cut after a separator such as / - _ . in the last
// third of a piece; the last piece may be shorter. Glyph widths add up (the renderer does not
// kern), so widths are summed rune by rune: a megabyte without a space takes linear time.
func breakWord(w string, width float64, measure func(string) float64) []string {
	runes := []rune(w)
	widths := make([]float64, len(runes))
	for i, r := range runes {
		widths[i] = measure(string(r))
	}
	var out []string
	start, sum, sep := 0, 0.0, -1
	for i := 0; i < len(runes); i++ {
		if i > start && sum+widths[i] > width {
			cut := i
			if sep >= start && sep+1 > start+(i-start)*2/3 {
				cut = sep + 1
			}
			out = append(out, string(runes[start:cut]))
			start, sum, sep = cut, 0, -1
			for k := cut; k < i; k++ {
				sum += widths[k]
				if strings.ContainsRune(separators, runes[k]) {
					sep = k
				}
			}
		}
		sum += widths[i]
		if strings.ContainsRune(separators, runes[i]) {
			sep = i
		}
	}
	return append(out, string(runes[start:]))
}

// separators are where a long word is best cut.
const separators = "/-_.:?&=,"

// fit shortens s with an ellipsis so that it is no wider than width (in linear time, as
// breakWord).
func fit(s string, width float64, measure func(string) float64) string {
	width += 1e-6
	if measure(s) <= width {
		return s
	}
	room := width - measure("…")
	runes := []rune(s)
	n, sum := 0, 0.0
	for n < len(runes) {
		cw := measure(string(runes[n]))
		if sum+cw > room {
			break
		}
		sum += cw
		n++
	}
	if n == 0 {
		return "…"
	}
	return strings.TrimRight(string(runes[:n]), " ") + "…"
}
