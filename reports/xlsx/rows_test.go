package xlsx

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"regexp"
	"strconv"
	"testing"
	"unicode/utf16"
)

var bstr = regexp.MustCompile(`_x([0-9A-Fa-f]{4})_`)

// Any string is written as well-formed XML whose text, once Excel's _xHHHH_ escapes are
// undone, is the string (invalid UTF-8 as U+FFFD, cut at 32,767 UTF-16 units).
func FuzzInlineString(f *testing.F) {
	for _, s := range []string{"", "=1+1", "_x0041_", "a\x00b", "\xff", " x ", "<&>", "\r\n", "_x005F_x0041_", "\uFFFF"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var buf bytes.Buffer
		w := bufio.NewWriter(&buf)
		if err := newRowEncoder([]int{1}).row(w, 3, []any{s}); err != nil {
			t.Fatal(err)
		}
		w.Flush()
		var row struct {
			C struct {
				T  string `xml:"t,attr"`
				IS struct {
					T string `xml:"t"`
				} `xml:"is"`
			} `xml:"c"`
		}
		if err := xml.Unmarshal(buf.Bytes(), &row); err != nil {
			t.Fatalf("%q: %v\n%s", s, err, buf.Bytes())
		}
		if row.C.T != "inlineStr" {
			t.Fatalf("type %q", row.C.T)
		}
		got := bstr.ReplaceAllStringFunc(row.C.IS.T, func(m string) string {
			n, _ := strconv.ParseUint(m[2:6], 16, 32)
			return string(rune(n))
		})
		want := []rune(s) // each invalid byte a U+FFFD
		for len(utf16.Encode(want)) > maxCellChars {
			want = want[:len(want)-1]
		}
		if got != string(want) {
			t.Fatalf("%q came back as %q", s, got)
		}
	})
}
