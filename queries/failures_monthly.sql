-- name: failures_monthly :many
-- description: Per team and month in a period [start, end): production deployments, failed ones,
-- description: the incidents linked to them, and the median recovery time (from mart_dora_monthly
-- description: and mart_deployments).
-- param: team = % a team's exact name; % for every team
-- param: start = - period start (RFC 3339 or date); - for six months before as_of's month
-- param: end = - period end, exclusive (RFC 3339 or date); - for as_of
with p as (
    select
        case when $start = '-' then date_trunc('month', s.as_of) - interval 6 month else $start::timestamptz end as start_at,
        case when $end = '-' then s.as_of else $end::timestamptz end as end_at
    from relscope_settings as s
),

linked as (
    select team, month, sum(incidents) as incidents
    from mart_deployments
    where is_failure is not null
    group by all
)

select
    d.team,
    d.month,
    d.deployments,
    d.failed_deployments,
    coalesce(l.incidents, 0) as incidents,
    round(d.recovery_hours_p50, 1) as recovery_hours_p50
from mart_dora_monthly as d
left join linked as l using (team, month)
where ($team = '%' or d.team = $team)
    and d.month >= date_trunc('month', (select start_at from p))::date
    and d.month < (select end_at from p)
order by d.month, d.team
