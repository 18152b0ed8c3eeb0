-- description: When and how each item was delivered. delivered_at is the finish of the first
-- description: successful production deployment that ships the item and finished at or after its
-- description: commitment (or creation, when the commitment is unknown): delivered_via deployment;
-- description: else the resolution time of a done item: delivered_via resolution; else null.
-- description: Cancelled items are never delivered. A done item whose export has no resolution
-- description: time resolved when it last changed status category, where the export says
-- description: (Jira CSV "Status Category Changed"): resolution_basis says which.
-- grain: one row per work item (source, item_key)
-- test: unique(source, item_key)
-- test: accepted_values(delivered_via: deployment, resolution)
-- test: expression((delivered_at is null) = (delivered_via is null))
-- test: accepted_values(resolution_basis: resolved, status_category_changed)
-- column: resolution_basis: resolved (the export's resolution time) or status_category_changed (a done item without one: when it reached done)
-- column: has_status_history: the item's status history is known (int_item_commitment)
with items as (
    select
        w.source,
        w.item_key,
        w.team,
        w.item_type,
        w.title,
        w.status_category,
        w.created_at,
        w.resolved_at,
        w.status_category_changed_at,
        c.committed_at,
        c.committed_basis,
        c.precedes_creation_in_export,
        c.has_status_history
    from stg_relscope__work_items as w
    join int_item_commitment as c using (source, item_key)
),

shipping as (
    select
        l.item_source as source,
        l.item_key,
        d.deployment_id,
        d.finished_at
    from int_item_deployment_links as l
    join int_production_deployments as d
        on d.source = l.deployment_source and d.deployment_id = l.deployment_id
    where d.status = 'success'
),

first_deployment as (
    select
        i.source,
        i.item_key,
        min(sh.finished_at) as delivered_at,
        -- Deployments finished in the same second: the first by id, the same on every build.
        arg_min(sh.deployment_id, (sh.finished_at, sh.deployment_id)) as deployment_id
    from items as i
    join shipping as sh on sh.source = i.source and sh.item_key = i.item_key
    where i.status_category <> 'cancelled'
        and sh.finished_at >= coalesce(i.committed_at, i.created_at, '-infinity'::timestamptz)
    group by i.source, i.item_key
),

resolutions as (
    select
        i.*,
        case
            when i.status_category <> 'done' then null
            when i.resolved_at is not null then i.resolved_at
            else i.status_category_changed_at
        end as resolution_at,
        case
            when i.status_category <> 'done' then null
            when i.resolved_at is not null then 'resolved'
            when i.status_category_changed_at is not null then 'status_category_changed'
        end as resolution_basis
    from items as i
),

final as (
    select
        r.* exclude (resolution_at),
        case
            when f.delivered_at is not null then f.delivered_at
            when r.resolution_at <= s.as_of then r.resolution_at
        end as delivered_at,
        case
            when f.delivered_at is not null then 'deployment'
            when r.resolution_at <= s.as_of then 'resolution'
        end as delivered_via,
        f.deployment_id as delivered_by_deployment
    from resolutions as r
    left join first_deployment as f using (source, item_key)
    cross join relscope_settings as s
)

select * from final
