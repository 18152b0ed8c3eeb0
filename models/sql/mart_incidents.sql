-- description: Every incident created by as_of, with its time to acknowledge and to resolve, the
-- description: production deployment it is linked to (int_deployment_incidents: explicitly, by
-- description: change, or by attribution) and the items it concerns: those the export names and
-- description: those the linked deployment shipped. Times after as_of are not known yet.
-- grain: one row per incident (source, incident_id)
-- column: incident_id: the incident's id in its source (INC0010023, PagerDuty's Q1ABC…, an alert id)
-- column: severity: severity or priority as the export names it
-- column: acknowledged_at: first acknowledgement (UTC); null when the export has none or it is after as_of
-- column: deployment_source: source of the linked deployment
-- column: ack_hours: acknowledged_at − created_at in hours; null when the export has no acknowledgement (or it is after as_of)
-- column: resolve_hours: resolved_at − created_at in hours; null while open at as_of
-- column: deployment_link: how deployment_id was found: caused_by, change_id or attributed
-- column: item_keys: the items the incident names in the export
-- column: deployment_item_keys: the items the linked deployment shipped (int_item_deployment_links)
-- test: unique(source, incident_id)
-- test: not_null(incident_id, team, created_at, month)
-- test: accepted_values(deployment_link: caused_by, change_id, attributed)
-- test: expression(ack_hours >= 0)
-- test: expression(resolve_hours >= 0)
-- test: expression((deployment_id is null) = (deployment_link is null))
with incidents as (
    select i.*
    from stg_relscope__incidents as i
    cross join relscope_settings as s
    where i.created_at <= s.as_of
),

-- The items each deployment linked to an incident ships (only those deployments: the rest are
-- never looked up).
shipped as (
    select k.deployment_source, k.deployment_id, list(distinct k.item_key order by k.item_key) as item_keys
    from int_item_deployment_links as k
    semi join int_deployment_incidents as l
        on l.deployment_source = k.deployment_source and l.deployment_id = k.deployment_id
    group by all
),

final as (
    select
        i.incident_id,
        i.source,
        i.service,
        i.team,
        i.severity,
        i.title,
        i.created_at,
        case when i.acknowledged_at <= s.as_of then i.acknowledged_at end as acknowledged_at,
        case when i.resolved_at <= s.as_of then i.resolved_at end as resolved_at,
        case
            when i.acknowledged_at <= s.as_of and i.acknowledged_at >= i.created_at
                then relscope_seconds_between(i.created_at, i.acknowledged_at) / 3600.0
        end as ack_hours,
        case
            when i.resolved_at <= s.as_of and i.resolved_at >= i.created_at
                then relscope_seconds_between(i.created_at, i.resolved_at) / 3600.0
        end as resolve_hours,
        l.deployment_source,
        l.deployment_id,
        l.link as deployment_link,
        i.item_keys,
        coalesce(sh.item_keys, []) as deployment_item_keys,
        date_trunc('month', i.created_at)::date as month
    from incidents as i
    cross join relscope_settings as s
    left join int_deployment_incidents as l on l.incident_source = i.source and l.incident_id = i.incident_id
    left join shipped as sh on sh.deployment_source = l.deployment_source and sh.deployment_id = l.deployment_id
)

select * from final
