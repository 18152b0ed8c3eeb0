-- name: blocking_pairs :many
-- description: Who blocks whom: per blocking team and blocked team, the items blocked and their
-- description: blocked days (an item blocked by two teams counts for each), from
-- description: mart_dependency_edges: a blocking item is found by its key in any source; one not in
-- description: the warehouse is attributed to its key's project, as mart_dependency_bottlenecks does.
-- param: team = % the blocked items' team (its exact name); % for every team
select
    blocker_team,
    blocked_team,
    blocked_items,
    round(blocked_days, 1) as blocked_days
from mart_dependency_edges
where ($team = '%' or blocked_team = $team)
    and blocker_team <> blocked_team
order by blocked_items desc, blocker_team, blocked_team
