-- name: release_summary :many
-- description: One release's health: its dates (planned, freeze, released, and the days it
-- description: slipped: positive is late), items, scope at freeze and its churn, production
-- description: deployments, failures, incidents within 7 days and whether it succeeded. The name
-- description: matches case-insensitively; a name two projects share gives a row for each.
-- description: Without a name: the latest released release with public changes (else the latest
-- description: with items, else the latest).
-- param: release = - the release name; - for the latest released release with public changes
-- param: project = % project key, or a LIKE pattern
select
    release,
    project,
    source as release_source,
    h.team,
    h.planned_date,
    h.freeze_date,
    h.released_at,
    h.is_released,
    h.items,
    h.planned_at_freeze,
    h.added_after_freeze,
    h.removed_after_freeze,
    round(h.scope_volatility, 3) as scope_volatility,
    h.items_without_history,
    h.deployments,
    h.failed_deployments,
    h.incidents,
    h.successful,
    round(date_diff('second', h.planned_date::timestamptz, h.released_at) / 86400.0, 1) as slip_days
from mart_release_health as h
left join mart_release_calendar as c using (source, project, release)
where project like $project
    and case when $release = '-' then h.released_at is not null else lower(trim(release)) = lower(trim($release)) end
qualify $release <> '-' or row_number() over (order by coalesce(c.public_items, 0) > 0 desc, h.items > 0 desc, h.released_at desc, release, project) = 1
order by project
