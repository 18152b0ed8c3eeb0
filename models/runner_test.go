package models

import (
	"context"
	"errors"
	"strings"
	"testing"
	"testing/fstest"
	"time"
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
}
