-- name: backlog_priority :many
-- description: What to do next: open items by WSJF-style score (cost of delay / size) within each
-- description: team, with every component and where it came from, the risk tier, the upcoming
-- description: release each is planned into and whether it still needs endorsement.
-- param: team = % a team's exact name; % for every team
-- param: top = 20 how many items per team
select
    team,
    rank_in_team as "rank",
    item_key,
    item_type,
    title,
    status,
    risk_tier,
    business_value,
    time_criticality,
    risk_reduction,
    round(size, 2) as size,
    score,
    business_value_basis || '/' || time_criticality_basis || '/' || risk_reduction_basis || '/' || size_basis as basis,
    release,
    needs_endorsement
from mart_backlog_priority
where ($team = '%' or team = $team)
    and rank_in_team <= $top::integer
order by team, rank_in_team
