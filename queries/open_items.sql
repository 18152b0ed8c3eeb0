-- name: open_items :many
-- description: Every open committed item at as_of (in progress or blocked), oldest first: its
-- description: age since commitment against its team's trailing-90-day cycle-time P50/P85/P95
-- description: and its pace (aging_status). The workbook's aging-WIP sheet; a row per item of
-- description: mart_aging_wip.
-- param: team = % a team's exact name; % for every team
select
    item_key,
    team,
    item_type,
    title,
    status,
    status_category,
    fix_versions,
    committed_at,
    committed_basis,
    age_days,
    team_p50_days,
    team_p85_days,
    team_p95_days,
    aging_status
from mart_aging_wip
where ($team = '%' or team = $team)
order by age_days desc, item_key
