-- description: Which items each release holds now: items whose fix versions name the release
-- description: (case-insensitive, trimmed) within the release's project.
-- grain: one row per release and item
-- test: unique(release_source, project, release, source, item_key)
-- test: not_null(release, item_key, team)
with item_versions as (
    select source, item_key, project, team, status_category, unnest(fix_versions) as version
    from stg_relscope__work_items
)

select distinct
    r.source as release_source,
    r.project,
    r.release,
    i.source,
    i.item_key,
    i.team,
    i.status_category
from stg_relscope__releases as r
join item_versions as i
    on i.project = r.project and lower(trim(i.version)) = lower(trim(r.release))
