-- name: release_forecast :many
-- description: One upcoming release's Monte Carlo forecast (mart_release_forecast, the build's
-- description: default seed): items and items remaining, P50/P85/P95 completion dates, the chance
-- description: of finishing by the planned date, how many items are 85% sure by then, its basis
-- description: (window, delivering days, trials, seed) or why there is none.
-- param: release = - the release name (case-insensitive)
-- param: project = % project key, or a LIKE pattern
select
    release,
    project,
    team,
    planned_date,
    items,
    remaining,
    p50_date,
    p85_date,
    p95_date,
    round(p_on_time, 3) as p_on_time,
    how_many_by_planned_p85,
    window_days,
    delivering_days,
    trials,
    seed,
    reason
from mart_release_forecast
where lower(trim(release)) = lower(trim($release))
    and project like $project
