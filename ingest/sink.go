package ingest

import (
	"database/sql/driver"
	"time"

	"github.com/relscope/relscope/ingest/loader"
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
	// Note records, once per file, a column the export left out (see csvColumns).
	Note(Note) error
}

// dbSink is the Sink of a real ingest: it counts the current file's records and rejects and
// hands its rows, under the file's ingest id, to the batch the loader holds open.
type dbSink struct {
	b *loader.Batch

	// The file being loaded: its ingest id, name and counts (startFile resets them).
	id             int64
	file           string
	read, rejected int64
	line           int64
	firstRejects   []Reject
	// notes are the file's columns it lacked, written with its run (format known then).
	notes []Note
}

// maxShownRejects is how many rejects a file keeps in memory to print; all go to the table.
const maxShownRejects = 5

// startFile makes the rows that follow belong to file, under ingest id.
func (s *dbSink) startFile(id int64, file string) {
	s.id, s.file = id, file
	s.read, s.rejected, s.line, s.firstRejects, s.notes = 0, 0, 0, nil, nil
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
	return s.b.Append(loader.Rejects, []driver.Value{s.id, s.file, s.line, reason, raw})
}

// WorkItem stages an item.
func (s *dbSink) WorkItem(w *WorkItem) error { return s.b.Add(loader.WorkItems, w.row(s.id)) }

// Transition stages one history entry.
func (s *dbSink) Transition(t *Transition) error { return s.b.Add(loader.Transitions, t.row(s.id)) }

// Link stages one item link.
func (s *dbSink) Link(l *Link) error { return s.b.Add(loader.Links, l.row(s.id)) }

// Release stages a release.
func (s *dbSink) Release(r *Release) error { return s.b.Add(loader.Releases, r.row(s.id)) }

// Deployment stages a deployment.
func (s *dbSink) Deployment(d *Deployment) error { return s.b.Add(loader.Deployments, d.row(s.id)) }

// Incident stages an incident.
func (s *dbSink) Incident(i *Incident) error { return s.b.Add(loader.Incidents, i.row(s.id)) }

// Change stages a change request.
func (s *dbSink) Change(c *Change) error { return s.b.Add(loader.Changes, c.row(s.id)) }

// Note records a column the current file lacks.
func (s *dbSink) Note(n Note) error {
	s.notes = append(s.notes, n)
	return nil
}

// fileDone appends the file's ingest_runs row, once its rows are all read.
func (s *dbSink) fileDone(sum, format string, started time.Time) error {
	for _, n := range s.notes {
		if err := s.b.Append(loader.Notes, []driver.Value{s.id, s.file, format, n.Column, n.Metric, n.Text}); err != nil {
			return err
		}
	}
	return s.b.Append(loader.Runs, []driver.Value{s.id, s.file, sum, format, started, time.Now().UTC(), s.read, s.read - s.rejected, s.rejected})
}

// discard removes every row of the current file from the batch's transaction.
func (s *dbSink) discard() error { return s.b.Discard(s.id) }
