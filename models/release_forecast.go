package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/relscope/relscope/models/forecast"
)

// The forecasts of DESIGN §4 "Forecast": the Monte Carlo of models/forecast applied to the
// warehouse. One implementation reads the inputs (the release's remaining items in priority
// order, its teams' daily deliveries) and runs the simulation, for the build (the Go models
// mart_release_forecast and mart_forecast_backtest, default seed) and for `relscope forecast`
// (any seed) alike, so every output agrees.

// ForecastOptions say which forecasts to make.
type ForecastOptions struct {
	// Release, when set, forecasts only the unreleased release(s) of that name (case-insensitive,
	// any project); otherwise every upcoming release (int_upcoming_releases).
	Release string
	// Seed seeds the simulation (the build uses forecast.DefaultSeed).
	Seed uint64
}

// ForecastItem is one remaining item, in the order the cut line takes them.
type ForecastItem struct {
	Key      string   `json:"item_key"`
	Title    string   `json:"title,omitempty"`
	Type     string   `json:"item_type,omitempty"`
	Priority string   `json:"priority,omitempty"`
	Score    *float64 `json:"score"`
	Tier     *int     `json:"risk_tier"`
}

// ReleaseForecast is one release's forecast with what it was made from.
type ReleaseForecast struct {
	Release  string    `json:"release"`
	Source   string    `json:"source"`
	Project  string    `json:"project"`
	Team     string    `json:"team"`
	Teams    []string  `json:"teams"`
	Held     int       `json:"items"` // items the release holds (cancelled ones left out)
	Planned  time.Time `json:"-"`
	AsOf     time.Time `json:"-"`
	Start    time.Time `json:"-"` // the first simulated day
	Window   []int     `json:"-"` // deliveries per day before Start
	Items    []ForecastItem
	Result   forecast.Result
	Fits     []ForecastItem // the cut line: items that fit under HowManyByPlannedP85
	Beyond   []ForecastItem // the rest
	released time.Time      // backtests: when the release actually went out
}

// ErrNoRelease is returned by Forecasts when no unreleased release has the name asked for.
var ErrNoRelease = errors.New("no such release")

// ReleaseNotFoundError says that a release name matched nothing unreleased, with what it did
// match instead.
type ReleaseNotFoundError struct {
	Name       string
	ReleasedAt time.Time // set when the name is a release already out
	Suggestion string    // the closest release name, when there is one
}

func (e *ReleaseNotFoundError) Error() string {
	switch {
	case !e.ReleasedAt.IsZero():
		return fmt.Sprintf("release %q was released on %s: there is nothing left to forecast (its backtest: relscope forecast --backtest)",
			e.Name, e.ReleasedAt.UTC().Format("2006-01-02"))
	case e.Suggestion != "":
		return fmt.Sprintf("no release %q; did you mean %q?", e.Name, e.Suggestion)
	}
	return fmt.Sprintf("no release %q (relscope query @release_outlook lists the upcoming ones)", e.Name)
}

func (e *ReleaseNotFoundError) Unwrap() error { return ErrNoRelease }

// forecastSettings are the build's settings the forecasts read.
type forecastSettings struct {
	asOf                     time.Time
	windowDays, backtestDays int
}

func readForecastSettings(ctx context.Context, q Querier) (forecastSettings, error) {
	var s forecastSettings
	err := q.QueryRowContext(ctx, `select s.as_of, s.forecast_window_days, g.forecast_backtest_days
from relscope_settings as s cross join relscope_governance as g`).Scan(&s.asOf, &s.windowDays, &s.backtestDays)
	return s, err
}

// teamDeliveries holds each team's delivered items per UTC day.
type teamDeliveries map[string]map[time.Time]int

func readDeliveries(ctx context.Context, q Querier) (teamDeliveries, error) {
	rows, err := q.QueryContext(ctx, `select team, delivered_at::date as day, count(*)
from int_item_delivery where delivered_at is not null group by all`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	d := teamDeliveries{}
	for rows.Next() {
		var team string
		var day time.Time
		var n int
		if err := rows.Scan(&team, &day, &n); err != nil {
			return nil, err
		}
		if d[team] == nil {
			d[team] = map[time.Time]int{}
		}
		d[team][forecast.Date(day)] += n
	}
	return d, rows.Err()
}

// window returns the teams' combined deliveries per day over the days days before start.
func (d teamDeliveries) window(teams []string, start time.Time, days int) []int {
	out := make([]int, days)
	first := forecast.Date(start).AddDate(0, 0, -days)
	for i := range out {
		day := first.AddDate(0, 0, i)
		for _, t := range teams {
			out[i] += d[t][day]
		}
	}
	return out
}

// Forecasts forecasts the upcoming releases (or the one named in opt.Release) from the built
// warehouse. A name that matches no unreleased release is a *ReleaseNotFoundError.
func Forecasts(ctx context.Context, q Querier, opt ForecastOptions) ([]ReleaseForecast, error) {
	s, err := readForecastSettings(ctx, q)
	if err != nil {
		return nil, err
	}
	rels, err := readForecastReleases(ctx, q, opt.Release)
	if err != nil {
		return nil, err
	}
	if opt.Release != "" && len(rels) == 0 {
		return nil, releaseNotFound(ctx, q, opt.Release)
	}
	deliveries, err := readDeliveries(ctx, q)
	if err != nil {
		return nil, err
	}
	start := forecast.Date(s.asOf)
	for i := range rels {
		f := &rels[i]
		f.AsOf, f.Start = s.asOf, start
		f.Window = deliveries.window(f.Teams, start, s.windowDays)
	}
	eachInParallel(len(rels), func(i int) { rels[i].run(opt.Seed) })
	return rels, nil
}

func (f *ReleaseForecast) run(seed uint64) {
	f.Result = forecast.Simulate(forecast.Input{Throughput: f.Window, Remaining: len(f.Items), Start: f.Start,
		Planned: f.Planned, Seed: seed})
	n := len(f.Items)
	if f.Result.Forecasted() && f.Result.HasPlanned {
		n = f.Result.HowManyByPlannedP85
	} else if f.Result.Forecasted() {
		n = len(f.Items) // no planned date: no cut to make
	}
	if f.Result.Forecasted() {
		f.Fits, f.Beyond = forecast.CutLine(f.Items, n)
	}
}

// readForecastReleases reads the releases to forecast with their teams and remaining items.
// The remaining items are those not done or cancelled, highest priority first (the order of
// mart_backlog_priority: score, then tier, then key).
func readForecastReleases(ctx context.Context, q Querier, name string) ([]ReleaseForecast, error) {
	rows, err := q.QueryContext(ctx, `
with chosen as (
    select r.source, r.project, r.release, r.planned_date
    from stg_relscope__releases as r
    cross join relscope_settings as s
    where $name <> ''
        and lower(trim(r.release)) = lower(trim($name))
        and not coalesce(r.released_at <= s.as_of, r.is_released)
    union all
    select source, project, release, planned_date
    from int_upcoming_releases
    where $name = ''
),

teams as (
    select ri.release_source as source, ri.project, ri.release,
        list(distinct ri.team order by ri.team) as teams, mode(ri.team) as team,
        count(*) filter (where coalesce(ri.status_category, '') <> 'cancelled') as items
    from int_release_items as ri
    join chosen as c on c.source = ri.release_source and c.project = ri.project and c.release = ri.release
    group by all
)

select c.source, c.project, c.release, c.planned_date, coalesce(t.team, relscope_team(c.project)), coalesce(t.teams, []), coalesce(t.items, 0),
    ri.item_key, w.title, w.item_type, w.priority, p.score, p.risk_tier
from chosen as c
left join teams as t using (source, project, release)
left join int_release_items as ri
    on ri.release_source = c.source and ri.project = c.project and ri.release = c.release
    and coalesce(ri.status_category, '') not in ('done', 'cancelled')
left join stg_relscope__work_items as w on w.source = ri.source and w.item_key = ri.item_key
left join mart_backlog_priority as p on p.source = ri.source and p.item_key = ri.item_key
order by c.release, c.project, c.source, p.score desc nulls last, p.risk_tier nulls last, ri.item_key`,
		sql.Named("name", strings.TrimSpace(name)))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ReleaseForecast
	for rows.Next() {
		var f ReleaseForecast
		var planned *time.Time
		var teams []any
		var key, title, typ, prio *string
		var score *float64
		var tier *int
		if err := rows.Scan(&f.Source, &f.Project, &f.Release, &planned, &f.Team, &teams, &f.Held, &key, &title, &typ, &prio, &score, &tier); err != nil {
			return nil, err
		}
		var item *ForecastItem
		if key != nil {
			item = &ForecastItem{Key: *key, Title: deref(title), Type: deref(typ), Priority: deref(prio), Score: score, Tier: tier}
		}
		out = addRow(out, f, planned, teams, item)
	}
	return out, rows.Err()
}

// addRow adds one row of a release × item query: a new release when it differs from the last
// one, then its item (nil: the release has none).
func addRow(out []ReleaseForecast, f ReleaseForecast, planned *time.Time, teams []any, item *ForecastItem) []ReleaseForecast {
	if n := len(out); n == 0 || out[n-1].Release != f.Release || out[n-1].Project != f.Project || out[n-1].Source != f.Source {
		if planned != nil {
			f.Planned = forecast.Date(*planned)
		}
		for _, t := range teams {
			f.Teams = append(f.Teams, fmt.Sprint(t))
		}
		out = append(out, f)
	}
	if item != nil {
		cur := &out[len(out)-1]
		cur.Items = append(cur.Items, *item)
	}
	return out
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// releaseNotFound explains why name matched no unreleased release.
func releaseNotFound(ctx context.Context, q Querier, name string) error {
	e := &ReleaseNotFoundError{Name: name}
	var released *time.Time
	err := q.QueryRowContext(ctx, `select max(released_at) from stg_relscope__releases where lower(trim(release)) = lower(trim(?))`, name).Scan(&released)
	if err == nil && released != nil {
		e.ReleasedAt = *released
		return e
	}
	rows, err := q.QueryContext(ctx, `select distinct release from stg_relscope__releases order by release`)
	if err != nil {
		return err
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		if rows.Scan(&n) == nil {
			names = append(names, n)
		}
	}
	e.Suggestion = Closest(name, names)
	return e
}

// Backtests forecasts each past release as of opt-configured days before its actual release
// (forecast_backtest_days), from what the warehouse knew then: the items it held at that
// moment (its fix-version history; its current items where it has none) not yet delivered,
// and the deliveries of the window before. Released is when it actually went out.
func Backtests(ctx context.Context, q Querier, opt ForecastOptions) ([]ReleaseForecast, error) {
	s, err := readForecastSettings(ctx, q)
	if err != nil {
		return nil, err
	}
	rows, err := q.QueryContext(ctx, `
with past as (
    select r.source, r.project, r.release, r.planned_date, r.released_at,
        r.released_at::date - g.forecast_backtest_days as forecast_on
    from stg_relscope__releases as r
    cross join relscope_settings as s
    cross join relscope_governance as g
    where r.released_at is not null and r.released_at <= s.as_of
        and ($name = '' or lower(trim(r.release)) = lower(trim($name)))
),

held_by_history as (
    select p.source, p.project, p.release, e.source as item_source, e.item_key
    from past as p
    join int_release_scope_events as e on e.release_source = p.source and e.project = p.project and e.release = p.release
    where e.changed_at < p.forecast_on::timestamptz
    group by all
    having arg_max(e.event, e.changed_at) = 'added'
),

held_now_without_history as (
    select p.source, p.project, p.release, ri.source as item_source, ri.item_key
    from past as p
    join int_release_items as ri on ri.release_source = p.source and ri.project = p.project and ri.release = p.release
    anti join int_release_scope_events as e
        on e.release_source = p.source and e.project = p.project and e.release = p.release
        and e.source = ri.source and e.item_key = ri.item_key
),

-- The two are disjoint (an item of a release has scope events for it or has none) and each is
-- unique on its keys: union all, no distinct of every held item.
held as (
    select * from held_by_history
    union all
    select * from held_now_without_history
),

-- (int_item_delivery has each item's status category: no join of stg_relscope__work_items.)
remaining as (
    select h.*
    from held as h
    join past as p using (source, project, release)
    join int_item_delivery as d on d.source = h.item_source and d.item_key = h.item_key
    where d.status_category <> 'cancelled'
        and (d.delivered_at is null or d.delivered_at >= p.forecast_on::timestamptz)
),

teams as (
    select ri.release_source as source, ri.project, ri.release, list(distinct ri.team order by ri.team) as teams, mode(ri.team) as team
    from int_release_items as ri
    group by all
)

-- One row per release, its remaining items as a list: the simulation needs their number.
select p.source, p.project, p.release, p.planned_date, p.released_at, p.forecast_on,
    coalesce(t.team, relscope_team(p.project)), coalesce(t.teams, []),
    coalesce(list(r.item_key order by r.item_key) filter (where r.item_key is not null), [])
from past as p
left join teams as t using (source, project, release)
left join remaining as r using (source, project, release)
group by all
order by p.release, p.project, p.source`, sql.Named("name", strings.TrimSpace(opt.Release)))
	if err != nil {
		return nil, err
	}
	var out []ReleaseForecast
	for rows.Next() {
		var f ReleaseForecast
		var planned *time.Time
		var forecastOn time.Time
		var teams, keys []any
		if err := rows.Scan(&f.Source, &f.Project, &f.Release, &planned, &f.released, &forecastOn, &f.Team, &teams, &keys); err != nil {
			rows.Close()
			return nil, err
		}
		f.Start = forecast.Date(forecastOn)
		f.AsOf = f.Start
		out = addRow(out, f, planned, teams, nil)
		cur := &out[len(out)-1]
		for _, k := range keys {
			cur.Items = append(cur.Items, ForecastItem{Key: fmt.Sprint(k)})
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if opt.Release != "" && len(out) == 0 {
		return nil, &ReleaseNotFoundError{Name: opt.Release}
	}
	deliveries, err := readDeliveries(ctx, q)
	if err != nil {
		return nil, err
	}
	for i := range out {
		f := &out[i]
		f.Window = deliveries.window(f.Teams, f.Start, s.windowDays)
	}
	eachInParallel(len(out), func(i int) {
		f := &out[i]
		f.Result = forecast.Simulate(forecast.Input{Throughput: f.Window, Remaining: len(f.Items), Start: f.Start,
			Planned: f.Planned, Seed: opt.Seed})
	})
	sort.SliceStable(out, func(i, j int) bool { return out[i].released.Before(out[j].released) })
	return out, nil
}

// eachInParallel calls fn(0) … fn(n-1) on one goroutine per core and returns when all have
// returned. Each release's simulation is a pure function of its own input and seed, so the
// results are the same as one after another; the build waits for the simulations alone here
// (DuckDB is idle), and a 1M-item organisation's backtest is hundreds of them.
func eachInParallel(n int, fn func(i int)) {
	workers := min(n, runtime.GOMAXPROCS(0))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
				fn(i)
			}
		}()
	}
	wg.Wait()
}

// Released is when a backtested release actually went out (zero for a forecast).
func (f *ReleaseForecast) Released() time.Time { return f.released }
