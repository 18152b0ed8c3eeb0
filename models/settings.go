package models

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/relscope/relscope/config"
)

// Settings are what a build needs besides the canonical tables: the moment it measures at
// and the organisation's rules. Build writes them as tables the models read:
//
//	relscope_settings        one row: as_of, attribution_window_hours, freeze_days, dora_bands
//	relscope_status_map      status -> category, for every status in items and history
//	relscope_commitment      the configured commitment statuses (empty: first in_progress)
//
// and the release manager's rules (settings_governance.go).
type Settings struct {
	AsOf   time.Time
	Config *config.Config
}

func (s Settings) write(ctx context.Context, conn *sql.Conn) error {
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
	// A status's category: the configured override, else what the export said for items
	// currently in that status (the most common answer), else the default name rules. Statuses
	// seen only in history get the same treatment without the export's word.
	rows, err := conn.QueryContext(ctx, `
with seen as (
    select status, status_category from work_items where status is not null
    union all
    select from_value, null from work_item_transitions where lower(field) = 'status' and from_value is not null
    union all
    select to_value, null from work_item_transitions where lower(field) = 'status' and to_value is not null
)
select status, mode(status_category) from seen group by status`)
	if err != nil {
		return err
	}
	type pair struct{ status, category string }
	var pairs []pair
	for rows.Next() {
		var status string
		var exportCat sql.NullString
		if err := rows.Scan(&status, &exportCat); err != nil {
			rows.Close()
			return err
		}
		pairs = append(pairs, pair{status, cfg.StatusCategory(status, exportCat.String)})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, `create or replace table relscope_status_map (status varchar, category varchar)`); err != nil {
		return err
	}
	for _, p := range pairs {
		if _, err := conn.ExecContext(ctx, `insert into relscope_status_map values (?, ?)`, p.status, p.category); err != nil {
			return err
		}
	}
	if _, err := conn.ExecContext(ctx, `create or replace table relscope_commitment (status varchar)`); err != nil {
		return err
	}
	for _, st := range cfg.CommitmentStatuses {
		if _, err := conn.ExecContext(ctx, `insert into relscope_commitment values (?)`, strings.TrimSpace(st)); err != nil {
			return err
		}
	}
	if _, err := conn.ExecContext(ctx, `create or replace table relscope_production (environment varchar)`); err != nil {
		return err
	}
	for _, env := range cfg.ProductionEnvironments {
		if _, err := conn.ExecContext(ctx, `insert into relscope_production values (lower(trim(?)))`, env); err != nil {
			return err
		}
	}
	if err := writeReleaseLogSettings(ctx, conn, cfg); err != nil {
		return err
	}
	return writeGovernance(ctx, conn, cfg)
}
