-- description: The earliest upcoming release (int_upcoming_releases) holding each item that is
-- description: in one.
-- grain: one row per item in an upcoming release (source, item_key)
-- test: unique(source, item_key)
-- test: not_null(upcoming_release, release_planned_date)
select
    ri.source,
    ri.item_key,
    -- Both from the same release, whatever ties planned_date has (planned_date is never null).
    arg_min(u.release, (u.planned_date, u.project, u.release)) as upcoming_release,
    arg_min(u.project, (u.planned_date, u.project, u.release)) as release_project,
    min(u.planned_date) as release_planned_date
from int_release_items as ri
join int_upcoming_releases as u on u.source = ri.release_source and u.project = ri.project and u.release = ri.release
group by all
