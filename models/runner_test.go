package models

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/relscope/relscope/config"
)

func model(sql string) *fstest.MapFile {
	return &fstest.MapFile{Data: []byte("-- description: test model\n-- grain: row\n" + sql)}
}

func TestLoadModelsOrder(t *testing.T) {
	fsys := fstest.MapFS{
		"mart_b.sql":           model("select * from int_a join stg_x__y using (id)"),
		"int_a.sql":            model("select id from stg_x__y -- reads mart_zzz only in a comment"),
		"stg_x__y.sql":         model("select 1 as id"),
		"mart_c.sql":           model("-- test: unique(id)\nselect id from mart_b"),
		"not_a_model.txt":      {Data: []byte("ignored")},
		"stg_other__thing.sql": model("select 2 as id"),
	}
	ms, err := LoadModels(fsys)
	if err != nil {
		t.Fatal(err)
	}
	pos := map[string]int{}
	for i, m := range ms {
		pos[m.Name] = i
	}
	for _, e := range [][2]string{{"stg_x__y", "int_a"}, {"int_a", "mart_b"}, {"stg_x__y", "mart_b"}, {"mart_b", "mart_c"}} {
		if pos[e[0]] >= pos[e[1]] {
			t.Errorf("%s must come before %s: %v", e[0], e[1], pos)
		}
	}
	if len(ms) != 5 || strings.Join(ms[pos["mart_b"]].Deps, ",") != "int_a,stg_x__y" || len(ms[pos["mart_c"]].Tests) != 1 {
		t.Errorf("models %+v", ms)
	}

	_, err = LoadModels(fstest.MapFS{"mart_a.sql": model("select * from int_missing")})
	if err == nil || !strings.Contains(err.Error(), "int_missing, which is not a model") {
		t.Errorf("unknown ref: %v", err)
	}
	_, err = LoadModels(fstest.MapFS{"int_a.sql": model("select * from int_b"), "int_b.sql": model("select * from int_a")})
	if err == nil || !strings.Contains(err.Error(), "cycle: int_a -> int_b -> int_a") {
		t.Errorf("cycle: %v", err)
	}
	_, err = LoadModels(fstest.MapFS{"int_a.sql": {Data: []byte("select 1")}})
	if err == nil || !strings.Contains(err.Error(), "needs -- description") {
		t.Errorf("no header: %v", err)
	}
	_, err = LoadModels(fstest.MapFS{"int_a.sql": model("-- test: sorted(x)\nselect 1")})
	if err == nil || !strings.Contains(err.Error(), "unknown kind sorted") {
		t.Errorf("bad test: %v", err)
	}
}

func TestBuildAndDataTests(t *testing.T) {
	ctx := context.Background()
	w, _ := openTemp(t)
	asOf := time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)
	settings := Settings{AsOf: asOf}

	good := fstest.MapFS{
		"stg_t__v.sql": model("select * from (values (1, 'a', 2.0), (2, 'b', 0.5)) v(id, kind, days)"),
		"mart_v.sql": model(`-- test: unique(id)
-- test: not_null(id, kind)
-- test: accepted_values(kind: a, b)
-- test: expression(days >= 0)
-- test: relationship(id -> stg_t__v.id)
select *, (select as_of from relscope_settings) as as_of from stg_t__v`),
	}
	ms, err := LoadModels(good)
	if err != nil {
		t.Fatal(err)
	}
	res, err := w.Build(ctx, ms, settings, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Models) != 2 || res.Models[1].Rows != 2 || res.Models[1].Tests != 5 {
		t.Errorf("result %+v", res.Models)
	}
	if v, _ := w.Meta(ctx, "as_of"); v != "2025-06-30T00:00:00Z" {
		t.Errorf("as_of meta %q", v)
	}
	var seen time.Time
	w.DB.QueryRow(`select any_value(as_of) from mart_v`).Scan(&seen)
	if !seen.Equal(asOf) {
		t.Errorf("models saw as_of %v", seen)
	}

	// Every kind of test failing at once; the build is rolled back and mart_v keeps its rows.
	bad := fstest.MapFS{
		"stg_t__v.sql": model("select * from (values (1, 'a', 2.0), (1, 'z', -1.0), (null, 'b', 0.0), (9, 'b', 1.0)) v(id, kind, days)"),
		"mart_v.sql":   good["mart_v.sql"],
	}
	ms, _ = LoadModels(bad)
	_, err = w.Build(ctx, ms, Settings{AsOf: asOf.AddDate(0, 1, 0)}, nil)
	var dt *DataTestError
	if !errors.As(err, &dt) {
		t.Fatalf("want a DataTestError, got %v", err)
	}
	got := map[string]int64{}
	for _, f := range dt.Failures {
		got[f.Test] = f.Count
	}
	want := map[string]int64{"unique(id)": 1, "not_null(id, kind)": 1, "accepted_values(kind: a, b)": 1, "expression(days >= 0)": 1}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("test %s: %d failing, want %d (all: %v)", k, got[k], v, got)
		}
	}
	if !strings.Contains(err.Error(), "mart_v: unique(id) — 1 failing row(s)") || !strings.Contains(err.Error(), "id=1") {
		t.Errorf("message:\n%v", err)
	}
	var n int
	w.DB.QueryRow(`select count(*) from mart_v`).Scan(&n)
	if n != 2 {
		t.Errorf("failed build replaced mart_v: %d rows", n)
	}
	if v, _ := w.Meta(ctx, "as_of"); v != "2025-06-30T00:00:00Z" {
		t.Errorf("failed build changed as_of to %q", v)
	}
	// The row-level tests are counted in one scan with the rows; each failure still shows its
	// own rows: not_null the row with no id, accepted_values the 'z' one.
	if !strings.Contains(err.Error(), "mart_v: not_null(id, kind) — 1 failing row(s)") || !strings.Contains(err.Error(), "kind=z") {
		t.Errorf("message:\n%v", err)
	}

	// A relationship broken: 9 is no id of stg_t__w (the null id is not checked).
	broken := fstest.MapFS{
		"stg_t__v.sql": bad["stg_t__v.sql"],
		"stg_t__w.sql": model("select * from (values (1), (2)) w(id)"),
		"mart_v.sql":   model("-- test: relationship(id -> stg_t__w.id)\nselect * from stg_t__v"),
	}
	ms, _ = LoadModels(broken)
	_, err = w.Build(ctx, ms, settings, nil)
	if !errors.As(err, &dt) || len(dt.Failures) != 1 || dt.Failures[0].Count != 1 || !strings.Contains(err.Error(), "id=9") {
		t.Errorf("relationship: %v", err)
	}

	// A test that cannot run (a column the model lacks) is named in the error, though the
	// row-level tests run together.
	wrong := fstest.MapFS{
		"stg_t__v.sql": good["stg_t__v.sql"],
		"mart_v.sql":   model("-- test: not_null(id)\n-- test: expression(nosuch > 0)\nselect * from stg_t__v"),
	}
	ms, _ = LoadModels(wrong)
	_, err = w.Build(ctx, ms, settings, nil)
	if err == nil || errors.As(err, &dt) || !strings.Contains(err.Error(), "model mart_v test expression(nosuch > 0)") {
		t.Errorf("a test that cannot run: %v", err)
	}
}

// A Go model takes its place in the DAG: it runs after the SQL models it declares, inside the
// build's transaction (it sees their fresh rows and the settings), SQL models that read it run
// after it, its header documents it and its data tests run — and fail the build like any.
func TestGoModelInDAG(t *testing.T) {
	ctx := context.Background()
	w, _ := openTemp(t)
	asOf := time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)
	var order []string
	squares := func(bad bool) *Model {
		m, err := NewGoModel("mart_squares", `-- description: Each n of int_numbers with its square, computed in Go.
-- grain: one row per n
-- column: square: n × n
-- test: unique(n)
-- test: expression(square >= 0)`, []string{"int_numbers"}, func(ctx context.Context, q Querier) error {
			order = append(order, "mart_squares")
			rows, err := q.QueryContext(ctx, `select n from int_numbers order by n`)
			if err != nil {
				return err
			}
			var ns []int
			for rows.Next() {
				var n int
				rows.Scan(&n)
				ns = append(ns, n)
			}
			rows.Close()
			if _, err := q.ExecContext(ctx, `create or replace table mart_squares (n integer, square integer, as_of timestamptz)`); err != nil {
				return err
			}
			for _, n := range ns {
				sq := n * n
				if bad {
					sq = -1
				}
				if _, err := q.ExecContext(ctx, `insert into mart_squares select ?, ?, as_of from relscope_settings`, n, sq); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	fsys := fstest.MapFS{
		"int_numbers.sql":  model("select * from range(1, 4) r(n)"),
		"mart_summary.sql": model("select sum(square) as total from mart_squares"),
	}
	ms, err := LoadModels(fsys, squares(false))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, m := range ms {
		names = append(names, m.Name)
	}
	if got := strings.Join(names, " "); got != "int_numbers mart_squares mart_summary" {
		t.Fatalf("order %s", got)
	}
	res, err := w.Build(ctx, ms, Settings{AsOf: asOf}, nil)
	if err != nil {
		t.Fatal(err)
	}
	// 1 + 4 + 9 = 14; the Go model saw the build's as_of.
	var total int
	var seen time.Time
	w.DB.QueryRow(`select total from mart_summary`).Scan(&total)
	w.DB.QueryRow(`select any_value(as_of) from mart_squares`).Scan(&seen)
	if total != 14 || !seen.Equal(asOf) || res.Models[1].Rows != 3 || res.Models[1].Tests != 2 || len(order) != 1 {
		t.Errorf("total %d, as_of %v, result %+v", total, seen, res.Models)
	}
	var doc string
	w.DB.QueryRow(`select comment from duckdb_columns() where table_name = 'mart_squares' and column_name = 'square'`).Scan(&doc)
	if doc != "n × n" {
		t.Errorf("column comment %q", doc)
	}

	// A failing data test on the Go model rolls the whole build back.
	ms, _ = LoadModels(fsys, squares(true))
	_, err = w.Build(ctx, ms, Settings{AsOf: asOf}, nil)
	var dt *DataTestError
	if !errors.As(err, &dt) || !strings.Contains(err.Error(), "mart_squares: expression(square >= 0) — 3 failing row(s)") {
		t.Fatalf("want the Go model's test to fail, got %v", err)
	}
	w.DB.QueryRow(`select total from mart_summary`).Scan(&total)
	if total != 14 {
		t.Errorf("failed build replaced mart_summary: %d", total)
	}

	// An error in the Go model names it and keeps what it wraps.
	failing, _ := NewGoModel("mart_fails", "-- description: d\n-- grain: g", nil, func(context.Context, Querier) error { return context.Canceled })
	ms, _ = LoadModels(fstest.MapFS{}, failing)
	if _, err := w.Build(ctx, ms, Settings{AsOf: asOf}, nil); !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "model mart_fails") {
		t.Errorf("Go model error: %v", err)
	}
	// Declared dependencies must exist; a header may not carry SQL.
	if _, err := LoadModels(fstest.MapFS{}, squares(false)); err == nil || !strings.Contains(err.Error(), "int_numbers, which is not a model") {
		t.Errorf("missing dep: %v", err)
	}
	if _, err := NewGoModel("mart_x", "-- description: d\n-- grain: g\nselect 1", nil, nil); err == nil {
		t.Error("a Go model with SQL was accepted")
	}
}

// An intermediate model is computed once per build into a temporary table that later models
// (and its tests) read, and kept as a view of the same SQL: the warehouse file holds no copy of
// it, analysts still query it, and relscope schema shows the rows the last build gave it — not
// a recount through its SQL. A warehouse from before, holding it as a table, is converted.
func TestIntermediateModelIsATemporaryTableKeptAsAView(t *testing.T) {
	ctx := context.Background()
	w, _ := openTemp(t)
	// One connection: the build's, back in the pool, serves every read after it.
	w.DB.SetMaxOpenConns(1)
	if _, err := w.DB.Exec(`create table base as select * from (values (1), (2)) v(id);
		create table int_sq as select 0 as id, 0 as sq`); err != nil {
		t.Fatal(err)
	}
	ms, err := LoadModels(fstest.MapFS{
		"int_sq.sql": model("-- test: expression(sq = id * id)\nselect id, id * id as sq from base"),
		// sum(sq) = 1 + 4 = 5
		"mart_s.sql": model("select sum(sq) as total, count(*) as n from int_sq"),
	})
	if err != nil {
		t.Fatal(err)
	}
	if ms[0].Materialized != Temp || ms[1].Materialized != Table {
		t.Fatalf("defaults: %v %v", ms[0].Materialized, ms[1].Materialized)
	}
	res, err := w.Build(ctx, ms, Settings{AsOf: time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Models[0].Rows != 2 || res.Models[0].Tests != 1 {
		t.Errorf("int_sq result %+v", res.Models[0])
	}
	var tables, views int
	w.DB.QueryRow(`select count(*) from duckdb_tables() where table_name = 'int_sq'`).Scan(&tables)
	w.DB.QueryRow(`select count(*) from duckdb_views() where view_name = 'int_sq' and schema_name = 'main' and not temporary`).Scan(&views)
	if tables != 0 || views != 1 {
		t.Errorf("int_sq after the build: %d tables, %d views; want a view only", tables, views)
	}
	var total, n int
	w.DB.QueryRow(`select total, n from mart_s`).Scan(&total, &n)
	if total != 5 || n != 2 {
		t.Errorf("mart_s = %d over %d rows, want 5 over 2", total, n)
	}
	var comment string
	w.DB.QueryRow(`select comment from duckdb_views() where view_name = 'int_sq'`).Scan(&comment)
	if !strings.HasPrefix(comment, "test model") {
		t.Errorf("int_sq's comment %q", comment)
	}
	var kept string
	var rows int64
	w.DB.QueryRow(`select materialized, rows from relscope_models where model = 'int_sq'`).Scan(&kept, &rows)
	if kept != "temp" || rows != 2 {
		t.Errorf("relscope_models: %s %d", kept, rows)
	}

	// A row ingested after the build: the view shows it, the catalog the build's count.
	w.DB.Exec(`insert into base values (3)`)
	w.DB.QueryRow(`select count(*) from int_sq`).Scan(&n)
	docs, err := w.Catalog(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range docs {
		if d.Name == "int_sq" && (d.Rows != 2 || d.Layer != "intermediate") {
			t.Errorf("catalog: %+v, want the build's 2 rows", d)
		}
	}
	if n != 3 {
		t.Errorf("the view reads %d rows, want 3", n)
	}

	// A build whose test fails leaves no temporary table behind either.
	w.DB.Exec(`insert into base values (-1)`)
	ms[0].SQL = "select id, case when id < 0 then 0 else id * id end as sq from base"
	if _, err := w.Build(ctx, ms, Settings{AsOf: time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)}, nil); err == nil {
		t.Fatal("a failing test passed")
	}
	w.DB.QueryRow(`select count(*) from duckdb_tables() where temporary`).Scan(&tables)
	w.DB.QueryRow(`select total from mart_s`).Scan(&total)
	if tables != 0 || total != 5 {
		t.Errorf("after a failed build: %d temporary tables, mart_s total %d (want 0, 5)", tables, total)
	}
}

// The build computes the settings and the staging and intermediate models that read no mart
// before its transaction, as temporary objects of its own connection; the marts, and an
// intermediate reading one, in the transaction. Afterwards the warehouse holds the settings
// themselves (not empty tables shadowed by temporary ones), the macros, every model's stored
// form, and no connection of the pool sees a temporary object — after a build that failed in
// either phase too, when the warehouse is as the last good build left it.
func TestBuildPhases(t *testing.T) {
	ctx := context.Background()
	w, _ := openTemp(t)
	w.DB.SetMaxOpenConns(1) // every read after a build on the one connection the pool keeps
	if _, err := w.DB.Exec(`create table base as select * from (values (1, 'Old Team'), (2, 'b')) v(id, team)`); err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	cfg.TeamAliases = map[string]string{"old team": "Platform"}
	s := Settings{AsOf: time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC), Config: cfg}
	load := func(sqTest string) []*Model {
		ms, err := LoadModels(fstest.MapFS{
			"stg_b__base.sql": model("select id, team from base"),
			// reads a settings macro and table before the transaction
			"int_sq.sql": model("-- test: " + sqTest + "\nselect id, id * id as sq, relscope_team(team) as team, (select as_of from relscope_settings) as as_of from stg_b__base"),
			// 1 + 4 = 5 over 2 rows
			"mart_s.sql": model("select sum(sq) as total, count(*) as n from int_sq"),
			// reads a mart: in the transaction
			"int_after.sql": model("select total * 2 as twice from mart_s"),
			"mart_t.sql":    model("select twice from int_after"),
		})
		if err != nil {
			t.Fatal(err)
		}
		return ms
	}
	ms := load("expression(sq = id * id)")
	res, err := w.Build(ctx, ms, s, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i, m := range ms {
		if res.Models[i].Name != m.Name {
			t.Fatalf("result %d is %s, model %s", i, res.Models[i].Name, m.Name)
		}
	}
	noTemp := func(when string) {
		t.Helper()
		var n int
		if err := w.DB.QueryRow(`select (select count(*) from duckdb_tables() where database_name = 'temp') + (select count(*) from duckdb_views() where database_name = 'temp')
			+ (select count(*) from duckdb_functions() where database_name = 'temp' and function_type = 'macro')`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Errorf("%s: the pool's connection sees %d temporary objects", when, n)
		}
	}
	noTemp("after the build")
	var team, alias string
	var twice int
	w.DB.QueryRow(`select string_agg(team, ',' order by id) from int_sq`).Scan(&team)
	w.DB.QueryRow(`select relscope_team('OLD TEAM'), (select twice from mart_t)`).Scan(&alias, &twice)
	var aliases int
	w.DB.QueryRow(`select count(*) from relscope_team_aliases`).Scan(&aliases)
	if team != "Platform,b" || alias != "Platform" || twice != 10 || aliases != 1 {
		t.Errorf("after the build: int_sq teams %q, relscope_team %q, mart_t %d (want 2 × 5), %d aliases stored", team, alias, twice, aliases)
	}

	// A data test failing before the transaction, then a model failing in it: the warehouse
	// keeps the last build's marts, and no temporary object outlives either build.
	if _, err := w.Build(ctx, load("expression(sq < 0)"), s, nil); !errors.As(err, new(*DataTestError)) {
		t.Errorf("a failing early test: %v", err)
	}
	noTemp("after a failing test")
	bad := load("expression(sq = id * id)")
	for _, m := range bad {
		if m.Name == "mart_t" {
			m.SQL = "select twice from int_after where no_such_column"
		}
	}
	if _, err := w.Build(ctx, bad, s, nil); err == nil {
		t.Error("a failing mart built")
	}
	noTemp("after a failing model")
	w.DB.QueryRow(`select twice from mart_t`).Scan(&twice)
	if twice != 10 {
		t.Errorf("mart_t after failed builds: %d", twice)
	}
}

// The settings the models read are written into the build's scratch database: a statement
// creating anything the rewrite does not recognise is refused rather than run against the
// warehouse itself.
func TestScratchSettingsFailClosed(t *testing.T) {
	ts := &scratchSettings{schema: `"relscope_build_1".main`}
	q, err := ts.scratch("create or replace table relscope_x (a int);\ncreate or replace macro relscope_m(a_) as a_ + 1")
	if err != nil || !strings.Contains(q, `create or replace table "relscope_build_1".main.relscope_x`) || !strings.Contains(q, `create or replace macro "relscope_build_1".main.relscope_m`) {
		t.Errorf("rewrite: %q, %v", q, err)
	}
	for _, bad := range []string{"create table relscope_y (a int)", "create or replace view relscope_v as select 1", "CREATE  OR REPLACE TABLE relscope_z (a int)"} {
		if _, err := ts.scratch(bad); err == nil {
			t.Errorf("%q was accepted", bad)
		}
	}
	// created_at is not a create statement.
	if _, err := ts.scratch("insert into relscope_x select created_at from t"); err != nil {
		t.Error(err)
	}
	// Nor is a string literal's text (a release-note field's name quoted into a macro), which
	// stays as it is.
	lit := `contains(a_, 'Create note') or contains(a_, 'it''s create or replace table relscope_q')`
	q, err = ts.scratch("create or replace macro relscope_m2(a_) as " + lit)
	if err != nil || q != `create or replace macro "relscope_build_1".main.relscope_m2(a_) as `+lit {
		t.Errorf("with literals: %q, %v", q, err)
	}
	if _, err := ts.scratch("create table relscope_y as select 'create or replace table relscope_z' as a"); err == nil {
		t.Error("a create hidden behind a literal was accepted")
	}
}

// relscope_release_note finds each configured field under every key an export gives it, in
// order, whatever the field's name holds: a quote (the macro's literals are escaped; the record
// is parsed since a JSON encoder may escape it), "/" (which an encoder may write \/) and "~"
// (escaped in the JSON pointer),
// "<" (Go's encoder writes \u003c), non-ASCII text. A blank or non-text value is passed over.
func TestReleaseNoteMacro(t *testing.T) {
	ctx := context.Background()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, c := range []struct {
		fields []string
		raw    any
		want   any
	}{
		{[]string{"Release note"}, `{"Release note": " Pay by bank "}`, "Pay by bank"},
		{[]string{"Release note"}, `{"release_note": "native"}`, "native"},
		{[]string{"Release note"}, `{"Custom field (Release note)": "jira csv"}`, "jira csv"},
		{[]string{"customfield_10050"}, `{"fields": {"customfield_10050": "jira json"}}`, "jira json"},
		// the first field holding text wins; blank, number and object values do not count
		{[]string{"A", "B"}, `{"A": "  ", "B": "second"}`, "second"},
		{[]string{"A", "B"}, `{"A": 42, "fields": {"B": {"x": 1}}, "b": "lower"}`, "lower"},
		// both hold text: the first configured field wins, whatever the record's key order;
		// of one field's keys, the key as written beats Custom field (NAME)
		{[]string{"A", "B"}, `{"B": "b", "A": "a"}`, "a"},
		{[]string{"X"}, `{"Custom field (X)": "jira csv", "X": "as written"}`, "as written"},
		{[]string{"X"}, `{"fields": {"X": "jira json"}, "Custom field (X)": "jira csv"}`, "jira csv"},
		{[]string{"It's \"new\""}, `{"It's \"new\"": "quoted"}`, "quoted"},
		{[]string{"a/b~c"}, `{"a/b~c": "pointer"}`, "pointer"},
		{[]string{"CI/CD note"}, `{"CI\/CD note": "slash escaped"}`, "slash escaped"},
		{[]string{"Note <b>"}, `{"Note \u003cb\u003e": "escaped"}`, "escaped"},
		{[]string{"Résumé"}, `{"R\u00e9sum\u00e9": "unicode"}`, "unicode"},
		{[]string{"Release note"}, `{"Summary": "none"}`, nil},
		{nil, `{"Release note": "no fields configured"}`, nil},
		{[]string{"Release note"}, nil, nil},
	} {
		if _, err := db.ExecContext(ctx, releaseNoteMacro(c.fields)); err != nil {
			t.Fatalf("%q: %v", c.fields, err)
		}
		var got any
		if err := db.QueryRowContext(ctx, "select relscope_release_note(?)", c.raw).Scan(&got); err != nil {
			t.Fatalf("%q on %s: %v", c.fields, c.raw, err)
		}
		if got != c.want {
			t.Errorf("%q on %s: %v, want %v", c.fields, c.raw, got, c.want)
		}
	}
}

// A build that reaches its commit commits, even if it is interrupted then: DuckDB checkpoints
// as it commits, and an interrupt during that fails the statement though the transaction is
// committed, which would report (exit 1) a build whose marts are the new ones. Here the
// interrupt comes just before the commit statement.
func TestBuildCommitsOnceWritten(t *testing.T) {
	w, _ := openTemp(t)
	ms, err := LoadModels(fstest.MapFS{"mart_one.sql": model("select 42 as answer")})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	beforeCommit = cancel
	defer func() { beforeCommit = nil }()
	if _, err := w.Build(ctx, ms, Settings{AsOf: time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)}, nil); err != nil {
		t.Fatalf("interrupted at the commit: %v", err)
	}
	var answer int
	if err := w.DB.QueryRow(`select answer from mart_one`).Scan(&answer); err != nil || answer != 42 {
		t.Errorf("mart_one: %d, %v", answer, err)
	}
}

// With Settings.Profile, each SQL model's table is profiled into the folder: one JSON profile
// per model (an intermediate model's temporary table, a mart), its plan holding the operators;
// a view, which computes nothing until read, has none; the models are built as without it.
func TestBuildProfile(t *testing.T) {
	ctx := context.Background()
	w, _ := openTemp(t)
	dir := t.TempDir()
	fsys := fstest.MapFS{
		"stg_t__v.sql":   model("select * from (values (1, 'a'), (2, 'b'), (3, 'b')) v(id, kind)"),
		"int_kinds.sql":  model("select kind, count(*) as n from stg_t__v group by kind"),
		"mart_kinds.sql": model("-- test: unique(kind)\nselect * from int_kinds"),
	}
	ms, err := LoadModels(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Build(ctx, ms, Settings{AsOf: time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC), Profile: dir}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "stg_t__v.json")); !os.IsNotExist(err) {
		t.Errorf("a view was profiled (%v): it computes nothing until read", err)
	}
	for _, name := range []string{"int_kinds", "mart_kinds"} {
		data, err := os.ReadFile(filepath.Join(dir, name+".json"))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var prof struct {
			Latency  *float64        `json:"latency"`
			Children json.RawMessage `json:"children"`
		}
		if err := json.Unmarshal(data, &prof); err != nil || prof.Latency == nil || len(prof.Children) == 0 {
			t.Errorf("%s: not a profile (%v): %.200s", name, err, data)
		}
	}
	// The group by's operator and its 2 rows are in the intermediate model's plan.
	data, _ := os.ReadFile(filepath.Join(dir, "int_kinds.json"))
	if !strings.Contains(string(data), "HASH_GROUP_BY") && !strings.Contains(string(data), "PERFECT_HASH_GROUP_BY") {
		t.Errorf("int_kinds profile holds no group by: %.400s", data)
	}
	var n int
	w.DB.QueryRow(`select sum(n) from mart_kinds`).Scan(&n)
	if n != 3 {
		t.Errorf("profiled build: mart_kinds sums to %d, want 3", n)
	}
}
