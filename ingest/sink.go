package ingest

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"strings"

	duckdb "github.com/duckdb/duckdb-go/v2"
)

// tableSpec says how rows of one canonical table are merged into the warehouse.
type tableSpec struct {
	name string
	// keys identify a row. Keyed tables replace the stored row with the same keys (the newest
	// line of the file wins); set tables (history, links) add rows not already present, so
	// overlapping exports never duplicate them and incremental ones never lose them.
	keys []string
	set  bool
	// hasRaw: the table keeps the export's record in a JSON column named raw.
	hasRaw bool
}

var (
	specWorkItems   = tableSpec{name: "work_items", keys: []string{"source", "item_key"}, hasRaw: true}
	specTransitions = tableSpec{name: "work_item_transitions", keys: []string{"source", "item_key", `"at"`, "field", "from_value", "to_value"}, set: true}
	specLinks       = tableSpec{name: "work_item_links", keys: []string{"source", "item_key", "link_type", "target_key"}, set: true}
	specReleases    = tableSpec{name: "releases", keys: []string{"source", "project", "name"}, hasRaw: true}
	specDeployments = tableSpec{name: "deployments", keys: []string{"source", "deployment_id"}, hasRaw: true}
	specIncidents   = tableSpec{name: "incidents", keys: []string{"source", "incident_id"}, hasRaw: true}
	specChanges     = tableSpec{name: "changes", keys: []string{"source", "change_id"}, hasRaw: true}
)

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

// dbSink is the Sink of a real ingest, inside the file's transaction. Rows go through
// DuckDB's Appender into temporary staging tables; merge moves them into the canonical tables.
type dbSink struct {
	ctx    context.Context
	conn   *sql.Conn
	dconn  driver.Conn
	id     int64
	file   string
	stages []*stage
	rej    *duckdb.Appender

	read, rejected int64
	line           int64
	firstRejects   []Reject
}

type stage struct {
	spec tableSpec
	app  *duckdb.Appender
	rows int64
}

// maxShownRejects is how many rejects a run keeps in memory to print; all go to the table.
const maxShownRejects = 5

func newSink(ctx context.Context, conn *sql.Conn, id int64, file string) (*dbSink, error) {
	s := &dbSink{ctx: ctx, conn: conn, id: id, file: file}
	err := conn.Raw(func(dc any) error {
		s.dconn = dc.(driver.Conn)
		var err error
		s.rej, err = duckdb.NewAppender(s.dconn, "", "main", "ingest_rejects")
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("open appender: %w", err)
	}
	return s, nil
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
	return s.rej.AppendRow(s.id, s.file, s.line, reason, raw)
}

// WorkItem stages an item.
func (s *dbSink) WorkItem(w *WorkItem) error { return s.add(specWorkItems, w.row(s.id)) }

// Transition stages one history entry.
func (s *dbSink) Transition(t *Transition) error { return s.add(specTransitions, t.row(s.id)) }

// Link stages one item link.
func (s *dbSink) Link(l *Link) error { return s.add(specLinks, l.row(s.id)) }

// Release stages a release.
func (s *dbSink) Release(r *Release) error { return s.add(specReleases, r.row(s.id)) }

// Deployment stages a deployment.
func (s *dbSink) Deployment(d *Deployment) error { return s.add(specDeployments, d.row(s.id)) }

// Incident stages an incident.
func (s *dbSink) Incident(i *Incident) error { return s.add(specIncidents, i.row(s.id)) }

// Change stages a change request.
func (s *dbSink) Change(c *Change) error { return s.add(specChanges, c.row(s.id)) }

func (s *dbSink) add(spec tableSpec, row []driver.Value) error {
	st, err := s.stage(spec)
	if err != nil {
		return err
	}
	st.rows++
	if err := st.app.AppendRow(append(row, s.line)...); err != nil {
		return fmt.Errorf("line %d: stage %s: %w", s.line, spec.name, err)
	}
	return nil
}

func stageName(spec tableSpec) string { return "_stage_" + spec.name }

func (s *dbSink) stage(spec tableSpec) (*stage, error) {
	for _, st := range s.stages {
		if st.spec.name == spec.name {
			return st, nil
		}
	}
	// Staging tables are temporary and created inside the file's transaction: a rollback
	// takes them away with everything else.
	// raw is staged as VARCHAR and cast to JSON by the merge: handed a string for a JSON
	// column, the Appender would store it as a JSON string literal, not as the object.
	cols := "*"
	if spec.hasRaw {
		cols = "* replace (raw::varchar as raw)"
	}
	ddl := fmt.Sprintf(`create or replace temp table %s as select %s, 0::bigint as _line from main.%s limit 0`, stageName(spec), cols, spec.name)
	if _, err := s.conn.ExecContext(s.ctx, ddl); err != nil {
		return nil, fmt.Errorf("create staging for %s: %w", spec.name, err)
	}
	app, err := duckdb.NewAppender(s.dconn, "temp", "main", stageName(spec))
	if err != nil {
		return nil, fmt.Errorf("appender for %s: %w", spec.name, err)
	}
	st := &stage{spec: spec, app: app}
	s.stages = append(s.stages, st)
	return st, nil
}

// close flushes and closes every appender; it must run before the staged rows are read.
func (s *dbSink) close() error {
	var first error
	for _, st := range s.stages {
		if st.app != nil {
			if err := st.app.Close(); err != nil && first == nil {
				first = fmt.Errorf("stage %s: %w", st.spec.name, err)
			}
			st.app = nil
		}
	}
	if s.rej != nil {
		if err := s.rej.Close(); err != nil && first == nil {
			first = fmt.Errorf("ingest_rejects: %w", err)
		}
		s.rej = nil
	}
	return first
}

// merge moves the staged rows into the canonical tables.
func (s *dbSink) merge() error {
	for _, st := range s.stages {
		for _, q := range mergeSQL(st.spec) {
			if _, err := s.conn.ExecContext(s.ctx, q); err != nil {
				return fmt.Errorf("merge %s: %w", st.spec.name, err)
			}
		}
		if _, err := s.conn.ExecContext(s.ctx, "drop table temp.main."+stageName(st.spec)); err != nil {
			return err
		}
	}
	return nil
}

// mergeSQL is built from the fixed table specs above, never from input.
func mergeSQL(spec tableSpec) []string {
	stg := "temp.main." + stageName(spec)
	keys := strings.Join(spec.keys, ", ")
	var on []string
	for _, k := range spec.keys {
		on = append(on, fmt.Sprintf("t.%[1]s is not distinct from s.%[1]s", k))
	}
	match := strings.Join(on, " and ")
	if spec.set {
		return []string{fmt.Sprintf(`insert into main.%[1]s
select * exclude (_line) from (
    select * from %[2]s qualify row_number() over (partition by %[3]s order by _line) = 1
) as s
where not exists (select 1 from main.%[1]s as t where %[4]s)`, spec.name, stg, keys, match)}
	}
	return []string{
		fmt.Sprintf(`delete from main.%s as t using %s as s where %s`, spec.name, stg, match),
		fmt.Sprintf(`insert into main.%s
select * exclude (_line) from %s
qualify row_number() over (partition by %s order by _line desc) = 1`, spec.name, stg, keys),
	}
}
