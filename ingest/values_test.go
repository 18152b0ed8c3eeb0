package ingest

import (
	"bytes"
	stdjson "encoding/json"
	"io"
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
