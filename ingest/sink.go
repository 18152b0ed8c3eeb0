package ingest

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"strings"
	"time"
)

// tableSpec says how rows of one table are merged into the warehouse.
type tableSpec struct {
	id   int // position in tableSpecs: a sink's per-table state is an array, not a map
	name string
	// keys identify a row: the newest line with a key replaces every older row with it. For
	// history and links the key is the row's whole content. The run's own tables have none.
	keys []string
}

// The tables a sink writes, by id.
const (
	tWorkItems = iota
	tTransitions
	tLinks
	tReleases
	tDeployments
	tIncidents
	tChanges
	tRejects
	tRuns
	numTables
)

var tableSpecs = [numTables]tableSpec{
	{tWorkItems, "work_items", []string{"source", "item_key"}},
	{tTransitions, "work_item_transitions", []string{"source", "item_key", `"at"`, "field", "from_value", "to_value"}},
	{tLinks, "work_item_links", []string{"source", "item_key", "link_type", "target_key"}},
	{tReleases, "releases", []string{"source", "project", "name"}},
	{tDeployments, "deployments", []string{"source", "deployment_id"}},
	{tIncidents, "incidents", []string{"source", "incident_id"}},
	{tChanges, "changes", []string{"source", "change_id"}},
	{tRejects, "ingest_rejects", nil},
	{tRuns, "ingest_runs", nil},
}

// tableState is what a batch knows of one table it writes: the identities of its rows (and,
// for history and links, their whole contents), and whether any repeats.
type tableState struct {
	used bool
	ids  map[uint64]struct{}
	seen map[uint64]struct{}
	dup  bool
}

// Reject is one row that could not be loaded.
type Reject struct {
	Line   int64
	Reason string
	Raw    string
}

// Sink receives the records a format reads: Record at the start of each source record, then
// either rows for the canonical tables or one Reject.
type Sink interface {
	Record(line int64)
	Reject(reason, raw string) error
	WorkItem(*WorkItem) error
	Transition(*Transition) error
	Link(*Link) error
	Release(*Release) error
	Deployment(*Deployment) error
	Incident(*Incident) error
	Change(*Change) error
}

// dbSink is the Sink of a real ingest, inside the transaction of a batch of files. Rows are
// appended straight into the canonical tables through a tableWriter per table — by a worker
// goroutine that owns the connection, so parsing (the format, on the caller's goroutine) and
// appending run on two cores — and merge then resolves keys once for the whole batch: older
// versions of the keys its files loaded are deleted, duplicates collapse to the newest.
type dbSink struct {
	ctx  context.Context
	conn *sql.Conn

	// The file being loaded: its ingest id, name and counts (startFile resets them).
	id             int64
	file           string
	read, rejected int64
	line           int64
	firstRejects   []Reject

	// The batch: identities written to each table by its files; dup notes tables where the
	// batch repeats a row's key (those always merge).
	keys   *keyIndex
	tables [numTables]tableState

	batch   []pending
	work    chan []pending
	done    chan struct{}
	workErr error // set by the worker; read after done is closed
	closed  bool
}

// pending is one row on its way to a table's appender.
type pending struct {
	table int
	row   []driver.Value
}

// batchSize is how many rows go to the worker at once, and workQueue how many such batches
// may wait for it: enough (130k rows) for parsing to go on while DuckDB compresses and writes
// a row group, which takes the worker a few tenths of a second at a time. With 4 the parser
// waited: 110 MB Jira CSV 3.57 → 3.21 s, peak memory +0.3 GB.
const (
	batchSize = 2048
	workQueue = 64
)

// maxShownRejects is how many rejects a file keeps in memory to print; all go to the table.
const maxShownRejects = 5

func newSink(ctx context.Context, conn *sql.Conn, keys *keyIndex) (*dbSink, error) {
	s := &dbSink{ctx: ctx, conn: conn, keys: keys}
	return s, s.start()
}

// start runs a worker on the connection; close stops it.
func (s *dbSink) start() error {
	var dconn driver.Conn
	if err := s.conn.Raw(func(dc any) error { dconn = dc.(driver.Conn); return nil }); err != nil {
		return err
	}
	writers, err := newWriterSet(s.ctx, s.conn, dconn)
	if err != nil {
		return err
	}
	s.work, s.done, s.workErr, s.closed = make(chan []pending, workQueue), make(chan struct{}), nil, false
	go s.worker(writers)
	return nil
}

// startFile makes the rows that follow belong to file, under ingest id.
func (s *dbSink) startFile(id int64, file string) {
	s.id, s.file = id, file
	s.read, s.rejected, s.line, s.firstRejects = 0, 0, 0, nil
}

// worker appends every batch it receives, a tableWriter per table, until the channel closes.
// After its first error it only drains, so the producer never blocks.
func (s *dbSink) worker(writers writerSet) {
	defer close(s.done)
	var apps [numTables]tableWriter
	for b := range s.work {
		if s.workErr != nil {
			continue
		}
		for _, p := range b {
			app := apps[p.table]
			if app == nil {
				var err error
				if app, err = writers.open(tableSpecs[p.table].name); err != nil {
					s.workErr = fmt.Errorf("appender for %s: %w", tableSpecs[p.table].name, err)
					break
				}
				apps[p.table] = app
			}
			if err := app.append(p.row); err != nil {
				s.workErr = fmt.Errorf("append to %s: %w", tableSpecs[p.table].name, err)
				break
			}
		}
	}
	for t, app := range apps {
		if app == nil {
			continue
		}
		if err := app.close(); err != nil && s.workErr == nil {
			s.workErr = fmt.Errorf("flush %s: %w", tableSpecs[t].name, err)
		}
	}
	// A failed insert is the cause of whatever the writers reported after it (they stop with
	// its error): its own message, naming its table, is the one kept.
	if err := writers.wait(); err != nil {
		s.workErr = err
	}
}

func (s *dbSink) send(table int, row []driver.Value) error {
	s.batch = append(s.batch, pending{table: table, row: row})
	if len(s.batch) >= batchSize {
		return s.flush()
	}
	return nil
}

func (s *dbSink) flush() error {
	if len(s.batch) == 0 {
		return nil
	}
	select {
	case s.work <- s.batch:
	case <-s.done:
		return s.workErr
	}
	s.batch = make([]pending, 0, batchSize)
	return nil
}

// Record marks the start of a source record (a CSV row, a JSON object) at line.
func (s *dbSink) Record(line int64) {
	s.read++
	s.line = line
}

// Reject records that the current record could not be mapped, and why.
func (s *dbSink) Reject(reason, raw string) error {
	s.rejected++
	if len(s.firstRejects) < maxShownRejects {
		s.firstRejects = append(s.firstRejects, Reject{Line: s.line, Reason: reason, Raw: raw})
	}
	return s.send(tRejects, []driver.Value{s.id, s.file, s.line, reason, raw})
}

// WorkItem stages an item.
func (s *dbSink) WorkItem(w *WorkItem) error { return s.add(tWorkItems, w.row(s.id)) }

// Transition stages one history entry.
func (s *dbSink) Transition(t *Transition) error { return s.add(tTransitions, t.row(s.id)) }

// Link stages one item link.
func (s *dbSink) Link(l *Link) error { return s.add(tLinks, l.row(s.id)) }

// Release stages a release.
func (s *dbSink) Release(r *Release) error { return s.add(tReleases, r.row(s.id)) }

// Deployment stages a deployment.
func (s *dbSink) Deployment(d *Deployment) error { return s.add(tDeployments, d.row(s.id)) }

// Incident stages an incident.
func (s *dbSink) Incident(i *Incident) error { return s.add(tIncidents, i.row(s.id)) }

// Change stages a change request.
func (s *dbSink) Change(c *Change) error { return s.add(tChanges, c.row(s.id)) }

func (s *dbSink) add(table int, row []driver.Value) error {
	st := &s.tables[table]
	if !st.used {
		st.used, st.ids = true, map[uint64]struct{}{}
	}
	spec := &tableSpecs[table]
	id := rowIdentity(table, row)
	if spec.identityCols() == len(spec.keys) {
		// The identity is the whole key: a second row with it is a duplicate.
		if _, again := st.ids[id]; again {
			st.dup = true
		}
	} else if !st.dup {
		if st.seen == nil {
			st.seen = map[uint64]struct{}{}
		}
		c := rowContent(row, spec)
		if _, again := st.seen[c]; again {
			st.dup = true
		}
		st.seen[c] = struct{}{}
	}
	st.ids[id] = struct{}{}
	return s.send(table, row)
}

// fileDone appends the file's ingest_runs row, once its rows are all read.
func (s *dbSink) fileDone(sum, format string, started time.Time) error {
	return s.send(tRuns, []driver.Value{s.id, s.file, sum, format, started, time.Now().UTC(), s.read, s.read - s.rejected, s.rejected})
}

// discard removes every row of the current file from the batch's transaction: the worker is
// flushed and stopped, the file's rows deleted by ingest id, and a new worker started.
func (s *dbSink) discard() error {
	// The rows waiting to be sent may include the previous file's: all are flushed, then
	// this file's deleted.
	if err := s.close(); err != nil {
		return err
	}
	for _, t := range tableSpecs {
		// Table names are the fixed ones above, never input.
		if _, err := s.conn.ExecContext(s.ctx, "delete from main."+t.name+" where ingest_id = ?", s.id); err != nil {
			return fmt.Errorf("discard %s: %w", t.name, err)
		}
	}
	return s.start()
}

// close hands the last rows to the worker and waits for every append to be flushed.
func (s *dbSink) close() error {
	if s.closed {
		return s.workErr
	}
	s.closed = true
	err := s.flush()
	close(s.work)
	<-s.done
	if err != nil {
		return err
	}
	return s.workErr
}

// merge resolves keys among the rows the batch appended (ingest ids first to last) and those
// already there. The SQL is built from the fixed table specs above, never from input.
func (s *dbSink) merge(first, last int64) error {
	for t := tWorkItems; t <= tChanges; t++ { // the canonical tables; the run's own need no merge
		st, spec := &s.tables[t], &tableSpecs[t]
		if !st.used {
			continue
		}
		need := st.dup || s.keys == nil
		if !need {
			stored, err := s.keys.stored(s.ctx, spec)
			if err != nil {
				return fmt.Errorf("merge %s: %w", spec.name, err)
			}
			for id := range st.ids {
				if _, ok := stored[id]; ok {
					need = true
					break
				}
			}
		}
		if !need {
			continue // every row is new: nothing to resolve
		}
		if _, err := s.conn.ExecContext(s.ctx, mergeSQL(spec), first, last); err != nil {
			return fmt.Errorf("merge %s: %w", spec.name, err)
		}
	}
	return nil
}

// committed tells the run's key index what the batch stored, once its transaction is committed.
func (s *dbSink) committed() {
	if s.keys == nil {
		return
	}
	for t := range s.tables {
		stored, ok := s.keys.tables[tableSpecs[t].name]
		if !ok {
			continue // loaded from the warehouse, with these rows, when next needed
		}
		for id := range s.tables[t].ids {
			stored[id] = struct{}{}
		}
	}
}

func keyList(spec *tableSpec) string { return strings.Join(spec.keys, ", ") }

// mergeSQL is one statement per table: among the rows that share a key with a row of this
// batch (ingest ids $1 to $2), keep the batch's last (the highest rowid: rows are appended in
// file order, and rows appended in a transaction come after every stored one) and delete the
// rest — older versions, and duplicates within the batch. Only rows sharing a key are looked
// at (a semi-join, NULL-safe for history rows whose from_value is empty), so a merge costs
// what the batch touches, not the table's size. For history and links the key is the row's whole content, so
// an overlapping export re-stamps the rows it repeats and adds the new ones, never duplicating
// any, and an incremental export never loses earlier ones.
func mergeSQL(spec *tableSpec) string {
	var on []string
	for _, k := range spec.keys {
		on = append(on, fmt.Sprintf("t.%[1]s is not distinct from n.%[1]s", k))
	}
	return fmt.Sprintf(`delete from main.%[1]s where rowid in (
    select rowid from (
        select t.rowid, row_number() over (partition by %[2]s order by (t.ingest_id between $1 and $2) desc, t.rowid desc) as rn
        from main.%[1]s as t
        semi join (select distinct %[4]s from main.%[1]s where ingest_id between $1 and $2) as n on %[3]s
    ) where rn > 1
)`, spec.name, qualified(spec.keys, "t"), strings.Join(on, " and "), keyList(spec))
}

// qualified prefixes each key column with a table alias.
func qualified(keys []string, alias string) string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = alias + "." + k
	}
	return strings.Join(out, ", ")
}
