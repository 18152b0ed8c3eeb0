-- description: The production deployments of each release (int_release_deployments: the
-- description: deployment's version is the release's name, or it ships one of the release's
-- description: items) with their outcome from mart_deployments — what a release's brief and
-- description: audit list, and how compliance findings on deployments reach a release.
-- grain: one row per release and production deployment (release_source, project, release, deployment_source, deployment_id)
-- column: release_source: where the release came from (native, jira, github, ...)
-- column: deployment_source: where the deployment came from
-- test: unique(release_source, project, release, deployment_source, deployment_id)
-- test: not_null(release, deployment_id, service, status)
select
    rd.release,
    rd.release_source,
    rd.project,
    d.source as deployment_source,
    d.deployment_id,
    d.service,
    d.team,
    d.environment,
    d.version,
    d.kind,
    d.status,
    d.started_at,
    d.finished_at,
    d.change_id,
    d.change_type,
    d.incidents,
    d.is_failure,
    d.failure_reason,
    d.recovered_at,
    d.recovery_hours,
    d.is_rework
from int_release_deployments as rd
join mart_deployments as d on d.source = rd.deployment_source and d.deployment_id = rd.deployment_id
