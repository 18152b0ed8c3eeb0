package ingest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	json "github.com/goccy/go-json"
)

// jiraFieldList reads Jira's field list — GET /rest/api/2/field (or /3/field), an array of
// {"id": "customfield_10016", "name": "Story point estimate", "custom": true, "clauseNames":
// [...], "schema": {...}} — saved beside search pages fetched without expand=names. It is
// metadata, not records: its names (story points, sprint, team, epic link) are used by the
// Jira JSON pages of the same run, whichever order the files come in.
type jiraFieldList struct{}

func (jiraFieldList) Name() string { return "jira-fields" }
func (jiraFieldList) Describe() string {
	return "Jira field list (/rest/api/2/field): names the custom fields of the run's Jira JSON pages"
}

func (jiraFieldList) Detect(s *Sniff) float64 {
	if isJiraFieldList(s.Head) {
		return 3
	}
	return 0
}

// isJiraFieldList reports whether head starts a field list: an array whose objects have an
// id, a name, clauseNames and a schema (or custom), and no issue fields.
func isJiraFieldList(head []byte) bool {
	h := bytes.TrimLeft(bytes.TrimPrefix(head, utf8BOM), " \t\r\n")
	return len(h) > 0 && h[0] == '[' && hasAll(h, "id", "name", "clauseNames") &&
		(hasAll(h, "schema") || hasAll(h, "custom")) && !hasAll(h, "fields")
}

type jiraFieldDef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// readJiraFieldNames reads a field list into id → name.
func readJiraFieldNames(r io.Reader) (map[string]string, error) {
	var defs []jiraFieldDef
	if err := json.NewDecoder(r).Decode(&defs); err != nil {
		return nil, fmt.Errorf("not a Jira field list: %w", err)
	}
	names := make(map[string]string, len(defs))
	for _, d := range defs {
		if d.ID != "" && d.Name != "" {
			names[d.ID] = d.Name
		}
	}
	return names, nil
}

// Load checks the list and loads no rows: the run read its names before any page (see
// fieldNamesOf).
func (jiraFieldList) Load(ctx context.Context, in *Input, sink Sink) error {
	_, err := readJiraFieldNames(in.R)
	return err
}

// fieldListHead is how much of each file the run reads to find field lists before loading.
const fieldListHead = 2 << 10

// fieldNamesOf finds the Jira field lists among a run's files (a look at each JSON file's
// first bytes) and merges their names, for the Jira JSON pages that carry no names map.
func fieldNamesOf(files []string) map[string]string {
	var names map[string]string
	buf := make([]byte, fieldListHead)
	for _, path := range files {
		if path == "-" || !strings.EqualFold(filepath.Ext(path), ".json") {
			continue
		}
		fh, err := os.Open(path)
		if err != nil {
			continue
		}
		n, _ := io.ReadFull(fh, buf)
		if isJiraFieldList(buf[:n]) {
			fh.Seek(0, io.SeekStart)
			if m, err := readJiraFieldNames(newTextReader(fh)); err == nil {
				if names == nil {
					names = map[string]string{}
				}
				for id, name := range m {
					names[id] = name
				}
			}
		}
		fh.Close()
	}
	return names
}
