-- name: incidents_per_release :many
-- description: Released releases with their production deployments, failed deployments and
-- description: the incidents linked to them within 7 days of release, newest first.
-- param: team = % team name, or a LIKE pattern
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
where team like $team
    and released_at >= $since::date
order by released_at desc
