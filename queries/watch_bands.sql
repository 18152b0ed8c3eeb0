-- name: watch_bands :many
-- description: What a job run watches for band_changed: each team's DORA band per metric in the
-- description: last complete month before as_of (key team|metric, value elite/high/medium/low).
with latest as (
    select d.*
    from mart_dora_monthly as d
    cross join relscope_settings as s
    where d.month = (date_trunc('month', s.as_of) - interval 1 month)::date
),

bands as (
    select team, month, 'deployment_frequency' as metric, deployment_frequency_band as band from latest
    union all
    select team, month, 'lead_time', lead_time_band from latest
    union all
    select team, month, 'change_failure_rate', change_failure_rate_band from latest
    union all
    select team, month, 'recovery_time', recovery_time_band from latest
)

select
    team || '|' || metric as key,
    band as value,
    to_json({team: team, metric: metric, month: strftime(month, '%Y-%m')})::varchar as detail
from bands
where band is not null
order by key
