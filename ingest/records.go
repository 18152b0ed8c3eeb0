package ingest

import (
	"errors"
	"fmt"
	"strings"

	"github.com/relscope/relscope/config"
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

// completeItem finishes an item the way every tracker format shares, storing what the export
// says and no organisation rule (DESIGN §1: rules are applied once, at build): the project
// from the key when the export names none; the team only as the export's own team field
// (the models fall back to the project and apply team_aliases); the status category as the
// export's own category in relscope's words, or none (the models apply status_categories and
// the name rules); is_public only where the export itself says (the models apply the public
// rules to the labels, components, type and security level stored with the item).
func completeItem(_ *Input, w *WorkItem, exportCategory string) {
	if w.Project == "" {
		w.Project = projectOf(w.Key)
	}
	w.Category = config.ExportCategory(exportCategory)
}

// teamFor is the team an operational record (deployment, incident, change) stores: the
// export's own team field, as exported. The models apply service_teams to records without
// one, and team_aliases to every team.
func teamFor(_ *Input, team, _ string) string { return team }

// projectOf returns the project part of an item key (PAY-12 -> PAY).
func projectOf(key string) string {
	if i := strings.LastIndexByte(key, '-'); i > 0 {
		return key[:i]
	}
	return ""
}
