-- name: aging_wip_at_risk :many
-- description: Open work older than the team's usual cycle time (aging_status at_risk or
-- description: critical), oldest first: what to swarm on this week.
-- param: team = % a team's exact name; % for every team
select
    item_key,
    team,
    item_type,
    title,
    status,
    aging_status,
    round(age_days, 1) as age_days,
    round(team_p85_days, 1) as team_p85_days,
    round(team_p95_days, 1) as team_p95_days,
    fix_versions
from mart_aging_wip
where ($team = '%' or team = $team)
    and aging_status in ('at_risk', 'critical')
order by age_days desc
