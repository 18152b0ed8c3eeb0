// Package notify tells people what a job run did and what changed since the job's previous
// run: it diffs what the run saw in the marts against what the previous run saw (Observe,
// Diff), shapes a run's message for a webhook — Slack-compatible, a Teams Adaptive Card, or
// JSON signed per Standard Webhooks — and delivers it with bounded retries (Deliver), never
// printing a URL or a secret.
package notify

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// EventType names a kind of event; a target's events: list filters on these names.
type EventType string

// The events of DESIGN §8.
const (
	// JobFinished: the run ended with every output written.
	JobFinished EventType = "job_finished"
	// JobFailed: the run failed; the previous outputs are still in place.
	JobFailed EventType = "job_failed"
	// BlockerChanged: an item that blocks another team's item changed status.
	BlockerChanged EventType = "blocker_changed"
	// ItemSlipped: an item left an upcoming release, or the release's P85 date moved past
	// its planned date.
	ItemSlipped EventType = "item_slipped"
	// ReadinessChanged: an upcoming release's go/no-go verdict changed.
	ReadinessChanged EventType = "readiness_changed"
	// BandChanged: a team's DORA band got worse, or recovered after getting worse.
	BandChanged EventType = "band_changed"
)

// EventTypes lists every event type, in the order messages show them.
func EventTypes() []EventType {
	return []EventType{JobFinished, JobFailed, BlockerChanged, ItemSlipped, ReadinessChanged, BandChanged}
}

// ParseEventType reads an event name of a jobs file.
func ParseEventType(s string) (EventType, bool) {
	for _, t := range EventTypes() {
		if string(t) == s {
			return t, true
		}
	}
	return "", false
}

// Event is one thing worth telling. Summary is the sentence people read; the other fields are
// for machines (the json format carries them all).
type Event struct {
	Type    EventType `json:"type"`
	Summary string    `json:"summary"`
	// Subject is what the event is about: an item key, a release, "team / metric".
	Subject string `json:"subject"`
	// From and To are the state before and after, where the event is a change.
	From string `json:"from,omitempty"`
	To   string `json:"to,omitempty"`
	// Detail holds the rest (the release, the blocked items, the direction of a band change).
	Detail map[string]string `json:"detail,omitempty"`
}

// Link is one output a run wrote (or, after a failed run, the one still in place).
type Link struct {
	Type string `json:"type"`
	// Path is relative to the jobs file's output folder.
	Path string `json:"path"`
	// URL is where people open it: the jobs file's base_url joined with Path, else a file URL.
	URL string `json:"url"`
}

// Message is what one run tells its targets: the run, its outputs and its events (the
// job_finished or job_failed event first).
type Message struct {
	Job        string    `json:"job"`
	RunID      int64     `json:"run_id"`
	Status     string    `json:"status"` // finished or failed
	Error      string    `json:"error,omitempty"`
	StartedAt  time.Time `json:"started_at"`
	FinishedAt time.Time `json:"finished_at"`
	AsOf       time.Time `json:"as_of,omitzero"`
	Outputs    []Link    `json:"outputs"`
	Events     []Event   `json:"events"`
}

// Filter keeps the events a target asked for (all of them when types is empty). A message
// left with no event is not sent.
func (m Message) Filter(types []EventType) Message {
	if len(types) == 0 {
		return m
	}
	out := m
	out.Events = nil
	for _, e := range m.Events {
		if slices.Contains(types, e.Type) {
			out.Events = append(out.Events, e)
		}
	}
	return out
}

// Types lists the distinct event types of the message, in order.
func (m Message) Types() []string {
	var ts []string
	for _, e := range m.Events {
		if !slices.Contains(ts, string(e.Type)) {
			ts = append(ts, string(e.Type))
		}
	}
	return ts
}

// Title is the message's one-line headline.
func (m Message) Title() string {
	changes := 0
	for _, e := range m.Events {
		if e.Type != JobFinished && e.Type != JobFailed {
			changes++
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "relscope job %s %s", m.Job, m.Status)
	if m.Status == "finished" {
		fmt.Fprintf(&b, ": %d output(s)", len(m.Outputs))
	}
	if changes > 0 {
		fmt.Fprintf(&b, ", %d change(s) since the previous run", changes)
	}
	return b.String()
}

// FinishedEvent is the run's own event.
func FinishedEvent(m Message) Event {
	if m.Status == "failed" {
		return Event{Type: JobFailed, Subject: m.Job,
			Summary: fmt.Sprintf("Job %s failed: %s. The previous outputs are still in place.", m.Job, m.Error)}
	}
	return Event{Type: JobFinished, Subject: m.Job,
		Summary: fmt.Sprintf("Job %s finished in %s and wrote %d output(s).", m.Job,
			m.FinishedAt.Sub(m.StartedAt).Round(time.Second), len(m.Outputs))}
}
