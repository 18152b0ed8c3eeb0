// Package contentsum fingerprints what a warehouse's tables hold, column by column, so a test
// can say that a warehouse holds exactly what another holds (or what it held before a failed
// ingest, a killed build) — not merely as many rows. It is test plumbing: the product never
// imports it.
//
// A table's fingerprint is its row count, a sum of every column's value hashes, and a sum of
// each row's hash over all its columns: order does not matter (DuckDB keeps no row order a
// user can rely on), repeated rows count twice, and two rows swapping a value change the row
// sum even where every column's sum stays.
//
// Floating-point columns are compared within a relative 1e-11, not by hash: DuckDB sums
// doubles in parallel, in no fixed order, so the last bits of a mart's sums differ from one
// build of the same data to the next (and rounding before hashing would still flip a digit
// now and then). A float column's fingerprint is its count, its sum, and its sum weighted by
// each row's other values — so a value moving to another row is seen too.
package contentsum

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"sort"
	"strings"
)

// Table is one table's fingerprint.
type Table struct {
	Rows int64
	// Row is the sum of the rows' hashes over every compared column.
	Row string
	// Columns maps each compared column to the sum of its values' hashes.
	Columns map[string]string
	// Floats maps each floating-point column to its count, sum and weighted sum.
	Floats map[string][3]float64
}

// Sums are the fingerprints of a warehouse's tables, by name.
type Sums map[string]Table

// Options says which tables and columns to fingerprint.
type Options struct {
	// Catalog is the attached database to read (default: the open one's).
	Catalog string
	// Tables lists the tables; nil means every base table of the main schema, and every
	// mart (a view there), whose name passes Match.
	Tables []string
	// Match, when set, chooses among the tables when Tables is nil.
	Match func(table string) bool
	// Skip lists, per table, columns whose values differ from run to run by design (the
	// times an ingest started and finished); "*" applies to every table.
	Skip map[string][]string
}

// Of fingerprints the tables of db that opt names, in two queries whatever their number.
func Of(ctx context.Context, db *sql.DB, opt Options) (Sums, error) {
	catalog := opt.Catalog
	if catalog == "" {
		if err := db.QueryRowContext(ctx, `select current_database()`).Scan(&catalog); err != nil {
			return nil, err
		}
	}
	want := map[string]bool{}
	for _, t := range opt.Tables {
		want[t] = true
	}
	// The main schema's tables, and its marts: a build keeps each as a view of a table in a
	// schema of the build's (relscope_marts_a or _b, in turn).
	rows, err := db.QueryContext(ctx, `with relation as (
			select database_name, schema_name, table_name from duckdb_tables() where not temporary
			union all
			select database_name, schema_name, view_name from duckdb_views()
			where not temporary and not internal and starts_with(view_name, 'mart_'))
		select c.table_name, c.column_name, c.data_type
		from duckdb_columns() as c join relation using (database_name, schema_name, table_name)
		where c.database_name = ? and c.schema_name = 'main'
		order by c.table_name, c.column_index`, catalog)
	if err != nil {
		return nil, err
	}
	type column struct {
		name, value string
		float       bool
	}
	cols := map[string][]column{}
	var tables []string
	for rows.Next() {
		var tbl, c, typ string
		if err := rows.Scan(&tbl, &c, &typ); err != nil {
			rows.Close()
			return nil, err
		}
		if opt.Tables != nil && !want[tbl] || opt.Tables == nil && opt.Match != nil && !opt.Match(tbl) {
			continue
		}
		if _, ok := cols[tbl]; !ok {
			tables = append(tables, tbl)
			cols[tbl] = []column{}
		}
		if skipSet(opt.Skip, tbl)[c] {
			continue
		}
		col := column{name: c, value: ident(c)}
		switch typ {
		case "DOUBLE", "FLOAT":
			col.float = true
		case "DOUBLE[]", "FLOAT[]":
			col.float, col.value = true, "list_sum("+ident(c)+")"
			// The lists' lengths are compared exactly, as a column of their own.
			cols[tbl] = append(cols[tbl], column{name: c + "#len", value: "len(" + ident(c) + ")"})
		}
		cols[tbl] = append(cols[tbl], col)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, t := range opt.Tables {
		if _, ok := cols[t]; !ok {
			return nil, fmt.Errorf("fingerprint: no table %s", t)
		}
	}
	out := Sums{}
	if len(tables) == 0 {
		return out, nil
	}
	// One statement for every table: its name, row count, the hash sums as a list (column
	// order, the row sum last) and the float sums as another. Names come from the catalog,
	// quoted; never from input.
	var parts []string
	for _, t := range tables {
		var sums, all, floats []string
		for _, c := range cols[t] {
			if !c.float {
				sums = append(sums, "coalesce(sum(hash("+c.value+"))::varchar, '0')")
				all = append(all, c.value)
			}
		}
		if len(all) == 0 {
			all = []string{"1"}
		}
		row := "hash(" + strings.Join(all, ", ") + ")"
		sums = append(sums, "coalesce(sum("+row+")::varchar, '0')")
		for _, c := range cols[t] {
			if c.float {
				floats = append(floats, "count("+c.value+")::double", "coalesce(sum("+c.value+"), 0)",
					"coalesce(sum("+c.value+" * ("+row+" % 1021 + 1)::double), 0)")
			}
		}
		parts = append(parts, "select "+quote(t)+" as t, count(*) as n, ["+strings.Join(sums, ", ")+"] as s, ["+
			strings.Join(floats, ", ")+"]::double[] as f from "+ident(catalog)+".main."+ident(t))
	}
	res, err := db.QueryContext(ctx, strings.Join(parts, "\nunion all\n"))
	if err != nil {
		return nil, fmt.Errorf("fingerprint: %w", err)
	}
	defer res.Close()
	for res.Next() {
		var name string
		var n int64
		var hashes, floats []any
		if err := res.Scan(&name, &n, &hashes, &floats); err != nil {
			return nil, err
		}
		t := Table{Rows: n, Row: fmt.Sprint(hashes[len(hashes)-1]), Columns: map[string]string{}, Floats: map[string][3]float64{}}
		h, f := 0, 0
		for _, c := range cols[name] {
			if c.float {
				t.Floats[c.name] = [3]float64{floats[f].(float64), floats[f+1].(float64), floats[f+2].(float64)}
				f += 3
			} else {
				t.Columns[c.name] = fmt.Sprint(hashes[h])
				h++
			}
		}
		out[name] = t
	}
	return out, res.Err()
}

func skipSet(skip map[string][]string, table string) map[string]bool {
	set := map[string]bool{}
	for _, c := range append(skip["*"], skip[table]...) {
		set[c] = true
	}
	return set
}

func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

func ident(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// Diff lists how got differs from want, table by table and column by column, in a stable
// order; nil when they are the same.
func Diff(got, want Sums) []string {
	var out []string
	for _, name := range names(want, got) {
		g, gok := got[name]
		w, wok := want[name]
		switch {
		case !gok:
			out = append(out, name+": missing")
			continue
		case !wok:
			out = append(out, name+": unexpected table")
			continue
		}
		if g.Rows != w.Rows {
			out = append(out, fmt.Sprintf("%s: %d rows, want %d", name, g.Rows, w.Rows))
		}
		var cols []string
		for c := range w.Columns {
			cols = append(cols, c)
		}
		for c := range g.Columns {
			if _, ok := w.Columns[c]; !ok {
				cols = append(cols, c)
			}
		}
		sort.Strings(cols)
		differ := 0
		for _, c := range cols {
			gs, gok := g.Columns[c]
			ws, wok := w.Columns[c]
			switch {
			case !gok:
				out = append(out, name+"."+c+": missing column")
			case !wok:
				out = append(out, name+"."+c+": unexpected column")
			case gs != ws:
				out = append(out, name+"."+c+": values differ")
				differ++
			}
		}
		var floats []string
		for c := range w.Floats {
			floats = append(floats, c)
		}
		for c := range g.Floats {
			if _, ok := w.Floats[c]; !ok {
				floats = append(floats, c)
			}
		}
		sort.Strings(floats)
		for _, c := range floats {
			gf, gok := g.Floats[c]
			wf, wok := w.Floats[c]
			switch {
			case !gok:
				out = append(out, name+"."+c+": missing column")
			case !wok:
				out = append(out, name+"."+c+": unexpected column")
			case !close(gf[0], wf[0]) || !close(gf[1], wf[1]) || !close(gf[2], wf[2]):
				out = append(out, fmt.Sprintf("%s.%s: values differ (sum %g, want %g)", name, c, gf[1], wf[1]))
				differ++
			}
		}
		if differ == 0 && g.Rows == w.Rows && g.Row != w.Row {
			out = append(out, name+": the same values, combined differently into rows")
		}
	}
	return out
}

// close reports whether two float sums are the same but for the order they were added in.
func close(a, b float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	if math.IsInf(a, 0) || math.IsInf(b, 0) {
		return a == b
	}
	return math.Abs(a-b) <= 1e-11*math.Max(math.Abs(a), math.Abs(b))+1e-12
}

// Equal reports whether got and want hold the same.
func Equal(got, want Sums) bool { return len(Diff(got, want)) == 0 }

// Only keeps the tables of s whose names pass keep.
func (s Sums) Only(keep func(table string) bool) Sums {
	out := Sums{}
	for n, t := range s {
		if keep(n) {
			out[n] = t
		}
	}
	return out
}

func names(a, b Sums) []string {
	seen := map[string]bool{}
	var out []string
	for _, m := range []Sums{a, b} {
		for n := range m {
			if !seen[n] {
				seen[n] = true
				out = append(out, n)
			}
		}
	}
	sort.Strings(out)
	return out
}
