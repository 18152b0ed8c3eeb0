-- name: dora_latest :many
-- description: Each team's DORA metrics and bands for one month — by default the last complete
-- description: month before as_of.
-- param: month = - the month (YYYY-MM); - for the last complete month
select
    d.team,
    d.month,
    d.deployments,
    d.deploy_days_per_week_p50,
    round(d.lead_time_hours_p50, 1) as lead_time_hours_p50,
    d.lead_time_basis,
    round(d.change_failure_rate, 3) as change_failure_rate,
    round(d.recovery_hours_p50, 1) as recovery_hours_p50,
    round(d.rework_rate, 3) as rework_rate,
    d.deployment_frequency_band,
    d.lead_time_band,
    d.change_failure_rate_band,
    d.recovery_time_band
from mart_dora_monthly as d
cross join relscope_settings as s
where d.month = coalesce(try_cast(nullif($month, '-') || '-01' as date),
                         (date_trunc('month', s.as_of) - interval 1 month)::date)
order by d.team
