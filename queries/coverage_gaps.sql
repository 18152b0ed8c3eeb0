-- name: coverage_gaps :many
-- description: Where the data cannot support a metric: per metric and team, how much is missing,
-- description: why, and which export would fill the gap — read before trusting a number.
-- param: team = % a team's exact name; % for every team
select
    metric,
    team,
    population,
    covered,
    round(coverage, 3) as coverage,
    missing,
    reason
from mart_coverage
where reason is not null
    and ($team = '%' or team = $team)
order by metric, missing desc, team, reason
