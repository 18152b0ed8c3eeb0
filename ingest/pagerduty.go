package ingest

import (
	"context"
	json "github.com/goccy/go-json"
	"strconv"
	"strings"
	"time"
)

// pagerdutyJSON reads PagerDuty REST incidents (GET /incidents, {"incidents": [...]}, pages as
// separate files or an array). A resolved incident's resolution is its last_status_change_at;
// the first acknowledgement its acknowledgement. The service is the incident's service summary.
type pagerdutyJSON struct{}

func (pagerdutyJSON) Name() string     { return "pagerduty-json" }
func (pagerdutyJSON) Describe() string { return "PagerDuty REST incidents (GET /incidents)" }

func (pagerdutyJSON) Detect(s *Sniff) float64 {
	h := jsonHead(s)
	if len(h) == 0 || (h[0] != '{' && h[0] != '[') {
		return 0
	}
	if hasAll(h, "incident_number", "created_at") && (hasAll(h, "incidents") || hasAll(h, "escalation_policy") || hasAll(h, "urgency")) {
		return 3
	}
	return 0
}

const pagerdutySource = "pagerduty"

func (pagerdutyJSON) Load(ctx context.Context, in *Input, sink Sink) error {
	return loadJSONRecords(ctx, in, sink, []string{"incidents"}, func(raw json.RawMessage) error {
		var v struct {
			ID                 string `json:"id"`
			Number             int    `json:"incident_number"`
			Title              string `json:"title"`
			Summary            string `json:"summary"`
			Status             string `json:"status"`
			Urgency            string `json:"urgency"`
			CreatedAt          string `json:"created_at"`
			LastStatusChangeAt string `json:"last_status_change_at"`
			ResolvedAt         string `json:"resolved_at"`
			Service            *struct {
				Summary string `json:"summary"`
			} `json:"service"`
			Priority *struct {
				Summary string `json:"summary"`
			} `json:"priority"`
			Acknowledgements []struct {
				At string `json:"at"`
			} `json:"acknowledgements"`
			Teams []struct {
				Summary string `json:"summary"`
			} `json:"teams"`
		}
		if err := json.Unmarshal(raw, &v); err != nil || v.ID == "" {
			return rowErrf("not a PagerDuty incident")
		}
		inc := &Incident{ID: v.ID, Source: pagerdutySource, Title: firstNonEmpty(v.Title, v.Summary), Severity: v.Urgency}
		if v.Priority != nil && v.Priority.Summary != "" {
			inc.Severity = v.Priority.Summary
		}
		if v.Service != nil {
			inc.Service = v.Service.Summary
		}
		if inc.Service == "" {
			return rowErrf("incident %s has no service", v.ID)
		}
		var err error
		if inc.Created, err = in.Dates.Parse(v.CreatedAt); err != nil || inc.Created.IsZero() {
			return rowErrf("incident %s created_at %q: want a time", v.ID, v.CreatedAt)
		}
		if v.Status == "resolved" {
			at := firstNonEmpty(v.ResolvedAt, v.LastStatusChangeAt)
			if inc.Resolved, err = in.Dates.Parse(at); err != nil {
				return rowErrf("incident %s resolution %v", v.ID, err)
			}
		}
		for _, a := range v.Acknowledgements {
			if t, err := in.Dates.Parse(a.At); err == nil && !t.IsZero() && (inc.Acknowledged.IsZero() || t.Before(inc.Acknowledged)) {
				inc.Acknowledged = t
			}
		}
		team := ""
		if len(v.Teams) > 0 {
			team = v.Teams[0].Summary
		}
		inc.Team = teamFor(in, team, inc.Service)
		inc.Raw = string(raw)
		return sink.Incident(inc)
	})
}

// pagerdutyCSV reads PagerDuty's incident CSV downloads (the Incidents page and the incident
// reports), whose column names differ by report: created_on or created_at, service_name or
// service, resolved_on or resolved_at, and so on.
type pagerdutyCSV struct{}

func (pagerdutyCSV) Name() string     { return "pagerduty-csv" }
func (pagerdutyCSV) Describe() string { return "PagerDuty incidents CSV download" }

func (pagerdutyCSV) Detect(s *Sniff) float64 {
	created := s.Has("created_on") || s.Has("created_at")
	service := s.Has("service_name") || s.Has("service")
	number := s.Has("incident_number") || s.Has("incident_id")
	if created && service && number && (s.Has("urgency") || s.Has("escalation_policy_name") || s.Has("resolved_on")) {
		return 3
	}
	return 0
}

// pagerdutyCSVColumns: only an incident id or number is required.
var pagerdutyCSVColumns = &csvColumns{
	identity: []string{"id", "incident_id", "incident_number"},
	canonical: map[string]string{
		"incident_id": "id", "service": "service_name", "title": "title", "severity": "priority",
		"created_at": "created_on", "resolved_at": "resolved_on", "acknowledged_at": "acknowledged_on",
		"team": "team_name",
	},
	notes: []columnNote{
		{[]string{"created_on", "created_at"}, "incidents", "no created_on column: download it with the incidents (without it they are in no incident metric)"},
		{[]string{"service_name", "service"}, "incident_deployment_link", "no service_name column: download it with the incidents (it attributes them to a service's deployments)"},
	},
}

func (pagerdutyCSV) columns() *csvColumns { return pagerdutyCSVColumns }

func (f pagerdutyCSV) Load(ctx context.Context, in *Input, sink Sink) error {
	return eachCSVRecord(ctx, in, sink, f.Name(), pagerdutyCSVColumns, func(t *csvTable) error {
		id := t.first("id", "incident_id", "incident_number")
		if id == "" {
			return rowErrf("no incident id or number")
		}
		inc := &Incident{ID: id, Source: pagerdutySource, Service: t.first("service_name", "service"),
			Title: t.first("title", "description", "summary"), Severity: t.first("priority", "urgency")}
		var err error
		if inc.Created, err = in.Dates.Parse(t.first("created_on", "created_at")); err != nil {
			return rowErrf("created %v", err)
		}
		if r := t.first("resolved_on", "resolved_at"); r != "" {
			if inc.Resolved, err = in.Dates.Parse(r); err != nil {
				return rowErrf("resolved %v", err)
			}
		} else if secs := t.first("seconds_to_resolve", "duration_in_seconds"); secs != "" && !inc.Created.IsZero() && strings.EqualFold(t.get("status"), "resolved") {
			n, err := strconv.ParseFloat(secs, 64)
			if err != nil {
				return rowErrf("seconds_to_resolve %q: want a number", secs)
			}
			inc.Resolved = inc.Created.Add(time.Duration(n * float64(time.Second)))
		}
		if a := t.first("acknowledged_on", "acknowledged_at", "first_acknowledged_at"); a != "" {
			inc.Acknowledged, _ = in.Dates.Parse(a)
		}
		inc.Team = teamFor(in, t.first("team_name", "team", "teams"), inc.Service)
		inc.Raw = t.rawJSONOrig()
		return sink.Incident(inc)
	})
}

// opsgenieJSON reads Opsgenie alerts (GET /v2/alerts, {"data": [...]}). The service is the
// value of a "service:NAME" tag, else the alert's entity or source; a closed alert resolved
// report.closeTime milliseconds after it was created, acknowledged after report.ackTime.
type opsgenieJSON struct{}

func (opsgenieJSON) Name() string     { return "opsgenie-json" }
func (opsgenieJSON) Describe() string { return "Opsgenie alerts (GET /v2/alerts)" }

func (opsgenieJSON) Detect(s *Sniff) float64 {
	h := jsonHead(s)
	if len(h) == 0 || (h[0] != '{' && h[0] != '[') {
		return 0
	}
	if hasAll(h, "tinyId", "createdAt") || (hasAll(h, "data", "requestId") && hasAll(h, "alias")) {
		return 3
	}
	return 0
}

func (opsgenieJSON) Load(ctx context.Context, in *Input, sink Sink) error {
	return loadJSONRecords(ctx, in, sink, []string{"data"}, func(raw json.RawMessage) error {
		var v struct {
			ID        string   `json:"id"`
			TinyID    string   `json:"tinyId"`
			Message   string   `json:"message"`
			Status    string   `json:"status"`
			Priority  string   `json:"priority"`
			CreatedAt string   `json:"createdAt"`
			Tags      []string `json:"tags"`
			Entity    string   `json:"entity"`
			Source    string   `json:"source"`
			Report    *struct {
				AckTime   *int64 `json:"ackTime"`
				CloseTime *int64 `json:"closeTime"`
			} `json:"report"`
		}
		if err := json.Unmarshal(raw, &v); err != nil || v.ID == "" {
			return rowErrf("not an Opsgenie alert")
		}
		inc := &Incident{ID: v.ID, Source: "opsgenie", Title: v.Message, Severity: v.Priority}
		for _, t := range v.Tags {
			if name, ok := strings.CutPrefix(t, "service:"); ok {
				inc.Service = name
				break
			}
		}
		inc.Service = firstNonEmpty(inc.Service, v.Entity, v.Source)
		if inc.Service == "" {
			return rowErrf("alert %s: no service (tag it service:NAME, or set its entity)", firstNonEmpty(v.TinyID, v.ID))
		}
		var err error
		if inc.Created, err = in.Dates.Parse(v.CreatedAt); err != nil || inc.Created.IsZero() {
			return rowErrf("alert %s createdAt %q: want a time", v.ID, v.CreatedAt)
		}
		if v.Report != nil {
			if v.Report.AckTime != nil {
				inc.Acknowledged = inc.Created.Add(time.Duration(*v.Report.AckTime) * time.Millisecond)
			}
			if v.Report.CloseTime != nil && v.Status == "closed" {
				inc.Resolved = inc.Created.Add(time.Duration(*v.Report.CloseTime) * time.Millisecond)
			}
		}
		inc.Team = teamFor(in, "", inc.Service)
		inc.Raw = string(raw)
		return sink.Incident(inc)
	})
}
