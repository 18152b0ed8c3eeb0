-- name: incidents_per_release :many
-- description: Released releases with their production deployments, failed deployments and
-- description: the incidents linked to them within 7 days of release, newest first.
-- param: team = % a team's exact name; % for every team
-- param: since = 2000-01-01 released on or after this date (YYYY-MM-DD)
select
    release,
    team,
    released_at,
    deployments,
    failed_deployments,
    incidents,
    successful
from mart_release_health
where ($team = '%' or team = $team)
    and released_at >= $since::date
order by released_at desc
