package releaselog

import (
	"strings"
)

// renderChangelog writes CHANGELOG.md in the Keep a Changelog 1.1 format: an Unreleased
// section (finished changes of upcoming releases), then each release newest first as
// "## [NAME] - YYYY-MM-DD" with its headings; a rolled-back release is marked [YANKED].
// Every text from data is escaped, so a title cannot start a heading, a link or raw HTML.
func renderChangelog(s *site) []byte {
	var b strings.Builder
	b.WriteString("# Changelog\n\n")
	b.WriteString("All notable public changes to " + md(s.Title) + ", release by release.\n\n")
	b.WriteString("The format is based on [Keep a Changelog](https://keepachangelog.com/en/1.1.0/). Only public changes are listed.\n\n")

	b.WriteString("## [Unreleased]\n\n")
	unreleased := &release{}
	for _, r := range s.Upcoming {
		for _, it := range r.Items {
			it.Title += " — planned for " + r.Name
			if !r.Date.IsZero() {
				it.Title += " on " + r.DateText()
			}
			unreleased.Items = append(unreleased.Items, it)
		}
	}
	if len(unreleased.Items) == 0 {
		b.WriteString("Nothing finished for an upcoming release yet.\n\n")
	}
	writeGroups(&b, unreleased)

	var refs []string
	for _, r := range s.Released {
		label := "[" + md(r.Name) + "]"
		b.WriteString("## " + label)
		if !r.Date.IsZero() {
			b.WriteString(" - " + r.DateText())
		}
		if r.RolledBack {
			b.WriteString(" [YANKED]")
		}
		b.WriteString("\n\n")
		if r.RolledBack {
			b.WriteString("This release was rolled back after it shipped.\n\n")
		}
		if r.Maintenance {
			b.WriteString("Maintenance release: no public changes.\n\n")
		}
		writeGroups(&b, r)
		refs = append(refs, label+": "+s.URL(r.Page()))
	}
	if len(refs) > 0 {
		b.WriteString(strings.Join(refs, "\n") + "\n")
	}
	return []byte(b.String())
}

func writeGroups(b *strings.Builder, r *release) {
	for _, g := range r.Groups() {
		b.WriteString("### " + md(g.Category) + "\n\n")
		for _, it := range g.Items {
			b.WriteString("- " + md(it.Title) + " (" + md(it.Key) + ")\n")
		}
		b.WriteString("\n")
	}
}

// md escapes text for Markdown: every ASCII punctuation character that CommonMark gives a
// meaning (emphasis, links, code, HTML, entities, headings, lists, tables) gets a backslash,
// and line breaks become spaces, so the text stays one line of plain text.
func md(s string) string {
	var b strings.Builder
	for _, r := range clean(s) {
		if strings.ContainsRune("\\`*_{}[]()<>#+-.!|~&\"'=:;", r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}
