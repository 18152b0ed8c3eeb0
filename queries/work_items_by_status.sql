-- name: work_items_by_status :many
-- description: Work items per team, status category and status, with how many are public.
-- param: team = % a team's exact name; % for every team
select
    team,
    status_category,
    status,
    count(*) as items,
    count(*) filter (where is_public) as public_items
from mart_work_items
where ($team = '%' or team = $team)
group by all
order by team, status_category, items desc
