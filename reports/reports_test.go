package reports

import (
	"math/big"
	"reflect"
	"testing"
	"time"

	"github.com/relscope/relscope/queries"
	"github.com/relscope/relscope/reports/document"
)

func TestConvert(t *testing.T) {
	day := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		in   any
		typ  document.ValueType
		want any
	}{
		{nil, document.TypeDays, nil},
		{int32(7), document.TypeInt, int64(7)},
		{big.NewInt(12), document.TypeInt, int64(12)},
		{int64(3), document.TypeDays, 3.0},
		{0.25, document.TypePercent, 0.25},
		{queries.Date(day), document.TypeDate, day},
		{day.In(time.FixedZone("x", 3600)), document.TypeDateTime, day},
		{[]any{"a", nil, "b"}, document.TypeList, []string{"a", "b"}},
		{true, document.TypeBool, true},
		{int64(5), document.TypeText, "5"},
	} {
		got, err := Convert(tc.in, tc.typ)
		if err != nil {
			t.Fatalf("Convert(%v, %s): %v", tc.in, tc.typ, err)
		}
		if tm, ok := got.(time.Time); ok {
			if !tm.Equal(tc.want.(time.Time)) || tm.Location() != time.UTC {
				t.Errorf("Convert(%v, %s) = %v, want %v in UTC", tc.in, tc.typ, got, tc.want)
			}
			continue
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Convert(%v, %s) = %#v, want %#v", tc.in, tc.typ, got, tc.want)
		}
	}
	if _, err := Convert("x", document.TypeNumber); err == nil {
		t.Error("a string is not a number")
	}
}
