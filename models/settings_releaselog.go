package models

import (
	"context"
	"regexp"
	"strings"

	"github.com/relscope/relscope/config"
)

// writeReleaseLogSettings writes the release log's rules (config release_log) as the tables
// mart_release_log and the release-log queries read:
//
//	relscope_release_log          one row: title, base_url, author, default_category
//	relscope_release_note_fields  position, field: where public titles are looked up
//	relscope_release_categories   position, category, item_type, label: one row per type or label of a rule
//	relscope_highlight_labels     label
//
// and the macro relscope_release_note(raw) (releaseNoteMacro).
func writeReleaseLogSettings(ctx context.Context, conn settingsConn, cfg *config.Config) error {
	rl := cfg.ReleaseLog
	author := rl.Author
	if strings.TrimSpace(author) == "" {
		author = rl.Title
	}
	type stmt struct {
		sql  string
		args []any
	}
	stmts := []stmt{
		{`create or replace table relscope_release_log as
select ?::varchar as title, ?::varchar as base_url, ?::varchar as author, ?::varchar as default_category`,
			[]any{rl.Title, rl.BaseURL, author, rl.DefaultCategory}},
		{`create or replace table relscope_release_note_fields (position integer, field varchar)`, nil},
		{`create or replace table relscope_release_categories (position integer, category varchar, item_type varchar, label varchar)`, nil},
		{`create or replace table relscope_highlight_labels (label varchar)`, nil},
		{releaseNoteMacro(rl.TitleFields), nil},
	}
	for i, f := range rl.TitleFields {
		if f = strings.TrimSpace(f); f != "" {
			stmts = append(stmts, stmt{`insert into relscope_release_note_fields values (?, ?)`, []any{i, f}})
		}
	}
	for i, r := range rl.Categories {
		for _, t := range r.Types {
			stmts = append(stmts, stmt{`insert into relscope_release_categories values (?, ?, lower(trim(?)), null)`, []any{i, r.Category, t}})
		}
		for _, l := range r.Labels {
			stmts = append(stmts, stmt{`insert into relscope_release_categories values (?, ?, null, lower(trim(?)))`, []any{i, r.Category, l}})
		}
	}
	for _, l := range rl.HighlightLabels {
		stmts = append(stmts, stmt{`insert into relscope_highlight_labels values (lower(trim(?)))`, []any{l}})
	}
	for _, s := range stmts {
		if _, err := conn.ExecContext(ctx, s.sql, s.args...); err != nil {
			return err
		}
	}
	return nil
}

// jsonEscaped matches a key an export record may hold only escaped (Go's encoder writes <, >
// and & as \u003c…; any encoder may escape a quote, a backslash, a slash or a non-ASCII
// character): its text cannot be looked for in the record, which is parsed instead.
var jsonEscaped = regexp.MustCompile(`["\\/<>&]|[^\x20-\x7e]`)

// releaseNoteMacro makes relscope_release_note(raw_): the first of the configured release-note
// fields (release_log.title_fields) holding text in an export record, trimmed; null when none
// does. Each field is looked up under the keys exports give it, in this order: as written; as a
// native CSV column (lowercase, spaces as underscores); as a Jira CSV "Custom field (NAME)";
// among a Jira JSON issue's fields (by id, e.g. customfield_10050) — a JSON pointer each (~ and
// / escaped as RFC 6901 says), the same pointer once, at its first place.
//
// The pointers are literals in the macro, so DuckDB parses a record once for all of them
// (json_extract with a constant list), and only a record holding one of the keys' text — a
// cheap substring test — is parsed at all. At 200k Jira Server items (152k public, 2 fields,
// 7 pointers) int_item_public_titles fell from 0.68 s, a nested-loop join of records and
// pointers testing and parsing each pair, to 0.48–0.59 s (three builds each, alternated).
// Field names are config text: quoted as SQL literals, never spliced.
func releaseNoteMacro(fields []string) string {
	pointer := strings.NewReplacer("~", "~0", "/", "~1")
	var paths, tests []string
	seenPath, seenKey, parseAll := map[string]bool{}, map[string]bool{}, false
	for _, f := range fields {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		for _, k := range []struct{ key, under string }{
			{f, "/"},
			{strings.ToLower(strings.ReplaceAll(f, " ", "_")), "/"},
			{"Custom field (" + f + ")", "/"},
			{f, "/fields/"},
		} {
			p := k.under + pointer.Replace(k.key)
			if seenPath[p] {
				continue
			}
			seenPath[p] = true
			paths = append(paths, quote(p))
			if jsonEscaped.MatchString(k.key) {
				parseAll = true
			} else if !seenKey[k.key] {
				seenKey[k.key] = true
				tests = append(tests, "contains(raw_, "+quote(k.key)+")")
			}
		}
	}
	if len(paths) == 0 {
		return `create or replace macro relscope_release_note(raw_) as null::varchar`
	}
	held := strings.Join(tests, " or ")
	if parseAll {
		held = "true"
	}
	return `create or replace macro relscope_release_note(raw_) as (
	case when ` + held + ` then
		list_filter(
			list_transform(json_extract(raw_, [` + strings.Join(paths, ", ") + `]),
				lambda v_: case when json_type(v_) = 'VARCHAR' then nullif(trim(v_ ->> '$'), '') end),
			lambda n_: n_ is not null)[1]
	end
)`
}
