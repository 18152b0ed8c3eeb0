//go:build !duckdb_arrow

package loader

import (
	"context"
	"database/sql"
	"database/sql/driver"

	duckdb "github.com/duckdb/duckdb-go/v2"
)

// appenders are the tableWriters of a build without the duckdb_arrow tag: DuckDB's Appender,
// a cgo call per value.
type appenders struct{ conn driver.Conn }

// blockBytes is the Arrow writers' (the Appender hands each row to DuckDB as it comes).
func newWriterSet(_ context.Context, _ *sql.Conn, conn driver.Conn, _ int) (writerSet, error) {
	return appenders{conn}, nil
}

func (a appenders) open(table string) (tableWriter, error) {
	app, err := duckdb.NewAppender(a.conn, "", "main", table)
	if err != nil {
		return nil, err
	}
	return appenderWriter{app}, nil
}

func (appenders) wait() error { return nil }

type appenderWriter struct{ app *duckdb.Appender }

func (w appenderWriter) append(row []driver.Value) error { return w.app.AppendRow(row...) }

func (w appenderWriter) close() error { return w.app.Close() }
