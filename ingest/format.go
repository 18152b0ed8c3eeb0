package ingest

import (
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/relscope/relscope/config"
)

// Format is one export format: it says whether a file looks like it (Detect) and maps the
// file's records into canonical rows (Load).
type Format interface {
	// Name is the --format value.
	Name() string
	// Describe says in a few words what the format is.
	Describe() string
	// Detect scores how surely the sniffed file is of this format; 0 means it is not.
	Detect(s *Sniff) float64
	// Load reads every record of in, staging rows or rejects into sink. An error aborts the
	// file and rolls everything back; a bad record must be rejected through the sink instead.
	Load(ctx context.Context, in *Input, sink Sink) error
}

// Formats lists every format relscope reads, in the order detection tries them.
func Formats() []Format {
	return []Format{
		nativeWorkItems,
		nativeTransitions,
		nativeReleases,
		nativeDeployments,
		nativeIncidents,
		nativeChanges,
		jiraCSV{},
		jiraJSON{},
		jiraFieldList{},
		linearCSV{},
		githubDeployments{},
		githubWorkflowRuns{},
		githubReleases{},
		githubIssues{},
		pagerdutyJSON{},
		pagerdutyCSV{},
		opsgenieJSON{},
		servicenowIncidents{},
		servicenowChanges{},
		adoCSV{},
		gitlabIssuesCSV{},
		gitlabDeployments{},
	}
}

// FormatNames lists the --format values.
func FormatNames() []string { return namesOf(Formats()) }

// FormatByName finds a format by its --format name.
func FormatByName(name string) (Format, bool) { return formatIn(Formats(), name) }

func namesOf(formats []Format) []string {
	var names []string
	for _, f := range formats {
		names = append(names, f.Name())
	}
	return names
}

func formatIn(formats []Format, name string) (Format, bool) {
	for _, f := range formats {
		if strings.EqualFold(f.Name(), name) {
			return f, true
		}
	}
	return nil, false
}

// Input is what a format reads.
type Input struct {
	R      io.Reader
	File   string
	Dates  *DateParser
	Config *config.Config
	// Columns is the user's columns: mapping for the file's format, as normalised header →
	// the format's own header (csvColumns.userColumns); nil for most files.
	Columns map[string]string
	// FieldNames are Jira field ids → names from the run's field lists, for Jira JSON pages
	// without a names map.
	FieldNames map[string]string
	// Tuning is the run's; formats that map records in parallel read ParallelMinRecords.
	Tuning Tuning
}

// sniffSize is how much of a file detection looks at.
const sniffSize = 64 << 10

// Sniff is what detection sees of a file: its name, its first bytes, and — when they parse
// as CSV — its normalised header and its first records.
type Sniff struct {
	Name   string
	Head   []byte
	Header []string
	// Rows are the first records after the header (up to sniffRows), as exported: what
	// detection keys on when the header alone is not distinctive (INC0010023 numbers).
	Rows [][]string
	has  map[string]bool
}

// sniffRows is how many records after the header detection reads.
const sniffRows = 50

func newSniff(name string, head []byte) *Sniff {
	s := &Sniff{Name: filepath.Base(name), Head: head}
	body := bytes.TrimPrefix(head, utf8BOM)
	if t := bytes.TrimLeft(body, " \t\r\n"); len(t) > 0 && (t[0] == '{' || t[0] == '[') {
		return s // JSON: no header to read
	}
	if i := bytes.IndexByte(body, '\n'); i > 0 || len(body) > 0 && len(body) < sniffSize {
		r := csv.NewReader(bytes.NewReader(body))
		r.FieldsPerRecord = -1
		r.LazyQuotes = true
		if rec, err := r.Read(); err == nil && len(rec) > 1 {
			s.Header = make([]string, len(rec))
			s.has = make(map[string]bool, len(rec))
			for i, h := range rec {
				s.Header[i] = normaliseHeader(h)
				s.has[s.Header[i]] = true
			}
			for len(s.Rows) < sniffRows {
				rec, err := r.Read()
				if err != nil {
					break
				}
				s.Rows = append(s.Rows, rec)
			}
			// The head may end inside a record: the last one read is not trusted whole.
			if len(head) == sniffSize && len(s.Rows) > 0 {
				s.Rows = s.Rows[:len(s.Rows)-1]
			}
		}
	}
	return s
}

// withHeader is s with another (translated) header, for one format's detection.
func (s *Sniff) withHeader(header []string) *Sniff {
	c := *s
	c.Header = header
	c.has = make(map[string]bool, len(header))
	for _, h := range header {
		c.has[h] = true
	}
	return &c
}

// Column returns the sniffed records' values of the normalised column name, blanks left out.
func (s *Sniff) Column(name string) []string {
	var out []string
	for i, h := range s.Header {
		if h != name {
			continue
		}
		for _, r := range s.Rows {
			if i < len(r) && strings.TrimSpace(r[i]) != "" {
				out = append(out, strings.TrimSpace(r[i]))
			}
		}
	}
	return out
}

// dateOrder decides the day/month order of the file's numeric dates from its first records
// (any day above 12 decides): an Excel re-save writes 3/4/25 14:05 in every date column. Formats
// that read the whole file first (ServiceNow) decide from all of it.
func (s *Sniff) dateOrder() DateOrder {
	var vals []string
	for _, r := range s.Rows {
		for _, v := range r {
			if len(v) >= 6 && len(v) <= 22 && v[0] >= '0' && v[0] <= '9' {
				vals = append(vals, v)
			}
		}
	}
	return dateOrderOf(vals)
}

// shownChars is how much of a file's start a message quotes.
const shownChars = 200

// describe says what the start of an unrecognised file looks like, in at most shownChars
// characters: its CSV header, or its first bytes.
func (s *Sniff) describe() string {
	what, text := "it starts", strings.TrimSpace(string(bytes.TrimPrefix(s.Head, utf8BOM)))
	if s.Header != nil {
		what, text = "its header", strings.Join(s.Header, ", ")
	}
	if r := []rune(text); len(r) > shownChars {
		text = string(r[:shownChars]) + "…"
	}
	if i := strings.IndexAny(text, "\r\n"); i >= 0 && s.Header == nil {
		text = text[:i] + " …"
	}
	return what + ": " + text
}

// Has reports whether the CSV header has every one of cols (normalised names).
func (s *Sniff) Has(cols ...string) bool {
	for _, c := range cols {
		if !s.has[c] {
			return false
		}
	}
	return s.Header != nil
}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// binaryReason says why head is not text, or "" when it is.
func binaryReason(head []byte) string {
	if i := bytes.IndexByte(head, 0); i >= 0 {
		return "it contains NUL bytes (first at byte " + strconv.Itoa(i) + ")"
	}
	ctrl := 0
	for _, b := range head {
		if b < 0x20 && b != '\n' && b != '\r' && b != '\t' && b != '\f' {
			ctrl++
		}
	}
	if len(head) > 0 && ctrl*20 > len(head) {
		return "more than 5% of its first bytes are control characters"
	}
	return ""
}

// isUTF8 reports whether head is UTF-8, allowing a sequence cut at the sniff boundary.
func isUTF8(head []byte) bool {
	for i := 0; i < 4 && len(head) > 0; i++ {
		if utf8.Valid(head) {
			return true
		}
		head = head[:len(head)-1]
	}
	return utf8.Valid(head)
}

func normaliseHeader(h string) string {
	h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return '_'
		}
		return r
	}, h)
}
