-- name: deployments_by_week :many
-- description: Deployment runs (by as_of) per team, environment and ISO week (Monday, UTC), by outcome.
-- param: team = % a team's exact name; % for every team
select
    team,
    environment,
    date_trunc('week', finished_at)::date as week,
    count(*) as runs,
    count(*) filter (where status = 'success') as succeeded,
    count(*) filter (where status in ('failed', 'rolled_back')) as failed,
    count(*) filter (where status = 'cancelled') as cancelled
from mart_deployments
where finished_at is not null
    and ($team = '%' or team = $team)
group by all
order by week desc, team, environment
