package queries

import (
	"context"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/jedib0t/go-pretty/v6/table"
	"github.com/jedib0t/go-pretty/v6/text"

	"github.com/relscope/relscope/models"
)

// Result is a query's columns and rows, with values as the driver gave them.
type Result struct {
	Columns []string
	// Types are DuckDB's type names (DATE, TIMESTAMP WITH TIME ZONE, …), one per column.
	Types []string
	Rows  [][]any
}

// Exec runs sqlText with the named parameters bound and collects the result.
func Exec(ctx context.Context, db *sql.DB, sqlText string, params map[string]string) (*Result, error) {
	rows, err := db.QueryContext(ctx, sqlText, bindArgs(params)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	res := &Result{Columns: cols}
	if cts, err := rows.ColumnTypes(); err == nil {
		for _, ct := range cts {
			res.Types = append(res.Types, ct.DatabaseTypeName())
		}
	}
	for rows.Next() {
		vals, err := models.ScanRow(rows, len(cols))
		if err != nil {
			return nil, err
		}
		for i, v := range vals {
			// DATE arrives as a midnight time.Time; keep it a date.
			if t, ok := v.(time.Time); ok && i < len(res.Types) && res.Types[i] == "DATE" {
				vals[i] = Date(t)
			}
		}
		res.Rows = append(res.Rows, vals)
	}
	return res, rows.Err()
}

// Each runs sqlText with the named parameters bound and calls each for every row as it
// arrives, without holding the result: columns first gets the column names and DuckDB type
// names. Values are as Exec gives them (DATE as Date); row is reused from one call to the next,
// so each must copy what it keeps. An error from either callback stops the query and is
// returned.
func Each(ctx context.Context, db *sql.DB, sqlText string, params map[string]string,
	columns func(names, types []string) error, each func(row []any) error) error {
	rows, err := db.QueryContext(ctx, sqlText, bindArgs(params)...)
	if err != nil {
		return err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	types := make([]string, len(cols))
	if cts, err := rows.ColumnTypes(); err == nil {
		for i, ct := range cts {
			types[i] = ct.DatabaseTypeName()
		}
	}
	if err := columns(cols, types); err != nil {
		return err
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		for i := range vals {
			vals[i] = nil
		}
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		for i, v := range vals {
			if t, ok := v.(time.Time); ok && types[i] == "DATE" {
				vals[i] = Date(t)
			}
		}
		if err := each(vals); err != nil {
			return err
		}
	}
	return rows.Err()
}

// Count runs sqlText and returns how many rows it returns, without fetching them.
func Count(ctx context.Context, db *sql.DB, sqlText string, params map[string]string) (int64, error) {
	var n int64
	err := db.QueryRowContext(ctx, "select count(*) from (\n"+strings.TrimRight(strings.TrimSpace(sqlText), ";")+"\n)", bindArgs(params)...).Scan(&n)
	return n, err
}

// CopyParquet writes the query's result to path as Parquet, through DuckDB's own writer.
func CopyParquet(ctx context.Context, db *sql.DB, sqlText string, params map[string]string, path string) error {
	q := strings.TrimRight(strings.TrimSpace(sqlText), ";")
	// The path is a literal of COPY, which takes no parameter there; quote it as DuckDB does.
	lit := "'" + strings.ReplaceAll(path, "'", "''") + "'"
	_, err := db.ExecContext(ctx, "copy ("+q+") to "+lit+" (format parquet)", bindArgs(params)...)
	return err
}

func bindArgs(params map[string]string) []any {
	var args []any
	for k, v := range params {
		args = append(args, sql.Named(k, v))
	}
	return args
}

// Resolve fills declared parameters' defaults and checks that every declared one is given
// and no undeclared one is.
func (q Query) Resolve(given map[string]string) (map[string]string, error) {
	out := map[string]string{}
	declared := map[string]bool{}
	var missing []string
	for _, p := range q.Params {
		declared[p.Name] = true
		if v, ok := given[p.Name]; ok {
			out[p.Name] = v
		} else if p.HasDefault {
			out[p.Name] = p.Default
		} else {
			missing = append(missing, p.Name)
		}
	}
	for k := range given {
		if !declared[k] {
			return nil, fmt.Errorf("@%s has no parameter %q (it takes: %s)", q.Name, k, q.paramNames())
		}
	}
	for _, p := range q.Params {
		if v, ok := given[p.Name]; ok {
			if err := checkParam(q.SQL, p, v); err != nil {
				return nil, fmt.Errorf("@%s: %w", q.Name, err)
			}
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("@%s needs --param %s=…", q.Name, strings.Join(missing, "=… --param "))
	}
	return out, nil
}

// castParam finds the type a query casts a parameter to ($top::integer).
var castParam = regexp.MustCompile(`\$([a-z_][a-z0-9_]*)::([a-z]+)`)

// checkParam checks a --param value against the type the query casts it to, so a wrong value
// is a usage error naming the parameter and the type it wants, not a conversion error quoting
// the SQL.
func checkParam(sqlText string, p Param, v string) error {
	for _, m := range castParam.FindAllStringSubmatch(sqlText, -1) {
		if m[1] != p.Name {
			continue
		}
		want, ok := "", true
		switch m[2] {
		case "integer", "int", "bigint", "smallint":
			_, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
			want, ok = "a whole number", err == nil
		case "double", "float", "decimal", "real":
			_, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			want, ok = "a number", err == nil
		case "date":
			_, err := time.Parse("2006-01-02", strings.TrimSpace(v))
			want, ok = "a date (YYYY-MM-DD)", err == nil
		}
		if !ok {
			what := p.Description
			if what != "" {
				what = " (" + what + ")"
			}
			return fmt.Errorf("--param %s=%s: %s wants %s%s", p.Name, v, p.Name, want, what)
		}
	}
	return nil
}

func (q Query) paramNames() string {
	if len(q.Params) == 0 {
		return "none"
	}
	var n []string
	for _, p := range q.Params {
		n = append(n, p.Name)
	}
	return strings.Join(n, ", ")
}

// Date is a calendar date without a time of day.
type Date time.Time

// MarshalJSON writes the date as "2006-01-02".
func (d Date) MarshalJSON() ([]byte, error) {
	return []byte(`"` + time.Time(d).Format("2006-01-02") + `"`), nil
}

// Text renders one value for tables and CSV: NULL as "", times in RFC 3339 UTC.
func Text(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case Date:
		return time.Time(x).Format("2006-01-02")
	case time.Time:
		return x.UTC().Format(time.RFC3339Nano)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case float32:
		return strconv.FormatFloat(float64(x), 'f', -1, 32)
	case []byte:
		return string(x)
	case *big.Int:
		return x.String()
	case []any, map[string]any:
		b, _ := json.Marshal(jsonValue(x))
		return string(b)
	}
	return fmt.Sprint(v)
}

// jsonValue makes a driver value JSON-friendly (times as RFC 3339 UTC).
func jsonValue(v any) any {
	switch x := v.(type) {
	case time.Time:
		return x.UTC().Format(time.RFC3339Nano)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = jsonValue(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = jsonValue(e)
		}
		return out
	case *big.Int:
		return json.Number(x.String())
	case []byte:
		return string(x)
	}
	return v
}

// Formats are the text output formats Write understands (parquet goes through CopyParquet).
var Formats = []string{"table", "csv", "json", "markdown"}

// Write renders res in format.
func (res *Result) Write(w io.Writer, format string) error {
	switch format {
	case "csv":
		cw := csv.NewWriter(w)
		cw.Write(res.Columns)
		rec := make([]string, len(res.Columns))
		for _, r := range res.Rows {
			for i, v := range r {
				rec[i] = Text(v)
			}
			cw.Write(rec)
		}
		cw.Flush()
		return cw.Error()
	case "json":
		// One array of objects, keys in column order.
		if _, err := io.WriteString(w, "["); err != nil {
			return err
		}
		for ri, r := range res.Rows {
			var b strings.Builder
			if ri > 0 {
				b.WriteString(",")
			}
			b.WriteString("\n  {")
			for i, v := range r {
				if i > 0 {
					b.WriteString(", ")
				}
				k, _ := json.Marshal(res.Columns[i])
				val, err := json.Marshal(jsonValue(v))
				if err != nil {
					return err
				}
				b.Write(k)
				b.WriteString(": ")
				b.Write(val)
			}
			b.WriteString("}")
			if _, err := io.WriteString(w, b.String()); err != nil {
				return err
			}
		}
		if len(res.Rows) > 0 {
			io.WriteString(w, "\n")
		}
		_, err := io.WriteString(w, "]\n")
		return err
	case "table", "markdown":
		t := table.NewWriter()
		t.SetOutputMirror(w)
		hdr := make(table.Row, len(res.Columns))
		for i, c := range res.Columns {
			hdr[i] = c
		}
		t.AppendHeader(hdr)
		for _, r := range res.Rows {
			row := make(table.Row, len(r))
			for i, v := range r {
				if v == nil && format == "table" {
					row[i] = "NULL"
				} else {
					row[i] = strings.ReplaceAll(Text(v), "\n", "⏎")
				}
			}
			t.AppendRow(row)
		}
		if format == "markdown" {
			t.RenderMarkdown()
			return nil
		}
		t.SetStyle(table.StyleLight)
		t.Style().Format.Header = text.FormatDefault // column names as written, not upper-cased
		t.Render()
		return nil
	}
	return fmt.Errorf("unknown format %q: want %s or parquet", format, strings.Join(Formats, ", "))
}
