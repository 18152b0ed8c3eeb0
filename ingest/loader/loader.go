// Package loader writes canonical rows into the warehouse for ingest: one transaction per batch
// of files, rows handed to a worker goroutine that owns the connection (so parsing, on the
// caller's goroutine, and appending run on two cores), table writers that append them (Arrow
// blocks with the duckdb_arrow tag that make sets, DuckDB's Appender without it), and the key
// resolution that merges a batch with what is stored — once per batch, only where keys meet.
//
// It knows rows only as []driver.Value in the column order of models/migrations; ingest's row
// types (ingest/rows.go) build them. It is a package of its own so that the one part of ingest
// that differs between the Arrow and the Appender build is tested alone in both (make test's
// second pass), and so that the format readers cannot reach the connection.
package loader

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"strings"
	"sync"
	"time"
)

// Table is a table the loader writes.
type Table int

// The tables a batch writes: the canonical tables (merged by key), then the run's own.
const (
	WorkItems Table = iota
	Transitions
	Links
	Releases
	Deployments
	Incidents
	Changes
	Rejects
	Runs
	Notes
	numTables
)

// String is the table's name in the warehouse.
func (t Table) String() string { return tableSpecs[t].name }

// tableSpec says how rows of one table are merged into the warehouse.
type tableSpec struct {
	id   Table // position in tableSpecs: a batch's per-table state is an array, not a map
	name string
	// keys identify a row: the newest line with a key replaces every older row with it. For
	// history and links the key is the row's whole content. The run's own tables have none.
	keys []string
}

var tableSpecs = [numTables]tableSpec{
	{WorkItems, "work_items", []string{"source", "item_key"}},
	{Transitions, "work_item_transitions", []string{"source", "item_key", `"at"`, "field", "from_value", "to_value"}},
	{Links, "work_item_links", []string{"source", "item_key", "link_type", "target_key"}},
	{Releases, "releases", []string{"source", "project", "name"}},
	{Deployments, "deployments", []string{"source", "deployment_id"}},
	{Incidents, "incidents", []string{"source", "incident_id"}},
	{Changes, "changes", []string{"source", "change_id"}},
	{Rejects, "ingest_rejects", nil},
	{Runs, "ingest_runs", nil},
	{Notes, "ingest_notes", nil},
}

// tableState is what a batch knows of one table it writes: the identities of its rows (and,
// for history and links, their whole contents), and whether any repeats.
type tableState struct {
	used bool
	ids  map[uint64]struct{}
	seen map[uint64]struct{}
	dup  bool
}

// Batch is one open transaction on a connection of its own, and the rows of the files in it.
// Rows are appended straight into the tables — by a worker goroutine that owns the connection
// — and Commit then resolves keys once for the whole batch: older versions of the keys its
// files loaded are deleted, duplicates collapse to the newest. A Batch is used by one
// goroutine; it ends with Commit or Rollback.
type Batch struct {
	ctx  context.Context
	conn *sql.Conn

	// The identities written to each table by the batch's files; dup notes tables where the
	// batch repeats a row's key (those always merge).
	keys   *Keys
	tables [numTables]tableState

	opt        Options
	batch      []pending
	batchBytes int64   // the estimated size of batch's rows
	queued     *budget // of the rows handed to the worker and not yet in its writers
	work       chan chunk
	done       chan struct{}
	workErr    error // set by the worker; read after done is closed
	closed     bool
}

// pending is one row on its way to a table's writer.
type pending struct {
	table Table
	row   []driver.Value
}

// chunk is the rows handed to the worker at once, and their estimated size.
type chunk struct {
	rows  []pending
	bytes int64
}

// Options sizes a batch's memory. The zero value is the measured defaults.
type Options struct {
	// BufferBytes bounds the rows on their way from the caller into the tables (default 64 MB):
	// half of it the rows queued for the worker, half the Arrow blocks built from them (up to
	// four blocks of an eighth, at most 32 MB each). Rows are counted by an estimate of the
	// memory they hold (their strings and values), so a queue of long rows holds fewer of them.
	// DuckDB's own memory (its memory_limit) and the transaction's rows are not part of it.
	BufferBytes int64
}

// DefaultBufferBytes is Options.BufferBytes when zero.
const DefaultBufferBytes = 64 << 20

func (o Options) bufferBytes() int64 {
	if o.BufferBytes > 0 {
		return o.BufferBytes
	}
	return DefaultBufferBytes
}

// queueBytes is how many bytes of rows may wait for the worker, and chunkBytes the most a
// chunk of them holds (so that at least eight chunks fit in the queue).
func (o Options) queueBytes() int64 { return o.bufferBytes() / 2 }
func (o Options) chunkBytes() int64 { return max(o.queueBytes()/8, 1) }

// blockBytes is the most string data an Arrow block holds before it is inserted.
func (o Options) blockBytes() int { return int(min(max(o.bufferBytes()/8, 1<<20), 32<<20)) }

// budget counts the bytes of rows between the caller and the worker: acquire waits while
// the rows already queued hold max bytes, release (by the worker, for every chunk it
// receives, appended or drained after an error) lets the caller go on. A chunk bigger than
// max alone is let through when nothing else is queued.
type budget struct {
	mu   sync.Mutex
	cond sync.Cond
	used int64
	max  int64
}

func newBudget(max int64) *budget {
	b := &budget{max: max}
	b.cond.L = &b.mu
	return b
}

func (b *budget) acquire(n int64) {
	b.mu.Lock()
	for b.used > 0 && b.used+n > b.max {
		b.cond.Wait()
	}
	b.used += n
	b.mu.Unlock()
}

func (b *budget) release(n int64) {
	b.mu.Lock()
	b.used -= n
	b.mu.Unlock()
	b.cond.Broadcast()
}

// rowBytes estimates the memory a queued row holds: each value's interface, its string or
// list data. It need not be exact, only grow with what the row holds.
func rowBytes(row []driver.Value) int64 {
	n := int64(24 + 16*len(row))
	for _, v := range row {
		switch v := v.(type) {
		case string:
			n += int64(len(v))
		case []string:
			n += 24
			for _, s := range v {
				n += int64(16 + len(s))
			}
		case time.Time:
			n += 24
		}
	}
	return n
}

// batchSize is the most rows that go to the worker at once, and workQueue how many such
// chunks may wait for it: enough (130k short rows) for parsing to go on while DuckDB
// compresses and writes a row group, which takes the worker a few tenths of a second at a
// time. With 4 the parser waited: 110 MB Jira CSV 3.57 → 3.21 s, peak memory +0.3 GB. Long
// rows are bounded by bytes as well (Options.BufferBytes): counted in rows alone, 130k rows
// of 2 KB held 260 MB, and a 200 MB CSV of long rows sat in the queue whole.
const (
	batchSize = 2048
	workQueue = 64
)

// Begin opens a batch: a dedicated connection of db in a transaction, and its worker. keys is
// the run's index of stored keys (nil: every table is merged at Commit).
func Begin(ctx context.Context, db *sql.DB, keys *Keys, opt Options) (*Batch, error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := conn.ExecContext(ctx, "begin transaction"); err != nil {
		conn.Close()
		return nil, err
	}
	b := &Batch{ctx: ctx, conn: conn, keys: keys, opt: opt}
	if err := b.start(); err != nil {
		conn.ExecContext(context.Background(), "rollback")
		conn.Close()
		return nil, err
	}
	return b, nil
}

// start runs a worker on the connection; close stops it.
func (b *Batch) start() error {
	var dconn driver.Conn
	if err := b.conn.Raw(func(dc any) error { dconn = dc.(driver.Conn); return nil }); err != nil {
		return err
	}
	writers, err := newWriterSet(b.ctx, b.conn, dconn, b.opt.blockBytes())
	if err != nil {
		return err
	}
	b.work, b.done, b.workErr, b.closed = make(chan chunk, workQueue), make(chan struct{}), nil, false
	b.queued = newBudget(b.opt.queueBytes())
	go b.worker(writers)
	return nil
}

// worker appends every batch it receives, a tableWriter per table, until the channel closes.
// After its first error it only drains, so the producer never blocks.
func (b *Batch) worker(writers writerSet) {
	defer close(b.done)
	var apps [numTables]tableWriter
	for c := range b.work {
		if b.workErr == nil {
			b.workErr = appendChunk(c.rows, writers, &apps)
		}
		b.queued.release(c.bytes)
	}
	for t, app := range apps {
		if app == nil {
			continue
		}
		if err := app.close(); err != nil && b.workErr == nil {
			b.workErr = fmt.Errorf("flush %s: %w", tableSpecs[t].name, err)
		}
	}
	// A failed insert is the cause of whatever the writers reported after it (they stop with
	// its error): its own message, naming its table, is the one kept.
	if err := writers.wait(); err != nil {
		b.workErr = err
	}
}

// appendChunk appends a chunk's rows to their tables' writers, opening each on first use.
func appendChunk(rows []pending, writers writerSet, apps *[numTables]tableWriter) error {
	for _, p := range rows {
		app := apps[p.table]
		if app == nil {
			var err error
			if app, err = writers.open(tableSpecs[p.table].name); err != nil {
				return fmt.Errorf("appender for %s: %w", tableSpecs[p.table].name, err)
			}
			apps[p.table] = app
		}
		if err := app.append(p.row); err != nil {
			return fmt.Errorf("append to %s: %w", tableSpecs[p.table].name, err)
		}
	}
	return nil
}

// Append queues a row for table as it is, with no key bookkeeping: the run's own tables
// (rejects, runs), whose rows never merge.
func (b *Batch) Append(table Table, row []driver.Value) error {
	b.batch = append(b.batch, pending{table: table, row: row})
	b.batchBytes += rowBytes(row)
	if len(b.batch) >= batchSize || b.batchBytes >= b.opt.chunkBytes() {
		return b.flush()
	}
	return nil
}

// flush hands the rows gathered to the worker, once the queue has room for their bytes.
func (b *Batch) flush() error {
	if len(b.batch) == 0 {
		return nil
	}
	c := chunk{rows: b.batch, bytes: b.batchBytes}
	// The worker releases every chunk it receives, so this waits only while it works.
	b.queued.acquire(c.bytes)
	select {
	case b.work <- c:
	case <-b.done:
		b.queued.release(c.bytes)
		return b.workErr
	}
	b.batch, b.batchBytes = make([]pending, 0, batchSize), 0
	return nil
}

// Add queues a row of a canonical table, noting its key for the merge at Commit.
func (b *Batch) Add(table Table, row []driver.Value) error {
	st := &b.tables[table]
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
	return b.Append(table, row)
}

// Discard removes every row of ingest id from the batch's transaction: the worker is flushed
// and stopped, the file's rows deleted by ingest id, and a new worker started. If it fails,
// the transaction is broken: the caller rolls it back.
func (b *Batch) Discard(ingestID int64) error {
	// The rows waiting to be sent may include the previous file's: all are flushed, then
	// this file's deleted.
	if err := b.close(); err != nil {
		return err
	}
	for _, t := range tableSpecs {
		// Table names are the fixed ones above, never input.
		if _, err := b.conn.ExecContext(b.ctx, "delete from main."+t.name+" where ingest_id = ?", ingestID); err != nil {
			return fmt.Errorf("discard %s: %w", t.name, err)
		}
	}
	return b.start()
}

// close hands the last rows to the worker and waits for every append to be flushed.
func (b *Batch) close() error {
	if b.closed {
		return b.workErr
	}
	b.closed = true
	err := b.flush()
	close(b.work)
	<-b.done
	if err != nil {
		return err
	}
	return b.workErr
}

// beforeCommit, when a test sets it, is called just before a batch's commit statement.
var beforeCommit func()

// Commit flushes every row, merges the batch's rows (ingest ids first to last) with those
// stored, and commits; the run's key index then knows what the batch stored. On an error
// nothing is committed and the caller calls Rollback.
func (b *Batch) Commit(first, last int64) error {
	if err := b.close(); err != nil {
		return err
	}
	if err := b.merge(first, last); err != nil {
		return err
	}
	if beforeCommit != nil {
		beforeCommit()
	}
	// Not interrupted: DuckDB checkpoints as it commits, and an interrupt there fails the
	// statement though the transaction is committed (a 3M-row table interrupted 20 or 100 ms
	// into its 140 ms commit: "INTERRUPT Error", and the rows there after reopening) — an
	// ingest reported interrupted whose rows are stored. Once merged, the batch commits.
	if _, err := b.conn.ExecContext(context.WithoutCancel(b.ctx), "commit"); err != nil {
		return err
	}
	b.conn.Close()
	b.conn = nil
	b.committed()
	return nil
}

// Rollback ends the batch with nothing of it kept. It is safe after a failed Commit.
func (b *Batch) Rollback() {
	b.close()
	if b.conn == nil {
		return
	}
	// Background context: the rollback must happen even when ctx was cancelled.
	b.conn.ExecContext(context.Background(), "rollback")
	b.conn.Close()
	b.conn = nil
}

// merge resolves keys among the rows the batch appended (ingest ids first to last) and those
// already there. The SQL is built from the fixed table specs above, never from input.
func (b *Batch) merge(first, last int64) error {
	for t := WorkItems; t <= Changes; t++ { // the canonical tables; the run's own need no merge
		st, spec := &b.tables[t], &tableSpecs[t]
		if !st.used {
			continue
		}
		need := st.dup || b.keys == nil
		if !need {
			stored, err := b.keys.stored(b.ctx, spec)
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
		if t == WorkItems {
			if _, err := b.conn.ExecContext(b.ctx, restoreSQL, first, last); err != nil {
				return fmt.Errorf("restore removed items: %w", err)
			}
		}
		if !need {
			continue // every row is new: nothing to resolve
		}
		if _, err := b.conn.ExecContext(b.ctx, mergeSQL(spec), first, last); err != nil {
			return fmt.Errorf("merge %s: %w", spec.name, err)
		}
	}
	return nil
}

// committed tells the run's key index what the batch stored, once its transaction is committed.
func (b *Batch) committed() {
	if b.keys == nil {
		return
	}
	for t := range b.tables {
		stored, ok := b.keys.tables[tableSpecs[t].name]
		if !ok {
			continue // loaded from the warehouse, with these rows, when next needed
		}
		for id := range b.tables[t].ids {
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

// Snapshot is what MarkRemoved did: the projects the snapshot holds, the items of those
// projects it no longer holds (marked removed now), and the removed items it holds again.
type Snapshot struct {
	Projects, Removed, Restored int64
}

// MarkRemoved applies a snapshot whose files were loaded as ingest ids first to last (this
// batch and the run's batches committed before it): every stored item of a (source, project)
// those files hold that none of them holds is recorded in work_item_removals as removed at
// at. Removed items the files hold are restored when the batch commits (Commit deletes their
// removal, as every load of an item does). It must be the last thing before Commit.
func (b *Batch) MarkRemoved(first, last int64, at time.Time) (Snapshot, error) {
	var s Snapshot
	if err := b.close(); err != nil {
		return s, err
	}
	// "present": the items the snapshot's files hold (older versions of them are still
	// stored until Commit's merge, so they are excluded by key, not by ingest id).
	const present = `select distinct source, item_key, project from main.work_items where ingest_id between $1 and $2`
	if err := b.conn.QueryRowContext(b.ctx, `select count(*) from (select distinct source, project from (`+present+`))`, first, last).Scan(&s.Projects); err != nil {
		return s, fmt.Errorf("snapshot: %w", err)
	}
	if err := b.conn.QueryRowContext(b.ctx, `select count(*) from main.work_item_removals as r
where exists (select 1 from (`+present+`) as p where p.source = r.source and p.item_key = r.item_key)`, first, last).Scan(&s.Restored); err != nil {
		return s, fmt.Errorf("snapshot: %w", err)
	}
	res, err := b.conn.ExecContext(b.ctx, `insert into main.work_item_removals
select distinct w.source, w.item_key, w.project, $3::timestamptz, $1
from main.work_items as w
where w.ingest_id < $1
    and exists (select 1 from (`+present+`) as p where p.source = w.source and p.project is not distinct from w.project)
    and not exists (select 1 from (`+present+`) as p where p.source = w.source and p.item_key = w.item_key)
    and not exists (select 1 from main.work_item_removals as r where r.source = w.source and r.item_key = w.item_key)`, first, last, at.UTC())
	if err != nil {
		return s, fmt.Errorf("snapshot: %w", err)
	}
	s.Removed, _ = res.RowsAffected()
	return s, nil
}

// restoreSQL deletes the removal of every item the batch (ingest ids $1 to $2) loaded: an
// item that is in an export again is no longer removed.
const restoreSQL = `delete from main.work_item_removals as r
where exists (select 1 from main.work_items as n where n.ingest_id between $1 and $2 and n.source = r.source and n.item_key = r.item_key)`
