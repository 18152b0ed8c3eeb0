-- name: forecast_calibration :many
-- description: How well calibrated are the forecasts, per team? Of the past releases backtested
-- description: (@forecast_backtest), those with a forecast, the share out by their P85 date (about
-- description: 85% is well calibrated), the median days between P85 and the actual release, and how
-- description: many went out by their planned date (mart_forecast_calibration).
-- param: team = % a team's exact name; % for every team
select
    team,
    releases,
    forecasted,
    released_by_p85,
    share_by_p85,
    days_after_p85_p50,
    released_by_planned
from mart_forecast_calibration
where $team = '%' or team = $team
order by team
