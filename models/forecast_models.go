package models

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/relscope/relscope/models/forecast"
)

// goModels are the models computed in Go, in the same DAG and transaction as the SQL ones.
func goModels() ([]*Model, error) {
	fc, err := NewGoModel("mart_release_forecast", releaseForecastHeader, forecastDeps, buildReleaseForecast)
	if err != nil {
		return nil, err
	}
	bt, err := NewGoModel("mart_forecast_backtest", forecastBacktestHeader, forecastDeps, buildForecastBacktest)
	if err != nil {
		return nil, err
	}
	return []*Model{fc, bt}, nil
}

// forecastDeps are what the forecasts read (Forecasts, Backtests).
var forecastDeps = []string{"int_item_delivery", "int_release_items", "int_release_scope_events", "int_upcoming_releases",
	"mart_backlog_priority", "stg_relscope__releases", "stg_relscope__work_items"}

const releaseForecastHeader = `-- description: Monte Carlo completion forecast of each upcoming release (models/forecast, default
-- description: seed): 10,000 trials over the daily throughput of the release's team(s) in the
-- description: trailing forecast_window_days, zero days included. remaining = the release's items not
-- description: done or cancelled at as_of. The same figures as relscope forecast --release R.
-- grain: one row per upcoming release (source, project, release)
-- column: teams: the teams of the release's items, whose deliveries make the throughput
-- column: items: items the release holds (cancelled ones left out)
-- column: remaining: items of the release not done or cancelled at as_of
-- column: p50_date: the date by which half the trials delivered every remaining item
-- column: p85_date: the date by which 85% of the trials did
-- column: p95_date: the date by which 95% of the trials did
-- column: p_on_time: share of trials finished on or before the planned date
-- column: how_many_by_planned_p85: items delivered by the planned date in at least 85% of trials (the low tail)
-- column: cut_line: the highest-priority remaining items that fit under how_many_by_planned_p85, in priority order
-- column: below_cut_line: the remaining items that do not fit, in priority order
-- column: window_days: days of throughput history sampled (forecast_window_days)
-- column: window_start: first day of the window (UTC)
-- column: window_end: last day of the window (the day before as_of's)
-- column: delivering_days: days of the window with at least one delivery (fewer than 5: no forecast)
-- column: delivered_in_window: items the team(s) delivered in the window
-- column: trials: simulated futures
-- column: seed: the random seed (the same seed gives the same forecast)
-- column: beyond_horizon: share of trials still unfinished after 10 years (dates beyond it are null)
-- column: reason: why there is no forecast (null when there is one)
-- test: unique(source, project, release)
-- test: not_null(release, team, remaining, window_days, trials, seed)
-- test: expression(p_on_time between 0 and 1)
-- test: expression(p50_date <= p85_date and p85_date <= p95_date)
-- test: expression(how_many_by_planned_p85 between 0 and remaining)
-- test: expression(remaining <= items)
-- test: expression(len(cut_line) + len(below_cut_line) = remaining or reason is not null)`

const forecastBacktestHeader = `-- description: Forecast calibration: each past release forecast as of forecast_backtest_days (14)
-- description: before its actual release, from what was known then — the items it held at that
-- description: moment (fix-version history; its current items where it has none) not yet
-- description: delivered, and the throughput of the window before — against when it actually went
-- description: out. The share of releases out by their P85 date says how far to trust a P85.
-- grain: one row per released release (source, project, release)
-- column: forecast_on: the day the backtest forecast is made from (release date − forecast_backtest_days)
-- column: remaining: items held then and not yet delivered
-- column: p50_date: the forecast P50 completion date
-- column: p85_date: the forecast P85 completion date
-- column: p95_date: the forecast P95 completion date
-- column: p_on_time: the forecast probability of finishing by the planned date
-- column: window_days: days of throughput history sampled
-- column: delivering_days: days of that window with at least one delivery
-- column: trials: simulated futures
-- column: seed: the random seed
-- column: released_on: the day it actually went out (UTC)
-- column: released_by_p85: it went out on or before its P85 date (null: no forecast)
-- column: days_after_p85: released_on − p85_date in days (negative: earlier than P85)
-- column: released_by_planned: it went out on or before its planned date
-- column: reason: why there is no forecast (null when there is one)
-- test: unique(source, project, release)
-- test: not_null(release, forecast_on, released_on, remaining, trials)
-- test: expression(p_on_time between 0 and 1)
-- test: expression((reason is null) or released_by_p85 is null)`

// The Go models return DuckDB's errors cleaned as the SQL models' are, so that an interrupt
// during one of their queries is context.Canceled (relscope: interrupted) there too.
func buildReleaseForecast(ctx context.Context, q Querier) error {
	fs, err := Forecasts(ctx, q, ForecastOptions{Seed: forecast.DefaultSeed})
	if err != nil {
		return cleanDuckErr(err)
	}
	if _, err := q.ExecContext(ctx, `create or replace table mart_release_forecast (
    release varchar, source varchar, project varchar, team varchar, teams varchar[], planned_date date, as_of timestamptz,
    items integer, remaining integer, p50_date date, p85_date date, p95_date date, p_on_time double, how_many_by_planned_p85 integer,
    cut_line varchar[], below_cut_line varchar[], window_days integer, window_start date, window_end date,
    delivering_days integer, delivered_in_window integer, trials integer, seed ubigint, beyond_horizon double, reason varchar)`); err != nil {
		return cleanDuckErr(err)
	}
	var rows [][]any
	for _, f := range fs {
		r := f.Result
		rows = append(rows, []any{f.Release, f.Source, f.Project, f.Team, nonNil(f.Teams), dateOrNil(f.Planned), f.AsOf,
			f.Held, r.Remaining, dateOrNil(r.P50), dateOrNil(r.P85), dateOrNil(r.P95), onTime(r), howMany(r),
			keysOf(f.Fits), keysOf(f.Beyond), r.WindowDays, f.Start.AddDate(0, 0, -r.WindowDays), f.Start.AddDate(0, 0, -1),
			r.DeliveringDays, r.Delivered, r.Trials, r.Seed, beyond(r), reasonOrNil(r)})
	}
	return insertRows(ctx, q, "mart_release_forecast", rows)
}

func buildForecastBacktest(ctx context.Context, q Querier) error {
	bs, err := Backtests(ctx, q, ForecastOptions{Seed: forecast.DefaultSeed})
	if err != nil {
		return cleanDuckErr(err)
	}
	if _, err := q.ExecContext(ctx, `create or replace table mart_forecast_backtest (
    release varchar, source varchar, project varchar, team varchar, teams varchar[], planned_date date, forecast_on date,
    remaining integer, p50_date date, p85_date date, p95_date date, p_on_time double, window_days integer,
    delivering_days integer, trials integer, seed ubigint, released_at timestamptz, released_on date,
    released_by_p85 boolean, days_after_p85 integer, released_by_planned boolean, reason varchar)`); err != nil {
		return cleanDuckErr(err)
	}
	var rows [][]any
	for _, f := range bs {
		r := f.Result
		on := forecast.Date(f.released)
		var byP85, byPlanned any
		var after any
		if r.Forecasted() && !r.P85.IsZero() {
			byP85 = !on.After(r.P85)
			after = int(on.Sub(r.P85) / (24 * time.Hour))
		} else if r.Forecasted() {
			byP85 = true // the P85 lies beyond the horizon: anything is before it
		}
		if !f.Planned.IsZero() {
			byPlanned = !on.After(f.Planned)
		}
		rows = append(rows, []any{f.Release, f.Source, f.Project, f.Team, nonNil(f.Teams), dateOrNil(f.Planned), f.Start,
			r.Remaining, dateOrNil(r.P50), dateOrNil(r.P85), dateOrNil(r.P95), onTime(r), r.WindowDays,
			r.DeliveringDays, r.Trials, r.Seed, f.released, on, byP85, after, byPlanned, reasonOrNil(r)})
	}
	return insertRows(ctx, q, "mart_forecast_backtest", rows)
}

func nonNil(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}

func keysOf(items []ForecastItem) []string {
	keys := []string{}
	for _, it := range items {
		keys = append(keys, it.Key)
	}
	return keys
}

func dateOrNil(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}

func onTime(r forecast.Result) any {
	if !r.HasPlanned || (!r.Forecasted() && r.Remaining > 0) {
		return nil
	}
	return r.POnTime
}

func howMany(r forecast.Result) any {
	if !r.HasPlanned || (!r.Forecasted() && r.Remaining > 0) {
		return nil
	}
	return r.HowManyByPlannedP85
}

func beyond(r forecast.Result) any {
	if !r.Forecasted() {
		return nil
	}
	return r.Beyond
}

func reasonOrNil(r forecast.Result) any {
	if r.Reason == "" {
		return nil
	}
	return r.Reason
}

// insertRows inserts rows into table in statements of up to 200 rows, every value bound.
func insertRows(ctx context.Context, q Querier, table string, rows [][]any) error {
	const batch = 200
	for len(rows) > 0 {
		n := min(batch, len(rows))
		width := len(rows[0])
		one := "(" + strings.TrimSuffix(strings.Repeat("?, ", width), ", ") + ")"
		args := make([]any, 0, n*width)
		for _, r := range rows[:n] {
			args = append(args, r...)
		}
		// The table name is one of this package's constants, never input.
		stmt := fmt.Sprintf("insert into %s values %s", table, strings.TrimSuffix(strings.Repeat(one+", ", n), ", "))
		if _, err := q.ExecContext(ctx, stmt, args...); err != nil {
			return cleanDuckErr(err)
		}
		rows = rows[n:]
	}
	return nil
}
