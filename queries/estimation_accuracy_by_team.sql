-- name: estimation_accuracy_by_team :many
-- description: How good each team's hour estimates are: median actual/planned, mean absolute
-- description: percentage error and the share within ±25% of plan.
select
    team,
    items,
    round(median_ratio, 2) as median_ratio,
    round(mape, 3) as mape,
    round(share_within_25pct, 3) as share_within_25pct
from mart_estimation_summary
order by team
