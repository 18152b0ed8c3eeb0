package loader

import "database/sql/driver"

// tableWriter appends one table's rows, in order, inside the batch's transaction, for the
// batch's worker. make builds with the duckdb_arrow tag, which gives the Arrow writers
// (writer_arrow.go); a plain `go build` gives DuckDB's Appender (writer_appender.go),
// slower, storing the same rows. make test tests both.
type tableWriter interface {
	append(row []driver.Value) error
	// close hands on what is still buffered; the writer is not used after.
	close() error
}

// writerSet opens a worker's tableWriters on its connection (newWriterSet, per build).
type writerSet interface {
	open(table string) (tableWriter, error)
	// wait returns once every row appended is in its table — after each writer's close — with
	// the first error met.
	wait() error
}
