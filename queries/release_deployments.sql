-- name: release_deployments :many
-- description: The production deployments of one release in the order they finished, with their
-- description: outcome (failure and why, recovery hours) and change record.
-- param: release = - the release name (case-insensitive; @release_summary without it names the latest)
-- param: project = % project key, or a LIKE pattern
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
where lower(trim(m.release)) = lower(trim($release))
    and m.project like $project
order by finished_at, deployment_id
