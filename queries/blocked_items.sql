-- name: blocked_items :many
-- description: Every item that spent time blocked or has a recorded blocker, most blocked days
-- description: first: its blocked days and spells and the keys of the items blocking it. The
-- description: workbook's blocked-time sheet; a row per item of mart_blocked_time.
-- param: team = % the blocked items' team (its exact name); % for every team
select
    item_key,
    team,
    item_type,
    status,
    status_category,
    fix_versions,
    blocked_days,
    blocked_spells,
    blocked_by
from mart_blocked_time
where ($team = '%' or team = $team)
order by blocked_days desc nulls last, item_key
