package models

import (
	"context"
	"fmt"
	"sort"
	"strings"
)

// TableDoc describes one table or view of the warehouse.
type TableDoc struct {
	Name        string      `json:"name"`
	Layer       string      `json:"layer"`
	Description string      `json:"description"`
	Rows        int64       `json:"rows"`
	Columns     []ColumnDoc `json:"columns,omitempty"`
}

// ColumnDoc describes one column.
type ColumnDoc struct {
	Name        string `json:"name"`
	Type        string `json:"type"`
	Description string `json:"description"`
}

// layerOrder lists the layers as analysts meet them: marts first.
var layerOrder = map[string]int{"mart": 0, "canonical": 1, "intermediate": 2, "staging": 3, "settings": 4}

func layerOf(name string) string {
	switch {
	case strings.HasPrefix(name, "mart_"):
		return "mart"
	case strings.HasPrefix(name, "int_"):
		return "intermediate"
	case strings.HasPrefix(name, "stg_"):
		return "staging"
	case strings.HasPrefix(name, "relscope_"):
		return "settings"
	}
	return "canonical"
}

// CanonicalTables are the tables ingest writes, in DESIGN §3's order.
var CanonicalTables = []string{"work_items", "work_item_transitions", "work_item_links", "releases",
	"deployments", "incidents", "changes", "ingest_runs", "ingest_rejects"}

// CanonicalFirst returns the canonical tables of a catalog (layer "canonical") in the order
// of CanonicalTables, any others of that layer after them by name.
func CanonicalFirst(docs []TableDoc) []TableDoc {
	rank := func(name string) int {
		for i, n := range CanonicalTables {
			if n == name {
				return i
			}
		}
		return len(CanonicalTables)
	}
	var out []TableDoc
	for _, d := range docs {
		if d.Layer == "canonical" {
			out = append(out, d)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return rank(out[i].Name) < rank(out[j].Name) })
	return out
}

// Catalog lists every table and view with its description and row count.
func (w *Warehouse) Catalog(ctx context.Context) ([]TableDoc, error) {
	rows, err := w.DB.QueryContext(ctx, `
select table_name, coalesce(comment, '') from duckdb_tables() where schema_name = 'main' and not temporary and database_name = current_database()
union all
select view_name, coalesce(comment, '') from duckdb_views() where schema_name = 'main' and not internal and not temporary and database_name = current_database()`)
	if err != nil {
		return nil, cleanDuckErr(err)
	}
	var docs []TableDoc
	for rows.Next() {
		var d TableDoc
		if err := rows.Scan(&d.Name, &d.Description); err != nil {
			rows.Close()
			return nil, err
		}
		d.Layer = layerOf(d.Name)
		docs = append(docs, d)
	}
	rows.Close()
	built, err := w.builtRows(ctx)
	if err != nil {
		return nil, err
	}
	for i := range docs {
		if n, ok := built[docs[i].Name]; ok {
			docs[i].Rows = n
			continue
		}
		// Names come from DuckDB's own catalog.
		if err := w.DB.QueryRowContext(ctx, "select count(*) from "+quoteIdent(docs[i].Name)).Scan(&docs[i].Rows); err != nil {
			return nil, cleanDuckErr(err)
		}
	}
	sort.Slice(docs, func(i, j int) bool {
		if a, b := layerOrder[docs[i].Layer], layerOrder[docs[j].Layer]; a != b {
			return a < b
		}
		return docs[i].Name < docs[j].Name
	})
	return docs, nil
}

// builtRows are the rows the last build gave each model (relscope_models) — for a model kept
// as a view of its SQL: counting them would run their SQL again, through every
// intermediate model beneath. None before a build.
func (w *Warehouse) builtRows(ctx context.Context) (map[string]int64, error) {
	var exists bool
	if err := w.DB.QueryRowContext(ctx, `select count(*) > 0 from duckdb_tables() where table_name = 'relscope_models' and schema_name = 'main' and database_name = current_database()`).Scan(&exists); err != nil || !exists {
		return nil, cleanDuckErr(err)
	}
	rows, err := w.DB.QueryContext(ctx, `select model, rows from relscope_models where materialized = 'temp'`)
	if err != nil {
		return nil, cleanDuckErr(err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var name string
		var n int64
		if err := rows.Scan(&name, &n); err != nil {
			return nil, err
		}
		out[name] = n
	}
	return out, rows.Err()
}

// DescribeTable returns one table's description and columns; an unknown name is an error
// that suggests the closest one.
func (w *Warehouse) DescribeTable(ctx context.Context, name string) (TableDoc, error) {
	all, err := w.Catalog(ctx)
	if err != nil {
		return TableDoc{}, err
	}
	var names []string
	for _, d := range all {
		if strings.EqualFold(d.Name, name) {
			cols, err := w.columns(ctx, d.Name)
			d.Columns = cols
			return d, err
		}
		names = append(names, d.Name)
	}
	if s := Closest(name, names); s != "" {
		return TableDoc{}, fmt.Errorf("no table or mart %q; did you mean %s? (relscope schema lists them all)", name, s)
	}
	return TableDoc{}, fmt.Errorf("no table or mart %q (relscope schema lists them all)", name)
}

func (w *Warehouse) columns(ctx context.Context, table string) ([]ColumnDoc, error) {
	rows, err := w.DB.QueryContext(ctx, `select column_name, data_type, coalesce(comment, '') from duckdb_columns()
where table_name = ? and schema_name = 'main' and database_name = current_database() order by column_index`, table)
	if err != nil {
		return nil, cleanDuckErr(err)
	}
	defer rows.Close()
	var cols []ColumnDoc
	for rows.Next() {
		var c ColumnDoc
		if err := rows.Scan(&c.Name, &c.Type, &c.Description); err != nil {
			return nil, err
		}
		cols = append(cols, c)
	}
	return cols, rows.Err()
}

// Closest returns the candidate a user most likely meant by s: the shortest one containing it
// (mart_dora → mart_dora_monthly), else the nearest by edit distance, or "" when none is close.
func Closest(s string, candidates []string) string {
	lower := strings.ToLower(s)
	contains := ""
	for _, c := range candidates {
		if strings.Contains(strings.ToLower(c), lower) && (contains == "" || len(c) < len(contains)) {
			contains = c
		}
	}
	if contains != "" && len(s) >= 3 {
		return contains
	}
	best, bestD := "", len(s)/2+2
	for _, c := range candidates {
		if d := editDistance(strings.ToLower(s), strings.ToLower(c)); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
