-- name: watch_release_items :many
-- description: What a job run watches for item_slipped: every item planned in a release not
-- description: released yet, as mart_release_items holds it (key source|project|release|item,
-- description: value the release).
with upcoming as (
    select source, project, release
    from mart_release_calendar
    where status <> 'released'
)

select distinct
    r.source || '|' || r.project || '|' || r.release || '|' || i.item_key as key,
    r.release as value,
    to_json({item: i.item_key, team: i.team, title: i.title, release: r.release, project: r.project})::varchar as detail
from upcoming as r
join mart_release_items as i on i.release_source = r.source and i.project = r.project and i.release = r.release
where i.status_category <> 'cancelled'
order by key
