-- name: watch_release_items :many
-- description: What a job run watches for item_slipped: every item planned in a release not
-- description: released yet, by fix version (key source|project|release|item, value the release).
with upcoming as (
    select source, project, release, lower(trim(release)) as version_key
    from mart_release_calendar
    where status <> 'released'
),

items as (
    select source, item_key, project, team, title, status_category, lower(trim(unnest(fix_versions))) as version_key
    from mart_work_items
)

select distinct
    r.source || '|' || r.project || '|' || r.release || '|' || i.item_key as key,
    r.release as value,
    to_json({item: i.item_key, team: i.team, title: i.title, release: r.release, project: r.project})::varchar as detail
from upcoming as r
join items as i on i.project = r.project and i.version_key = r.version_key
where i.status_category <> 'cancelled'
order by key
