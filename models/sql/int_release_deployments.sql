-- description: Production deployments of each release: its version equals the release name, or
-- description: it ships an item the release holds (int_release_items).
-- grain: one row per release and production deployment
-- test: unique(release_source, project, release, deployment_source, deployment_id)
select distinct * from (
    select r.source as release_source, r.project, r.release, d.source as deployment_source, d.deployment_id
    from stg_relscope__releases as r
    join int_production_deployments as d on d.version_key = lower(trim(r.release))
    union all
    select ri.release_source, ri.project, ri.release, l.deployment_source, l.deployment_id
    from int_release_items as ri
    join int_item_deployment_links as l on l.item_source = ri.source and l.item_key = ri.item_key
)
