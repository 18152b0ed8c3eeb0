package ingest

import (
	"database/sql/driver"
	"time"
)

// The row types below are the canonical tables of DESIGN §3 as Go values. Each row() lists
// the columns in the order of models/migrations: the Appender writes them positionally, and
// TestRowsMatchSchema keeps the two in step.

// WorkItem is one backlog item.
type WorkItem struct {
	Key, Source, Project, Team, Type, Title, Description, Status, Category, Priority string
	Created, Updated, Resolved, Committed                                            time.Time
	StoryPoints, EstimateHours, SpentHours                                           *float64
	FixVersions, Sprints, Labels, Components                                         []string
	ParentKey, EpicKey, Assignee, URL                                                string
	BusinessValue, TimeCriticality, RiskReduction                                    *float64
	SecurityLevel                                                                    string
	DueDate                                                                          time.Time
	IsPublic                                                                         *bool // the export's own word; nil: the models decide
	Raw                                                                              string
	// StatusCategoryChanged is when the export says the item last changed status category.
	StatusCategoryChanged time.Time
}

func (w *WorkItem) row(ingestID int64) []driver.Value {
	return []driver.Value{w.Key, w.Source, nz(w.Project), nz(w.Team), nz(w.Type), nz(w.Title), nz(w.Description),
		nz(w.Status), nz(w.Category), nz(w.Priority), nt(w.Created), nt(w.Updated), nt(w.Resolved), nt(w.Committed),
		nf(w.StoryPoints), nf(w.EstimateHours), nf(w.SpentHours), nl(w.FixVersions), nl(w.Sprints), nl(w.Labels),
		nl(w.Components), nz(w.ParentKey), nz(w.EpicKey), nz(w.Assignee), nz(w.URL), nf(w.BusinessValue),
		nf(w.TimeCriticality), nf(w.RiskReduction), nz(w.SecurityLevel), nt(w.DueDate), nb(w.IsPublic), ingestID, nz(w.Raw),
		nt(w.StatusCategoryChanged)}
}

// Transition is one change of a tracked field (status, Fix Version, Sprint, Flagged…).
type Transition struct {
	Source, Key string
	At          time.Time
	Field       string
	From, To    string
	// By is who made the change, where the export says.
	By string `json:",omitempty"`
}

// row is the table's column order: the author came later (migration 0009), so it is last.
func (t *Transition) row(ingestID int64) []driver.Value {
	return []driver.Value{t.Source, t.Key, t.At, t.Field, nz(t.From), nz(t.To), ingestID, nz(t.By)}
}

// Link is a dependency or relation between two items.
type Link struct {
	Source, Key, Type, Target string
}

func (l *Link) row(ingestID int64) []driver.Value {
	return []driver.Value{l.Source, l.Key, l.Type, l.Target, ingestID}
}

// Release is a fix version / milestone.
type Release struct {
	Name, Source, Project string
	Planned, Freeze       time.Time
	Released              time.Time
	IsReleased            *bool
	Description, Raw      string
}

func (r *Release) row(ingestID int64) []driver.Value {
	var released any
	if r.IsReleased != nil {
		released = *r.IsReleased
	}
	return []driver.Value{r.Name, r.Source, r.Project, nt(r.Planned), nt(r.Freeze), nt(r.Released), released,
		nz(r.Description), ingestID, nz(r.Raw)}
}

// Deployment is one run of a deployment pipeline into one environment.
type Deployment struct {
	ID, Source, Service, Team, Environment string
	Status, Kind                           string
	Started, Finished                      time.Time
	Version, ChangeID, CommitSHA           string
	CommitTime                             time.Time
	Pipeline, Description                  string
	ItemKeys                               []string
	Raw                                    string
}

func (d *Deployment) row(ingestID int64) []driver.Value {
	// is_production stays NULL: whether an environment is production is the configuration's
	// rule (production_environments), decided by the models at build.
	return []driver.Value{d.ID, d.Source, nz(d.Service), nz(d.Team), nz(d.Environment), nil, d.Status, d.Kind,
		nt(d.Started), nt(d.Finished), nz(d.Version), nz(d.ChangeID), nz(d.CommitSHA), nt(d.CommitTime), nz(d.Pipeline),
		nz(d.Description), nl(d.ItemKeys), ingestID, nz(d.Raw)}
}

// Incident is one production incident or alert.
type Incident struct {
	ID, Source, Service, Team, Severity, Title string
	Created, Acknowledged, Resolved            time.Time
	CausedBy, ChangeID                         string
	ItemKeys                                   []string
	Raw                                        string
}

func (i *Incident) row(ingestID int64) []driver.Value {
	return []driver.Value{i.ID, i.Source, nz(i.Service), nz(i.Team), nz(i.Severity), nz(i.Title), nt(i.Created),
		nt(i.Acknowledged), nt(i.Resolved), nz(i.CausedBy), nz(i.ChangeID), nl(i.ItemKeys), ingestID, nz(i.Raw)}
}

// Change is a change request (RFC).
type Change struct {
	ID, Source, Type, State, Risk, Approval string
	Approved, PlannedStart, PlannedEnd      time.Time
	BackoutPlan, CmdbCI, Service, Team      string
	Release                                 string
	ItemKeys                                []string
	Raw                                     string
}

func (c *Change) row(ingestID int64) []driver.Value {
	return []driver.Value{c.ID, c.Source, nz(c.Type), nz(c.State), nz(c.Risk), nz(c.Approval), nt(c.Approved),
		nt(c.PlannedStart), nt(c.PlannedEnd), nz(c.BackoutPlan), nz(c.CmdbCI), nz(c.Service), nz(c.Team), nz(c.Release),
		nl(c.ItemKeys), ingestID, nz(c.Raw)}
}

func nz(s string) driver.Value {
	if s == "" {
		return nil
	}
	return s
}

func nt(t time.Time) driver.Value {
	if t.IsZero() {
		return nil
	}
	return t
}

func nb(b *bool) driver.Value {
	if b == nil {
		return nil
	}
	return *b
}

func nf(f *float64) driver.Value {
	if f == nil {
		return nil
	}
	return *f
}

func nl(l []string) driver.Value {
	if l == nil {
		return nil
	}
	return l
}
