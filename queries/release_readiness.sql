-- name: release_readiness :many
-- description: The go/no-go checklist of an upcoming release: every readiness check with pass,
-- description: warn or fail and why, the items concerned, and the verdict (go, at_risk, no_go) last.
-- param: release = - the release's name (case-insensitive); - for every upcoming release
-- param: team = % a team's exact name (the release's team); % for every team
select
    release,
    project,
    team,
    planned_date,
    case when check_name = 'verdict' then 'VERDICT' else check_name end as "check",
    status,
    detail,
    items
from mart_release_readiness
where ($release = '-' or lower(release) = lower(trim($release)))
    and ($team = '%' or team = $team)
order by planned_date, release, project, check_name = 'verdict', check_order
