-- name: dora_monthly :many
-- description: The DORA metrics of each team and month that starts in a period [start, end), with
-- description: a band per metric: production deployments, deployment days per week, change lead
-- description: time and its basis, change failure rate, recovery and rework. A row per row of
-- description: mart_dora_monthly.
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
    team,
    month,
    deployments,
    successful_deployments,
    failed_deployments,
    deploy_days_per_week_p50,
    deployment_frequency_band,
    lead_time_hours_p50,
    lead_time_basis,
    lead_time_band,
    change_failure_rate,
    change_failure_rate_band,
    recovery_hours_p50,
    recovery_time_band,
    rework_rate,
    bands_report_year
from mart_dora_monthly
where ($team = '%' or team = $team)
    and month >= date_trunc('month', (select start_at from p))::date
    and month < (select end_at from p)
order by month, team
