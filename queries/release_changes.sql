-- name: release_changes :many
-- description: The change records (RFCs) of one release, by planned start: type, state, risk,
-- description: approval, back-out plan and the planned window (the downtime the change announces).
-- param: release = - the release name (case-insensitive); - for the latest released release with items
-- param: project = % project key, or a LIKE pattern
with target as (
    -- The release named, or with - the latest released one.
    select source, project, release
    from mart_release_health
    where project like $project
        and case when $release = '-' then released_at is not null else lower(trim(release)) = lower(trim($release)) end
    qualify $release <> '-' or row_number() over (order by items > 0 desc, released_at desc, release, project) = 1
)

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
join target as t on t.source = m.release_source and t.project = m.project and t.release = m.release
order by planned_start nulls last, change_id
