package ingest

// MemSink is a Sink that keeps rows in memory: for golden tests, fuzzing and dry runs.
type MemSink struct {
	Read        int64
	Rejects     []Reject
	WorkItems   []WorkItem
	Transitions []Transition
	Links       []Link
	Releases    []Release
	Deployments []Deployment
	Incidents   []Incident
	Changes     []Change
	Notes       []Note
	line        int64
}

// Record implements Sink.
func (m *MemSink) Record(line int64) { m.Read++; m.line = line }

// Reject implements Sink.
func (m *MemSink) Reject(reason, raw string) error {
	m.Rejects = append(m.Rejects, Reject{Line: m.line, Reason: reason, Raw: raw})
	return nil
}

// WorkItem implements Sink.
func (m *MemSink) WorkItem(w *WorkItem) error { m.WorkItems = append(m.WorkItems, *w); return nil }

// Transition implements Sink.
func (m *MemSink) Transition(t *Transition) error {
	m.Transitions = append(m.Transitions, *t)
	return nil
}

// Link implements Sink.
func (m *MemSink) Link(l *Link) error { m.Links = append(m.Links, *l); return nil }

// Release implements Sink.
func (m *MemSink) Release(r *Release) error { m.Releases = append(m.Releases, *r); return nil }

// Deployment implements Sink.
func (m *MemSink) Deployment(d *Deployment) error {
	m.Deployments = append(m.Deployments, *d)
	return nil
}

// Incident implements Sink.
func (m *MemSink) Incident(i *Incident) error { m.Incidents = append(m.Incidents, *i); return nil }

// Change implements Sink.
func (m *MemSink) Change(c *Change) error { m.Changes = append(m.Changes, *c); return nil }

// Note implements Sink.
func (m *MemSink) Note(n Note) error { m.Notes = append(m.Notes, n); return nil }

// replay hands every row m holds to s, table by table in the order each was received.
func (m *MemSink) replay(s Sink) error {
	for i := range m.WorkItems {
		if err := s.WorkItem(&m.WorkItems[i]); err != nil {
			return err
		}
	}
	for i := range m.Transitions {
		if err := s.Transition(&m.Transitions[i]); err != nil {
			return err
		}
	}
	for i := range m.Releases {
		if err := s.Release(&m.Releases[i]); err != nil {
			return err
		}
	}
	for i := range m.Links {
		if err := s.Link(&m.Links[i]); err != nil {
			return err
		}
	}
	for i := range m.Deployments {
		if err := s.Deployment(&m.Deployments[i]); err != nil {
			return err
		}
	}
	for i := range m.Incidents {
		if err := s.Incident(&m.Incidents[i]); err != nil {
			return err
		}
	}
	for i := range m.Changes {
		if err := s.Change(&m.Changes[i]); err != nil {
			return err
		}
	}
	for _, n := range m.Notes {
		if err := s.Note(n); err != nil {
			return err
		}
	}
	return nil
}
