package ingest

import (
	"bytes"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// textReader passes UTF-8 through and reads any byte that is not part of a valid UTF-8
// sequence as Windows-1252 (which ServiceNow and Excel-saved CSVs use), so such files load
// with their accents intact instead of failing on the first é. A carriage return alone ends
// a line, as in files saved by classic Mac software and in some mixed ones (CRLF, LF, CR
// side by side); CRLF and LF pass as they are. A UTF-8 file with LF or CRLF lines is
// unchanged.
type textReader struct {
	r    io.Reader
	in   []byte // undecoded input; may end in an incomplete sequence
	out  []byte // decoded, not yet returned
	eof  bool
	err  error
	conv bool // true once a byte had to be read as Windows-1252
}

func newTextReader(r io.Reader) *textReader {
	return &textReader{r: r, in: make([]byte, 0, 64<<10)}
}

func (t *textReader) Read(p []byte) (int, error) {
	for len(t.out) == 0 {
		if t.eof && len(t.in) == 0 {
			if t.err != nil {
				return 0, t.err
			}
			return 0, io.EOF
		}
		if !t.eof {
			buf := t.in[len(t.in):cap(t.in)]
			n, err := t.r.Read(buf)
			t.in = t.in[:len(t.in)+n]
			if err != nil {
				t.eof = true
				if err != io.EOF {
					t.err = err
				}
			}
		}
		t.decode()
		t.lineEnds()
	}
	n := copy(p, t.out)
	t.out = t.out[n:]
	return n, nil
}

// decode moves whole sequences from in to out, keeping an incomplete tail unless at EOF.
func (t *textReader) decode() {
	src := t.in
	if utf8.Valid(src) {
		t.out = append(t.out[:0], src...)
		t.in = t.in[:0]
		return
	}
	out := t.out[:0]
	i := 0
	for i < len(src) {
		c := src[i]
		if c < utf8.RuneSelf {
			out = append(out, c)
			i++
			continue
		}
		if !t.eof && !utf8.FullRune(src[i:]) {
			break // wait for the rest of the sequence
		}
		r, size := utf8.DecodeRune(src[i:])
		if r == utf8.RuneError && size <= 1 {
			t.conv = true
			out = utf8.AppendRune(out, cp1252(c))
			i++
			continue
		}
		out = append(out, src[i:i+size]...)
		i += size
	}
	t.out = out
	t.in = append(t.in[:0], src[i:]...)
}

// lineEnds turns each lone carriage return of the decoded text into a line feed; one that
// ends the text so far waits for the next byte (it may begin a CRLF).
func (t *textReader) lineEnds() {
	out := t.out
	if bytes.IndexByte(out, '\r') < 0 {
		return
	}
	if n := len(out); n > 0 && out[n-1] == '\r' && !t.eof {
		// Back in front of the undecoded tail, in the same buffer (Read reads into its
		// spare capacity).
		tail := len(t.in)
		t.in = t.in[:tail+1]
		copy(t.in[1:], t.in[:tail])
		t.in[0] = '\r'
		out = out[:n-1]
	}
	for i := bytes.IndexByte(out, '\r'); i >= 0; {
		if i+1 == len(out) || out[i+1] != '\n' {
			out[i] = '\n'
		}
		j := bytes.IndexByte(out[i+1:], '\r')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	t.out = out
}

// loneCRs is head with each lone carriage return a line feed, as textReader reads it, for
// sniffing the format.
func loneCRs(head []byte) []byte {
	if bytes.IndexByte(head, '\r') < 0 {
		return head
	}
	out := append([]byte(nil), head...)
	for i, c := range out {
		if c == '\r' && (i+1 == len(out) || out[i+1] != '\n') {
			out[i] = '\n'
		}
	}
	return out
}

// utf16Text returns, for a file that begins with a UTF-16 byte-order mark (Windows
// PowerShell's Out-File and Excel's "Unicode Text" write UTF-16LE), a decoder of it to UTF-8
// and its head decoded; ok is false for any other file.
func utf16Text(head []byte) (decode func(io.Reader) io.Reader, text []byte, ok bool) {
	var order unicode.Endianness
	switch {
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}):
		order = unicode.LittleEndian
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		order = unicode.BigEndian
	default:
		return nil, nil, false
	}
	enc := unicode.UTF16(order, unicode.ExpectBOM)
	text, _, err := transform.Bytes(enc.NewDecoder(), head[:len(head)&^1])
	if err != nil {
		return nil, nil, false
	}
	return func(r io.Reader) io.Reader { return transform.NewReader(r, enc.NewDecoder()) }, text, true
}

// cp1252 maps one Windows-1252 byte (0x80–0xFF) to its code point.
func cp1252(b byte) rune {
	if b >= 0x80 && b <= 0x9F {
		return cp1252High[b-0x80]
	}
	return rune(b) // 0xA0–0xFF are Latin-1
}

var cp1252High = [32]rune{
	'€', 0xFFFD, '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', 0xFFFD, 'Ž', 0xFFFD,
	0xFFFD, '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', 0xFFFD, 'ž', 'Ÿ',
}
