package releaselog

import (
	"bytes"
	"encoding/xml"
	"time"

	"github.com/gorilla/feeds"
)

// renderAtom writes feed.atom (Atom 1.0, RFC 4287) with gorilla/feeds' Atom types: feed id,
// title, updated, author and a self link; one entry per released release (upcoming ones are
// in the calendar) with its stable id, its page as the alternate link and the full notes as
// HTML content. encoding/xml escapes every text, so a title cannot close an element or a
// CDATA section.
func renderAtom(s *site) ([]byte, error) {
	feed := &feeds.AtomFeed{
		Xmlns:    "http://www.w3.org/2005/Atom",
		Title:    s.Title,
		Id:       "urn:uuid:" + s.namespace.String(),
		Link:     &feeds.AtomLink{Href: s.URL("feed.atom"), Rel: "self", Type: "application/atom+xml"},
		Author:   &feeds.AtomAuthor{AtomPerson: feeds.AtomPerson{Name: s.Author}},
		Subtitle: "Public changes, release by release",
	}
	// The feed changes when its newest entry does; with no entry, as of the build.
	updated := time.Time{}
	for _, r := range s.Released {
		var notes bytes.Buffer
		if err := notesHTML.Execute(&notes, r); err != nil {
			return nil, err
		}
		when := entryTime(r, s.AsOf)
		if when.After(updated) {
			updated = when
		}
		title := r.Name + " (" + r.DateText() + ")"
		if r.RolledBack {
			title += " — rolled back"
		}
		feed.Entries = append(feed.Entries, &feeds.AtomEntry{
			Title:     title,
			Id:        "urn:uuid:" + r.ID,
			Updated:   when.Format(time.RFC3339),
			Published: when.Format(time.RFC3339),
			Links:     []feeds.AtomLink{{Href: s.URL(r.Page()), Rel: "alternate", Type: "text/html"}},
			Content:   &feeds.AtomContent{Type: "html", Content: notes.String()},
		})
	}
	if updated.IsZero() {
		updated = s.AsOf
	}
	feed.Updated = updated.Format(time.RFC3339)
	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", "  ")
	if err := enc.Encode(feed); err != nil {
		return nil, err
	}
	b.WriteByte('\n')
	return b.Bytes(), nil
}

// entryTime is when a release's entry was last updated: the day it shipped (UTC midnight),
// or as_of when the date is unknown.
func entryTime(r *release, asOf time.Time) time.Time {
	if r.Date.IsZero() {
		return asOf
	}
	return r.Date
}
