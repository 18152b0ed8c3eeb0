package reports

import (
	"context"
	"time"

	"github.com/relscope/relscope/reports/document"
	"github.com/relscope/relscope/reports/releaselog"
)

// releaseLogOutput is the public release log (`relscope publish`): a static site of the public
// items of every release, drawn by reports/releaselog.
func releaseLogOutput() Output {
	return Output{
		Name:       "publish",
		Describe:   "public release log: a static site (HTML, Atom feed, CHANGELOG.md, releases.json, calendar.ics)",
		DefaultOut: "site",
		Command:    "publish",
		// Every release, whatever its date: a release log is the whole history.
		DefaultPeriod: func(asOf time.Time) document.Period {
			return document.Period{Label: "all releases", End: asOf}
		},
		Build:    buildReleaseLog,
		Renderer: releaselog.New(),
	}
}

// buildReleaseLog fills the release-log document from @release_log_settings,
// @release_log_releases and @release_log_items — tables the renderer reads by ID, with the
// columns releaselog.Columns names. The queries return only what may be published (public
// items; of them key, type, category, public title and release).
func buildReleaseLog(ctx context.Context, src *Source, scope Scope) (*document.Document, error) {
	team := map[string]string{"team": scope.TeamPattern()}
	site, err := src.Table(ctx, "release_log_settings", nil, []document.Column{
		{Name: "title"}, {Name: "base_url"}, {Name: "author"},
	})
	if err != nil {
		return nil, err
	}
	site.ID, site.Title = releaselog.TableSite, "Site"
	rels, err := src.Table(ctx, "release_log_releases", team, []document.Column{
		{Name: "release", Label: "Release"}, {Name: "project", Label: "Project"}, {Name: "release_source"},
		{Name: "status", Label: "Status", Type: document.TypeStatus}, {Name: "release_date", Label: "Date", Type: document.TypeDate},
		{Name: "rolled_back", Label: "Rolled back", Type: document.TypeBool}, {Name: "maintenance", Label: "Maintenance", Type: document.TypeBool},
		{Name: "public_items", Label: "Public changes", Type: document.TypeInt}, {Name: "known_issues", Label: "Known issues", Type: document.TypeInt},
	})
	if err != nil {
		return nil, err
	}
	rels.ID, rels.Title, rels.Description, rels.Empty = releaselog.TableReleases, "Releases",
		"One row per published release: released newest first, then upcoming.", "No releases yet."
	items, err := src.Table(ctx, "release_log_items", team, []document.Column{
		{Name: "release", Label: "Release"}, {Name: "project", Label: "Project"}, {Name: "release_source"},
		{Name: "item_key", Label: "Key"}, {Name: "item_type", Label: "Type"}, {Name: "category", Label: "Category"},
		{Name: "public_title", Label: "Title"}, {Name: "is_highlight", Label: "Highlight", Type: document.TypeBool},
	})
	if err != nil {
		return nil, err
	}
	items.ID, items.Title, items.Description = releaselog.TableItems, "Public changes", "One row per published item of a release."
	title := "Release notes"
	if len(site.Rows) == 1 {
		if t, ok := site.Rows[0][0].(string); ok && t != "" {
			title = t
		}
	}
	return &document.Document{
		Kind:  "releaselog",
		Title: title,
		Sections: []document.Section{{
			ID: "releases", Title: "Releases", Blocks: []document.Block{site, rels, items},
		}},
	}, nil
}
