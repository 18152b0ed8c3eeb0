-- name: release_deployments :many
-- description: The production deployments of one release in the order they finished, with their
-- description: outcome (failure and why, recovery hours) and change record.
-- param: release = - the release name (case-insensitive); - for the latest released release with items
-- param: project = % project key, or a LIKE pattern
with target as (
    -- The release named, or with - the latest released one.
    select source, project, release
    from mart_release_health
    where project like $project
        and case when $release = '-' then released_at is not null else lower(trim(release)) = lower(trim($release)) end
    qualify $release <> '-' or row_number() over (order by items > 0 desc, released_at desc, release, project) = 1
)

select
    deployment_id,
    service,
    version,
    kind,
    status,
    finished_at,
    is_failure,
    failure_reason,
    round(recovery_hours, 1) as recovery_hours,
    incidents,
    change_id
from mart_release_deployments as m
join target as t on t.source = m.release_source and t.project = m.project and t.release = m.release
order by finished_at, deployment_id
