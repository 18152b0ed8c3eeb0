-- name: deployment_runs :many
-- description: Every deployment run (any environment) that finished — or, still running,
-- description: started — in a period [start, end), in time order: outcome, whether a production
-- description: deployment counted as a failure and why, recovery, rework, its change and commit.
-- description: The workbook's deployments sheet; a row per run of mart_deployments.
-- param: team = % a team's exact name; % for every team
-- param: start = - period start (RFC 3339 or date); - for six months before as_of's month
-- param: end = - period end, exclusive (RFC 3339 or date); - for as_of
with p as (
    select
        case when $start = '-' then date_trunc('month', s.as_of) - interval 6 month else $start::timestamptz end as start_at,
        case when $end = '-' then s.as_of else $end::timestamptz end as end_at
    from relscope_settings as s
)

select
    deployment_id,
    team,
    service,
    environment,
    is_production,
    status,
    kind,
    version,
    started_at,
    finished_at,
    commit_time,
    change_id,
    change_type,
    incidents,
    is_failure,
    failure_reason,
    recovered_at,
    recovery_hours,
    is_rework
from mart_deployments
where ($team = '%' or team = $team)
    and coalesce(finished_at, started_at) >= (select start_at from p)
    and coalesce(finished_at, started_at) < (select end_at from p)
order by coalesce(finished_at, started_at), deployment_id
