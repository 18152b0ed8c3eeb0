package ingest

import (
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"slices"
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
	"closed":            {"closed_at", "closed"},
	"cmdb_ci":           {"cmdb_ci", "configuration_item"},
	"service":           {"business_service", "service", "u_service"},
	"group":             {"assignment_group"},
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
func snDates(data []byte, in *Input, concepts ...string) *DateParser {
	p := *in.Dates
	if p.Order != OrderAuto {
		return &p
	}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, utf8BOM)))
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	header, err := r.Read()
	if err != nil {
		return &p
	}
	var cols []int
	for i, h := range header {
		for _, c := range concepts {
			if slices.Contains(snColumns[c], normaliseHeader(h)) {
				cols = append(cols, i)
			}
		}
	}
	var vals []string
	for {
		rec, err := r.Read()
		if err == io.EOF || (err != nil && !isParseErr(err)) {
			break
		}
		for _, i := range cols {
			if i < len(rec) && rec[i] != "" {
				vals = append(vals, rec[i])
			}
		}
	}
	p.Order = dateOrderOf(vals)
	return &p
}

func isParseErr(err error) bool {
	_, ok := err.(*csv.ParseError)
	return ok
}

// snLoad reads the whole file (it is read twice: once for the date order) and runs mapRow.
func snLoad(ctx context.Context, in *Input, sink Sink, format string, dateConcepts []string, mapRow func(*csvTable, *DateParser) error) error {
	data, err := io.ReadAll(in.R)
	if err != nil {
		return err
	}
	dates := snDates(data, in, dateConcepts...)
	sub := *in
	sub.R = bytes.NewReader(data)
	return eachCSVRow(ctx, &sub, sink, format, []string{"number"}, func(t *csvTable) error { return mapRow(t, dates) })
}

const servicenowSource = "servicenow"

type servicenowIncidents struct{}

func (servicenowIncidents) Name() string     { return "servicenow-incident" }
func (servicenowIncidents) Describe() string { return "ServiceNow incident list export (CSV)" }

func (servicenowIncidents) Detect(s *Sniff) float64 {
	if s.Has("number") && snHas(s, "opened") && snHas(s, "short_description") &&
		(s.Has("caller_id") || s.Has("caller") || s.Has("incident_state") || s.Has("impact") || s.Has("urgency") || snHas(s, "caused_by")) {
		return 3
	}
	return 0
}

func (f servicenowIncidents) Load(ctx context.Context, in *Input, sink Sink) error {
	return snLoad(ctx, in, sink, f.Name(), []string{"opened", "resolved", "closed"}, func(t *csvTable, dates *DateParser) error {
		inc := &Incident{ID: sn(t, "number"), Source: servicenowSource, Title: sn(t, "short_description"),
			Severity: firstNonEmpty(sn(t, "priority"), sn(t, "severity")), ChangeID: snDisplay(sn(t, "caused_by"))}
		inc.Service = snDisplay(firstNonEmpty(sn(t, "service"), sn(t, "cmdb_ci")))
		if inc.ID == "" {
			return rowErrf("number is empty")
		}
		if inc.Service == "" {
			return rowErrf("%s: no configuration item or service", inc.ID)
		}
		opened := sn(t, "opened")
		var err error
		if inc.Created, err = dates.Parse(opened); err != nil || inc.Created.IsZero() {
			return rowErrf("%s: opened %q: %v", inc.ID, opened, orEmpty(err))
		}
		resolved := firstNonEmpty(sn(t, "resolved"), sn(t, "closed"))
		if inc.Resolved, err = dates.Parse(resolved); err != nil {
			return rowErrf("%s: resolved %v", inc.ID, err)
		}
		inc.Team = teamFor(in, snDisplay(sn(t, "group")), inc.Service)
		inc.Raw = t.rawJSONOrig()
		return sink.Incident(inc)
	})
}

type servicenowChanges struct{}

func (servicenowChanges) Name() string     { return "servicenow-change" }
func (servicenowChanges) Describe() string { return "ServiceNow change_request list export (CSV)" }

func (servicenowChanges) Detect(s *Sniff) float64 {
	if s.Has("number") && snHas(s, "start") && snHas(s, "type") && (snHas(s, "approval") || snHas(s, "risk") || snHas(s, "backout")) {
		return 3
	}
	return 0
}

func (f servicenowChanges) Load(ctx context.Context, in *Input, sink Sink) error {
	return snLoad(ctx, in, sink, f.Name(), []string{"start", "end", "approved"}, func(t *csvTable, dates *DateParser) error {
		c := &Change{ID: sn(t, "number"), Source: servicenowSource, State: sn(t, "state"), Risk: snDisplay(sn(t, "risk")),
			Approval: sn(t, "approval"), BackoutPlan: sn(t, "backout"), CmdbCI: snDisplay(sn(t, "cmdb_ci")),
			Release: sn(t, "release")}
		if c.ID == "" {
			return rowErrf("number is empty")
		}
		typ, err := ChangeType(stripSNPrefix(sn(t, "type")))
		if err != nil {
			return rowErrf("%s: %v", c.ID, err)
		}
		c.Type = typ
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

func orEmpty(err error) any {
	if err == nil {
		return "is empty"
	}
	return err
}
