-- description: Every deployment run with its outcome. A production deployment (status success,
-- description: failed or rolled_back) is a failure when its status is failed or rolled_back or an
-- description: incident is linked to it (int_deployment_incidents). Recovery: for a failed or
-- description: rolled-back deployment, the next successful production deployment of the same
-- description: service; for an incident-caused failure, the resolution of its last incident
-- description: (null while any is open). Rework (DORA 2024): kind hotfix/rollback/emergency, an
-- description: emergency change, or shipping an item that an incident names.
-- grain: one row per deployment run (source, deployment_id)
-- column: is_failure: null unless the run is a production deployment with status success, failed or rolled_back
-- column: failure_reason: failed | rolled_back | incident
-- column: recovery_hours: recovered_at − finished_at in hours; null while not recovered
-- test: unique(source, deployment_id)
-- test: not_null(deployment_id, team, status, kind)
-- test: accepted_values(status: success, failed, rolled_back, cancelled, running)
-- test: accepted_values(failure_reason: failed, rolled_back, incident)
-- test: expression(recovery_hours >= 0)
-- test: expression((is_failure is not null) = (is_production and status in ('success', 'failed', 'rolled_back') and finished_at is not null))
-- test: expression(is_failure or failure_reason is null)
-- test: not_null(is_rework)
with runs as (
    select d.*
    from stg_relscope__deployments as d
    cross join relscope_settings as s
    where coalesce(d.finished_at, d.started_at, s.as_of) <= s.as_of
),

incident_links as (
    select
        l.deployment_source,
        l.deployment_id,
        count(*) as incidents,
        max(i.resolved_at) as last_resolved_at,
        bool_or(i.resolved_at is null) as any_open
    from int_deployment_incidents as l
    join stg_relscope__incidents as i on i.source = l.incident_source and i.incident_id = l.incident_id
    group by all
),

successful as (
    select service, finished_at from int_production_deployments where status = 'success'
),

status_failures as (
    select p.source, p.deployment_id, p.service, p.finished_at
    from int_production_deployments as p
    where p.status in ('failed', 'rolled_back')
),

next_success as (
    select f.source, f.deployment_id, n.finished_at as recovered_at
    from status_failures as f
    asof join successful as n on n.service = f.service and n.finished_at > f.finished_at
),

incident_item_keys as (
    select distinct unnest(item_keys) as item_key from stg_relscope__incidents
),

ships_incident_item as (
    select distinct l.deployment_source, l.deployment_id
    from int_item_deployment_links as l
    join incident_item_keys as k on k.item_key = l.item_key
),

classified as (
    select
        r.*,
        coalesce(il.incidents, 0) as incidents,
        case
            when p.deployment_id is not null then r.status in ('failed', 'rolled_back') or coalesce(il.incidents, 0) > 0
        end as is_failure,
        case
            when p.deployment_id is null then null
            when r.status = 'failed' then 'failed'
            when r.status = 'rolled_back' then 'rolled_back'
            when il.incidents > 0 then 'incident'
        end as failure_reason,
        case
            when p.deployment_id is null then null
            when r.status in ('failed', 'rolled_back') then ns.recovered_at
            when il.incidents > 0 and not il.any_open then greatest(il.last_resolved_at, r.finished_at)
        end as recovered_at,
        p.deployment_id is not null and (
            r.kind in ('hotfix', 'rollback', 'emergency')
            or coalesce(c.change_type = 'emergency', false)
            or si.deployment_id is not null
        ) as is_rework,
        c.change_type
    from runs as r
    left join int_production_deployments as p on p.source = r.source and p.deployment_id = r.deployment_id
    left join incident_links as il on il.deployment_source = r.source and il.deployment_id = r.deployment_id
    left join next_success as ns on ns.source = r.source and ns.deployment_id = r.deployment_id
    left join stg_relscope__changes as c on c.change_id = r.change_id
    left join ships_incident_item as si on si.deployment_source = r.source and si.deployment_id = r.deployment_id
),

final as (
    select
        c.deployment_id,
        c.source,
        c.service,
        c.team,
        c.environment,
        c.is_production,
        c.status,
        c.kind,
        c.started_at,
        c.finished_at,
        c.version,
        c.change_id,
        c.change_type,
        c.commit_time,
        c.incidents,
        c.is_failure,
        c.failure_reason,
        case when c.recovered_at <= s.as_of then c.recovered_at end as recovered_at,
        case when c.recovered_at <= s.as_of then relscope_seconds_between(c.finished_at, c.recovered_at) / 3600.0 end as recovery_hours,
        c.is_rework,
        date_trunc('month', c.finished_at)::date as month
    from classified as c
    cross join relscope_settings as s
)

select * from final
