-- name: backlog_items :many
-- description: Every backlog item at as_of (not yet committed), oldest first, with its age and
-- description: age bucket. The workbook's backlog sheet; a row per item of mart_backlog_aging.
-- param: team = % a team's exact name; % for every team
select
    item_key,
    team,
    item_type,
    title,
    status,
    priority,
    created_at,
    age_days,
    age_bucket
from mart_backlog_aging
where ($team = '%' or team = $team)
order by age_days desc, item_key
