-- description: Every month from a team's first production deployment to the month of as_of, so
-- description: that months without a deployment still appear (and grade deployment frequency).
-- grain: one row per team and month
-- test: unique(team, month)
with spans as (
    select team, min(date_trunc('month', finished_at))::date as first_month
    from int_production_deployments
    group by team
)

select
    sp.team,
    m.month::date as month
from spans as sp
cross join relscope_settings as s
cross join lateral (
    select unnest(generate_series(sp.first_month::timestamp, date_trunc('month', s.as_of)::timestamp, interval 1 month)) as month
) as m
