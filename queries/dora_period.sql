-- name: dora_period :many
-- description: DORA metrics over a period [start, end) for a team (or every team together), with
-- description: a band per metric from the configured report year (relscope_dora_band): production
-- description: deployments, deployment days per week (median over the period's weeks, zero weeks
-- description: included), change failure rate, median recovery, rework rate, and change lead time
-- description: (commit basis where deployments carry commit times, else committed → delivered of
-- description: the items deployments delivered). The dashboard's headline tiles. The frequency
-- description: band is mart_dora_monthly's over a longer span: medium needs at least one
-- description: successful deployment per calendar month the period touches, as a month's
-- description: medium needs one in the month. The first row is the whole scope (team empty);
-- description: with per_team=true, a row follows for each team with deployments in the period.
-- param: team = % a team's exact name; % for every team
-- param: start = - period start (RFC 3339 or date); - for six months before as_of's month
-- param: end = - period end, exclusive (RFC 3339 or date); - for as_of
-- param: per_team = false true for a row per team after the scope's
with p as (
    select
        case when $start = '-' then date_trunc('month', s.as_of) - interval 6 month else $start::timestamptz end as start_at,
        case when $end = '-' then s.as_of else $end::timestamptz end as end_at
    from relscope_settings as s
),

months as (
    select date_diff('month', date_trunc('month', start_at), date_trunc('month', end_at - interval 1 second)) + 1 as n
    from p
),

deploys as (
    select *
    from mart_deployments
    where is_failure is not null
        and ($team = '%' or team = $team)
        and finished_at >= (select start_at from p)
        and finished_at < (select end_at from p)
),

weeks as (
    select unnest(generate_series(date_trunc('week', (select start_at from p))::date,
                                  ((select end_at from p) - interval 1 second)::date, interval 7 day))::date as week
),

-- A group is the whole scope (is_scope, team null) or one team of it.
m as (
    select
        grouping(team) = 1 as is_scope,
        team,
        count(*) as deployments,
        count(*) filter (where status = 'success') as successful_deployments,
        count(*) filter (where is_failure) as failed_deployments,
        count(*) filter (where status = 'success') / greatest((select count(*) from weeks), 1) as deployments_per_week,
        count(*) filter (where is_failure) / nullif(count(*), 0) as change_failure_rate,
        quantile_cont(recovery_hours, 0.5) filter (where is_failure) as recovery_hours_p50,
        count(*) filter (where is_rework) / nullif(count(*), 0) as rework_rate,
        quantile_cont(date_diff('second', commit_time, finished_at) / 3600.0, 0.5)
            filter (where status = 'success' and commit_time is not null and commit_time <= finished_at) as commit_lead_hours
    from deploys
    group by grouping sets ((), (team))
),

-- Distinct days with a successful deployment per group and week, weeks without one as 0.
days as (
    select grouping(team) = 1 as is_scope, team, date_trunc('week', finished_at)::date as week,
        count(distinct finished_at::date) as deploy_days
    from deploys
    where status = 'success'
    group by grouping sets ((week), (team, week))
),

week_days as (
    select g.is_scope, g.team, quantile_cont(coalesce(d.deploy_days, 0), 0.5) as deploy_days_per_week_p50
    from m as g
    cross join weeks as w
    left join days as d on d.is_scope = g.is_scope and d.week = w.week and (g.is_scope or d.team = g.team)
    group by g.is_scope, g.team
),

item_lead as (
    select grouping(d.team) = 1 as is_scope, d.team,
        quantile_cont(date_diff('second', c.committed_at, c.delivered_at) / 3600.0, 0.5) as hours
    from mart_cycle_time as c
    join deploys as d on d.deployment_id = c.delivered_by_deployment
    where c.delivered_via = 'deployment' and c.cycle_time_days is not null
    group by grouping sets ((), (d.team))
),

g as (
    select m.*, w.deploy_days_per_week_p50, coalesce(m.commit_lead_hours, il.hours) as lead_hours,
        case when m.commit_lead_hours is not null then 'commit' when il.hours is not null then 'items' end as lead_time_basis
    from m
    left join week_days as w on w.is_scope = m.is_scope and (m.is_scope or w.team = m.team)
    left join item_lead as il on il.is_scope = m.is_scope and (m.is_scope or il.team = m.team)
    where m.is_scope or $per_team::boolean
)

select
    case when g.is_scope then null else g.team end as team,
    g.deployments,
    g.successful_deployments,
    g.failed_deployments,
    round(g.deployments_per_week, 2) as deployments_per_week,
    g.deploy_days_per_week_p50,
    round(g.lead_hours, 1) as lead_time_hours_p50,
    g.lead_time_basis,
    round(g.change_failure_rate, 3) as change_failure_rate,
    round(g.recovery_hours_p50, 1) as recovery_hours_p50,
    round(g.rework_rate, 3) as rework_rate,
    -- Medium frequency needs a successful deployment in every month of the period, on average.
    case when g.deployments > 0 then
        relscope_dora_frequency_band(g.deploy_days_per_week_p50, g.successful_deployments >= (select n from months))
    end as deployment_frequency_band,
    relscope_dora_band('lead_time', g.lead_hours) as lead_time_band,
    relscope_dora_band('change_failure_rate', g.change_failure_rate) as change_failure_rate_band,
    relscope_dora_band('recovery_time', g.recovery_hours_p50) as recovery_time_band
from g
order by g.is_scope desc, g.team
