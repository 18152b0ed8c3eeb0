package models

import (
	"context"
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
