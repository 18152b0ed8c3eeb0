package ingest

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	duckdb "github.com/duckdb/duckdb-go/v2"

	"github.com/relscope/relscope/config"
	"github.com/relscope/relscope/fixtures"
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

// BenchmarkIngestVsRaw times `relscope ingest` of generated fixtures against DuckDB's own
// read_csv loading the same files raw into tables: the physical limit on this engine.
// Run by `make bench` (RELSCOPE_BENCH_SCALE, RELSCOPE_BENCH_DIR); skipped otherwise.
func BenchmarkIngestVsRaw(b *testing.B) {
	dir := os.Getenv("RELSCOPE_BENCH_DIR")
	if dir == "" {
		b.Skip("set RELSCOPE_BENCH_DIR (make bench does)")
	}
	scale, _ := strconv.Atoi(os.Getenv("RELSCOPE_BENCH_SCALE"))
	if scale <= 0 {
		scale = 100000
	}
	fx := filepath.Join(dir, fmt.Sprintf("fixtures-%d", scale))
	m, err := fixtures.ReadManifest(fx)
	if err != nil || m.Scale != scale {
		b.Logf("generating %d items into %s", scale, fx)
		if m, err = fixtures.Generate(fixtures.Options{Scale: scale, Seed: 42, Out: fx}); err != nil {
			b.Fatal(err)
		}
	}
	ctx := context.Background()
	fmt.Printf("\n%-16s %10s %9s %10s %10s %7s %12s\n", "file", "rows", "MB", "ingest s", "raw s", "ratio", "rows/s")
	var totIngest, totRaw time.Duration
	for _, f := range m.Files {
		path := filepath.Join(fx, f.Name)
		// Best of three, alternating, so neither side profits from a warm cache alone.
		var best, bestRaw time.Duration
		for range 3 {
			d := timeIngest(b, ctx, path)
			r := timeRaw(b, path)
			if best == 0 || d < best {
				best = d
			}
			if bestRaw == 0 || r < bestRaw {
				bestRaw = r
			}
		}
		totIngest += best
		totRaw += bestRaw
		fmt.Printf("%-16s %10d %9.1f %10.2f %10.2f %6.2fx %12.0f\n", f.Name, f.Rows, float64(f.Bytes)/1e6,
			best.Seconds(), bestRaw.Seconds(), best.Seconds()/bestRaw.Seconds(), float64(f.Rows)/best.Seconds())
	}
	fmt.Printf("%-16s %10s %9s %10.2f %10.2f %6.2fx\n", "total", "", "", totIngest.Seconds(), totRaw.Seconds(), totIngest.Seconds()/totRaw.Seconds())
	b.ReportMetric(totIngest.Seconds()/totRaw.Seconds(), "ingest/raw")
}

func timeIngest(b *testing.B, ctx context.Context, path string) time.Duration {
	w, err := models.Open(ctx, filepath.Join(b.TempDir(), "w.duckdb"), models.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer w.Close()
	start := time.Now()
	err = Run(ctx, w, []string{path}, Options{Config: config.Default(), Dates: DateParser{Loc: time.UTC}}, func(r FileResult) {
		if r.Err != nil {
			b.Fatal(r.Err)
		}
	})
	if err != nil {
		b.Fatal(err)
	}
	return time.Since(start)
}

func timeRaw(b *testing.B, path string) time.Duration {
	c, err := duckdb.NewConnector(filepath.Join(b.TempDir(), "raw.duckdb"), nil)
	if err != nil {
		b.Fatal(err)
	}
	db := sql.OpenDB(c)
	defer db.Close()
	start := time.Now()
	if _, err := db.Exec(`create table raw as select * from read_csv(?)`, path); err != nil {
		b.Fatal(err)
	}
	return time.Since(start)
}
