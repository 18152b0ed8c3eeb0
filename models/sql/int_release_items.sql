-- description: Which items each release holds now: the releases an item's fix versions name —
-- description: or, for an item with no fix version, its sprints (an Azure DevOps iteration path's
-- description: nodes: Release 1\Sprint 1) — as int_release_lookup resolves them: a release of the
-- description: item's project, else the one project whose releases hold the name, where the
-- description: item's project has none of its own.
-- grain: one row per release and item
-- column: matched_by: project (the release is in the item's project) or name (the name is unique to another project's releases)
-- column: named_by: fix_version, or sprint for an item with no fix version
-- test: unique(release_source, project, release, source, item_key)
-- test: not_null(release, item_key, team, matched_by, named_by)
with item_names as (
    select source, item_key, project, team, status_category,
        case when len(fix_versions) > 0 then 'fix_version' else 'sprint' end as named_by,
        lower(trim(unnest(case when len(fix_versions) > 0 then fix_versions else sprints end))) as version_key
    from stg_relscope__work_items
)

select distinct
    l.release_source,
    l.project,
    l.release,
    i.source,
    i.item_key,
    i.team,
    i.status_category,
    l.matched_by,
    i.named_by
from item_names as i
join int_release_lookup as l
    on l.item_project is not distinct from i.project and l.version_key = i.version_key
where l.release is not null
