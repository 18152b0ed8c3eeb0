-- name: forecast_backtest :many
-- description: How good are the forecasts? Each past release forecast from forecast_backtest_days
-- description: before it went out, against when it did: its P50/P85 dates, whether it was out by
-- description: its P85 and planned dates. Calibration per team is in mart_forecast_calibration.
-- param: team = % a team's exact name; % for every team
select
    release,
    team,
    forecast_on,
    remaining,
    p50_date,
    p85_date,
    planned_date,
    released_on,
    released_by_p85,
    days_after_p85,
    released_by_planned,
    reason
from mart_forecast_backtest
where ($team = '%' or team = $team)
order by released_on desc, release
