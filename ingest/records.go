package ingest

import (
	"errors"
	"fmt"
	"strings"
)

// What every format shares about one record: the error that rejects it (and no more than it),
// and DESIGN §3's item rules.

// rowError is a problem with one record: it is rejected and its neighbours still load.
type rowError string

func (e rowError) Error() string { return string(e) }

func rowErrf(format string, args ...any) error { return rowError(fmt.Sprintf(format, args...)) }

// rejectOrFail is the one reject path every record loop shares: an error that is (or wraps) a
// rowError rejects the current record — its whole message is the reason, raw() the record as
// exported — and any other error stops the file.
func rejectOrFail(sink Sink, err error, raw func() string) error {
	if err == nil {
		return nil
	}
	// Callers check err first: building raw's closure for every record cost an allocation each.
	var re rowError
	if !errors.As(err, &re) {
		return err
	}
	return sink.Reject(err.Error(), raw())
}

// completeItem applies DESIGN §3's item rules every tracker format shares: the project from
// the key, the team from the project when the export names none, the configured team aliases,
// the status category (the export's own word, configured overrides, name rules) and whether
// the item may be published.
func completeItem(in *Input, w *WorkItem, exportCategory string) {
	if w.Project == "" {
		w.Project = projectOf(w.Key)
	}
	if w.Team == "" {
		w.Team = w.Project
	}
	w.Team = in.Config.Team(w.Team)
	w.Category = in.Config.StatusCategory(w.Status, exportCategory)
	w.IsPublic = !in.Config.IsPrivate(w.Type, w.Labels, w.Components, w.SecurityLevel)
}

// teamFor applies DESIGN §3's team rule for operational records: the export's own team,
// else the configured service→team map; then the aliases.
func teamFor(in *Input, team, service string) string {
	if team != "" {
		return in.Config.Team(team)
	}
	return in.Config.ServiceTeam(service)
}

// projectOf returns the project part of an item key (PAY-12 -> PAY).
func projectOf(key string) string {
	if i := strings.LastIndexByte(key, '-'); i > 0 {
		return key[:i]
	}
	return ""
}
