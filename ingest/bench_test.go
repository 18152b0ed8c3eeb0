package ingest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/relscope/relscope/config"
	"github.com/relscope/relscope/models"
)

func BenchmarkParseDate(b *testing.B) {
	p := &DateParser{Loc: time.UTC}
	inputs := []string{"2025-03-04T10:15:00Z", "2025-03-04 10:15:00", "2025-03-04T10:15:00.123+02:00"}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, err := p.Parse(inputs[i%len(inputs)]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNativeDeployments measures the CSV reader and mapping alone (no warehouse).
func BenchmarkNativeDeployments(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("id,service,team,environment,status,kind,started_at,finished_at,version,items,description\n")
	for i := range 10000 {
		fmt.Fprintf(&sb, "dep-%d,payments-api,Payments,production,success,normal,2025-03-04T10:05:00Z,2025-03-04T10:15:00Z,PAY 2025.10,PAY-%d PAY-%d,Deploy payments-api\n", i, i, i+1)
	}
	body := sb.String()
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		s, err := loadMem(b, nativeDeployments, body)
		if err != nil || len(s.Deployments) != 10000 {
			b.Fatal(err, len(s.Deployments))
		}
	}
}

// BenchmarkIngestFile ingests RELSCOPE_BENCH_FILE into a fresh warehouse per iteration: the
// target for profiling (go test -bench IngestFile -cpuprofile cpu.out ./ingest).
func BenchmarkIngestFile(b *testing.B) {
	path := os.Getenv("RELSCOPE_BENCH_FILE")
	if path == "" {
		b.Skip("set RELSCOPE_BENCH_FILE")
	}
	info, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(info.Size())
	// The GC policy relscope ingest runs with (cmd/relscope's ingestMemoryPolicy).
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	for b.Loop() {
		w, err := models.Open(context.Background(), filepath.Join(b.TempDir(), "w.duckdb"), models.Options{})
		if err != nil {
			b.Fatal(err)
		}
		err = Run(context.Background(), w, []string{path}, Options{Config: config.Default(), Dates: DateParser{Loc: time.UTC}}, func(r FileResult) {
			if r.Err != nil {
				b.Fatal(r.Err)
			}
		})
		w.Close()
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkJSONArrayRecords splits a one-line JSON array of 5,000 issues (the shape of
// `gh issue list --json`) into records with their lines: the reader every JSON format uses.
func BenchmarkJSONArrayRecords(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("[")
	for i := range 5000 {
		if i > 0 {
			sb.WriteString(",")
		}
		fmt.Fprintf(&sb, `{"number":%d,"title":"Issue %d","state":"OPEN","createdAt":"2025-01-01T00:00:00Z","url":"https://github.com/acme/shop/issues/%d","labels":[{"name":"bug"}]}`, i+1, i+1, i+1)
	}
	sb.WriteString("]")
	body := sb.String()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		doc, err := readJSONDoc(strings.NewReader(body))
		if err != nil {
			b.Fatal(err)
		}
		recs, err := doc.expand()
		if err != nil || len(recs) != 5000 {
			b.Fatal(err, len(recs))
		}
	}
}
