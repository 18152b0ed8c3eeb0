package ingest

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// csvTable reads a CSV file record by record, keeping the line each record starts on, so
// rejects can name it. Quoted newlines are handled by encoding/csv.
type csvTable struct {
	r      *csv.Reader
	header []string
	idx    map[string]int
	// pos lists every position of a header that repeats (Jira writes Sprint once per sprint).
	pos map[string][]int
	// rawKeys are the keys of raw: the original header text, "#2", "#3"… added to repeats.
	rawKeys []string
	rec     []string
	line    int64
	raw     bytes.Buffer
	rawW    *csv.Writer
	json    []byte
	// badRecord holds a record-level problem (wrong field count, bad quoting) for the caller
	// to reject; the reader itself continues with the next record.
	badRecord string
}

func openCSV(r io.Reader) (*csvTable, error) {
	br := bufio.NewReaderSize(r, 1<<20)
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, utf8BOM) {
		br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, errors.New("the file is empty: no header row")
	}
	if err != nil {
		return nil, fmt.Errorf("header: %w", err)
	}
	t := &csvTable{r: cr, idx: make(map[string]int, len(header)), pos: map[string][]int{}}
	t.header = make([]string, len(header))
	t.rawKeys = make([]string, len(header))
	seen := map[string]int{}
	for i, h := range header {
		t.header[i] = normaliseHeader(h)
		if _, dup := t.idx[t.header[i]]; !dup {
			t.idx[t.header[i]] = i
		}
		t.pos[t.header[i]] = append(t.pos[t.header[i]], i)
		orig := strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		seen[orig]++
		t.rawKeys[i] = orig
		if n := seen[orig]; n > 1 {
			t.rawKeys[i] = orig + "#" + strconv.Itoa(n)
		}
	}
	t.rawW = csv.NewWriter(&t.raw)
	return t, nil
}

// require fails when a column the format needs is missing from the header.
func (t *csvTable) require(format string, cols ...string) error {
	var missing []string
	for _, c := range cols {
		if _, ok := t.idx[c]; !ok {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("not a %s file: missing column(s) %s (header has: %s)", format,
			strings.Join(missing, ", "), strings.Join(t.header, ", "))
	}
	return nil
}

// next advances to the next record; false at the end of the file. A malformed record sets
// badRecord and returns true so the caller can reject it at its line.
func (t *csvTable) next() (bool, error) {
	t.badRecord = ""
	rec, err := t.r.Read()
	if errors.Is(err, io.EOF) {
		return false, nil
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		t.line = int64(pe.StartLine)
		t.rec = nil
		t.badRecord = "malformed CSV: " + pe.Err.Error()
		return true, nil
	}
	if err != nil {
		return false, err
	}
	t.rec = rec
	line, _ := t.r.FieldPos(0)
	t.line = int64(line)
	if len(rec) != len(t.header) && !(len(rec) == 1 && rec[0] == "") {
		t.badRecord = "has " + strconv.Itoa(len(rec)) + " fields, the header has " + strconv.Itoa(len(t.header))
	}
	return true, nil
}

// blank reports whether the record is an empty line, which CSV writers sometimes leave at
// the end of a file; such lines are skipped rather than rejected.
func (t *csvTable) blank() bool {
	for _, v := range t.rec {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return t.badRecord == "" || len(t.rec) == 1
}

// get returns the trimmed value of column col ("" when absent).
func (t *csvTable) get(col string) string {
	if i, ok := t.idx[col]; ok && i < len(t.rec) {
		return strings.TrimSpace(t.rec[i])
	}
	return ""
}

// first returns the first non-empty value among cols, so formats can accept aliases.
func (t *csvTable) first(cols ...string) string {
	for _, c := range cols {
		if v := t.get(c); v != "" {
			return v
		}
	}
	return ""
}

// label returns the export's own header text for a normalised column name, for messages.
func (t *csvTable) label(col string) string {
	if i, ok := t.idx[col]; ok {
		return strings.TrimSpace(strings.TrimPrefix(t.rawKeys[i], "\ufeff"))
	}
	return col
}

// firstAnyCol is firstAny that also says which column the value came from.
func (t *csvTable) firstAnyCol(cols ...string) (string, string) {
	for _, c := range cols {
		for _, i := range t.pos[c] {
			if i < len(t.rec) {
				if v := strings.TrimSpace(t.rec[i]); v != "" {
					return v, c
				}
			}
		}
	}
	return "", ""
}

// all returns the non-empty trimmed values of every column named col, in header order: the
// positional reading of repeated headers.
func (t *csvTable) all(col string) []string {
	var out []string
	for _, i := range t.pos[col] {
		if i < len(t.rec) {
			if v := strings.TrimSpace(t.rec[i]); v != "" {
				out = append(out, v)
			}
		}
	}
	return out
}

// allOf is all over several column names (Cloud and Server spellings), in the order given.
func (t *csvTable) allOf(cols ...string) []string {
	var out []string
	for _, c := range cols {
		out = append(out, t.all(c)...)
	}
	return out
}

// firstAny returns the first non-empty value among every occurrence of cols.
func (t *csvTable) firstAny(cols ...string) string {
	for _, c := range cols {
		if v := t.all(c); len(v) > 0 {
			return v[0]
		}
	}
	return ""
}

// rawLine re-encodes the current record as one CSV line, for ingest_rejects.
func (t *csvTable) rawLine() string {
	t.raw.Reset()
	t.rawW.Write(t.rec)
	t.rawW.Flush()
	return strings.TrimRight(t.raw.String(), "\n")
}

// rawJSON encodes the current record as a JSON object of header -> value, keeping every
// column (known or not) so nothing in the export is lost. Empty cells are left out. Keys are
// the normalised header names (native formats); rawJSONOrig keeps the export's own.
func (t *csvTable) rawJSON() string { return t.rawJSONWith(t.header) }

// rawJSONOrig is rawJSON keyed by the export's header text, repeats numbered: real exports'
// column names are what their users look for.
func (t *csvTable) rawJSONOrig() string { return t.rawJSONWith(t.rawKeys) }

func (t *csvTable) rawJSONWith(keys []string) string {
	b := t.json[:0]
	b = append(b, '{')
	n := 0
	for i, v := range t.rec {
		if v == "" || i >= len(keys) {
			continue
		}
		if n > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, keys[i])
		b = append(b, ':')
		b = appendJSONString(b, v)
		n++
	}
	b = append(b, '}')
	t.json = b
	return string(b)
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends s as a JSON string literal; invalid UTF-8 becomes U+FFFD.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	// Most cells need no escaping: copy the longest such prefix at once.
	i := 0
	for i < len(s) && s[i] >= 0x20 && s[i] != '"' && s[i] != '\\' && s[i] < utf8.RuneSelf {
		i++
	}
	b = append(b, s[:i]...)
	if i == len(s) {
		return append(b, '"')
	}
	for _, r := range s[i:] {
		switch {
		case r == '"' || r == '\\':
			b = append(b, '\\', byte(r))
		case r == '\n':
			b = append(b, '\\', 'n')
		case r == '\r':
			b = append(b, '\\', 'r')
		case r == '\t':
			b = append(b, '\\', 't')
		case r < 0x20:
			b = append(b, '\\', 'u', '0', '0', hexDigits[r>>4], hexDigits[r&0xF])
		case r < utf8.RuneSelf:
			b = append(b, byte(r))
		default:
			// Invalid bytes arrive as utf8.RuneError and are written as U+FFFD.
			b = utf8.AppendRune(b, r)
		}
	}
	return append(b, '"')
}
