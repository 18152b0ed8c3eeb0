-- description: Incident hotspots: services, and components of the items incidents are linked
-- description: to, with at least 3 incidents created in the 90 days up to as_of — with the items
-- description: linked to those incidents (named by the incident, or shipped by the deployment it
-- description: is linked to) and which of them are still open in the backlog.
-- grain: one row per hotspot (kind, name)
-- column: name: the service or component
-- column: incidents_90d: distinct incidents created in the 90 days up to as_of
-- column: open_incidents: of those, still open at as_of
-- column: ack_hours_p50: median hours to acknowledge of those with an acknowledgement
-- column: resolve_hours_p50: median hours to resolve of those resolved by as_of
-- column: kind: service (the incident's own service) or component (a component of a linked item)
-- column: team: the team most of the hotspot's incidents belong to
-- column: item_keys: every item linked to the hotspot's incidents
-- column: open_item_keys: those of item_keys not done or cancelled at as_of (in the warehouse)
-- test: unique(kind, name)
-- test: not_null(kind, name, incidents_90d)
-- test: accepted_values(kind: service, component)
-- test: expression(incidents_90d >= 3 and open_incidents <= incidents_90d)
with recent as (
    select m.*
    from mart_incidents as m
    cross join relscope_settings as s
    where m.created_at > s.as_of - interval 90 day
),

linked_items as (
    select distinct r.source, r.incident_id, k.item_key
    from recent as r
    cross join lateral (select unnest(list_concat(r.item_keys, r.deployment_item_keys)) as item_key) as k
),

-- An item is matched by key across sources, as deployments match items (only the keys linked
-- to a recent incident: the rest are never looked up).
item_state as (
    select item_key, bool_or(status_category not in ('done', 'cancelled')) as is_open, flatten(list(components)) as components
    from stg_relscope__work_items
    semi join (select distinct item_key from linked_items) as li using (item_key)
    group by item_key
),

by_service as (
    select 'service' as kind, r.service as name, r.source, r.incident_id, r.team, r.resolve_hours, r.ack_hours
    from recent as r
    where r.service is not null
),

by_component as (
    select distinct 'component' as kind, c.component as name, r.source, r.incident_id, r.team, r.resolve_hours, r.ack_hours
    from recent as r
    join linked_items as li on li.source = r.source and li.incident_id = r.incident_id
    join item_state as st on st.item_key = li.item_key
    cross join lateral (select unnest(st.components) as component) as c
),

members as (
    select * from by_service
    union all
    select * from by_component
),

hotspots as (
    select
        kind,
        name,
        mode(team) as team,
        count(distinct (source, incident_id)) as incidents_90d,
        count(distinct (source, incident_id)) filter (where resolve_hours is null) as open_incidents,
        quantile_cont(ack_hours, 0.5) as ack_hours_p50,
        quantile_cont(resolve_hours, 0.5) as resolve_hours_p50
    from members
    group by kind, name
    having count(distinct (source, incident_id)) >= 3
),

items as (
    select
        m.kind,
        m.name,
        list(distinct li.item_key order by li.item_key) as item_keys,
        list(distinct li.item_key order by li.item_key) filter (where st.is_open) as open_item_keys
    from members as m
    join linked_items as li on li.source = m.source and li.incident_id = m.incident_id
    left join item_state as st on st.item_key = li.item_key
    group by m.kind, m.name
)

select
    h.kind,
    h.name,
    h.team,
    h.incidents_90d,
    h.open_incidents,
    h.ack_hours_p50,
    h.resolve_hours_p50,
    coalesce(i.item_keys, []) as item_keys,
    coalesce(i.open_item_keys, []) as open_item_keys
from hotspots as h
left join items as i using (kind, name)
