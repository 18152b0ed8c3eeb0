package models

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/relscope/relscope/config"
)

// Settings are what a build needs besides the canonical tables: the moment it measures at
// and the organisation's rules. Build writes them as tables the models read — every rule of
// relscope.yaml is applied there, at build, never at ingest (DESIGN §1), so changing the config
// and building again is always enough:
//
//	relscope_settings          one row: as_of, attribution_window_hours, freeze_days, dora_bands, forecast_window_days
//	relscope_status_map        status -> category, for statuses in history (status_categories, the export's word, name rules)
//	relscope_item_status_map   (status, export category) -> category, for items' current status
//	relscope_commitment        the configured commitment statuses (empty: first in_progress)
//	relscope_production        the production environments, lower-cased
//	relscope_team_aliases      alias (lower-cased) -> team
//	relscope_service_teams     service (lower-cased) -> team, before aliases
//	relscope_public_rules      rule (label, component, type, security_level) and value that make an item private
//	relscope_release_*         the public release log's rules (settings_releaselog.go)
//	relscope_dora_thresholds   the DORA bands' cut-offs (dora.go)
//	relscope_governance, …     the release manager's rules (settings_governance.go)
//
// and the macros every model uses where a rule is a lookup: relscope_team(name) applies the
// team aliases and relscope_service_team(service) the service map, so that the same team never
// has two names; relscope_dora_band(metric, value) and relscope_dora_frequency_band(days,
// deployed) grade a value against the configured DORA year — the one band lookup.
// Adding a rule family is one settingsTable below (and a line in this list).
type Settings struct {
	AsOf   time.Time
	Config *config.Config
	// Profile, when set, is a folder (it must exist) where the build writes DuckDB's profile of
	// the statement that computes each SQL model's table (a mart's, or an intermediate model's
	// in the scratch database), as NAME.json: its time, and the plan with every operator's time and rows
	// (EXPLAIN ANALYZE, FORMAT JSON). Views (staging) compute nothing until read — their work
	// is in their readers' plans —, and Go models and data tests are not profiled.
	Profile string
	// Concurrency is how many models the build computes at once, each on a connection of its
	// own; 0 is the default: 2, or 1 when DuckDB has one thread.
	Concurrency int
}

// settingsTable is one table of rules: its name, its columns and its rows, written by
// writeSettingsTables.
type settingsTable struct {
	name    string
	columns string // "status varchar, category varchar"
	rows    [][]any
}

// writeSettingsTables (re)creates each table and inserts its rows. Names and columns are the
// fixed ones of this package; values are bound.
func writeSettingsTables(ctx context.Context, conn settingsConn, tables ...settingsTable) error {
	for _, t := range tables {
		if _, err := conn.ExecContext(ctx, "create or replace table "+t.name+" ("+t.columns+")"); err != nil {
			return fmt.Errorf("%s: %w", t.name, err)
		}
		if len(t.rows) == 0 {
			continue
		}
		marks := strings.TrimSuffix(strings.Repeat("?, ", len(t.rows[0])), ", ")
		stmt, err := conn.PrepareContext(ctx, "insert into "+t.name+" values ("+marks+")")
		if err != nil {
			return fmt.Errorf("%s: %w", t.name, err)
		}
		for _, r := range t.rows {
			if _, err := stmt.ExecContext(ctx, r...); err != nil {
				stmt.Close()
				return fmt.Errorf("%s: %w", t.name, err)
			}
		}
		stmt.Close()
	}
	return nil
}

// teamMacros resolve teams the one way every model uses (DESIGN §3 "Team", §5): an alias
// (case-insensitive, trimmed) renames a team; a service's team is the configured one, aliased.
// (Their parameters end in _ so that they never collide with a column of the tables they read.)
const teamMacros = `
create or replace macro relscope_team(team_name_) as
    coalesce((select a.team from relscope_team_aliases as a where a.alias = lower(trim(team_name_))), team_name_);
create or replace macro relscope_service_team(service_name_) as
    relscope_team((select s.team from relscope_service_teams as s where s.service = lower(trim(service_name_))));`

// timeMacros: relscope_seconds_between(from, to) is date_diff('second', from, to) for two
// timestamptz — the whole seconds between them, each truncated to its second — from their
// epoch microseconds, floored: the same number, without ICU's calendar, which date_diff on a
// timestamptz goes through for every row (a few percent of a build's CPU).
const timeMacros = `
create or replace macro relscope_seconds_between(from_, to_) as
    fdiv(epoch_us(to_), 1000000)::bigint - fdiv(epoch_us(from_), 1000000)::bigint;`

func (s Settings) write(ctx context.Context, conn settingsConn) error {
	cfg := s.Config
	if cfg == nil {
		cfg = config.Default()
	}
	_, err := conn.ExecContext(ctx, `create or replace table relscope_settings as
select ?::timestamptz as as_of, ?::integer as attribution_window_hours, ?::integer as freeze_days,
       ?::integer as dora_bands, ?::integer as forecast_window_days`,
		s.AsOf.UTC(), cfg.AttributionWindowHours, cfg.FreezeDays, cfg.DoraBands, cfg.ForecastWindowDays)
	if err != nil {
		return err
	}
	statuses, itemStatuses, err := statusMaps(ctx, conn, cfg)
	if err != nil {
		return err
	}
	var commitment, production, aliases, services, public [][]any
	for _, st := range cfg.CommitmentStatuses {
		commitment = append(commitment, []any{strings.TrimSpace(st)})
	}
	for _, env := range cfg.ProductionEnvironments {
		production = append(production, []any{fold(env)})
	}
	for _, k := range sortedKeys(cfg.TeamAliases) {
		aliases = append(aliases, []any{fold(k), cfg.TeamAliases[k]})
	}
	for _, k := range sortedKeys(cfg.ServiceTeams) {
		services = append(services, []any{fold(k), cfg.ServiceTeams[k]})
	}
	for _, rule := range []struct {
		rule   string
		values []string
	}{{"label", cfg.Public.PrivateLabels}, {"component", cfg.Public.PrivateComponents}, {"type", cfg.Public.PrivateTypes}} {
		for _, v := range rule.values {
			public = append(public, []any{rule.rule, fold(v)})
		}
	}
	if cfg.Public.SecurityLevelIsPrivate {
		public = append(public, []any{"security_level", "*"})
	}
	err = writeSettingsTables(ctx, conn,
		settingsTable{"relscope_status_map", "status varchar, category varchar", statuses},
		settingsTable{"relscope_item_status_map", "status varchar, export_category varchar, category varchar", itemStatuses},
		settingsTable{"relscope_commitment", "status varchar", commitment},
		settingsTable{"relscope_production", "environment varchar", production},
		settingsTable{"relscope_team_aliases", "alias varchar, team varchar", aliases},
		settingsTable{"relscope_service_teams", "service varchar, team varchar", services},
		settingsTable{"relscope_public_rules", "rule varchar, value varchar", public},
	)
	if err != nil {
		return err
	}
	for _, m := range []struct{ what, sql string }{{"team macros", teamMacros}, {"time macros", timeMacros}, {"DORA thresholds", doraThresholds}, {"DORA macros", doraMacros}} {
		if _, err := conn.ExecContext(ctx, m.sql); err != nil {
			return fmt.Errorf("%s: %w", m.what, err)
		}
	}
	if err := writeReleaseLogSettings(ctx, conn, cfg); err != nil {
		return err
	}
	return writeGovernance(ctx, conn, cfg)
}

// statusMaps gives every status its category under cfg.StatusCategory (a configured override,
// else the export's own category, else the name rules). Items' current statuses are mapped
// with the category their export gave (each distinct pair, as stored by ingest); statuses of
// the history, which carries no category, with what the export said for items currently in
// that status (the most common answer) — statuses seen only in history by name alone.
func statusMaps(ctx context.Context, conn settingsConn, cfg *config.Config) (history, items [][]any, err error) {
	rows, err := conn.QueryContext(ctx, `select distinct status, status_category from work_items`)
	if err != nil {
		return nil, nil, err
	}
	for rows.Next() {
		var status, exportCat sql.NullString
		if err := rows.Scan(&status, &exportCat); err != nil {
			rows.Close()
			return nil, nil, err
		}
		items = append(items, []any{nullable(status), nullable(exportCat), cfg.StatusCategory(status.String, exportCat.String)})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	rows, err = conn.QueryContext(ctx, `
with seen as (
    select status, status_category from work_items where status is not null
    union all
    select from_value, null from work_item_transitions where lower(field) = 'status' and from_value is not null
    union all
    select to_value, null from work_item_transitions where lower(field) = 'status' and to_value is not null
)
select status, mode(status_category) from seen group by status`)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var status string
		var exportCat sql.NullString
		if err := rows.Scan(&status, &exportCat); err != nil {
			return nil, nil, err
		}
		history = append(history, []any{status, cfg.StatusCategory(status, exportCat.String)})
	}
	return history, items, rows.Err()
}

func nullable(s sql.NullString) any {
	if !s.Valid {
		return nil
	}
	return s.String
}

// fold is how rule keys are compared: case-insensitive, trimmed.
func fold(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// settingsConn is what the settings are written through: the build's connection, or a
// scratchSettings over it.
type settingsConn interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	PrepareContext(ctx context.Context, query string) (*sql.Stmt, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// scratchSettings writes the settings as tables and macros of the build's scratch database
// (each "create or replace table NAME" and "create or replace macro NAME" made
// "… SCHEMA.NAME"), which the models read while the build computes them; the warehouse's own
// settings are written in the build's transaction. The inserts, unqualified, land in the
// scratch tables: the connection's search path names the scratch database before the
// warehouse.
type scratchSettings struct {
	*sql.Conn
	schema string // the scratch database's schema, quoted: "relscope_build_1".main
}

var (
	settingsCreate = regexp.MustCompile(`(?i)\bcreate or replace (table|macro) ([a-z0-9_]+)`)
	anyCreate      = regexp.MustCompile(`(?i)\bcreate\b`)
	sqlLiteral     = regexp.MustCompile(`'(?:[^']|'')*'`)
)

// scratch rewrites query's statements to create their objects in the scratch schema. It fails
// closed: a statement creating anything in another form would land in the build's mart
// schema (the first of the connection's search path), or the warehouse itself, and is
// refused. Only the SQL outside string literals is read and
// rewritten: a literal — a release-note field's name quoted into relscope_release_note,
// "Create note" — stays as it is.
func (t *scratchSettings) scratch(query string) (string, error) {
	var code []string // the statements' text between literals; literals[i] follows code[i]
	var literals []string
	last := 0
	for _, loc := range sqlLiteral.FindAllStringIndex(query, -1) {
		code = append(code, query[last:loc[0]])
		literals = append(literals, query[loc[0]:loc[1]])
		last = loc[1]
	}
	code = append(code, query[last:])
	bare := strings.Join(code, "''")
	if n, m := len(anyCreate.FindAllStringIndex(bare, -1)), len(settingsCreate.FindAllStringIndex(bare, -1)); n != m {
		return "", fmt.Errorf("%q creates what the build cannot write to its scratch database (want create or replace table|macro NAME)", firstLine(strings.TrimSpace(query)))
	}
	var b strings.Builder
	for i, c := range code {
		b.WriteString(settingsCreate.ReplaceAllStringFunc(c, func(c string) string {
			m := settingsCreate.FindStringSubmatch(c)
			return "create or replace " + m[1] + " " + t.schema + "." + m[2]
		}))
		if i < len(literals) {
			b.WriteString(literals[i])
		}
	}
	return b.String(), nil
}

func (t *scratchSettings) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	q, err := t.scratch(query)
	if err != nil {
		return nil, err
	}
	return t.Conn.ExecContext(ctx, q, args...)
}

func (t *scratchSettings) PrepareContext(ctx context.Context, query string) (*sql.Stmt, error) {
	q, err := t.scratch(query)
	if err != nil {
		return nil, err
	}
	return t.Conn.PrepareContext(ctx, q)
}
