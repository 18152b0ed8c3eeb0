package contentsum

import (
	"context"
	"database/sql"
	"strings"
	"testing"

	_ "github.com/duckdb/duckdb-go/v2"
)

// TestFingerprintSeesContent: the same rows in another order are equal; a changed value, a
// NULL for a value, a repeated row and two rows trading a value are all told apart, and the
// difference names the table and column.
func TestFingerprintSeesContent(t *testing.T) {
	ctx := context.Background()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	base := `create or replace table t (k varchar, a int, b varchar[], ts timestamptz);
		insert into t values ('x', 1, ['p','q'], '2025-01-01 00:00:00Z'), ('y', 2, null, '2025-01-02 00:00:00Z');`
	opt := Options{Tables: []string{"t"}, Skip: map[string][]string{"t": {"ts"}}}
	sumOf := func(sqlText string) Sums {
		t.Helper()
		if _, err := db.ExecContext(ctx, sqlText); err != nil {
			t.Fatal(err)
		}
		s, err := Of(ctx, db, opt)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	want := sumOf(base)
	cases := []struct {
		name, sql string
		equal     bool
		mentions  string
	}{
		{"other order", `create or replace table t (k varchar, a int, b varchar[], ts timestamptz);
			insert into t values ('y', 2, null, '2025-01-02 00:00:00Z'), ('x', 1, ['p','q'], '2025-01-01 00:00:00Z');`, true, ""},
		{"skipped column changed", base + `update t set ts = now();`, true, ""},
		{"value changed", base + `update t set a = 3 where k = 'y';`, false, "t.a: values differ"},
		{"null for a value", base + `update t set b = null where k = 'x';`, false, "t.b: values differ"},
		{"list order", base + `update t set b = ['q','p'] where k = 'x';`, false, "t.b: values differ"},
		{"repeated row", base + `insert into t select * from t where k = 'x';`, false, "t: 3 rows, want 2"},
		{"rows trade a value", base + `update t set a = case k when 'x' then 2 else 1 end;`, false, "combined differently"},
	}
	for _, c := range cases {
		got := sumOf(c.sql)
		d := Diff(got, want)
		if Equal(got, want) != c.equal {
			t.Errorf("%s: equal = %v, want %v (diff %q)", c.name, !c.equal, c.equal, d)
		}
		if c.mentions != "" && !strings.Contains(strings.Join(d, "\n"), c.mentions) {
			t.Errorf("%s: diff %q does not say %q", c.name, d, c.mentions)
		}
	}
}

// TestFloatsWithinRounding: a double summed in another order (0.1 + 0.2 against 0.3) is the
// same value; one differing in the 7th digit is not, nor two rows trading their values.
func TestFloatsWithinRounding(t *testing.T) {
	ctx := context.Background()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.ExecContext(ctx, `create table a as select * from (values ('x', 0.1::double + 0.2::double, [0.1::double + 0.2::double]), ('y', 2.0, [])) v(k, f, l);
		create table b as select * from (values ('x', 0.3::double, [0.3::double]), ('y', 2.0, [])) v(k, f, l);
		create table c as select * from (values ('x', 0.3000001::double, [0.3::double]), ('y', 2.0, [])) v(k, f, l);
		create table d as select * from (values ('x', 2.0::double, [0.3::double]), ('y', 0.3, [])) v(k, f, l);
		create table e as select * from (values ('x', 0.3::double, [0.3::double, 0]), ('y', 2.0, [])) v(k, f, l);`); err != nil {
		t.Fatal(err)
	}
	s, err := Of(ctx, db, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if d := Diff(Sums{"t": s["a"]}, Sums{"t": s["b"]}); d != nil {
		t.Errorf("0.1 + 0.2 and 0.3 differ: %q", d)
	}
	for _, c := range []struct{ table, want string }{{"c", "t.f: values differ"}, {"d", "t.f: values differ"}, {"e", "t.l#len: values differ"}} {
		if d := Diff(Sums{"t": s[c.table]}, Sums{"t": s["b"]}); len(d) == 0 || !strings.HasPrefix(d[0], c.want) {
			t.Errorf("table %s against b: diff %q, want %s", c.table, d, c.want)
		}
	}
}
