-- name: incident_hotspots :many
-- description: Services and components with 3 or more incidents in the 90 days up to as_of, and
-- description: the open backlog items linked to those incidents — what to fix first.
-- param: team = % a team's exact name; % for every team
select
    kind,
    name,
    team,
    incidents_90d,
    open_incidents,
    round(resolve_hours_p50, 2) as resolve_hours_p50,
    open_item_keys
from mart_incident_hotspots
where ($team = '%' or team = $team)
order by incidents_90d desc, kind, name
