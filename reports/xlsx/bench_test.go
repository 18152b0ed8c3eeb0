package xlsx

import (
	"context"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/relscope/relscope/reports/document"
)

// BenchmarkStreamedSheet writes one sheet of 100,000 rows of a cycle-time sheet's shape (12
// columns: text, times, days) to nowhere: the renderer's own cost per row.
func BenchmarkStreamedSheet(b *testing.B) {
	const n = 100000
	cols := []document.Column{
		{Name: "item_key", Type: document.TypeText}, {Name: "team", Type: document.TypeText}, {Name: "item_type", Type: document.TypeText},
		{Name: "title", Type: document.TypeText}, {Name: "created_at", Type: document.TypeDateTime}, {Name: "committed_at", Type: document.TypeDateTime},
		{Name: "committed_basis", Type: document.TypeText}, {Name: "delivered_at", Type: document.TypeDateTime}, {Name: "delivered_via", Type: document.TypeText},
		{Name: "delivered_by_deployment", Type: document.TypeText}, {Name: "cycle_time_days", Type: document.TypeDays}, {Name: "lead_time_days", Type: document.TypeDays},
	}
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	doc := &document.Document{Sections: []document.Section{{ID: "s"}, {ID: "d", Blocks: []document.Block{&document.Table{ID: "cycle", Title: "Cycle time",
		Columns: cols, Total: n,
		Stream: func(ctx context.Context, yield func([]any) error) error {
			for i := 0; i < n; i++ {
				at := t0.Add(time.Duration(i) * time.Minute)
				if err := yield([]any{fmt.Sprintf("PAY-%d", i), "Payments", "Story", "Harden API pagination for guest users",
					at, at.Add(48 * time.Hour), "history", at.Add(240 * time.Hour), "deployment", "dep-0000783", 8.25, 10.5}); err != nil {
					return err
				}
			}
			return nil
		}}}}}}
	b.ReportAllocs()
	for b.Loop() {
		if err := (Renderer{}).Write(context.Background(), doc, io.Discard); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n*len(cols))/b.Elapsed().Seconds()*float64(b.N), "cells/s")
}
