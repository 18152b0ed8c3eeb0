-- description: How far to trust each team's forecasts: of its past releases backtested
-- description: (mart_forecast_backtest), how many got a forecast, how many went out by their P85
-- description: date and by their planned date. A well-calibrated P85 holds for about 85% of them;
-- description: far more means the forecasts are cautious (scope leaves releases before they ship),
-- description: far fewer that they are optimistic.
-- grain: one row per team
-- column: releases: past releases backtested
-- column: forecasted: of them, those with enough history for a forecast
-- column: released_by_p85: of those, the ones out on or before their P85 date
-- column: share_by_p85: released_by_p85 / forecasted
-- column: days_after_p85_p50: median of released_on − p85_date, days (negative: earlier)
-- column: released_by_planned: releases out on or before their planned date
-- test: unique(team)
-- test: expression(share_by_p85 between 0 and 1)
select
    team,
    count(*) as releases,
    count(*) filter (where reason is null) as forecasted,
    count(*) filter (where released_by_p85) as released_by_p85,
    round(count(*) filter (where released_by_p85) / nullif(count(*) filter (where reason is null), 0), 4) as share_by_p85,
    quantile_cont(days_after_p85, 0.5) as days_after_p85_p50,
    count(*) filter (where released_by_planned) as released_by_planned
from mart_forecast_backtest
group by team
