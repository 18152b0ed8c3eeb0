-- name: releases_with_scope_churn :many
-- description: Releases whose scope changed after freeze by at least the given share of what
-- description: was planned at freeze (scope_volatility), newest first.
-- param: team = % a team's exact name; % for every team
-- param: min_volatility = 0.2 lowest scope volatility to list (0.2 = 20%)
select
    release,
    team,
    freeze_date,
    released_at,
    planned_at_freeze,
    added_after_freeze,
    removed_after_freeze,
    round(scope_volatility, 2) as scope_volatility,
    successful
from mart_release_health
where ($team = '%' or team = $team)
    and scope_volatility >= $min_volatility::double
order by coalesce(released_at, planned_date::timestamptz) desc
