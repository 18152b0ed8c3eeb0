-- description: Deployment days per week: for every team and ISO week (Monday) up to as_of, the
-- description: number of distinct UTC days with at least one successful production deployment
-- description: (0 for weeks without). A week belongs to the month its Thursday falls in.
-- grain: one row per team and week
-- test: unique(team, week)
-- test: expression(deploy_days between 0 and 7)
with weeks as (
    select
        tm.team,
        w.week::date as week
    from int_team_months as tm
    cross join lateral (
        select unnest(generate_series(date_trunc('week', tm.month::timestamp - interval 3 day),
                                      (tm.month + interval 1 month)::timestamp, interval 7 day)) as week
    ) as w
    where date_trunc('month', w.week + interval 3 day) = tm.month
),

days as (
    select team, date_trunc('week', finished_at)::date as week, count(distinct finished_at::date) as deploy_days
    from int_production_deployments
    where status = 'success'
    group by all
)

select
    w.team,
    w.week,
    date_trunc('month', w.week + interval 3 day)::date as month,
    coalesce(d.deploy_days, 0) as deploy_days
from (select distinct team, week from weeks) as w
cross join relscope_settings as s
left join days as d using (team, week)
where w.week <= s.as_of
