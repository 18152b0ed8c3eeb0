// Package golden is the project's one golden-file helper, for tests only: it compares what a
// test produced with a file under testdata/, after normalising both to text that means the
// same to a reader, and rewrites the file instead when the test binary runs with -update.
//
// Text is compared as is but for line endings and the final newline. Outputs that are not
// text pass through a normaliser first: Grid for spreadsheet cells (an XLSX workbook read
// back sheet by sheet), PDFText for the text of PDF pages, or a test's own function given as
// an Option. Never compare raw XLSX or PDF bytes: they hold timestamps, ids and compression.
//
// Importing this package registers the -update flag: a test package that imports it must not
// declare its own.
package golden

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files with what the tests produce")

// Updating reports whether the test binary runs with -update.
func Updating() bool { return *update }

// Option changes how a comparison is made.
type Option func(*options)

type options struct{ normalise []func([]byte) []byte }

// Normalise passes what the test produced through f before it is compared or written (after
// the line-ending normalisation every comparison has). Several apply in the order given.
func Normalise(f func([]byte) []byte) Option {
	return func(o *options) { o.normalise = append(o.normalise, f) }
}

// File compares got with the golden file at path, or writes it there under -update. A
// difference fails the test with a line diff of the first lines that differ.
func File(t testing.TB, path string, got []byte, opts ...Option) {
	t.Helper()
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	got = Text(got)
	for _, f := range o.normalise {
		got = f(got)
	}
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run the test with -update to create it)", err)
		return
	}
	want = Text(want)
	if !bytes.Equal(want, got) {
		t.Errorf("%s differs from the golden file; if the change is intended, rerun with -update and review the diff.\n%s",
			path, Diff(want, got))
	}
}

// Text normalises line endings to \n and ends the text with exactly one newline (an empty
// text stays empty).
func Text(b []byte) []byte {
	b = bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n"))
	b = bytes.TrimRight(b, "\n")
	if len(b) == 0 {
		return b
	}
	return append(b, '\n')
}

// Grid renders spreadsheet cells as text a diff can read: "## sheet" headings (in the order
// given), then a row per line as "A1\tvalue\tvalue…" — the first cell's reference, then each
// cell, tabs and newlines inside a cell escaped as \t and \n; empty trailing cells dropped
// and empty rows left out (their references say where the next row is).
func Grid(sheets []Sheet) []byte {
	var b strings.Builder
	for i, s := range sheets {
		if i > 0 {
			b.WriteByte('\n')
		}
		fmt.Fprintf(&b, "## %s\n", s.Name)
		for r, row := range s.Rows {
			for len(row) > 0 && row[len(row)-1] == "" {
				row = row[:len(row)-1]
			}
			if len(row) == 0 {
				continue
			}
			fmt.Fprintf(&b, "A%d", r+1)
			for _, c := range row {
				b.WriteByte('\t')
				b.WriteString(cellEscaper.Replace(c))
			}
			b.WriteByte('\n')
		}
	}
	return []byte(b.String())
}

// Sheet is one worksheet's cell values, row by row, as a reader sees them (formatted).
type Sheet struct {
	Name string
	Rows [][]string
}

var cellEscaper = strings.NewReplacer("\\", `\\`, "\t", `\t`, "\n", `\n`, "\r", `\r`)

// PDFText normalises the text of PDF pages (pdftotext's output, or a PDF library's): form
// feeds become "--- page N ---" lines, runs of spaces one space, each line trimmed, and runs
// of blank lines one blank line — what layout tools vary without the page changing.
func PDFText(b []byte) []byte {
	pages := bytes.Split(Text(b), []byte("\f"))
	var out bytes.Buffer
	for i, p := range pages {
		if i == len(pages)-1 && len(bytes.TrimSpace(p)) == 0 && i > 0 {
			break // pdftotext ends the last page with a form feed
		}
		fmt.Fprintf(&out, "--- page %d ---\n", i+1)
		blank := false
		for _, line := range strings.Split(string(p), "\n") {
			line = strings.TrimSpace(spaces.ReplaceAllString(line, " "))
			if line == "" {
				if !blank && out.Len() > 0 {
					out.WriteByte('\n')
				}
				blank = true
				continue
			}
			blank = false
			out.WriteString(line)
			out.WriteByte('\n')
		}
	}
	return Text(out.Bytes())
}

var spaces = regexp.MustCompile(`[ \t\x{00a0}]+`)

// Diff shows where want and got first differ: up to 20 lines each side around the first
// differing line, numbered, "-" for the golden file and "+" for what the test produced.
func Diff(want, got []byte) string {
	wl := strings.Split(string(want), "\n")
	gl := strings.Split(string(got), "\n")
	first := 0
	for first < len(wl) && first < len(gl) && wl[first] == gl[first] {
		first++
	}
	var b strings.Builder
	from := max(0, first-3)
	if from > 0 {
		fmt.Fprintf(&b, "  … %d equal lines\n", from)
	}
	for i := from; i < first; i++ {
		fmt.Fprintf(&b, "  %4d  %s\n", i+1, wl[i])
	}
	for i := first; i < min(len(wl), first+20); i++ {
		fmt.Fprintf(&b, "- %4d  %s\n", i+1, wl[i])
	}
	for i := first; i < min(len(gl), first+20); i++ {
		fmt.Fprintf(&b, "+ %4d  %s\n", i+1, gl[i])
	}
	if len(wl) != len(gl) {
		fmt.Fprintf(&b, "(golden file %d lines, got %d)\n", len(wl), len(gl))
	}
	return b.String()
}
