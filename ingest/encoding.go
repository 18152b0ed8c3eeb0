package ingest

import (
	"io"
	"unicode/utf8"
)

// textReader passes UTF-8 through and reads any byte that is not part of a valid UTF-8
// sequence as Windows-1252 (which ServiceNow and Excel-saved CSVs use), so such files load
// with their accents intact instead of failing on the first é. A UTF-8 file is unchanged.
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
