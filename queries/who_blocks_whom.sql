-- name: who_blocks_whom :many
-- description: Dependencies between teams: which team's items block which team's, how many items
-- description: and blocked days, how many relations are still open and how many of those hold
-- description: items planned into upcoming releases.
-- param: team = % a team's exact name (blocking or blocked); % for every team
select
    blocker_team,
    blocked_team,
    links,
    blocked_items,
    round(blocked_days, 1) as blocked_days,
    open_links,
    open_on_upcoming,
    releases_affected
from mart_dependency_edges
where $team = '%' or blocker_team = $team or blocked_team = $team
order by open_on_upcoming desc, blocked_days desc, blocker_team, blocked_team
