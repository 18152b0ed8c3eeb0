package xlsx

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"strconv"
	"time"
	"unicode/utf16"
	"unicode/utf8"
)

// A table sheet's data rows are written here, not through excelize's StreamWriter: the
// worksheet XML of each row is encoded straight into a spill file (one per sheet, on disk), and
// spliced into the sheet's part when the workbook is zipped (zip.go). excelize still writes
// everything around the rows — title and header rows, widths, panes, the table part,
// conditional formats — so the sheet is excelize's own but for its rows. It is about five
// times faster than StreamWriter.SetRow, which builds a cell struct, looks up styles and
// allocates for every cell; memory stays one row, however many rows there are.

// spill holds one sheet's encoded rows.
type spill struct {
	f *os.File
	w *bufio.Writer
}

func newSpill() (*spill, error) {
	f, err := os.CreateTemp("", "relscope-xlsx-rows-*")
	if err != nil {
		return nil, err
	}
	return &spill{f: f, w: bufio.NewWriterSize(f, 1<<20)}, nil
}

// reader flushes the rows and rewinds to read them.
func (s *spill) reader() (*os.File, error) {
	if err := s.w.Flush(); err != nil {
		return nil, err
	}
	if _, err := s.f.Seek(0, 0); err != nil {
		return nil, err
	}
	return s.f, nil
}

func (s *spill) close() {
	s.f.Close()
	os.Remove(s.f.Name())
}

// rowEncoder writes rows of cell values (from cellValue: string, float64, int64, int32, bool,
// time.Time, nil) as worksheet XML.
type rowEncoder struct {
	cols   [][]byte // column letters
	styles [][]byte // each column's style id
	buf    []byte
}

func newRowEncoder(styles []int) *rowEncoder {
	e := &rowEncoder{}
	for i, s := range styles {
		e.cols = append(e.cols, []byte(colName(i+1)))
		e.styles = append(e.styles, []byte(strconv.Itoa(s)))
	}
	return e
}

// row encodes row number n (1-based, the sheet's) into w; a nil value is an empty cell.
func (e *rowEncoder) row(w *bufio.Writer, n int, vals []any) error {
	b := e.buf[:0]
	num := strconv.AppendInt(nil, int64(n), 10)
	b = append(b, `<row r="`...)
	b = append(b, num...)
	b = append(b, `">`...)
	for i, v := range vals {
		if v == nil {
			continue
		}
		b = append(b, `<c r="`...)
		b = append(b, e.cols[i]...)
		b = append(b, num...)
		b = append(b, `" s="`...)
		b = append(b, e.styles[i]...)
		b = append(b, '"')
		switch x := v.(type) {
		case string:
			b = appendInlineString(b, x)
		case float64:
			if math.IsNaN(x) || math.IsInf(x, 0) {
				b = append(b, `></c>`...)
				continue
			}
			b = append(b, `><v>`...)
			b = strconv.AppendFloat(b, x, 'f', -1, 64)
			b = append(b, `</v></c>`...)
		case int64:
			b = append(b, `><v>`...)
			b = strconv.AppendInt(b, x, 10)
			b = append(b, `</v></c>`...)
		case int32:
			b = append(b, `><v>`...)
			b = strconv.AppendInt(b, int64(x), 10)
			b = append(b, `</v></c>`...)
		case bool:
			if x {
				b = append(b, ` t="b"><v>1</v></c>`...)
			} else {
				b = append(b, ` t="b"><v>0</v></c>`...)
			}
		case time.Time:
			b = append(b, `><v>`...)
			b = strconv.AppendFloat(b, excelSerial(x), 'f', -1, 64)
			b = append(b, `</v></c>`...)
		default:
			b = appendInlineString(b, fmt.Sprint(x))
		}
	}
	b = append(b, `</row>`...)
	e.buf = b
	_, err := w.Write(b)
	return err
}

// maxCellChars is the most UTF-16 code units an Excel cell holds.
const maxCellChars = 32767

// appendInlineString appends the rest of a string cell: its type and its text, escaped for
// XML, with characters XML cannot carry written as Excel's _xHHHH_ escapes (and a literal
// "_xHHHH_" escaped so Excel does not read it as one), cut at Excel's 32,767 characters. The
// cell is an inline string whatever the text says: never a formula.
func appendInlineString(b []byte, s string) []byte {
	b = append(b, ` t="inlineStr"><is><t`...)
	if s != "" && (isSpace(s[0]) || isSpace(s[len(s)-1])) {
		b = append(b, ` xml:space="preserve"`...)
	}
	b = append(b, '>')
	units := 0
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			r = utf8.RuneError // invalid UTF-8 reads as U+FFFD
		}
		units += utf16.RuneLen(r)
		if units > maxCellChars {
			break
		}
		switch {
		case r == '&':
			b = append(b, "&amp;"...)
		case r == '<':
			b = append(b, "&lt;"...)
		case r == '>':
			b = append(b, "&gt;"...)
		case r == '\r':
			b = append(b, "&#xD;"...)
		case r == '\t' || r == '\n':
			b = append(b, byte(r))
		case r < 0x20 || r == 0xFFFE || r == 0xFFFF:
			b = fmt.Appendf(b, "_x%04X_", r)
		case r == '_' && isBstrEscape(s[i:]):
			b = append(b, "_x005F_"...) // the underscore itself, escaped
		default:
			b = utf8.AppendRune(b, r)
		}
		i += size
	}
	return append(b, `</t></is></c>`...)
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// isBstrEscape reports whether s starts with _xHHHH followed by what is written as '_': an
// underscore, or a character the encoder escapes itself (_x0000_ after "_x0000" would read
// back as "_x0000_" + "x0000_"), so Excel would decode the text's own underscore.
func isBstrEscape(s string) bool {
	if len(s) < 7 || s[1] != 'x' {
		return false
	}
	if s[6] != '_' {
		r, _ := utf8.DecodeRuneInString(s[6:])
		if !(r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0xFFFE || r == 0xFFFF) {
			return false
		}
	}
	for _, c := range []byte(s[2:6]) {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

var (
	excelEpoch  = time.Date(1899, 12, 31, 0, 0, 0, 0, time.UTC)
	excelLeapUp = time.Date(1900, 3, 1, 0, 0, 0, 0, time.UTC)
)

// excelSerial is t as an Excel date serial (1900 date system): days since 1899-12-31 with the
// time of day as a fraction, one more from 1900-03-01 on (Excel counts a 29 February 1900).
func excelSerial(t time.Time) float64 {
	t = t.UTC()
	if t.Before(excelEpoch) {
		return 0
	}
	// Seconds, not a Duration: 2999 is further from 1899 than a Duration reaches.
	secs := t.Unix() - excelEpoch.Unix()
	v := float64(secs/86400) + (float64(secs%86400)+float64(t.Nanosecond())/1e9)/86400
	if !t.Before(excelLeapUp) {
		v++
	}
	return v
}
