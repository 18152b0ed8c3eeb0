package reports

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/relscope/relscope/internal/demowarehouse"
	"github.com/relscope/relscope/reports/document"
)

// Source.Stream yields what Source.Table returns, counts it before the first row, and checks
// the columns when it is made.
func TestSourceStream(t *testing.T) {
	w := demowarehouse.Open(t, demowarehouse.Demo)
	ctx := context.Background()
	src := NewSource(w.DB)
	cols := []document.Column{{Name: "deployment_id"}, {Name: "finished_at", Type: document.TypeDateTime},
		{Name: "recovery_hours", Type: document.TypeHours}, {Name: "is_failure", Type: document.TypeBool}}
	params := map[string]string{"team": "Payments"}
	whole, err := src.Table(ctx, "deployment_runs", params, cols)
	if err != nil {
		t.Fatal(err)
	}
	st, err := src.Stream(ctx, "deployment_runs", params, cols)
	if err != nil {
		t.Fatal(err)
	}
	if st.Total != int64(len(whole.Rows)) || st.Total == 0 || st.Rows != nil {
		t.Fatalf("Total %d, Rows %d; the query returns %d", st.Total, len(st.Rows), len(whole.Rows))
	}
	var got [][]any
	if err := st.Stream(ctx, func(r []any) error { got = append(got, r); return nil }); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, whole.Rows) {
		t.Errorf("streamed rows differ from the table's")
	}
	// yield's error stops the stream and comes back as it is.
	stop := context.Canceled
	n := 0
	if err := st.Stream(ctx, func([]any) error { n++; return stop }); err != stop || n != 1 {
		t.Errorf("err %v after %d rows", err, n)
	}
	if _, err := src.Stream(ctx, "deployment_runs", params, []document.Column{{Name: "no_such"}}); err == nil || !strings.Contains(err.Error(), `no column "no_such"`) {
		t.Errorf("missing column: %v", err)
	}
	if used := src.Used(); len(used) != 2 || used[1].Name != "deployment_runs" {
		t.Errorf("used %v", used)
	}
}
