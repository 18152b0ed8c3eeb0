package queries

import (
	"bytes"
	"context"
	"io"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestSplitter(t *testing.T) {
	var s splitter
	var got []string
	for _, line := range []string{
		"select 1;",
		"select ';' as a,",
		"  'it''s; fine' as b -- a comment; not the end",
		";",
		"select \"odd;name\" from t; select /* ; */ 2",
		";  -- trailing comment",
		"-- only a comment;",
	} {
		got = append(got, s.add(line+"\n")...)
	}
	want := []string{
		"select 1",
		"select ';' as a,\n  'it''s; fine' as b -- a comment; not the end",
		"select \"odd;name\" from t",
		"select /* ; */ 2",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("statements:\n%q\nwant\n%q", got, want)
	}
	if s.pending() {
		t.Errorf("pending after complete input: %q", s.buf.String())
	}
	s.add("select 3")
	if !s.pending() || !strings.HasSuffix(s.rest(), "select 3") {
		t.Error("unterminated statement not kept")
	}
}

// scripted is a LineReader that replays lines; "^C" stands for Ctrl-C at the prompt.
type scripted struct {
	lines   []string
	history []string
}

func (s *scripted) Prompt(string) (string, error) {
	if len(s.lines) == 0 {
		return "", io.EOF
	}
	l := s.lines[0]
	s.lines = s.lines[1:]
	if l == "^C" {
		return "", ErrAborted
	}
	return l, nil
}

func (s *scripted) AppendHistory(l string) { s.history = append(s.history, l) }

func TestREPL(t *testing.T) {
	w := orgWarehouse(t)
	in := &scripted{lines: []string{
		"select team, count(*) as n",
		"from mart_cycle_time group by all;",
		"select 'abandoned",
		"^C",
		".mode csv",
		"select item_key from mart_aging_wip;",
		".mode xml",
		".schema mart_aging_wip",
		".run teams_by_change_failure_rate months=1",
		"select * from nope;",
		".frobnicate",
		"select 7 as last",
	}}
	var out, errs bytes.Buffer
	r := &REPL{W: w, In: in, Out: &out, Err: &errs}
	failed := r.Run()
	o := out.String()
	for _, want := range []string{
		"│ PAY  │ 5 │",      // multi-line statement, table mode
		"item_key\nPAY-4\n", // after .mode csv
		"mart_aging_wip (mart, 1 rows)",
		`age_days,DOUBLE,"as_of − committed_at, fractional days"`,
		"PAY,5,4,0.8,2.3,low",
		"last\n7\n", // a last statement without ";" still runs at the end of input
	} {
		if !strings.Contains(o, want) {
			t.Errorf("output lacks %q:\n%s", want, o)
		}
	}
	if strings.Contains(o, "abandoned") {
		t.Error("Ctrl-C at the prompt did not discard the statement being typed")
	}
	e := errs.String()
	for _, want := range []string{".mode xml: want table", "Did you mean", "unknown command .frobnicate"} {
		if !strings.Contains(e, want) {
			t.Errorf("errors lack %q:\n%s", want, e)
		}
	}
	if failed != 3 {
		t.Errorf("%d failures, want 3 (.mode xml, nope, .frobnicate)", failed)
	}
	if len(in.history) == 0 || !strings.HasPrefix(in.history[0], "select team, count(*) as n") {
		t.Errorf("history %q", in.history)
	}
}

// Ctrl-C during a statement cancels it (the caller cancels the statement's context); the
// session goes on with the next one.
func TestREPLCancel(t *testing.T) {
	w := orgWarehouse(t)
	in := &scripted{lines: []string{"select count(*) from range(100000000000) a, range(10) b;", "select 1 as after;"}}
	var out, errs bytes.Buffer
	r := &REPL{W: w, In: in, Out: &out, Err: &errs, Mode: "csv"}
	r.RunContext = func() (context.Context, func()) {
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(300*time.Millisecond, cancel) // the user presses Ctrl-C
		return ctx, cancel
	}
	start := time.Now()
	r.Run()
	if time.Since(start) > 20*time.Second {
		t.Errorf("cancel took %s", time.Since(start))
	}
	if !strings.Contains(errs.String(), "cancelled") || !strings.Contains(out.String(), "after\n1\n") {
		t.Errorf("out %q err %q", out.String(), errs.String())
	}
}

func TestStatements(t *testing.T) {
	for in, want := range map[string]int{
		"select 1":                       1,
		"select 1;":                      1,
		"select 1; select 2":             2,
		"select ';' as x; -- a; comment": 1,
		"-- only a comment\n":            0,
		"select 1;\n/* ; */ select 2;":   2,
	} {
		if got := len(Statements(in)); got != want {
			t.Errorf("Statements(%q) = %d, want %d", in, got, want)
		}
	}
}
