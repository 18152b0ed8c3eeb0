-- name: upcoming_releases :many
-- description: Releases not released yet, by planned date: upcoming (planned from as_of's day on)
-- description: and overdue (planned date passed) as mart_release_calendar says, with their items,
-- description: scope at freeze and churn, and the days to (or, negative, past) the planned date.
-- param: team = % a team's exact name; % for every team
-- param: limit = 20 at most this many releases
select
    c.release,
    c.project,
    c.team,
    c.planned_date,
    c.status,
    date_diff('day', s.as_of::date, c.planned_date) as days_to_planned,
    h.items,
    h.planned_at_freeze,
    h.added_after_freeze,
    h.removed_after_freeze
from mart_release_calendar as c
join mart_release_health as h using (source, project, release)
cross join relscope_settings as s
where c.status in ('upcoming', 'overdue')
    and ($team = '%' or c.team = $team)
order by c.planned_date, c.release, c.project
limit $limit::integer
