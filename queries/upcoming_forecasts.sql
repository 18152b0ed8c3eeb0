-- name: upcoming_forecasts :many
-- description: The Monte Carlo forecast of every upcoming release with its assumptions: items and
-- description: items remaining, the P50/P85/P95 completion dates, P(on time), how many items are
-- description: 85% sure by the planned date and the cut line, the throughput window, trials and
-- description: seed — or why there is no forecast. By planned date (mart_release_forecast).
-- param: team = % a team's exact name; % for every team
select
    release,
    project,
    team,
    teams,
    planned_date,
    items,
    remaining,
    p50_date,
    p85_date,
    p95_date,
    p_on_time,
    how_many_by_planned_p85,
    cut_line,
    below_cut_line,
    window_days,
    window_start,
    window_end,
    delivering_days,
    delivered_in_window,
    trials,
    seed,
    beyond_horizon,
    reason
from mart_release_forecast
where $team = '%' or team = $team
order by planned_date, release, project
