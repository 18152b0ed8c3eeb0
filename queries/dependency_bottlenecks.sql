-- name: dependency_bottlenecks :many
-- description: Which teams' items block other work: per blocking team, the items blocked, their
-- description: blocked days, open blockers on items of unreleased releases, and how many releases
-- description: the blocked items belong to. Most blocked days first.
select
    blocker_team,
    blocked_items,
    round(blocked_days, 1) as blocked_days,
    open_blockers,
    releases_affected
from mart_dependency_bottlenecks
order by blocked_days desc nulls last, blocked_items desc, blocker_team
