-- name: points_cycle_time :many
-- description: For teams that estimate in story points: cycle-time P50, P85 and P95 per story-point
-- description: value (over all delivered items with a cycle time), to see whether points predict time.
-- param: team = % a team's exact name; % for every team
select
    team,
    story_points,
    items,
    round(p50_days, 1) as p50_days,
    round(p85_days, 1) as p85_days,
    round(p95_days, 1) as p95_days
from mart_points_cycle_time
where ($team = '%' or team = $team)
order by team, story_points
