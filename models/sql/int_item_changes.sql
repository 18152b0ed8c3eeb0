-- description: Which change records (RFCs) cover which items: the change lists the item
-- description: (item_keys), or a production deployment that ships the item carries the change.
-- grain: one row per item, change and link
-- test: not_null(item_key, change_id, link)
-- test: accepted_values(link: item_keys, deployment)
with listed as (
    select c.source as change_source, c.change_id, c.change_type, unnest(c.item_keys) as item_key
    from stg_relscope__changes as c
)

select distinct * from (
    select w.source as item_source, w.item_key, l.change_source, l.change_id, l.change_type, 'item_keys' as link
    from listed as l
    join stg_relscope__work_items as w on w.item_key = l.item_key
    union all
    select dl.item_source, dl.item_key, c.source, c.change_id, c.change_type, 'deployment'
    from int_item_deployment_links as dl
    join int_production_deployments as d on d.source = dl.deployment_source and d.deployment_id = dl.deployment_id
    join stg_relscope__changes as c on c.change_id = d.change_id
)
