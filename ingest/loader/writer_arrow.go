//go:build duckdb_arrow

package loader

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	duckdb "github.com/duckdb/duckdb-go/v2"
)

// The tableWriters of the builds make makes (build tag duckdb_arrow) build blocks of rows as
// Arrow columns in Go, and one inserter per worker inserts each block with one statement over
// DuckDB's Arrow scan, on its own goroutine. DuckDB's Appender cost a cgo call per value — and
// per NULL — and copied each row twice before the table saw it; here a block crosses at once,
// and building the next block overlaps inserting the last. On a 110 MB Jira CSV (420k issues,
// best of 3): Appender 3.5 s; Arrow blocks inserted by the worker itself 2.8 s, by an inserter
// goroutine of their own 2.7 s. The rows stored are the same (every table compared, 100k-item
// fixtures).

// A block is inserted once it holds arrowBlockRows rows or the batch's block bytes of strings
// (Options.blockBytes: an eighth of its buffer, at most 32 MB). DuckDB writes a row group
// (122,880 rows) to the file as it fills, whatever the blocks.
const arrowBlockRows = 32768

// inserter owns the worker's connection: it inserts the blocks it is sent, in order.
type inserter struct {
	ctx     context.Context
	conn    driver.Conn
	ar      *duckdb.Arrow
	columns map[string][]column // each table's columns, in order
	// blockBytes is the most string data a block holds before it is sent.
	blockBytes int
	blocks     chan block
	done       chan struct{}
	err        error // the first failure; read after done is closed
}

type block struct {
	table  string
	schema *arrow.Schema
	rec    arrow.RecordBatch
}

type column struct{ name, typ string }

func newWriterSet(ctx context.Context, sc *sql.Conn, conn driver.Conn, blockBytes int) (writerSet, error) {
	ar, err := duckdb.NewArrowFromConn(conn)
	if err != nil {
		return nil, err
	}
	rows, err := sc.QueryContext(ctx, `select table_name, column_name, data_type from information_schema.columns
		where table_schema = 'main' order by table_name, ordinal_position`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	ins := &inserter{ctx: ctx, conn: conn, ar: ar, columns: map[string][]column{}, blockBytes: blockBytes,
		blocks: make(chan block, 2), done: make(chan struct{})}
	for rows.Next() {
		var table string
		var c column
		if err := rows.Scan(&table, &c.name, &c.typ); err != nil {
			return nil, err
		}
		ins.columns[table] = append(ins.columns[table], c)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	go ins.run()
	return ins, nil
}

func (ins *inserter) run() {
	defer close(ins.done)
	for b := range ins.blocks {
		if ins.err == nil {
			ins.err = ins.insert(b)
		}
		b.rec.Release()
	}
}

func (ins *inserter) insert(b block) error {
	reader, err := array.NewRecordReader(b.schema, []arrow.RecordBatch{b.rec})
	if err != nil {
		return err
	}
	defer reader.Release()
	// DuckDB's C API registers the scan as a view in the database itself, not a temporary one:
	// it is dropped in the same transaction, or the next process to read the catalog would
	// find a view over freed memory. Table names are the fixed ones of tableSpecs, never input.
	view := "relscope_append_" + b.table
	release, err := ins.ar.RegisterView(reader, view)
	if err != nil {
		return fmt.Errorf("append to %s: %w", b.table, err)
	}
	defer release()
	exec := ins.conn.(driver.ExecerContext)
	_, err = exec.ExecContext(ins.ctx, "insert into main."+b.table+" select * from main."+view, nil)
	if _, derr := exec.ExecContext(ins.ctx, "drop view main."+view, nil); err == nil {
		err = derr
	}
	if err != nil {
		return fmt.Errorf("append to %s: %w", b.table, err)
	}
	return nil
}

func (ins *inserter) wait() error {
	close(ins.blocks)
	<-ins.done
	return ins.err
}

// arrowWriter builds one table's blocks and hands them to the inserter.
type arrowWriter struct {
	ins    *inserter
	table  string
	schema *arrow.Schema
	b      *array.RecordBuilder
	cols   []func(array.Builder, driver.Value) error
	rows   int
	bytes  int // string bytes in the block, to bound its memory
}

func (ins *inserter) open(table string) (tableWriter, error) {
	cols := ins.columns[table]
	if len(cols) == 0 {
		return nil, fmt.Errorf("no table main.%s", table)
	}
	w := &arrowWriter{ins: ins, table: table}
	fields := make([]arrow.Field, len(cols))
	for i, c := range cols {
		dt, add, err := arrowColumn(c.typ)
		if err != nil {
			return nil, fmt.Errorf("%s.%s: %w", table, c.name, err)
		}
		fields[i] = arrow.Field{Name: c.name, Type: dt, Nullable: true}
		w.cols = append(w.cols, add)
	}
	w.schema = arrow.NewSchema(fields, nil)
	w.b = array.NewRecordBuilder(memory.DefaultAllocator, w.schema)
	return w, nil
}

// arrowColumn is the Arrow type holding a DuckDB column type, and how a row value is added.
func arrowColumn(typ string) (arrow.DataType, func(array.Builder, driver.Value) error, error) {
	switch strings.ToUpper(typ) {
	case "VARCHAR", "JSON":
		return arrow.BinaryTypes.String, adder(typ, (*array.StringBuilder).Append), nil
	case "VARCHAR[]":
		return arrow.ListOf(arrow.BinaryTypes.String), adder(typ, func(b *array.ListBuilder, l []string) {
			b.Append(true)
			sb := b.ValueBuilder().(*array.StringBuilder)
			for _, s := range l {
				sb.Append(s)
			}
		}), nil
	case "BIGINT":
		return arrow.PrimitiveTypes.Int64, adder(typ, (*array.Int64Builder).Append), nil
	case "DOUBLE":
		return arrow.PrimitiveTypes.Float64, adder(typ, (*array.Float64Builder).Append), nil
	case "BOOLEAN":
		return arrow.FixedWidthTypes.Boolean, adder(typ, (*array.BooleanBuilder).Append), nil
	case "TIMESTAMP WITH TIME ZONE":
		return &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"},
			adder(typ, func(b *array.TimestampBuilder, t time.Time) { b.Append(arrow.Timestamp(t.UnixMicro())) }), nil
	case "DATE":
		// As DuckDB's Appender stores a time as a date: whole days since the epoch.
		return arrow.FixedWidthTypes.Date32,
			adder(typ, func(b *array.Date32Builder, t time.Time) { b.Append(arrow.Date32(t.Unix() / 86400)) }), nil
	}
	return nil, nil, fmt.Errorf("no Arrow mapping for %s", typ)
}

// adder adds a row value of Go type V with builder B's add; nil is NULL, any other type an error.
func adder[B array.Builder, V any](typ string, add func(B, V)) func(array.Builder, driver.Value) error {
	return func(b array.Builder, v driver.Value) error {
		switch v := v.(type) {
		case nil:
			b.AppendNull()
		case V:
			add(b.(B), v)
		default:
			return fmt.Errorf("cannot store a %T in a %s column", v, typ)
		}
		return nil
	}
}

func (w *arrowWriter) append(row []driver.Value) error {
	if len(row) != len(w.cols) {
		return fmt.Errorf("%d values for %d columns", len(row), len(w.cols))
	}
	for i, v := range row {
		if err := w.cols[i](w.b.Field(i), v); err != nil {
			return fmt.Errorf("column %s: %w", w.schema.Field(i).Name, err)
		}
		if s, ok := v.(string); ok {
			w.bytes += len(s)
		}
	}
	w.rows++
	if w.rows >= arrowBlockRows || w.bytes >= w.ins.blockBytes {
		return w.flush()
	}
	return nil
}

// flush sends the block built so far to the inserter, unless it has failed (wait says why).
func (w *arrowWriter) flush() error {
	if w.rows == 0 {
		return nil
	}
	rows := w.rows
	rec := w.b.NewRecordBatch()
	w.rows, w.bytes = 0, 0
	w.reserve(rec, rows)
	select {
	case w.ins.blocks <- block{table: w.table, schema: w.schema, rec: rec}:
		return nil
	case <-w.ins.done:
		rec.Release()
		return w.ins.err
	}
}

// reserve sizes the builders for a block like the last one: growing them row by row
// reallocated and copied each column's buffers a dozen times per block.
func (w *arrowWriter) reserve(last arrow.RecordBatch, rows int) {
	for i := range w.cols {
		fb := w.b.Field(i)
		fb.Reserve(rows)
		col := last.Column(i)
		switch b := fb.(type) {
		case *array.StringBuilder:
			b.ReserveData(len(col.(*array.String).ValueBytes()))
		case *array.ListBuilder:
			values := col.(*array.List).ListValues()
			vb := b.ValueBuilder().(*array.StringBuilder)
			vb.Reserve(values.Len())
			vb.ReserveData(len(values.(*array.String).ValueBytes()))
		}
	}
}

func (w *arrowWriter) close() error {
	err := w.flush()
	w.b.Release()
	return err
}
