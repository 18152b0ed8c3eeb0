-- description: Incidents linked to the production deployment that caused them: explicitly
-- description: (caused_by_deployment), by change (the latest production deployment carrying the
-- description: incident's change_id that finished before it), or by attribution (the latest
-- description: successful production deployment of the same service that finished before the
-- description: incident was created, within attribution_window_hours). Each incident links once.
-- grain: one row per linked incident
-- test: unique(incident_source, incident_id)
-- test: accepted_values(link: caused_by, change_id, attributed)
-- test: not_null(deployment_id)
with incidents as (
    select i.*
    from stg_relscope__incidents as i
    cross join relscope_settings as s
    where i.created_at <= s.as_of
),

explicit as (
    select
        i.source as incident_source,
        i.incident_id,
        d.source as deployment_source,
        d.deployment_id,
        'caused_by' as link
    from incidents as i
    join int_production_deployments as d on d.deployment_id = i.caused_by_deployment
),

by_change as (
    select
        i.source,
        i.incident_id,
        -- Both from the same deployment, whatever ties finished_at has.
        arg_max(d.source, (d.finished_at, d.source, d.deployment_id)),
        arg_max(d.deployment_id, (d.finished_at, d.source, d.deployment_id)),
        'change_id'
    from incidents as i
    join int_production_deployments as d
        on d.change_id = i.change_id and d.finished_at <= i.created_at
    where i.caused_by_deployment is null
    group by i.source, i.incident_id
),

unlinked as (
    select i.*
    from incidents as i
    where i.caused_by_deployment is null
        and not exists (select 1 from by_change as c where c.source = i.source and c.incident_id = i.incident_id)
),

successful as (
    select * from int_production_deployments where status = 'success'
),

attributed as (
    select
        u.source,
        u.incident_id,
        d.source,
        d.deployment_id,
        'attributed'
    from unlinked as u
    asof join successful as d
        on d.service = u.service and u.created_at >= d.finished_at
    cross join relscope_settings as s
    where d.finished_at >= u.created_at - to_hours(s.attribution_window_hours)
)

select * from explicit
union all
select * from by_change
union all
select * from attributed
