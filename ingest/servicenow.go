package ingest

import (
	"bytes"
	"context"
	"io"
	"strings"
	"time"
)

// ServiceNow list exports (a list view → right-click the header → Export → CSV, or
// …/incident_list.do?CSV): the header is either the fields' names (opened_at, cmdb_ci) or their
// labels (Opened, Configuration item), depending on the instance's export settings; values are
// display values ("1 - Critical", "Payments (payments.team)"); the file is Windows-1252 or
// UTF-8 with or without a BOM; dates follow the exporting user's format, so a numeric date's
// day/month order is decided from the whole file (or --date-order).

// snColumns maps each concept to its field name and label spellings (normalised).
var snColumns = map[string][]string{
	"number":            {"number"},
	"short_description": {"short_description"},
	"priority":          {"priority"},
	"severity":          {"severity"},
	"state":             {"state", "incident_state"},
	"opened":            {"opened_at", "opened", "sys_created_on", "created"},
	"resolved":          {"resolved_at", "resolved"},
	"acknowledged":      {"acknowledged_at", "u_acknowledged_at", "acknowledged"},
	"closed":            {"closed_at", "closed"},
	"cmdb_ci":           {"cmdb_ci", "configuration_item"},
	"service":           {"business_service", "service", "u_service"},
	"group":             {"assignment_group", "u_assignment_group"},
	"caused_by":         {"caused_by", "caused_by_change"},
	"type":              {"type", "chg_model", "model"},
	"risk":              {"risk"},
	"approval":          {"approval"},
	"approved":          {"approval_set"},
	"start":             {"start_date", "planned_start_date"},
	"end":               {"end_date", "planned_end_date"},
	"backout":           {"backout_plan"},
	"release":           {"u_release", "release"},
}

// sn reads a concept's value from the current record.
func sn(t *csvTable, concept string) string { return t.first(snColumns[concept]...) }

func snHas(s *Sniff, concept string) bool {
	for _, c := range snColumns[concept] {
		if s.Has(c) {
			return true
		}
	}
	return false
}

// snDisplay strips the "(user id)" a reference's display value may carry: "Jo Schmidt (jschmidt)".
func snDisplay(v string) string {
	if i := strings.LastIndex(v, " ("); i > 0 && strings.HasSuffix(v, ")") && !strings.Contains(v[i+2:len(v)-1], " ") {
		return v[:i]
	}
	return v
}

// snDates decides the file's day/month order from every date cell, then returns the parser.
// The header is read as the records will be — the user's columns: mapping applied — so a
// mapped date column counts too.
func snDates(data []byte, in *Input, cols *csvColumns, concepts ...string) *DateParser {
	p := *in.Dates
	if in.Dates.Order != OrderAuto {
		return &p
	}
	t, err := openCSV(bytes.NewReader(data))
	if err != nil {
		return &p
	}
	t.rename(cols, in.Columns)
	var idx []int
	for _, c := range concepts {
		for _, h := range snColumns[c] {
			idx = append(idx, t.pos[h]...)
		}
	}
	var vals []string
	for {
		ok, err := t.next()
		if err != nil || !ok {
			break
		}
		for _, i := range idx {
			if i < len(t.rec) && t.rec[i] != "" {
				vals = append(vals, t.rec[i])
			}
		}
	}
	p.Order = dateOrderOf(vals)
	return &p
}

// snLoad reads the whole file (it is read twice: once for the date order) and runs mapRow.
func snLoad(ctx context.Context, in *Input, sink Sink, format string, cols *csvColumns, dateConcepts []string, mapRow func(*csvTable, *DateParser) error) error {
	data, err := io.ReadAll(in.R)
	if err != nil {
		return err
	}
	dates := snDates(data, in, cols, dateConcepts...)
	sub := *in
	sub.R = bytes.NewReader(data)
	return eachCSVRecord(ctx, &sub, sink, format, cols, func(t *csvTable) error { return mapRow(t, dates) })
}

// snNumbered reports whether the sniffed records' numbers are of a ServiceNow table: INC0010023
// for incidents, CHG0030001 for changes — what identifies an export whatever columns it has.
func snNumbered(s *Sniff, prefixes ...string) bool {
	nums := s.Column("number")
	if len(nums) == 0 {
		return false
	}
	for _, n := range nums {
		if !snNumber(n, prefixes) {
			return false
		}
	}
	return true
}

func snNumber(v string, prefixes []string) bool {
	for _, p := range prefixes {
		if len(v) > len(p) && strings.EqualFold(v[:len(p)], p) {
			if _, ok := digits(v[len(p):]); ok {
				return true
			}
		}
	}
	return false
}

// snClass reports whether the export, with a record number column, says its records are of
// class: ServiceNow's sys_class_name field (incident, change_request).
func snClass(s *Sniff, class string) bool {
	if !s.Has("number") {
		return false
	}
	for _, v := range s.Column("sys_class_name") {
		if strings.EqualFold(v, class) {
			return true
		}
	}
	return false
}

const servicenowSource = "servicenow"

type servicenowIncidents struct{}

func (servicenowIncidents) Name() string     { return "servicenow-incident" }
func (servicenowIncidents) Describe() string { return "ServiceNow incident list export (CSV)" }

// Incident and NOC numbers (INC0010023) identify an incident export, whatever columns the
// list view had; without records, the old header rule decides.
func (servicenowIncidents) Detect(s *Sniff) float64 {
	switch {
	case snClass(s, "incident"), snNumbered(s, "INC", "NOC"):
		return 3
	case s.Has("number") && snHas(s, "opened") && snHas(s, "short_description") &&
		(s.Has("caller_id") || s.Has("caller") || s.Has("incident_state") || s.Has("impact") || s.Has("urgency") || snHas(s, "caused_by")):
		return 3
	}
	return 0
}

// snIncidentColumns: only the number is required. Team falls back to the assignment group, a
// service to the configuration item; an incident with neither has no service.
var snIncidentColumns = &csvColumns{
	identity: []string{"number"},
	canonical: map[string]string{
		"incident_id": "number", "title": "short_description", "severity": "priority", "state": "state",
		"created_at": "opened_at", "acknowledged_at": "acknowledged_at", "resolved_at": "resolved_at",
		"closed_at": "closed_at", "service": "business_service", "cmdb_ci": "cmdb_ci", "team": "assignment_group",
		"change_id": "caused_by",
	},
	notes: []columnNote{
		{snColumns["opened"], "incidents", "no Opened (Created) column: add it to the list view (without it the incidents are in no incident metric)"},
		{append(append([]string{}, snColumns["resolved"]...), snColumns["closed"]...), "incident_resolve_time",
			"no Resolved or Closed column: add one to the list view (for the time to resolve, MTTR)"},
		{append(append([]string{}, snColumns["service"]...), snColumns["cmdb_ci"]...), "incident_deployment_link",
			"no Service or Configuration item column: add one to the list view (it attributes incidents to a service's deployments)"},
	},
}

func (servicenowIncidents) columns() *csvColumns { return snIncidentColumns }

func (f servicenowIncidents) Load(ctx context.Context, in *Input, sink Sink) error {
	return snLoad(ctx, in, sink, f.Name(), snIncidentColumns, []string{"opened", "resolved", "closed", "acknowledged"}, func(t *csvTable, dates *DateParser) error {
		inc := &Incident{ID: sn(t, "number"), Source: servicenowSource, Title: sn(t, "short_description"),
			Severity: firstNonEmpty(sn(t, "priority"), sn(t, "severity")), ChangeID: snDisplay(sn(t, "caused_by"))}
		inc.Service = snDisplay(firstNonEmpty(sn(t, "service"), sn(t, "cmdb_ci")))
		if inc.ID == "" {
			return rowErrf("number is empty")
		}
		var err error
		if inc.Created, err = dates.Parse(sn(t, "opened")); err != nil {
			return rowErrf("%s: opened %v", inc.ID, err)
		}
		if inc.Resolved, err = dates.Parse(firstNonEmpty(sn(t, "resolved"), sn(t, "closed"))); err != nil {
			return rowErrf("%s: resolved %v", inc.ID, err)
		}
		if inc.Acknowledged, err = dates.Parse(sn(t, "acknowledged")); err != nil {
			return rowErrf("%s: acknowledged %v", inc.ID, err)
		}
		inc.Team = teamFor(in, snDisplay(sn(t, "group")), inc.Service)
		inc.Raw = t.rawJSONOrig()
		return sink.Incident(inc)
	})
}

type servicenowChanges struct{}

func (servicenowChanges) Name() string     { return "servicenow-change" }
func (servicenowChanges) Describe() string { return "ServiceNow change_request list export (CSV)" }

// Change numbers (CHG0030001) or the class change_request identify a change export, whatever
// columns the list view had; without records, the old header rule decides.
func (servicenowChanges) Detect(s *Sniff) float64 {
	switch {
	case snClass(s, "change_request"), snNumbered(s, "CHG"):
		return 3
	case s.Has("number") && snHas(s, "start") && snHas(s, "type") && (snHas(s, "approval") || snHas(s, "risk") || snHas(s, "backout")):
		return 3
	}
	return 0
}

// snChangeColumns: only the number is required.
var snChangeColumns = &csvColumns{
	identity: []string{"number"},
	canonical: map[string]string{
		"change_id": "number", "change_type": "type", "state": "state", "risk": "risk", "approval": "approval",
		"approved_at": "approval_set", "planned_start": "start_date", "planned_end": "end_date",
		"backout_plan": "backout_plan", "cmdb_ci": "cmdb_ci", "service": "business_service", "team": "assignment_group",
		"release": "u_release",
	},
	notes: []columnNote{
		{snColumns["type"], "change_records", "no Type column: add it to the list view (it tells standard, normal and emergency changes apart)"},
		{snColumns["approval"], "change_records", "no Approval column: add it to the list view (whether each change was approved)"},
		{snColumns["start"], "change_records", "no Planned start date column: add it to the list view (the planned window, expected downtime)"},
		{snColumns["backout"], "change_records", "no Backout plan column: add it to the list view (back-out plans are checked)"},
	},
}

func (servicenowChanges) columns() *csvColumns { return snChangeColumns }

func (f servicenowChanges) Load(ctx context.Context, in *Input, sink Sink) error {
	return snLoad(ctx, in, sink, f.Name(), snChangeColumns, []string{"start", "end", "approved"}, func(t *csvTable, dates *DateParser) error {
		c := &Change{ID: sn(t, "number"), Source: servicenowSource, State: sn(t, "state"), Risk: snDisplay(sn(t, "risk")),
			Approval: sn(t, "approval"), BackoutPlan: sn(t, "backout"), CmdbCI: snDisplay(sn(t, "cmdb_ci")),
			Release: sn(t, "release")}
		if c.ID == "" {
			return rowErrf("number is empty")
		}
		if typ := stripSNPrefix(sn(t, "type")); typ != "" {
			var err error
			if c.Type, err = ChangeType(typ); err != nil {
				return rowErrf("%s: %v", c.ID, err)
			}
		}
		for _, d := range []struct {
			concept string
			into    *time.Time
		}{{"start", &c.PlannedStart}, {"end", &c.PlannedEnd}, {"approved", &c.Approved}} {
			tm, err := dates.Parse(sn(t, d.concept))
			if err != nil {
				return rowErrf("%s: %s %v", c.ID, d.concept, err)
			}
			*d.into = tm
		}
		c.Service = snDisplay(firstNonEmpty(sn(t, "service"), sn(t, "cmdb_ci")))
		c.Team = teamFor(in, snDisplay(sn(t, "group")), c.Service)
		c.Raw = t.rawJSONOrig()
		return sink.Change(c)
	})
}

// stripSNPrefix drops ServiceNow's numeric choice prefix: "2 - Normal" → "Normal".
func stripSNPrefix(v string) string {
	if i := strings.Index(v, " - "); i > 0 && i <= 3 {
		if _, ok := digits(strings.TrimSpace(v[:i])); ok {
			return v[i+3:]
		}
	}
	return v
}
