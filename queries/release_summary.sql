-- name: release_summary :many
-- description: One release's health: its dates (planned, freeze, released, and the days it
-- description: slipped: positive is late), items, scope at freeze and its churn, production
-- description: deployments, failures, incidents within 7 days and whether it succeeded. The name
-- description: matches case-insensitively; a name two projects share gives a row for each.
-- description: Without a name: the latest released release that has items (else the latest).
-- param: release = - the release name; - for the latest released release with items
-- param: project = % project key, or a LIKE pattern
select
    release,
    project,
    source as release_source,
    team,
    planned_date,
    freeze_date,
    released_at,
    is_released,
    items,
    planned_at_freeze,
    added_after_freeze,
    removed_after_freeze,
    round(scope_volatility, 3) as scope_volatility,
    items_without_history,
    deployments,
    failed_deployments,
    incidents,
    successful,
    round(date_diff('second', planned_date::timestamptz, released_at) / 86400.0, 1) as slip_days
from mart_release_health
where project like $project
    and case when $release = '-' then released_at is not null else lower(trim(release)) = lower(trim($release)) end
qualify $release <> '-' or row_number() over (order by items > 0 desc, released_at desc, release, project) = 1
order by project
