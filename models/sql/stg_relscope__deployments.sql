-- description: Deployment runs with production decided by the configured environments.
-- grain: one row per deployment run (source, deployment_id)
-- materialized: view
select
    d.source,
    d.deployment_id,
    d.service,
    coalesce(d.team, '(no team)') as team,
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
