// Package poppler runs Poppler's command-line tools (Debian poppler-utils) on PDF files for
// tests: the text of the pages, the page count, the fonts and the images — what a reader and
// an auditor of a PDF see, never its bytes.
//
// Without the tools a test fails, saying what to install — CI installs poppler-utils (.ci/run).
// RELSCOPE_SKIP_POPPLER=1 skips such tests instead, for local runs on a machine without them.
package poppler

import (
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// Run runs a Poppler tool and returns its output.
func Run(t testing.TB, tool string, args ...string) string {
	t.Helper()
	if _, err := exec.LookPath(tool); err != nil {
		if os.Getenv("RELSCOPE_SKIP_POPPLER") == "1" {
			t.Skipf("%s not installed (RELSCOPE_SKIP_POPPLER=1)", tool)
		}
		t.Fatalf("%s not found: install poppler-utils (apt-get install poppler-utils), or set RELSCOPE_SKIP_POPPLER=1 to skip PDF tests locally", tool)
	}
	out, err := exec.Command(tool, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", tool, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// Text is the text of every page (pdftotext -layout, UTF-8), pages separated by form feeds.
func Text(t testing.TB, path string) string {
	t.Helper()
	return Run(t, "pdftotext", "-layout", "-enc", "UTF-8", path, "-")
}

// PageText is the text of page n (from 1).
func PageText(t testing.TB, path string, n int) string {
	t.Helper()
	p := strconv.Itoa(n)
	return Run(t, "pdftotext", "-f", p, "-l", p, "-layout", "-enc", "UTF-8", path, "-")
}

// Pages is the page count (pdfinfo).
func Pages(t testing.TB, path string) int {
	t.Helper()
	m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)`).FindStringSubmatch(Run(t, "pdfinfo", path))
	if m == nil {
		t.Fatalf("pdfinfo %s: no page count", path)
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// Font is one line of pdffonts: a font's name, type and whether it is embedded.
type Font struct {
	Name, Type string
	Embedded   bool
}

// Fonts lists the PDF's fonts (pdffonts).
func Fonts(t testing.TB, path string) []Font {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(Run(t, "pdffonts", path)), "\n")
	// name, type (may hold spaces), encoding, emb, sub, uni, object, generation
	re := regexp.MustCompile(`^(\S+)\s+(.+?)\s+(\S+)\s+(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+$`)
	var fonts []Font
	for _, line := range lines[min(2, len(lines)):] {
		m := re.FindStringSubmatch(strings.TrimSpace(line))
		if m == nil {
			t.Fatalf("pdffonts: unexpected line %q", line)
		}
		fonts = append(fonts, Font{Name: m[1], Type: m[2], Embedded: m[4] == "yes"})
	}
	return fonts
}

// Images is the number of raster images in the PDF (pdfimages -list).
func Images(t testing.TB, path string) int {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(Run(t, "pdfimages", "-list", path)), "\n")
	return max(0, len(lines)-2)
}
