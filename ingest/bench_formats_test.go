package ingest

import (
	"os"
	"path/filepath"
	"sort"
	"sync"
	"testing"

	"github.com/relscope/relscope/fixtures"
)

// benchFixtures generates a small mixed organisation once for the format benchmarks.
var benchFixtures = sync.OnceValues(func() (map[string][]string, error) {
	dir, err := os.MkdirTemp("", "relscope-bench-*")
	if err != nil {
		return nil, err
	}
	m, err := fixtures.Generate(fixtures.Options{Scale: 4000, Seed: 42, Out: dir, Mixed: true})
	if err != nil {
		return nil, err
	}
	byFormat := map[string][]string{}
	for _, f := range m.Files {
		byFormat[f.Format] = append(byFormat[f.Format], filepath.Join(dir, f.Name))
	}
	for _, l := range byFormat {
		sort.Strings(l)
	}
	return byFormat, nil
})

// benchFormatFile maps the first fixture file of a format into a MemSink: the reader and
// mapping alone, without the warehouse.
func benchFormatFile(b *testing.B, f Format) {
	files, err := benchFixtures()
	if err != nil {
		b.Fatal(err)
	}
	if len(files[f.Name()]) == 0 {
		b.Fatalf("no %s fixture", f.Name())
	}
	data, err := os.ReadFile(files[f.Name()][0])
	if err != nil {
		b.Fatal(err)
	}
	body := string(data)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		s, err := loadMem(b, f, body)
		if err != nil || len(s.WorkItems) == 0 || len(s.Rejects) > 0 {
			b.Fatal(err, len(s.WorkItems), len(s.Rejects))
		}
	}
}

// BenchmarkJiraJSONPage: one /search page of 50 issues with changelogs.
func BenchmarkJiraJSONPage(b *testing.B) { benchFormatFile(b, jiraJSON{}) }

// BenchmarkJiraCSV: one team's issue navigator CSV export.
func BenchmarkJiraCSV(b *testing.B) { benchFormatFile(b, jiraCSV{}) }
