-- name: release_changes :many
-- description: The change records (RFCs) of one release, by planned start: type, state, risk,
-- description: approval, back-out plan and the planned window (the downtime the change announces).
-- param: release = - the release name (case-insensitive; @release_summary without it names the latest)
-- param: project = % project key, or a LIKE pattern
select
    change_id,
    linked_by,
    change_type,
    state,
    risk,
    approval,
    is_approved,
    has_backout_plan,
    planned_start,
    planned_end,
    round(window_hours, 2) as window_hours,
    service
from mart_release_changes as m
where lower(trim(m.release)) = lower(trim($release))
    and m.project like $project
order by planned_start nulls last, change_id
