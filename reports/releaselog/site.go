// Package releaselog renders the public release log: a static site — index.html, a page per
// release, feed.atom (Atom 1.0), CHANGELOG.md (Keep a Changelog 1.1), releases.json and
// calendar.ics (RFC 5545) — from a document built by reports.ReleaseLog. It imports only
// reports/document and format libraries, reads nothing but the document, and replaces the
// output folder atomically (swap.go).
package releaselog

import (
	"crypto/sha1"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/relscope/relscope/reports/document"
)

// The tables a release-log document holds (reports/releaselog.go fills them), found by ID.
const (
	// TableSite has one row: the site's title, base URL and feed author.
	TableSite = "site"
	// TableReleases has one row per published release, newest first, upcoming last.
	TableReleases = "releases"
	// TableItems has one row per published item of a release.
	TableItems = "items"
)

// Columns names the columns the renderer reads from each table; a document missing one is an
// error, so a spec and the renderer cannot drift apart.
var Columns = map[string][]string{
	TableSite:     {"title", "base_url", "author"},
	TableReleases: {"release", "project", "release_source", "status", "release_date", "rolled_back", "maintenance"},
	TableItems:    {"release", "project", "release_source", "item_key", "item_type", "category", "public_title", "is_highlight"},
}

// Categories is the order a release's notes list their headings in (Keep a Changelog 1.1, then
// Known issues); a category not listed here comes after them, alphabetically.
var Categories = []string{"Added", "Changed", "Deprecated", "Removed", "Fixed", "Security", "Known issues"}

// site is the document read into what the files need.
type site struct {
	Title, BaseURL, Author string
	AsOf                   time.Time
	Version                string
	// Released are newest first; Upcoming by planned date.
	Released, Upcoming []*release
	namespace          uuid.UUID
}

type release struct {
	Name, Project, Source string
	Upcoming              bool
	// Date is the day it shipped (released) or is planned (upcoming); zero when unknown.
	Date                    time.Time
	RolledBack, Maintenance bool
	Items                   []item
	// Slug is the release's file name under releases/ without ".html".
	Slug string
	// ID is the release's stable id (a name-based UUID): Atom entry id and iCalendar UID.
	ID string
}

type item struct {
	Key, Type, Category, Title string
	Highlight                  bool
}

// group is one heading of a release's notes.
type group struct {
	Category string
	Items    []item
}

// Groups are the release's items under their headings, in Categories order.
func (r *release) Groups() []group {
	by := map[string][]item{}
	for _, it := range r.Items {
		by[it.Category] = append(by[it.Category], it)
	}
	var out []group
	for _, c := range Categories {
		if len(by[c]) > 0 {
			out = append(out, group{c, by[c]})
			delete(by, c)
		}
	}
	var rest []string
	for c := range by {
		rest = append(rest, c)
	}
	slices.Sort(rest)
	for _, c := range rest {
		out = append(out, group{c, by[c]})
	}
	return out
}

// Highlights are the items labelled as highlights; without any, the first three Added
// ones, else the first three changes of any kind but fixes and known issues (the index lists
// those on their own).
func (r *release) Highlights() []item {
	var hs, added, other []item
	for _, it := range r.Items {
		switch {
		case it.Highlight:
			hs = append(hs, it)
		case it.Category == "Added" && len(added) < 3:
			added = append(added, it)
		case !slices.Contains([]string{"Fixed", "Security", "Known issues"}, it.Category) && len(other) < 3:
			other = append(other, it)
		}
	}
	switch {
	case len(hs) > 0:
		return hs
	case len(added) > 0:
		return added
	}
	return other
}

// In returns the release's items of the given categories.
func (r *release) In(categories ...string) []item {
	var out []item
	for _, it := range r.Items {
		if slices.Contains(categories, it.Category) {
			out = append(out, it)
		}
	}
	return out
}

// DateText is the release's date as ISO 8601, or "date to be announced".
func (r *release) DateText() string {
	if r.Date.IsZero() {
		return "date to be announced"
	}
	return r.Date.Format("2006-01-02")
}

// readSite reads the tables of a release-log document.
func readSite(doc *document.Document) (*site, error) {
	tables := map[string]*document.Table{}
	for _, s := range doc.Sections {
		for _, b := range s.Blocks {
			if t, ok := b.(*document.Table); ok {
				tables[t.ID] = t
			}
		}
	}
	col := map[string]map[string]int{}
	for id, names := range Columns {
		t := tables[id]
		if t == nil {
			return nil, fmt.Errorf("release log document has no %q table", id)
		}
		col[id] = map[string]int{}
		for i, c := range t.Columns {
			col[id][c.Name] = i
		}
		for _, n := range names {
			if _, ok := col[id][n]; !ok {
				return nil, fmt.Errorf("release log table %q has no column %q", id, n)
			}
		}
	}
	get := func(id string, row []any, name string) any { return row[col[id][name]] }
	str := func(id string, row []any, name string) string { s, _ := get(id, row, name).(string); return s }
	flag := func(id string, row []any, name string) bool { b, _ := get(id, row, name).(bool); return b }

	s := &site{Title: doc.Title, AsOf: doc.Meta.AsOf.UTC(), Version: doc.Meta.Version}
	if rows := tables[TableSite].Rows; len(rows) > 0 {
		if t := str(TableSite, rows[0], "title"); t != "" {
			s.Title = t
		}
		s.BaseURL = str(TableSite, rows[0], "base_url")
		s.Author = str(TableSite, rows[0], "author")
	}
	if s.Title == "" {
		s.Title = "Release notes"
	}
	if s.Author == "" {
		s.Author = s.Title
	}
	if s.BaseURL != "" && !strings.HasSuffix(s.BaseURL, "/") {
		s.BaseURL += "/"
	}
	// Ids are name-based, so they stay the same from run to run: the namespace is the site
	// (its address, else its title), the name the release.
	identity := s.BaseURL
	if identity == "" {
		identity = "relscope-release-log:" + s.Title
	}
	s.namespace = uuid.NewHash(sha1.New(), uuid.NameSpaceURL, []byte(identity), 5)

	type key struct{ source, project, name string }
	byKey := map[key]*release{}
	var all []*release
	for _, row := range tables[TableReleases].Rows {
		r := &release{Name: str(TableReleases, row, "release"), Project: str(TableReleases, row, "project"),
			Source: str(TableReleases, row, "release_source"), Upcoming: str(TableReleases, row, "status") == "upcoming",
			RolledBack: flag(TableReleases, row, "rolled_back"), Maintenance: flag(TableReleases, row, "maintenance")}
		if d, ok := get(TableReleases, row, "release_date").(time.Time); ok {
			r.Date = d.UTC()
		}
		r.ID = uuid.NewHash(sha1.New(), s.namespace, []byte(r.Source+"\x00"+r.Project+"\x00"+r.Name), 5).String()
		k := key{r.Source, r.Project, r.Name}
		if byKey[k] != nil {
			return nil, fmt.Errorf("release log: release %q of %s/%s listed twice", r.Name, r.Source, r.Project)
		}
		byKey[k] = r
		all = append(all, r)
		if r.Upcoming {
			s.Upcoming = append(s.Upcoming, r)
		} else {
			s.Released = append(s.Released, r)
		}
	}
	for _, row := range tables[TableItems].Rows {
		k := key{str(TableItems, row, "release_source"), str(TableItems, row, "project"), str(TableItems, row, "release")}
		r := byKey[k]
		if r == nil {
			continue // an item of a release the log does not show
		}
		r.Items = append(r.Items, item{Key: str(TableItems, row, "item_key"), Type: str(TableItems, row, "item_type"),
			Category: str(TableItems, row, "category"), Title: str(TableItems, row, "public_title"),
			Highlight: flag(TableItems, row, "is_highlight")})
	}
	// Released newest first, upcoming soonest first, whatever order the document gave.
	slices.SortStableFunc(s.Released, func(a, b *release) int { return b.Date.Compare(a.Date) })
	slices.SortStableFunc(s.Upcoming, func(a, b *release) int {
		switch {
		case a.Date.IsZero() != b.Date.IsZero():
			if a.Date.IsZero() {
				return 1
			}
			return -1
		}
		return a.Date.Compare(b.Date)
	})
	assignSlugs(all)
	return s, nil
}

// URL is path (relative to the site's root) as a link: absolute under the base URL when one
// is configured, else relative.
func (s *site) URL(path string) string { return s.BaseURL + path }
