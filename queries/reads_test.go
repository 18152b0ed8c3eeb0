package queries

import (
	"context"
	"database/sql"
	"encoding/json"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/relscope/relscope/models"
)

// operational are the named queries that show the canonical tables or the ingest log
// themselves (README "operational views"), each with the tables it may read; every other
// named query reads marts and settings only.
var operational = map[string][]string{
	"ingest_history": {"ingest_runs"},
	"ingest_rejects": {"ingest_rejects"},
}

// Named queries read marts (mart_*) and build settings (relscope_*) only — the rules live in
// the models, once — and of DuckDB's catalog only its table functions (duckdb_columns() for
// column descriptions, say). The tables each query reads are taken from DuckDB's own parse
// tree (json_serialize_sql), CTE names set aside.
func TestQueriesReadMartsAndSettingsOnly(t *testing.T) {
	w, err := models.Open(context.Background(), filepath.Join(t.TempDir(), "w.duckdb"), models.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	qs, err := All()
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range qs {
		tables, funcs, err := readsOf(w.DB, q.SQL)
		if err != nil {
			t.Errorf("%s: %v", q.Name, err)
			continue
		}
		for _, tb := range tables {
			ok := strings.HasPrefix(tb, "mart_") || strings.HasPrefix(tb, "relscope_")
			for _, allowed := range operational[q.Name] {
				ok = ok || tb == allowed
			}
			if !ok {
				t.Errorf("@%s reads %s: named queries read marts and settings only (put the logic in a model)", q.Name, tb)
			}
		}
		for _, f := range funcs {
			if strings.HasPrefix(f, "duckdb_") && f != "duckdb_columns" && f != "duckdb_tables" && f != "duckdb_views" {
				t.Errorf("@%s calls %s(): of the catalog, only duckdb_columns/tables/views", q.Name, f)
			}
		}
	}
}

// readsOf returns the tables (not CTEs) and table functions a SQL text reads.
func readsOf(db *sql.DB, text string) (tables, funcs []string, err error) {
	var js string
	if err := db.QueryRow("select json_serialize_sql(?::varchar)::varchar", text).Scan(&js); err != nil {
		return nil, nil, err
	}
	var tree any
	if err := json.Unmarshal([]byte(js), &tree); err != nil {
		return nil, nil, err
	}
	if m, ok := tree.(map[string]any); ok && m["error"] == true {
		return nil, nil, &parseError{m["error_message"]}
	}
	ctes, seenT, seenF := map[string]bool{}, map[string]bool{}, map[string]bool{}
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if cm, ok := x["cte_map"].(map[string]any); ok {
				if entries, ok := cm["map"].([]any); ok {
					for _, e := range entries {
						if em, ok := e.(map[string]any); ok {
							if k, ok := em["key"].(string); ok {
								ctes[strings.ToLower(k)] = true
							}
						}
					}
				}
			}
			switch x["type"] {
			case "BASE_TABLE":
				if n, ok := x["table_name"].(string); ok {
					seenT[strings.ToLower(n)] = true
				}
			case "TABLE_FUNCTION":
				if fn, ok := x["function"].(map[string]any); ok {
					if n, ok := fn["function_name"].(string); ok {
						seenF[strings.ToLower(n)] = true
					}
				}
			}
			for _, c := range x {
				walk(c)
			}
		case []any:
			for _, c := range x {
				walk(c)
			}
		}
	}
	walk(tree)
	for n := range seenT {
		if !ctes[n] {
			tables = append(tables, n)
		}
	}
	for n := range seenF {
		funcs = append(funcs, n)
	}
	sort.Strings(tables)
	sort.Strings(funcs)
	return tables, funcs, nil
}

type parseError struct{ msg any }

func (e *parseError) Error() string { s, _ := e.msg.(string); return "does not parse: " + s }

// The reader itself: CTEs are not tables, subqueries and joins are followed.
func TestReadsOf(t *testing.T) {
	w, err := models.Open(context.Background(), filepath.Join(t.TempDir(), "w.duckdb"), models.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	tables, funcs, err := readsOf(w.DB, `with a as (select * from mart_x where t = $team)
        select * from a join relscope_settings s on true, unnest([1]) u(x)
        where exists (select 1 from stg_y) and x in (select 1 from duckdb_columns())`)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(tables, ",") != "mart_x,relscope_settings,stg_y" || strings.Join(funcs, ",") != "duckdb_columns,unnest" {
		t.Errorf("tables %v, functions %v", tables, funcs)
	}
}
