-- name: priority_items :many
-- description: Every open item (backlog, in progress, blocked) with its WSJF-style priority score
-- description: and every component of it — business value, time criticality and risk reduction,
-- description: the cost of delay they add up to, the size it is divided by — each with where it
-- description: came from, the risk tier and the rule that gave it, and the upcoming release it is
-- description: planned into; by team and rank. The workbook's priority sheet (mart_backlog_priority).
-- param: team = % a team's exact name; % for every team
select
    team,
    rank_in_team as "rank",
    item_key,
    item_type,
    title,
    status,
    status_category,
    priority,
    risk_tier,
    risk_rule,
    regulated,
    business_value,
    business_value_basis,
    time_criticality,
    time_criticality_basis,
    risk_reduction,
    risk_reduction_basis,
    cost_of_delay,
    size,
    size_basis,
    score,
    release,
    release_planned_date,
    endorsement_required,
    endorsed,
    needs_endorsement
from mart_backlog_priority
where $team = '%' or team = $team
order by team, rank_in_team, item_key
