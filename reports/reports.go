// Package reports turns the warehouse into documents and documents into files. A document
// spec (dashboard.go, workbook.go, monthly.go, brief.go, releaselog.go) fills a
// document.Document from named queries only — never from tables or SQL of its own — and a
// renderer of reports/{html,xlsx,pdf,releaselog} draws it. Outputs lists every output by the
// name the command line and jobs files use.
package reports

import (
	"context"
	"database/sql"
	"fmt"
	"math/big"
	"sort"
	"strings"
	"time"

	"github.com/relscope/relscope/models"
	"github.com/relscope/relscope/queries"
	"github.com/relscope/relscope/reports/document"
	"github.com/relscope/relscope/reports/html"
	"github.com/relscope/relscope/reports/pdf"
	"github.com/relscope/relscope/reports/xlsx"
)

// Scope is what a document covers: --team, --period, and for a brief the release.
type Scope struct {
	// Team is "" for every team.
	Team string
	// Period is the --period value as given; "" means the output's default.
	Period string
	// Release is the release a brief is about.
	Release string
	// Version is relscope's version string, printed in every output.
	Version string

	// AsOf and Span are filled by Render before Build runs: the warehouse's as_of, and the
	// period the document covers — Period resolved against AsOf, or the output's default.
	AsOf time.Time
	Span document.Period
}

// TeamPattern is the $team parameter of the named queries: the team's exact name, or % for
// every team (queries match it exactly, never as a LIKE pattern).
func (s Scope) TeamPattern() string {
	if s.Team == "" {
		return "%"
	}
	return s.Team
}

// PeriodParams are the $start and $end parameters of the named queries that take a period
// (RFC 3339, UTC; the period is [start, end)).
func (s Scope) PeriodParams() (start, end string) {
	return s.Span.Start.UTC().Format(time.RFC3339), s.Span.End.UTC().Format(time.RFC3339)
}

// Output is one output a user can ask for: how to build its document and how to draw it.
type Output struct {
	// Name is how `relscope report NAME`, `brief`, `publish` and jobs files name it.
	Name     string
	Describe string
	// DefaultOut is the file or folder written when --out is not given, and the name demo
	// and jobs use inside their output folder ("dashboard.html", "site").
	DefaultOut string
	// Command is the command that renders it when that is not `relscope report NAME`
	// ("brief", "publish"); "" for the report formats.
	Command string
	// DefaultPeriod is the period covered when --period is not given; nil means the last six
	// months (DESIGN §7: the last full month for pdf, the last 6 months for html and xlsx).
	DefaultPeriod func(asOf time.Time) document.Period
	// Build fills the document from the warehouse through src. Render has filled scope.AsOf
	// and scope.Span, and fills the document's Meta (and Coverage, when Build leaves it nil).
	Build func(ctx context.Context, src *Source, scope Scope) (*document.Document, error)
	// Renderer draws the document.
	Renderer document.Renderer
}

// Outputs lists every output, in the order help shows them. Adding an output format is one
// package under reports/ and one entry here.
func Outputs() []Output {
	return []Output{
		{Name: "html", Describe: "the delivery dashboard: one self-contained HTML file, no network", DefaultOut: "dashboard.html",
			Build: Dashboard, Renderer: html.Renderer{}},
		{Name: "xlsx", Describe: "the workbook for finance and the PMO: a summary with charts, then a sheet per mart family (Excel)", DefaultOut: "workbook.xlsx",
			Build: Workbook, Renderer: xlsx.Renderer{}},
		{Name: "pdf", Describe: "the monthly delivery report (PDF)", DefaultOut: "monthly.pdf", DefaultPeriod: document.LastFullMonth,
			Build: Monthly, Renderer: pdf.Renderer{}},
		{Name: "brief", Describe: "the two-page PDF release brief", DefaultOut: "brief.pdf", Command: "brief",
			Build: Brief, Renderer: pdf.Renderer{}},
		releaseLogOutput(),
	}
}

// Find returns the output called name; an unknown name's error suggests the closest.
func Find(name string) (Output, error) {
	var names []string
	for _, o := range Outputs() {
		if o.Name == name {
			return o, nil
		}
		names = append(names, o.Name)
	}
	if len(names) == 0 {
		return Output{}, fmt.Errorf("no output %q (this version has none yet)", name)
	}
	if s := models.Closest(name, names); s != "" {
		return Output{}, fmt.Errorf("no output %q; did you mean %q? (outputs: %s)", name, s, strings.Join(names, ", "))
	}
	return Output{}, fmt.Errorf("no output %q (outputs: %s)", name, strings.Join(names, ", "))
}

// Source runs named queries for document specs and records which ones a document used.
type Source struct {
	DB   *sql.DB
	used []document.QueryRef
	// done keeps each result by query and parameters: a document that asks the same question
	// twice (the monthly report's tiles and its trend lines) gets the same answer, run once.
	// Callers must not change a result's rows.
	done map[string]*queries.Result
}

// NewSource reads the warehouse db (opened read-only by the caller).
func NewSource(db *sql.DB) *Source { return &Source{DB: db} }

// Used lists the named queries run so far, in order, for document.Meta.Queries.
func (s *Source) Used() []document.QueryRef { return s.used }

// Query runs the named query with params (declared defaults fill the rest).
func (s *Source) Query(ctx context.Context, name string, params map[string]string) (*queries.Result, document.QueryRef, error) {
	q, err := queries.Find(name)
	if err != nil {
		return nil, document.QueryRef{}, err
	}
	resolved, err := q.Resolve(params)
	if err != nil {
		return nil, document.QueryRef{}, err
	}
	ref := document.QueryRef{Name: name, Params: resolved}
	key := queryKey(name, resolved)
	if res, ok := s.done[key]; ok {
		s.used = append(s.used, ref)
		return res, ref, nil
	}
	res, err := queries.Exec(ctx, s.DB, q.SQL, resolved)
	if err != nil {
		return nil, ref, fmt.Errorf("@%s: %w", name, models.CleanError(err))
	}
	if s.done == nil {
		s.done = map[string]*queries.Result{}
	}
	s.done[key] = res
	s.used = append(s.used, ref)
	return res, ref, nil
}

// queryKey identifies a query run: its name and its parameters in name order.
func queryKey(name string, params map[string]string) string {
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString(name)
	for _, k := range keys {
		b.WriteString("\x00" + k + "=" + params[k])
	}
	return b.String()
}

// Table runs the named query and returns its rows as a document table of cols: each column is
// looked up by Name in the result (a missing one is an error, so a spec and its query cannot
// drift apart unnoticed) and each value converted to the Go type of its ValueType.
func (s *Source) Table(ctx context.Context, name string, params map[string]string, cols []document.Column) (*document.Table, error) {
	res, ref, err := s.Query(ctx, name, params)
	if err != nil {
		return nil, err
	}
	idx, err := columnIndex(name, res.Columns, cols)
	if err != nil {
		return nil, err
	}
	t := &document.Table{Columns: cols, Source: ref, Rows: make([][]any, 0, len(res.Rows))}
	for _, r := range res.Rows {
		row, err := convertRow(name, r, idx, cols)
		if err != nil {
			return nil, err
		}
		t.Rows = append(t.Rows, row)
	}
	return t, nil
}

// Stream is Table for the big detail tables (a workbook's sheets): the returned table holds no
// rows but a Stream that runs the query when the renderer draws it and hands over each row as
// it arrives, so that no more than one row is held on the Go side however many there are. Its
// Total is counted now, so that a renderer that must cut the table (Excel's row limit) can say
// so before its first row; the columns are checked now too.
func (s *Source) Stream(ctx context.Context, name string, params map[string]string, cols []document.Column) (*document.Table, error) {
	q, err := queries.Find(name)
	if err != nil {
		return nil, err
	}
	resolved, err := q.Resolve(params)
	if err != nil {
		return nil, err
	}
	ref := document.QueryRef{Name: name, Params: resolved}
	var names []string
	err = queries.Each(ctx, s.DB, "select * from (\n"+strings.TrimRight(strings.TrimSpace(q.SQL), ";")+"\n) limit 0", resolved,
		func(n, _ []string) error { names = n; return nil }, func([]any) error { return nil })
	if err != nil {
		return nil, fmt.Errorf("@%s: %w", name, models.CleanError(err))
	}
	if _, err := columnIndex(name, names, cols); err != nil {
		return nil, err
	}
	total, err := queries.Count(ctx, s.DB, q.SQL, resolved)
	if err != nil {
		return nil, fmt.Errorf("@%s: %w", name, models.CleanError(err))
	}
	s.used = append(s.used, ref)
	t := &document.Table{Columns: cols, Source: ref, Total: total}
	t.Stream = func(ctx context.Context, yield func(row []any) error) error {
		var idx []int
		var stopped error // yield's own error, passed on as it is
		err := queries.Each(ctx, s.DB, q.SQL, resolved, func(names, _ []string) error {
			var err error
			idx, err = columnIndex(name, names, cols)
			return err
		}, func(r []any) error {
			row, err := convertRow(name, r, idx, cols)
			if err != nil {
				return err
			}
			stopped = yield(row)
			return stopped
		})
		if stopped != nil {
			return stopped
		}
		if err != nil {
			return fmt.Errorf("@%s: %w", name, models.CleanError(err))
		}
		return nil
	}
	return t, nil
}

// columnIndex finds each of cols in a query's result columns.
func columnIndex(name string, result []string, cols []document.Column) ([]int, error) {
	idx := make([]int, len(cols))
	for i, c := range cols {
		idx[i] = -1
		for j, rc := range result {
			if rc == c.Name {
				idx[i] = j
			}
		}
		if idx[i] < 0 {
			return nil, fmt.Errorf("@%s has no column %q (it returns: %s)", name, c.Name, strings.Join(result, ", "))
		}
	}
	return idx, nil
}

// convertRow picks cols out of a result row and converts them to their value types.
func convertRow(name string, r []any, idx []int, cols []document.Column) ([]any, error) {
	row := make([]any, len(cols))
	for i, c := range cols {
		v, err := Convert(r[idx[i]], c.Type)
		if err != nil {
			return nil, fmt.Errorf("@%s column %s: %w", name, c.Name, err)
		}
		row[i] = v
	}
	return row, nil
}

// Convert turns a driver value into the Go type document.ValueType t promises (nil stays nil).
func Convert(v any, t document.ValueType) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch t {
	case document.TypeInt:
		f, ok := number(v)
		if !ok {
			return nil, fmt.Errorf("%v (%T) is not a number", v, v)
		}
		return int64(f), nil
	case document.TypeNumber, document.TypePercent, document.TypeDays, document.TypeHours:
		f, ok := number(v)
		if !ok {
			return nil, fmt.Errorf("%v (%T) is not a number", v, v)
		}
		return f, nil
	case document.TypeDate, document.TypeDateTime:
		switch x := v.(type) {
		case time.Time:
			return x.UTC(), nil
		case queries.Date:
			return time.Time(x).UTC(), nil
		}
		return nil, fmt.Errorf("%v (%T) is not a time", v, v)
	case document.TypeBool:
		b, ok := v.(bool)
		if !ok {
			return nil, fmt.Errorf("%v (%T) is not a boolean", v, v)
		}
		return b, nil
	case document.TypeList:
		switch x := v.(type) {
		case []any:
			out := make([]string, 0, len(x))
			for _, e := range x {
				if e != nil {
					out = append(out, queries.Text(e))
				}
			}
			return out, nil
		case []string:
			return x, nil
		}
		return []string{queries.Text(v)}, nil
	}
	return queries.Text(v), nil
}

// Float is Convert for a single number (KPI values): nil when v is NULL or not a number.
func Float(v any) *float64 {
	f, ok := number(v)
	if !ok {
		return nil
	}
	return &f
}

func number(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case float32:
		return float64(x), true
	case int:
		return float64(x), true
	case int8:
		return float64(x), true
	case int16:
		return float64(x), true
	case int32:
		return float64(x), true
	case int64:
		return float64(x), true
	case uint8:
		return float64(x), true
	case uint16:
		return float64(x), true
	case uint32:
		return float64(x), true
	case uint64:
		return float64(x), true
	case *big.Int:
		f, _ := new(big.Float).SetInt(x).Float64()
		return f, true
	case interface{ Float64() (float64, error) }:
		f, err := x.Float64()
		return f, err == nil
	}
	return 0, false
}
