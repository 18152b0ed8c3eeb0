-- description: Which production deployments ship which items, and by which rule: the
-- description: deployment's version equals one of the item's fix versions (case-insensitive,
-- description: trimmed), its item_keys list the item, or the item's key appears in its description.
-- grain: one row per item, deployment and rule
-- test: not_null(item_source, item_key, deployment_source, deployment_id, rule)
-- test: accepted_values(rule: fix_version, item_keys, description)
with items as (
    select source, item_key, fix_versions from stg_relscope__work_items
),

item_versions as (
    select source, item_key, lower(trim(unnest(fix_versions))) as version_key from items
),

by_version as (
    select
        i.source as item_source,
        i.item_key,
        d.source as deployment_source,
        d.deployment_id,
        'fix_version' as rule
    from item_versions as i
    join int_production_deployments as d on d.version_key = i.version_key
),

listed as (
    select source, deployment_id, unnest(item_keys) as item_key from int_production_deployments
),

by_list as (
    select i.source, i.item_key, l.source, l.deployment_id, 'item_keys'
    from listed as l
    join items as i on i.item_key = l.item_key
),

mentioned as (
    select source, deployment_id, unnest(regexp_extract_all(description, '\b[A-Z][A-Z0-9_]+-[0-9]+\b')) as item_key
    from int_production_deployments
    where description is not null
),

by_text as (
    select i.source, i.item_key, m.source, m.deployment_id, 'description'
    from mentioned as m
    join items as i on i.item_key = m.item_key
)

select distinct * from (
    select * from by_version
    union all
    select * from by_list
    union all
    select * from by_text
)
