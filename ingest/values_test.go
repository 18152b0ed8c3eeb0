package ingest

import (
	"bytes"
	stdjson "encoding/json"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
	"unicode/utf8"
)

func TestSplitList(t *testing.T) {
	for _, tc := range []struct {
		in      string
		onSpace bool
		want    []string
	}{
		{"", false, nil},
		{" ; , ", false, nil},
		{"a;b", false, []string{"a", "b"}},
		{"Release 1.2, Release 1.3", false, []string{"Release 1.2", "Release 1.3"}},
		{"PAY-1 PAY-2,PAY-3", true, []string{"PAY-1", "PAY-2", "PAY-3"}},
		{"x|y", false, []string{"x", "y"}},
	} {
		if got := splitList(tc.in, tc.onSpace); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("splitList(%q, %v) = %q, want %q", tc.in, tc.onSpace, got, tc.want)
		}
	}
}

func TestStatusWords(t *testing.T) {
	for in, want := range map[string]string{
		"success": "success", "SUCCESS": "success", "succeeded": "success", "ok": "success",
		"failed": "failed", "failure": "failed", "error": "failed",
		"rolled_back": "rolled_back", "rollback": "rolled_back", "reverted": "rolled_back", "rolled-back": "rolled_back",
		"cancelled": "cancelled", "canceled": "cancelled", "aborted": "cancelled", "running": "running",
	} {
		got, err := DeploymentStatus(in)
		if err != nil || got != want {
			t.Errorf("DeploymentStatus(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := DeploymentStatus("exploded"); err == nil || !strings.Contains(err.Error(), "want success") {
		t.Errorf("unknown status: %v", err)
	}
	for in, want := range map[string]string{"": "normal", "Hotfix": "hotfix", "hot-fix": "hotfix", "rollback": "rollback", "emergency": "emergency"} {
		if got, err := DeploymentKind(in); err != nil || got != want {
			t.Errorf("DeploymentKind(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for in, want := range map[string]string{"Standard": "standard", "normal": "normal", "Emergency": "emergency", "expedited": "emergency"} {
		if got, err := ChangeType(in); err != nil || got != want {
			t.Errorf("ChangeType(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := ChangeType("whenever"); err == nil {
		t.Error("ChangeType(whenever): no error")
	}
}

func TestTextReader(t *testing.T) {
	// UTF-8 passes through unchanged, even when a multi-byte rune is split across reads.
	utf := "Zoë, Ελληνικά, 日本語, €\n"
	got, err := io.ReadAll(newTextReader(iotest.OneByteReader(strings.NewReader(utf))))
	if err != nil || string(got) != utf {
		t.Errorf("utf-8: %q, %v", got, err)
	}
	// Windows-1252: é is 0xE9, € is 0x80, ’ is 0x92.
	cp := []byte{'C', 'a', 'f', 0xE9, ' ', 0x80, '5', ' ', 'i', 't', 0x92, 's'}
	got, err = io.ReadAll(newTextReader(bytes.NewReader(cp)))
	if err != nil || string(got) != "Café €5 it’s" {
		t.Errorf("cp1252: %q, %v", got, err)
	}
}

func TestAppendJSONString(t *testing.T) {
	for in, want := range map[string]string{
		`plain`:         `"plain"`,
		"a\"b\\c":       `"a\"b\\c"`,
		"line\nbreak\t": `"line\nbreak\t"`,
		"\x01":          `"\u0001"`,
		"é€":            `"é€"`,
		"bad\xff":       "\"bad\uFFFD\"",
		"":              `""`,
		"ok then \"":    `"ok then \""`,
		"café \x01 x":   `"café \u0001 x"`,
	} {
		if got := string(appendJSONString(nil, in)); got != want {
			t.Errorf("appendJSONString(%q) = %s, want %s", in, got, want)
		}
	}
}

// FuzzAppendJSONString: whatever the cell, the literal is valid JSON and, for valid UTF-8,
// decodes back to the cell.
func FuzzAppendJSONString(f *testing.F) {
	for _, s := range []string{"plain", "a\"b", "é\n", "\xff\x01"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		lit := appendJSONString(nil, s)
		var back string
		if err := stdjson.Unmarshal(lit, &back); err != nil {
			t.Fatalf("%q -> %s: %v", s, lit, err)
		}
		if utf8.ValidString(s) && back != s {
			t.Fatalf("%q -> %s -> %q", s, lit, back)
		}
	})
}

// Numbers a spreadsheet or a script writes are read; NaN and infinities, which Go would read
// too, are refused like any word, as is a number beyond a float64.
func TestParseNumberRefusesNonFinite(t *testing.T) {
	for _, c := range []struct {
		in   string
		want float64
		ok   bool
	}{{"3", 3, true}, {" 2.5 ", 2.5, true}, {"-0", 0, true}, {"1e308", 1e308, true}, {"", 0, false}} {
		got, ok, err := parseNumber(c.in)
		if err != nil || ok != c.ok || got != c.want {
			t.Errorf("parseNumber(%q) = %v, %v, %v; want %v, %v", c.in, got, ok, err, c.want, c.ok)
		}
	}
	for _, in := range []string{"NaN", "nan", "Inf", "-Infinity", "+inf", "1e400", "0x1F", "12abc"} {
		if _, _, err := parseNumber(in); err == nil {
			t.Errorf("parseNumber(%q): no error", in)
		}
	}
}

// A lone carriage return ends a line, whether the file uses them throughout (classic Mac) or
// mixes them with CRLF and LF; a CRLF split across reads stays one line end.
func TestTextReaderLineEnds(t *testing.T) {
	for in, want := range map[string]string{
		"a\rb\rc\r":          "a\nb\nc\n",
		"a\r\nb\nc\rd":       "a\r\nb\nc\nd",
		"\r\r\n\r":           "\n\r\n\n",
		"no returns\n":       "no returns\n",
		"caf\xe9\r\xe9t\xe9": "café\nété",
	} {
		for name, r := range map[string]io.Reader{"whole": strings.NewReader(in), "byte by byte": iotest.OneByteReader(strings.NewReader(in))} {
			got, err := io.ReadAll(newTextReader(r))
			if err != nil || string(got) != want {
				t.Errorf("%s %q: %q, %v; want %q", name, in, got, err, want)
			}
		}
	}
	if got := string(loneCRs([]byte("a\rb\r\nc\r"))); got != "a\nb\r\nc\n" {
		t.Errorf("loneCRs: %q", got)
	}
}

// A file in UTF-16 (with its byte-order mark, either order), as Windows PowerShell's
// Out-File writes it, loads like its UTF-8 twin; so does one with classic Mac line ends.
func TestUTF16AndCarriageReturnFiles(t *testing.T) {
	w := openTestWarehouse(t)
	csv := "id,service,environment,status,finished_at\nu1,zoë-api,production,success,2025-03-01T10:00:00Z\nu2,api,production,failed,2025-03-02T10:00:00Z\n"
	le := []byte{0xFF, 0xFE}
	be := []byte{0xFE, 0xFF}
	for _, r := range csv {
		le = append(le, byte(r), byte(r>>8))
		be = append(be, byte(r>>8), byte(r))
	}
	dir := t.TempDir()
	files := map[string][]byte{"le.csv": le, "be.csv": be, "mac.csv": []byte(strings.ReplaceAll(strings.ReplaceAll(csv, "u1", "m1"), "\n", "\r"))}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, res := range ingestPaths(t, w, Options{Force: true}, filepath.Join(dir, "le.csv"), filepath.Join(dir, "be.csv"), filepath.Join(dir, "mac.csv")) {
		if res.Err != nil || res.Format != "deployments" || res.Loaded != 2 || res.Rejected != 0 {
			t.Errorf("%s: %+v", res.File, res)
		}
	}
	var got string
	if err := w.DB.QueryRow(`select string_agg(deployment_id || '=' || service, ' ' order by deployment_id) from deployments`).Scan(&got); err != nil {
		t.Fatal(err)
	}
	if got != "m1=zoë-api u1=zoë-api u2=api" {
		t.Errorf("stored %s", got)
	}
}
