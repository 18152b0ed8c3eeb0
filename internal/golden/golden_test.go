package golden

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fakeT records failures instead of failing the test that uses it.
type fakeT struct {
	testing.TB
	failed []string
}

func (f *fakeT) Helper() {}
func (f *fakeT) Errorf(format string, args ...any) {
	f.failed = append(f.failed, format)
}
func (f *fakeT) Fatalf(format string, args ...any) { f.failed = append(f.failed, format) }
func (f *fakeT) Fatal(args ...any)                 { f.failed = append(f.failed, "fatal") }

func TestFileComparesNormalisedText(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.golden")
	os.WriteFile(path, []byte("a\nb\n"), 0o644)
	for _, tc := range []struct {
		got  string
		same bool
	}{
		{"a\nb\n", true},
		{"a\r\nb\r\n", true}, // line endings
		{"a\nb", true},       // the final newline
		{"a\nb\n\n\n", true},
		{"a\nc\n", false},
		{"a\n", false},
	} {
		ft := &fakeT{TB: t}
		File(ft, path, []byte(tc.got))
		if (len(ft.failed) == 0) != tc.same {
			t.Errorf("File(%q): failures %v, want same=%v", tc.got, ft.failed, tc.same)
		}
	}
	ft := &fakeT{TB: t}
	File(ft, filepath.Join(t.TempDir(), "missing.golden"), []byte("x"))
	if len(ft.failed) != 1 || !strings.Contains(ft.failed[0], "-update") {
		t.Errorf("a missing golden file: %v", ft.failed)
	}
	// A normaliser applies before the comparison.
	ft = &fakeT{TB: t}
	File(ft, path, []byte("A\nB\n"), Normalise(func(b []byte) []byte { return []byte(strings.ToLower(string(b))) }))
	if len(ft.failed) != 0 {
		t.Errorf("normalised: %v", ft.failed)
	}
}

func TestGrid(t *testing.T) {
	got := string(Grid([]Sheet{
		{Name: "Summary", Rows: [][]string{{"team", "p50"}, {}, {"Pay\tments", "1.5", ""}}},
		{Name: "Empty"},
	}))
	want := "## Summary\nA1\tteam\tp50\nA3\tPay\\tments\t1.5\n\n## Empty\n"
	if got != want {
		t.Errorf("Grid = %q, want %q", got, want)
	}
}

func TestPDFText(t *testing.T) {
	got := string(PDFText([]byte("  Release   brief \n\n\n\nPage 1\fSecond\u00a0 page\n\f")))
	want := "--- page 1 ---\nRelease brief\n\nPage 1\n--- page 2 ---\nSecond page\n"
	if got != want {
		t.Errorf("PDFText = %q, want %q", got, want)
	}
}

func TestDiff(t *testing.T) {
	d := Diff([]byte("a\nb\nc\n"), []byte("a\nx\nc\n"))
	if !strings.Contains(d, "-    2  b") || !strings.Contains(d, "+    2  x") {
		t.Errorf("Diff:\n%s", d)
	}
}
