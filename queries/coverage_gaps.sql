-- name: coverage_gaps :many
-- description: Where the data cannot support a metric: per metric and team, how much is missing,
-- description: why, and which export would fill the gap — read before trusting a number.
-- param: team = % team name, or a LIKE pattern
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
    and coalesce(team, '') like $team
order by metric, missing desc
