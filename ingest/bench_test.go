package ingest

import (
	"fmt"
	"strings"
	"testing"
	"time"
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
