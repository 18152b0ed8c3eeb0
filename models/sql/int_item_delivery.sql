-- description: When and how each item was delivered. delivered_at is the finish of the first
-- description: successful production deployment that ships the item and finished at or after its
-- description: commitment (or creation, when the commitment is unknown): delivered_via deployment;
-- description: else the resolution time of a done item: delivered_via resolution; else null.
-- description: Cancelled items are never delivered.
-- grain: one row per work item (source, item_key)
-- test: unique(source, item_key)
-- test: accepted_values(delivered_via: deployment, resolution)
-- test: expression((delivered_at is null) = (delivered_via is null))
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
        c.committed_at,
        c.committed_basis,
        c.precedes_creation_in_export
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
        arg_min(sh.deployment_id, sh.finished_at) as deployment_id
    from items as i
    join shipping as sh on sh.source = i.source and sh.item_key = i.item_key
    where i.status_category <> 'cancelled'
        and sh.finished_at >= coalesce(i.committed_at, i.created_at)
    group by i.source, i.item_key
),

final as (
    select
        i.*,
        case
            when f.delivered_at is not null then f.delivered_at
            when i.status_category = 'done' and i.resolved_at <= s.as_of then i.resolved_at
        end as delivered_at,
        case
            when f.delivered_at is not null then 'deployment'
            when i.status_category = 'done' and i.resolved_at <= s.as_of then 'resolution'
        end as delivered_via,
        f.deployment_id as delivered_by_deployment
    from items as i
    left join first_deployment as f using (source, item_key)
    cross join relscope_settings as s
)

select * from final
