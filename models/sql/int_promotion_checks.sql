-- description: Environment promotion of production deployments (seed M5): a production deployment
-- description: of version V of a service is promoted when an earlier successful deployment of V
-- description: (same service, case-insensitive) reached the highest lower level (promotion.order)
-- description: that service deploys to at all, finishing before the production one started.
-- description: Services without lower-environment deployments, deployments without a version,
-- description: and rollbacks (which redeploy what production already had) are not checked.
-- grain: one row per checked production deployment (source, deployment_id)
-- column: required_level: the highest promotion level the service deploys to (1 = lowest)
-- column: required_environments: that level's environment names
-- column: promoted: an earlier successful deployment of the version reached that level
-- test: unique(source, deployment_id)
-- test: not_null(service, version, required_level, promoted)
with lower_runs as (
    select
        lower(trim(d.service)) as service_key,
        d.version_key,
        d.status,
        d.finished_at,
        p.level
    from stg_relscope__deployments as d
    join relscope_promotion as p on p.environment = lower(trim(d.environment))
),

service_levels as (
    select service_key, max(level) as required_level
    from lower_runs
    group by all
),

checked as (
    select d.*, lower(trim(d.service)) as service_key, sl.required_level
    from int_production_deployments as d
    join service_levels as sl on sl.service_key = lower(trim(d.service))
    where d.version_key is not null
        and d.version_key <> ''
        and coalesce(d.kind, 'normal') <> 'rollback'
),

promoted as (
    select c.source, c.deployment_id, true as promoted
    from checked as c
    join lower_runs as l
        on l.service_key = c.service_key
        and l.version_key = c.version_key
        and l.level = c.required_level
        and l.status = 'success'
        and l.finished_at <= coalesce(c.started_at, c.finished_at)
    group by all
),

level_names as (
    select level, string_agg(environment, '/' order by position) as environments
    from relscope_promotion
    group by all
)

select
    c.source,
    c.deployment_id,
    c.service,
    c.team,
    c.version,
    c.finished_at,
    c.required_level,
    n.environments as required_environments,
    coalesce(p.promoted, false) as promoted
from checked as c
join level_names as n on n.level = c.required_level
left join promoted as p using (source, deployment_id)
