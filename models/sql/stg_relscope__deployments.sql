-- description: Deployment runs with the organisation's rules applied: production decided by the
-- description: configured environments, the team by the export's team field, else service_teams,
-- description: through team_aliases.
-- grain: one row per deployment run (source, deployment_id)
-- materialized: view
-- column: team: the export's team field, else the service's configured team, renamed by team_aliases; '(no team)' when neither says
-- column: export_team: the team field as exported (null when the export has none)
-- column: is_production: the environment is one of production_environments (case-insensitive, trimmed)
-- Each exported team and service resolved once (relscope_team, relscope_service_team are
-- lookups DuckDB would otherwise decorrelate over every run), not once per run.
with teams as (
    select team, service, coalesce(relscope_team(team), relscope_service_team(service), '(no team)') as team_name
    from (select distinct team, service from deployments)
)

select
    d.source,
    d.deployment_id,
    d.service,
    t.team_name as team,
    d.team as export_team,
    d.environment,
    lower(trim(d.environment)) in (select environment from relscope_production) as is_production,
    d.status,
    d.kind,
    d.started_at,
    d.finished_at,
    d.version,
    lower(trim(d.version)) as version_key,
    d.change_id,
    d.commit_sha,
    d.commit_time,
    d.description,
    coalesce(d.item_keys, []) as item_keys,
    d.ingest_id
from deployments as d
left join teams as t on t.team is not distinct from d.team and t.service is not distinct from d.service
