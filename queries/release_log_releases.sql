-- name: release_log_releases :many
-- description: The releases the public release log shows: released ones newest first, then the
-- description: upcoming ones by planned date — with their public date, rolled-back and maintenance flags
-- description: and how many public items each ships. Overdue and unscheduled releases are not shown.
-- param: team = % a team's exact name; % for every team
select
    release,
    project,
    source as release_source,
    status,
    release_date,
    planned_date,
    released_at,
    rolled_back,
    maintenance,
    public_items,
    known_issues
from mart_release_calendar
where status in ('released', 'upcoming')
    and ($team = '%' or team = $team)
order by status = 'upcoming', release_date desc nulls last, project, release
