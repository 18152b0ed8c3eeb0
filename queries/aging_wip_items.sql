-- name: aging_wip_items :many
-- description: Open committed items with their age against their team's cycle-time percentiles
-- description: and their pace (aging_status), oldest first, at most $limit; total says how many
-- description: are open.
-- param: team = % a team's exact name; % for every team
-- param: limit = 2000 most items returned
select
    item_key,
    team,
    title,
    status,
    status_category,
    aging_status,
    round(age_days, 1) as age_days,
    round(team_p50_days, 1) as team_p50_days,
    round(team_p85_days, 1) as team_p85_days,
    round(team_p95_days, 1) as team_p95_days,
    count(*) over () as total
from mart_aging_wip
where ($team = '%' or team = $team)
order by age_days desc, item_key
limit $limit::integer
