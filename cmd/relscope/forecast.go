package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/jedib0t/go-pretty/v6/table"
	"github.com/spf13/cobra"

	"github.com/relscope/relscope/models"
	"github.com/relscope/relscope/models/forecast"
)

type forecastOptions struct {
	g        *globals
	release  string
	project  string
	seed     uint64
	format   string
	backtest bool
}

func newForecastCmd(g *globals) *cobra.Command {
	o := &forecastOptions{g: g}
	cmd := &cobra.Command{
		Use:   "forecast --release R [--seed N] [--format text|json] [--backtest]",
		Short: "Monte Carlo completion forecast for a release",
		Long: `forecast says when an unreleased release's remaining items (not done or cancelled) will be
done: a Monte Carlo of 10,000 trials over the daily throughput of the release's team(s) in the
trailing forecast_window_days (default 90), days without deliveries included. It prints the
P50, P85 and P95 completion dates, the probability of finishing on or before the planned date,
how many items are delivered by the planned date in 85% of trials, the cut line (the
highest-priority remaining items that fit under that number, by the priority score of
mart_backlog_priority) and the assumptions. Fewer than 5 delivering days in the window: no
forecast, and why.

The same seed gives the same forecast; the build stores every upcoming release's forecast
with the default seed (mart_release_forecast), so the reports and this command agree.
--backtest adds the calibration: each past release of the same team(s) forecast
forecast_backtest_days (default 14) before it actually went out, against when it did
(every past release without --release).

Reads the built warehouse (run 'relscope build' first); never writes to it.`,
		Example: `  relscope forecast --release "PAY 2026.46"
  relscope forecast --release "PAY 2026.46" --format json
  relscope forecast --release "PAY 2026.46" --seed 7
  relscope forecast --release "PAY 2026.46" --backtest
  relscope forecast --backtest --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runForecast(cmd.Context(), o) },
	}
	f := cmd.Flags()
	f.StringVar(&o.release, "release", "", "release name (case-insensitive)")
	f.StringVar(&o.project, "project", "", "the release's project, when several projects have a release of that name")
	f.Uint64Var(&o.seed, "seed", forecast.DefaultSeed, "random seed (the same seed gives the same forecast)")
	f.StringVar(&o.format, "format", "text", "text or json")
	f.BoolVar(&o.backtest, "backtest", false, "also forecast past releases and compare with when they went out")
	cmd.RegisterFlagCompletionFunc("format", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return []string{"text", "json"}, cobra.ShellCompDirectiveNoFileComp
	})
	return cmd
}

func runForecast(ctx context.Context, o *forecastOptions) error {
	g := o.g
	if o.format != "text" && o.format != "json" {
		return usagef("--format %q: want text or json", o.format)
	}
	if strings.TrimSpace(o.release) == "" && !o.backtest {
		return usagef("forecast needs --release R (or --backtest for every past release)")
	}
	w, err := models.Open(ctx, g.dbPath, models.Options{ReadOnly: true})
	if err != nil {
		return err
	}
	defer w.Close()
	if asOf, err := w.Meta(ctx, "as_of"); err != nil {
		return err
	} else if asOf == "" {
		return errors.New("the warehouse has not been built: run `relscope build` first")
	}
	var fc *models.ReleaseForecast
	if o.release != "" {
		fs, err := models.Forecasts(ctx, w.DB, models.ForecastOptions{Release: o.release, Seed: o.seed})
		if err != nil {
			return err
		}
		if fc, err = pickRelease(fs, o.release, o.project); err != nil {
			return err
		}
	}
	var bt []models.ReleaseForecast
	if o.backtest {
		all, err := models.Backtests(ctx, w.DB, models.ForecastOptions{Seed: o.seed})
		if err != nil {
			return err
		}
		bt = all
		if fc != nil {
			bt = sameTeams(all, fc.Teams)
		}
	}
	if o.format == "json" {
		return writeForecastJSON(g.stdout, fc, bt, o.backtest)
	}
	if fc != nil {
		writeForecastText(g.stdout, fc)
	}
	if o.backtest {
		if fc != nil {
			fmt.Fprintln(g.stdout)
		}
		writeBacktestText(g.stdout, bt)
	}
	return nil
}

// pickRelease chooses the one forecast named by --release (and --project).
func pickRelease(fs []models.ReleaseForecast, name, project string) (*models.ReleaseForecast, error) {
	var match []models.ReleaseForecast
	var projects []string
	for _, f := range fs {
		projects = append(projects, f.Project)
		if project == "" || strings.EqualFold(f.Project, project) {
			match = append(match, f)
		}
	}
	switch {
	case len(match) == 1:
		return &match[0], nil
	case len(match) == 0:
		return nil, usagef("no release %q in project %q (it is in: %s)", name, project, strings.Join(projects, ", "))
	}
	return nil, usagef("several projects have a release %q (%s): pass --project", name, strings.Join(projects, ", "))
}

// sameTeams keeps the backtests of releases sharing a team with teams.
func sameTeams(all []models.ReleaseForecast, teams []string) []models.ReleaseForecast {
	var out []models.ReleaseForecast
	for _, b := range all {
	next:
		for _, t := range b.Teams {
			for _, u := range teams {
				if t == u {
					out = append(out, b)
					break next
				}
			}
		}
	}
	return out
}

func day(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.Format("2006-01-02")
}

func writeForecastText(w io.Writer, f *models.ReleaseForecast) {
	r := f.Result
	planned := "no planned date"
	if !f.Planned.IsZero() {
		planned = "planned " + day(f.Planned)
	}
	fmt.Fprintf(w, "%s (%s) — %s\n", f.Release, strings.Join(f.Teams, ", "), planned)
	fmt.Fprintf(w, "  remaining     %d of %d items (not done or cancelled)\n", r.Remaining, f.Held)
	switch {
	case r.Remaining == 0:
		fmt.Fprintf(w, "  forecast      none needed: every item is done\n")
	case !r.Forecasted():
		fmt.Fprintf(w, "  forecast      none: %s\n", r.Reason)
	default:
		beyond := func(t time.Time) string {
			if t.IsZero() {
				return "beyond 10 years at this pace"
			}
			return day(t)
		}
		fmt.Fprintf(w, "  P50           %s\n  P85           %s\n  P95           %s\n", beyond(r.P50), beyond(r.P85), beyond(r.P95))
		if r.HasPlanned {
			fmt.Fprintf(w, "  on time       %.0f%% chance of finishing by %s\n", r.POnTime*100, day(f.Planned))
			fmt.Fprintf(w, "  by planned    %d of the %d remaining items, 85%% sure (the low tail)\n", r.HowManyByPlannedP85, r.Remaining)
		}
	}
	fmt.Fprintf(w, "  assumptions   %d trials, seed %d; daily throughput of %s over the %d days %s to %s (%d with a delivery, %d items), zero days included; as of %s\n",
		r.Trials, r.Seed, strings.Join(f.Teams, ", "), r.WindowDays, day(f.Start.AddDate(0, 0, -r.WindowDays)),
		day(f.Start.AddDate(0, 0, -1)), r.DeliveringDays, r.Delivered, f.AsOf.UTC().Format(time.RFC3339))
	if len(f.Fits)+len(f.Beyond) == 0 || !r.HasPlanned {
		return
	}
	fmt.Fprintf(w, "\ncut line at %d: the remaining items by priority\n", r.HowManyByPlannedP85)
	t := newTable(w, "", "item", "type", "priority", "tier", "score", "title")
	row := func(mark string, it models.ForecastItem) {
		score, tier := "-", "-"
		if it.Score != nil {
			score = fmt.Sprintf("%.2f", *it.Score)
		}
		if it.Tier != nil {
			tier = fmt.Sprint(*it.Tier)
		}
		title := it.Title
		if len([]rune(title)) > 50 {
			title = string([]rune(title)[:49]) + "…"
		}
		t.AppendRow(table.Row{mark, it.Key, it.Type, it.Priority, tier, score, title})
	}
	for _, it := range f.Fits {
		row("fits", it)
	}
	if len(f.Fits) > 0 && len(f.Beyond) > 0 {
		t.AppendSeparator()
	}
	for _, it := range f.Beyond {
		row("at risk", it)
	}
	t.Render()
}

func writeBacktestText(w io.Writer, bt []models.ReleaseForecast) {
	c := calibrate(bt)
	fmt.Fprintf(w, "backtest: %d past release(s), %d with a forecast; %d of those (%s) went out by their P85 date\n",
		c.Releases, c.Forecasted, c.ByP85, pct(c.ShareByP85))
	if len(bt) == 0 {
		return
	}
	t := newTable(w, "release", "team", "forecast on", "remaining", "P50", "P85", "planned", "released", "by P85", "note")
	for _, b := range bt {
		r := b.Result
		by, note := "-", r.Reason
		if r.Forecasted() {
			by = "no"
			if r.P85.IsZero() || !forecast.Date(b.Released()).After(r.P85) {
				by = "yes"
			}
		}
		t.AppendRow(table.Row{b.Release, b.Team, day(b.Start), r.Remaining, day(r.P50), day(r.P85), day(b.Planned),
			day(forecast.Date(b.Released())), by, note})
	}
	t.Render()
}

func pct(p *float64) string {
	if p == nil {
		return "-"
	}
	return fmt.Sprintf("%.0f%%", *p*100)
}

// calibration sums up a backtest.
type calibration struct {
	Releases   int      `json:"releases"`
	Forecasted int      `json:"forecasted"`
	ByP85      int      `json:"released_by_p85"`
	ShareByP85 *float64 `json:"share_by_p85"`
}

func calibrate(bt []models.ReleaseForecast) calibration {
	c := calibration{Releases: len(bt)}
	for _, b := range bt {
		if !b.Result.Forecasted() {
			continue
		}
		c.Forecasted++
		if b.Result.P85.IsZero() || !forecast.Date(b.Released()).After(b.Result.P85) {
			c.ByP85++
		}
	}
	if c.Forecasted > 0 {
		s := float64(c.ByP85) / float64(c.Forecasted)
		c.ShareByP85 = &s
	}
	return c
}

// forecastJSON is `relscope forecast --format json`: dates as YYYY-MM-DD, null where none.
type forecastJSON struct {
	Release             string       `json:"release"`
	Project             string       `json:"project"`
	Team                string       `json:"team"`
	Teams               []string     `json:"teams"`
	PlannedDate         *string      `json:"planned_date"`
	Items               int          `json:"items"`
	Remaining           int          `json:"remaining"`
	P50                 *string      `json:"p50"`
	P85                 *string      `json:"p85"`
	P95                 *string      `json:"p95"`
	POnTime             *float64     `json:"p_on_time"`
	HowManyByPlannedP85 *int         `json:"how_many_by_planned_p85"`
	CutLine             []cutItem    `json:"cut_line"`
	Reason              *string      `json:"reason"`
	Assumptions         assumptionsJ `json:"assumptions"`
	// Backtests only.
	ReleasedOn    *string `json:"released_on,omitempty"`
	ReleasedByP85 *bool   `json:"released_by_p85,omitempty"`
}

type cutItem struct {
	models.ForecastItem
	Fits bool `json:"fits"`
}

type assumptionsJ struct {
	AsOf           string  `json:"as_of"`
	Start          string  `json:"first_day"`
	WindowDays     int     `json:"window_days"`
	WindowStart    string  `json:"window_start"`
	WindowEnd      string  `json:"window_end"`
	DeliveringDays int     `json:"delivering_days"`
	Delivered      int     `json:"delivered_in_window"`
	Trials         int     `json:"trials"`
	Seed           uint64  `json:"seed"`
	BeyondHorizon  float64 `json:"beyond_horizon"`
}

func jsonDate(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := day(t)
	return &s
}

func toJSON(f *models.ReleaseForecast) forecastJSON {
	r := f.Result
	j := forecastJSON{Release: f.Release, Project: f.Project, Team: f.Team, Teams: f.Teams, PlannedDate: jsonDate(f.Planned),
		Items: f.Held, Remaining: r.Remaining, P50: jsonDate(r.P50), P85: jsonDate(r.P85), P95: jsonDate(r.P95), CutLine: []cutItem{},
		Assumptions: assumptionsJ{AsOf: f.AsOf.UTC().Format(time.RFC3339), Start: day(f.Start), WindowDays: r.WindowDays,
			WindowStart: day(f.Start.AddDate(0, 0, -r.WindowDays)), WindowEnd: day(f.Start.AddDate(0, 0, -1)),
			DeliveringDays: r.DeliveringDays, Delivered: r.Delivered, Trials: r.Trials, Seed: r.Seed, BeyondHorizon: r.Beyond}}
	if j.Teams == nil {
		j.Teams = []string{}
	}
	if r.Reason != "" {
		j.Reason = &r.Reason
	}
	if r.HasPlanned && (r.Forecasted() || r.Remaining == 0) {
		p, n := r.POnTime, r.HowManyByPlannedP85
		j.POnTime, j.HowManyByPlannedP85 = &p, &n
	}
	for _, it := range f.Fits {
		j.CutLine = append(j.CutLine, cutItem{it, true})
	}
	for _, it := range f.Beyond {
		j.CutLine = append(j.CutLine, cutItem{it, false})
	}
	if !f.Released().IsZero() {
		j.ReleasedOn = jsonDate(forecast.Date(f.Released()))
		if r.Forecasted() {
			by := r.P85.IsZero() || !forecast.Date(f.Released()).After(r.P85)
			j.ReleasedByP85 = &by
		}
	}
	return j
}

func writeForecastJSON(w io.Writer, fc *models.ReleaseForecast, bt []models.ReleaseForecast, backtest bool) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if !backtest {
		return enc.Encode(toJSON(fc))
	}
	out := struct {
		Forecast    *forecastJSON  `json:"forecast"`
		Backtest    []forecastJSON `json:"backtest"`
		Calibration calibration    `json:"calibration"`
	}{Backtest: []forecastJSON{}, Calibration: calibrate(bt)}
	if fc != nil {
		j := toJSON(fc)
		out.Forecast = &j
	}
	for i := range bt {
		out.Backtest = append(out.Backtest, toJSON(&bt[i]))
	}
	return enc.Encode(out)
}
