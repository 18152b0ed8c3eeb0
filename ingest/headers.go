package ingest

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/relscope/relscope/config"
)

// How a CSV file's header is read. Users export the columns of their own saved query, in their
// own UI language: only the columns that identify a record are required, a missing one is a
// file-level note (never a row reject), and the header is translated — once per file, before
// the first record — into the names the format reads: from the format's built-in vocabulary
// (Jira's headers in the languages whose dates are read) and from the columns: mapping in
// relscope.yaml, which wins over both.

// csvColumns is what a CSV format reads of a header.
type csvColumns struct {
	// identity are the format's own (normalised) headers that identify a record: a file
	// without one of them is not of the format, and a record without a value is rejected.
	identity []string
	// canonical maps each canonical column (DESIGN §3's names, the right-hand side of
	// columns: in relscope.yaml) to the format's own header that fills it.
	canonical map[string]string
	// vocab maps other spellings of headers (normalised: another language, another product
	// version) to the format's own.
	vocab map[string]string
	// notes say what a file without a column loses.
	notes []columnNote
}

// columnNote is the file-level note for a column an export left out.
type columnNote struct {
	// anyOf are the format's own headers any of which fills the column.
	anyOf []string
	// metric is what the missing column disables (a mart_coverage metric name).
	metric string
	// note says what is lost, for mart_coverage ("no Created column: …").
	note string
}

// Note is a file-level note: a column the export left out, and what that costs.
type Note struct {
	Column, Metric, Text string
}

// ownHeader returns the format's header for a canonical column, and whether it knows one.
func (c *csvColumns) ownHeader(canonical string) (string, bool) {
	h, ok := c.canonical[canonical]
	return h, ok
}

// canonicalNames lists the canonical columns the format reads, sorted, for messages.
func (c *csvColumns) canonicalNames() []string {
	names := make([]string, 0, len(c.canonical))
	for n := range c.canonical {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// userColumns turns a format's columns: entries (header as exported → canonical column) into
// normalised header → the format's own header, the form rename reads.
func (c *csvColumns) userColumns(entries map[string]string) map[string]string {
	if len(entries) == 0 {
		return nil
	}
	out := make(map[string]string, len(entries))
	for header, canonical := range entries {
		if own, ok := c.ownHeader(strings.ToLower(strings.TrimSpace(canonical))); ok {
			out[normaliseHeader(header)] = own
		}
	}
	return out
}

// translate returns the format's header for a file's normalised header h: the user's mapping
// first, then the vocabulary; ok reports whether the user mapped it.
func (c *csvColumns) translate(h string, user map[string]string) (own string, mapped bool) {
	if o, ok := user[h]; ok {
		return o, true
	}
	if o, ok := c.vocab[h]; ok {
		return o, false
	}
	if c.vocab != nil {
		if o, ok := translateCustomField(h, c.vocab); ok {
			return o, false
		}
	}
	return h, false
}

// translateCustomField reads a custom-field header in another language, "Campo personalizado
// (Story Points)": the prefix is translated through the vocabulary's "custom_field_(" entries.
func translateCustomField(h string, vocab map[string]string) (string, bool) {
	open := strings.IndexByte(h, '(')
	if open <= 0 || !strings.HasSuffix(h, ")") {
		return "", false
	}
	if prefix, ok := vocab[h[:open+1]]; ok {
		return prefix + h[open+1:], true
	}
	return "", false
}

// rename translates the table's header once, before the first record: each header becomes
// the format's own name for it. A column the user mapped wins over one the file already names
// the same way.
func (t *csvTable) rename(c *csvColumns, user map[string]string) {
	if c == nil || (len(user) == 0 && len(c.vocab) == 0) {
		return
	}
	mapped := make([]bool, len(t.header))
	changed := false
	for i, h := range t.header {
		own, m := c.translate(h, user)
		if own != h {
			t.header[i], changed = own, true
		}
		mapped[i] = m
	}
	if !changed {
		return
	}
	t.idx = make(map[string]int, len(t.header))
	t.pos = make(map[string][]int, len(t.header))
	for pass := 0; pass < 2; pass++ {
		for i, h := range t.header {
			if mapped[i] != (pass == 0) {
				continue
			}
			if _, dup := t.idx[h]; !dup {
				t.idx[h] = i
			}
		}
	}
	for i, h := range t.header {
		t.pos[h] = append(t.pos[h], i)
	}
}

// translatedHeader is rename for detection: the sniffed header in the format's own names.
func (c *csvColumns) translatedHeader(header []string, user map[string]string) ([]string, bool) {
	var out []string
	for i, h := range header {
		if own, _ := c.translate(h, user); own != h {
			if out == nil {
				out = slices.Clone(header)
			}
			out[i] = own
		}
	}
	return out, out != nil
}

// checkIdentity fails a file whose header has none of the identity columns.
func (c *csvColumns) checkIdentity(t *csvTable, format string) error {
	for _, id := range c.identity {
		if _, ok := t.idx[id]; ok {
			return nil
		}
	}
	return fmt.Errorf("not a %s file: no %s column (header has: %s)", format, strings.Join(c.identity, " or "),
		shortList(t.header))
}

// hasIdentity reports whether the sniffed header has one of the identity columns.
func (c *csvColumns) hasIdentity(s *Sniff) bool {
	for _, id := range c.identity {
		if s.Has(id) {
			return true
		}
	}
	return false
}

// absent lists the notes for the columns the header lacks.
func (c *csvColumns) absent(t *csvTable) []Note {
	var out []Note
	for _, n := range c.notes {
		found := false
		for _, col := range n.anyOf {
			if _, ok := t.idx[col]; ok {
				found = true
				break
			}
		}
		if !found {
			out = append(out, Note{Column: n.anyOf[0], Metric: n.metric, Text: n.note})
		}
	}
	return out
}

// shortList joins names for a message, at most shownChars characters of them.
func shortList(names []string) string {
	s := strings.Join(names, ", ")
	if r := []rune(s); len(r) > shownChars {
		s = string(r[:shownChars]) + "…"
	}
	return s
}

// csvFormat is a CSV format whose header relscope translates and the user can map (columns:).
type csvFormat interface {
	Format
	columns() *csvColumns
}

// CheckColumns validates the columns: entries of cfg against the formats relscope reads: an
// entry naming no format, a JSON format, or a column its format does not read is an error
// naming the entry's key and line (config.ColumnError).
func CheckColumns(cfg *config.Config) error {
	if cfg == nil {
		return nil
	}
	return cfg.CheckColumns(func(format, column string) (error, error) {
		f, ok := FormatByName(format)
		if !ok {
			return fmt.Errorf("no format %q: want one of %s", format, strings.Join(csvFormatNames(), ", ")), nil
		}
		cf, ok := f.(csvFormat)
		if !ok {
			return fmt.Errorf("%s is not a CSV format; columns: maps the headers of %s", f.Name(), strings.Join(csvFormatNames(), ", ")), nil
		}
		cols := cf.columns()
		if _, ok := cols.ownHeader(strings.ToLower(strings.TrimSpace(column))); !ok {
			return nil, fmt.Errorf("%s reads no column %q: want one of %s", f.Name(), column, strings.Join(cols.canonicalNames(), ", "))
		}
		return nil, nil
	})
}

// userColumnsFor is the columns: mapping cfg gives files of format f, in f's own header names.
func userColumnsFor(f Format, cfg *config.Config) map[string]string {
	cf, ok := f.(csvFormat)
	if !ok || cfg == nil || len(cfg.Columns[f.Name()]) == 0 {
		return nil
	}
	return cf.columns().userColumns(cfg.Columns[f.Name()])
}

// csvFormatNames lists the formats whose headers columns: can map.
func csvFormatNames() []string {
	var names []string
	for _, f := range Formats() {
		if _, ok := f.(csvFormat); ok {
			names = append(names, f.Name())
		}
	}
	return names
}
