-- description: Estimation accuracy per team: median actual/planned ratio, mean absolute
-- description: percentage error (|actual − planned| / actual, averaged) and the share of items
-- description: within ±25% of plan.
-- grain: one row per team with estimated done items
-- test: unique(team)
-- test: expression(share_within_25pct between 0 and 1)
select
    team,
    count(*) as items,
    quantile_cont(ratio, 0.5) as median_ratio,
    -- (added smallest first: a sum of doubles depends on the order DuckDB's threads add them,
    -- and its last digits changed from one build of the same warehouse to the next; an error
    -- has no upper bound, so it is not summed as a decimal)
    avg(abs_pct_error order by abs_pct_error) as mape,
    avg(within_25pct::integer) as share_within_25pct
from mart_estimation_accuracy
group by team
