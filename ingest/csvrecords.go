package ingest

import (
	"context"
	"time"
)

// The record loop every CSV format shares, and the cell readers its mappers use.

// eachCSVRow is the record loop of the native formats: it checks the header has the required
// columns (after the user's columns: mapping, when the format has one), then runs csvLoop.
func eachCSVRow(ctx context.Context, in *Input, sink Sink, format string, required []string, mapRow func(*csvTable) error) error {
	t, err := openCSV(in.R)
	if err != nil {
		return err
	}
	if len(in.Columns) > 0 {
		t.rename(&csvColumns{}, in.Columns)
	}
	if err := t.require(format, required...); err != nil {
		return err
	}
	return csvLoop(ctx, t, sink, mapRow)
}

// eachCSVRecord is the record loop of the real exports' CSV formats: the header is translated
// once into the format's own names (its vocabulary, then the user's columns: mapping), a file
// without an identity column is refused, each column the export left out becomes one note,
// and csvLoop reads the records.
func eachCSVRecord(ctx context.Context, in *Input, sink Sink, format string, cols *csvColumns, mapRow func(*csvTable) error) error {
	t, err := openCSV(in.R)
	if err != nil {
		return err
	}
	t.rename(cols, in.Columns)
	if err := cols.checkIdentity(t, format); err != nil {
		return err
	}
	for _, n := range cols.absent(t) {
		if err := sink.Note(n); err != nil {
			return err
		}
	}
	return csvLoop(ctx, t, sink, mapRow)
}

// csvLoop is the record loop every CSV format shares: it skips blank lines, rejects malformed
// records, and hands every other record to mapRow — rejecting it when mapRow returns a
// rowError.
func csvLoop(ctx context.Context, t *csvTable, sink Sink, mapRow func(*csvTable) error) error {
	for n := 0; ; n++ {
		if n%4096 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		ok, err := t.next()
		if err != nil {
			return err
		}
		if !ok {
			return nil
		}
		if t.blank() {
			continue
		}
		sink.Record(t.line)
		if t.badRecord != "" {
			if err := sink.Reject(t.badRecord, t.rawLine()); err != nil {
				return err
			}
			continue
		}
		if err := rejectOrFail(sink, mapRow(t), t.rawLine); err != nil {
			return err
		}
	}
}

// rowDates parses the named date columns of the current record, failing on the first bad one.
type rowDates struct {
	t   *csvTable
	p   *DateParser
	err error
}

func (d *rowDates) get(col string, required bool) time.Time {
	if d.err != nil {
		return time.Time{}
	}
	v := d.t.get(col)
	if v == "" {
		if required {
			d.err = rowErrf("%s is empty", d.t.label(col))
		}
		return time.Time{}
	}
	tm, err := d.p.Parse(v)
	if err != nil {
		d.err = rowErrf("%s %v", d.t.label(col), err)
	}
	return tm
}

// number parses an optional numeric column into *float64 (nil when empty).
func number(t *csvTable, col string, errp *error) *float64 {
	if *errp != nil {
		return nil
	}
	f, ok, err := parseNumber(t.get(col))
	if err != nil {
		*errp = rowErrf("%s %v", t.label(col), err)
		return nil
	}
	if !ok {
		return nil
	}
	return &f
}

func requireValues(t *csvTable, cols ...string) error {
	for _, c := range cols {
		if t.get(c) == "" {
			return rowErrf("%s is empty", t.label(c))
		}
	}
	return nil
}
