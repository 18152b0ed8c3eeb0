package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"
)

// runDAG calls build for a model only once every model it reads has been built, never two at
// once on one connection, and as many at once as there are connections.
func TestRunDAGOrder(t *testing.T) {
	// a ← b, c; b ← d; c ← d, e; e alone: d waits for b and c, which wait for a.
	ms := []*Model{
		{Name: "a"}, {Name: "e"},
		{Name: "b", Deps: []string{"a"}}, {Name: "c", Deps: []string{"a", "e"}},
		{Name: "d", Deps: []string{"b", "c"}},
	}
	conns := make([]*sql.Conn, 3) // runDAG only hands them out
	for round := 0; round < 20; round++ {
		var mu sync.Mutex
		done := map[string]bool{}
		running, most := 0, 0
		err := runDAG(context.Background(), ms, conns, func(ctx context.Context, _ *sql.Conn, i int, _ bool) error {
			mu.Lock()
			for _, d := range ms[i].Deps {
				if !done[d] {
					t.Errorf("%s began before %s was built", ms[i].Name, d)
				}
			}
			running++
			most = max(most, running)
			mu.Unlock()
			time.Sleep(time.Duration(rand.Intn(3)) * time.Millisecond)
			mu.Lock()
			running--
			done[ms[i].Name] = true
			mu.Unlock()
			return nil
		})
		if err != nil || len(done) != len(ms) {
			t.Fatalf("round %d: %v, built %v", round, err, done)
		}
		if most > len(conns) {
			t.Fatalf("%d models at once on %d connections", most, len(conns))
		}
	}
}

// The first error stops the run: no model that reads the failed one is built, the models
// running alongside see their context cancelled, and that error is returned.
func TestRunDAGError(t *testing.T) {
	ms := []*Model{{Name: "a"}, {Name: "slow"}, {Name: "b", Deps: []string{"a"}}}
	boom := errors.New("boom")
	var mu sync.Mutex
	built := map[string]bool{}
	err := runDAG(context.Background(), ms, make([]*sql.Conn, 2), func(ctx context.Context, _ *sql.Conn, i int, _ bool) error {
		switch ms[i].Name {
		case "a":
			return boom
		case "slow":
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(5 * time.Second):
				return fmt.Errorf("slow was not cancelled")
			}
		}
		mu.Lock()
		built[ms[i].Name] = true
		mu.Unlock()
		return nil
	})
	if !errors.Is(err, boom) {
		t.Errorf("runDAG returned %v, want boom", err)
	}
	if built["b"] {
		t.Error("b, which reads the failed a, was built")
	}
}

// A build writes its marts into one mart schema and the next build into the other, then
// points the marts' views in main at them and drops the old; a failing build leaves the last
// good one's marts and no schema of its own; a killed build's leftovers go at the next build;
// and afterwards no scratch database stays attached, the pool's connection keeps its search
// path, and DuckDB's threads and compression are as they were.
func TestBuildMartSchemas(t *testing.T) {
	ctx := context.Background()
	w, _ := openTemp(t)
	w.DB.SetMaxOpenConns(1) // one model at a time, on the build's own connection
	if _, err := w.DB.Exec(`create table base as select * from (values (1), (2)) v(id);
		create table mart_s as select 0 as total`); err != nil { // a mart as builds kept them before
		t.Fatal(err)
	}
	if _, err := w.DB.Exec(`set threads = 3; set disabled_compression_methods = 'chimp'`); err != nil {
		t.Fatal(err)
	}
	var disabledBefore string
	if err := w.DB.QueryRow(`select current_setting('disabled_compression_methods')`).Scan(&disabledBefore); err != nil {
		t.Fatal(err)
	}
	load := func(martTest string) []*Model {
		ms, err := LoadModels(fstest.MapFS{
			"int_sq.sql": model("select id, id * id as sq from base"),
			// 1 + 4 = 5
			"mart_s.sql": model("-- test: " + martTest + "\nselect sum(sq) as total from int_sq"),
			"mart_t.sql": model("select total * 2 as twice from mart_s"),
		})
		if err != nil {
			t.Fatal(err)
		}
		return ms
	}
	s := Settings{AsOf: time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)}
	query := func(q string, dst ...any) {
		t.Helper()
		if err := w.DB.QueryRow(q).Scan(dst...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	check := func(when, schema string, twice int) {
		t.Helper()
		var meta, viewSQL, path, threads, disabled string
		var got, tables, schemas, scratch int
		query(`select value from relscope_meta where key = 'mart_schema'`, &meta)
		query(`select twice from mart_t`, &got)
		query(`select sql from duckdb_views() where view_name = 'mart_s' and schema_name = 'main'`, &viewSQL)
		query(`select count(*) from duckdb_tables() where schema_name = 'main' and table_name like 'mart_%'`, &tables)
		query(`select count(*) from duckdb_schemas() where schema_name like 'relscope_marts_%'`, &schemas)
		query(`select count(*) from duckdb_databases() where database_name like 'relscope_build_%'`, &scratch)
		query(`select current_setting('search_path'), current_setting('threads')::varchar, current_setting('disabled_compression_methods')`, &path, &threads, &disabled)
		if meta != schema || got != twice || tables != 0 || schemas != 1 || scratch != 0 {
			t.Errorf("%s: mart schema %q (want %s), mart_t %d (want %d), %d mart tables in main, %d mart schemas, %d scratch databases",
				when, meta, schema, got, twice, tables, schemas, scratch)
		}
		if want := "SELECT * FROM " + schema + ".mart_s;"; viewSQL != "CREATE VIEW mart_s AS "+want {
			t.Errorf("%s: mart_s is %q", when, viewSQL)
		}
		if path != "" || threads != "3" || disabled != disabledBefore || disabled == "" {
			t.Errorf("%s: search path %q, threads %s, disabled compression %q", when, path, threads, disabled)
		}
	}
	if _, err := w.Build(ctx, load("expression(total > 0)"), s, nil); err != nil {
		t.Fatal(err)
	}
	check("first build", "relscope_marts_a", 10)
	if _, err := w.DB.Exec(`insert into base values (3)`); err != nil {
		t.Fatal(err)
	}
	// 1 + 4 + 9 = 14
	if _, err := w.Build(ctx, load("expression(total > 0)"), s, nil); err != nil {
		t.Fatal(err)
	}
	check("second build", "relscope_marts_b", 28)

	// A failing data test, then a failing model: the second build's marts stay.
	if _, err := w.Build(ctx, load("expression(total < 0)"), s, nil); !errors.As(err, new(*DataTestError)) {
		t.Fatalf("a failing test: %v", err)
	}
	check("after a failing test", "relscope_marts_b", 28)
	bad := load("expression(total > 0)")
	bad[len(bad)-1].SQL = "select no_such_column from mart_s"
	if _, err := w.Build(ctx, bad, s, nil); err == nil {
		t.Fatal("a failing model built")
	}
	check("after a failing model", "relscope_marts_b", 28)

	// What a killed build left in the schema it was writing.
	if _, err := w.DB.Exec(`create schema relscope_marts_a; create table relscope_marts_a.mart_s as select 99 as total`); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Build(ctx, load("expression(total > 0)"), s, nil); err != nil {
		t.Fatal(err)
	}
	check("after a killed build's leftovers", "relscope_marts_a", 28)

	// A mart no longer built goes with its view (which would read a dropped schema).
	ms := load("expression(total > 0)")
	ms = ms[:len(ms)-1] // mart_t
	if _, err := w.Build(ctx, ms, s, nil); err != nil {
		t.Fatal(err)
	}
	var left int
	query(`select count(*) from duckdb_views() where view_name = 'mart_t'`, &left)
	if left != 0 {
		t.Error("mart_t, no longer a model, is still a view")
	}
	if _, err := w.Catalog(ctx); err != nil {
		t.Errorf("the catalog after a mart was removed: %v", err)
	}
}

// A panic in a model — computed on a goroutine of the build's — is the build's error, not the
// process's end, and the warehouse keeps the last build's marts.
func TestBuildModelPanics(t *testing.T) {
	ctx := context.Background()
	w, _ := openTemp(t)
	ok := true
	gm, err := NewGoModel("mart_go", "-- description: a Go model\n-- grain: row", nil, func(ctx context.Context, q Querier) error {
		if !ok {
			panic("the model's bug")
		}
		_, err := q.ExecContext(ctx, "create or replace table mart_go as select 1 as one")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	ms, err := LoadModels(fstest.MapFS{"mart_s.sql": model("select 2 as two")}, gm)
	if err != nil {
		t.Fatal(err)
	}
	s := Settings{AsOf: time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC), Concurrency: 2}
	if _, err := w.Build(ctx, ms, s, nil); err != nil {
		t.Fatal(err)
	}
	ok = false
	_, err = w.Build(ctx, ms, s, nil)
	if err == nil || !strings.Contains(err.Error(), "panic: the model's bug") {
		t.Fatalf("a panicking model: %v", err)
	}
	var one int
	if err := w.DB.QueryRow(`select one from mart_go`).Scan(&one); err != nil || one != 1 {
		t.Errorf("mart_go after the failed build: %d, %v", one, err)
	}
}

// The models a model's data tests read are among what it waits for: the build runs its tests
// as soon as it is built.
func TestTestReadsAreDependencies(t *testing.T) {
	ms, err := LoadModels(fstest.MapFS{
		"mart_a.sql": model("-- test: relationship(id -> mart_b.id)\nselect 1 as id"),
		"mart_b.sql": model("select 1 as id"),
	})
	if err != nil {
		t.Fatal(err)
	}
	if ms[0].Name != "mart_b" || strings.Join(ms[1].Deps, ",") != "mart_b" {
		t.Errorf("order %s, %s; mart_a reads %v", ms[0].Name, ms[1].Name, ms[1].Deps)
	}
}

// Two models at a time build what one at a time builds, row for row.
func TestBuildConcurrencySameMarts(t *testing.T) {
	ctx := context.Background()
	fsys := fstest.MapFS{
		"stg_x__base.sql": model("select range as id, range % 7 as g from range(20000)"),
		"int_a.sql":       model("select g, count(*) as n, sum(id) as s from stg_x__base group by g"),
		"int_b.sql":       model("select id, g, id * 2 as twice from stg_x__base where id % 3 = 0"),
		"mart_a.sql":      model("select a.g, a.n, a.s, count(b.id) as b_rows from int_a a left join int_b b using (g) group by all"),
		"mart_b.sql":      model("select g, sum(twice) as t from int_b group by g"),
		"mart_c.sql":      model("select a.g, a.s + b.t as both from mart_a a join mart_b b using (g)"),
	}
	ms, err := LoadModels(fsys)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, n := range []int{1, 2, 3} {
		w, _ := openTemp(t)
		res, err := w.Build(ctx, ms, Settings{AsOf: time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC), Concurrency: n}, nil)
		if err != nil {
			t.Fatal(err)
		}
		var sum string
		if err := w.DB.QueryRow(`select (select sum(hash(a))::varchar from mart_a a) || (select sum(hash(b))::varchar from mart_b b) || (select sum(hash(c))::varchar from mart_c c)`).Scan(&sum); err != nil {
			t.Fatal(err)
		}
		got = append(got, sum)
		for i, m := range ms {
			if res.Models[i].Name != m.Name || m.Name == "mart_c" && res.Models[i].Rows != 7 {
				t.Errorf("concurrency %d: result %d %+v", n, i, res.Models[i])
			}
		}
	}
	// DuckDB's settings as they were: FSST back on (none disabled), the threads the machine's.
	w, _ := openTemp(t)
	var disabled string
	var threads int
	w.DB.QueryRow(`select current_setting('threads')`).Scan(&threads)
	if _, err := w.Build(ctx, ms, Settings{AsOf: time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)}, nil); err != nil {
		t.Fatal(err)
	}
	var after int
	if err := w.DB.QueryRow(`select current_setting('disabled_compression_methods'), current_setting('threads')`).Scan(&disabled, &after); err != nil || disabled != "" || after != threads {
		t.Errorf("after a build: disabled compression %q, threads %d (were %d), %v", disabled, after, threads, err)
	}
	if got[0] != got[1] || got[1] != got[2] {
		t.Errorf("the marts differ with the concurrency: %v", got)
	}
}
