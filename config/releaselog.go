package config

import (
	"fmt"
	"net/url"
	"strings"
)

// ReleaseLogRules shape the public release log (`relscope publish`): the site's name and
// address, where an item's public title comes from, and how items are grouped. The models
// apply them at build (DESIGN §1); what may be published at all is PublicRules' business.
type ReleaseLogRules struct {
	// Title names the site, the feed and the calendar.
	Title string `yaml:"title"`
	// BaseURL is the absolute http(s) address the site is served from ("" = not known): the
	// feed's self link, and the links in the feed, calendar and CHANGELOG.md, are made from it.
	BaseURL string `yaml:"base_url"`
	// Author is the feed's author (Atom requires one); "" means Title.
	Author string `yaml:"author"`
	// TitleFields are export fields holding an item's public title (a "Release note" field),
	// tried in order; an item without one is published under its summary.
	TitleFields []string `yaml:"title_fields"`
	// Categories give each public item its Keep a Changelog heading: the first rule whose
	// types or labels match wins; an item matching none gets DefaultCategory.
	Categories      []CategoryRule `yaml:"categories"`
	DefaultCategory string         `yaml:"default_category"`
	// HighlightLabels mark items shown as a release's highlights on the index page.
	HighlightLabels []string `yaml:"highlight_labels"`
}

// CategoryRule puts items of any of Types, or carrying any of Labels, under Category.
type CategoryRule struct {
	Category string   `yaml:"category"`
	Types    []string `yaml:"types"`
	Labels   []string `yaml:"labels"`
}

// ReleaseCategories are the headings of Keep a Changelog 1.1, plus "Known issues" for the
// limitations a release ships with, in the order a release's notes list them.
var ReleaseCategories = []string{"Added", "Changed", "Deprecated", "Removed", "Fixed", "Security", "Known issues"}

func defaultReleaseLog() ReleaseLogRules {
	return ReleaseLogRules{
		Title:       "Release notes",
		TitleFields: []string{"Release note", "Release notes"},
		Categories: []CategoryRule{
			{Category: "Known issues", Labels: []string{"known-issue", "known-limitation"}},
			{Category: "Security", Types: []string{"Vulnerability"}, Labels: []string{"vulnerability", "cve", "security-fix"}},
			{Category: "Deprecated", Labels: []string{"deprecated", "deprecation"}},
			{Category: "Removed", Labels: []string{"removed", "removal"}},
			{Category: "Fixed", Types: []string{"Bug", "Defect", "Incident", "Problem"}},
			{Category: "Added", Types: []string{"Story", "Feature", "New Feature", "Epic"}},
		},
		DefaultCategory: "Changed",
		HighlightLabels: []string{"highlight", "release-highlight"},
	}
}

// validate checks the release-log rules.
func (r ReleaseLogRules) validate() error {
	if strings.TrimSpace(r.Title) == "" {
		return fmt.Errorf("release_log.title: must not be empty")
	}
	if r.BaseURL != "" {
		u, err := url.Parse(r.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("release_log.base_url %q: want an absolute http(s) URL such as https://example.com/releases/", r.BaseURL)
		}
	}
	if !validReleaseCategory(r.DefaultCategory) {
		return fmt.Errorf("release_log.default_category %q: want one of %s", r.DefaultCategory, strings.Join(ReleaseCategories, ", "))
	}
	for i, f := range r.TitleFields {
		// A field's name is looked up in export records, and quoted into SQL: text only.
		if strings.IndexFunc(strings.TrimSpace(f), func(c rune) bool { return c < 0x20 || c == 0x7f }) >= 0 {
			return fmt.Errorf("release_log.title_fields[%d] %q: a field name holds no control characters", i, f)
		}
	}
	for i, c := range r.Categories {
		if !validReleaseCategory(c.Category) {
			return fmt.Errorf("release_log.categories[%d]: category %q: want one of %s", i, c.Category, strings.Join(ReleaseCategories, ", "))
		}
		if len(c.Types) == 0 && len(c.Labels) == 0 {
			return fmt.Errorf("release_log.categories[%d] (%s): give types or labels", i, c.Category)
		}
	}
	return nil
}

func validReleaseCategory(s string) bool {
	for _, c := range ReleaseCategories {
		if c == s {
			return true
		}
	}
	return false
}
