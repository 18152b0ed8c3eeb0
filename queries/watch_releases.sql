-- name: watch_releases :many
-- description: What a job run watches for item_slipped: every release not released yet (key
-- description: source|project|release, value its planned date, detail JSON).
select
    source || '|' || project || '|' || release as key,
    release_date::varchar as value,
    to_json({release: release, project: project, status: status})::varchar as detail
from mart_release_calendar
where status <> 'released'
order by key
