-- description: DORA metrics per team and month of the deployment's finish (UTC), from production
-- description: deployments with status success, failed or rolled_back: deployment frequency
-- description: (successful deployments, median deployment days per week), change lead time
-- description: (median hours commit → deploy where commit times exist, else committed → delivered
-- description: over items delivered by the month's deployments; lead_time_basis says which),
-- description: change failure rate, median failed-deployment recovery time, rework rate, and a band
-- description: per metric for the configured report year (dora_bands; relscope_dora_band, the one lookup).
-- grain: one row per team and month, from the team's first production deployment to as_of
-- test: unique(team, month)
-- test: not_null(team, month, deployments, successful_deployments)
-- test: expression(change_failure_rate between 0 and 1)
-- test: expression(rework_rate between 0 and 1)
-- test: expression(successful_deployments <= deployments)
-- test: accepted_values(lead_time_basis: commit, items)
-- test: accepted_values(deployment_frequency_band: elite, high, medium, low)
-- test: accepted_values(change_failure_rate_band: elite, high, medium, low)
with deploys as (
    select * from mart_deployments where is_failure is not null
),

counts as (
    select
        team,
        month,
        count(*) as deployments,
        count(*) filter (where status = 'success') as successful_deployments,
        count(*) filter (where is_failure) as failed_deployments,
        count(*) filter (where is_rework) as rework_deployments,
        quantile_cont(recovery_hours, 0.5) filter (where is_failure) as recovery_hours_p50,
        quantile_cont(relscope_seconds_between(commit_time, finished_at) / 3600.0, 0.5)
            filter (where status = 'success' and commit_time is not null and commit_time <= finished_at) as commit_lead_hours_p50
    from deploys
    group by all
),

item_lead as (
    select
        d.team,
        d.month,
        quantile_cont(relscope_seconds_between(c.committed_at, c.delivered_at) / 3600.0, 0.5) as item_lead_hours_p50
    from mart_cycle_time as c
    join deploys as d on d.deployment_id = c.delivered_by_deployment
    where c.delivered_via = 'deployment'
        and c.cycle_time_days is not null
    group by all
),

week_days as (
    select team, month, quantile_cont(deploy_days, 0.5) as deploy_days_per_week_p50
    from int_deploy_days_per_week
    group by all
),

metrics as (
    select
        tm.team,
        tm.month,
        coalesce(c.deployments, 0) as deployments,
        coalesce(c.successful_deployments, 0) as successful_deployments,
        coalesce(c.failed_deployments, 0) as failed_deployments,
        coalesce(wd.deploy_days_per_week_p50, 0) as deploy_days_per_week_p50,
        coalesce(c.commit_lead_hours_p50, il.item_lead_hours_p50) as lead_time_hours_p50,
        case
            when c.commit_lead_hours_p50 is not null then 'commit'
            when il.item_lead_hours_p50 is not null then 'items'
        end as lead_time_basis,
        c.failed_deployments / nullif(c.deployments, 0) as change_failure_rate,
        c.recovery_hours_p50,
        c.rework_deployments / nullif(c.deployments, 0) as rework_rate
    from int_team_months as tm
    left join counts as c using (team, month)
    left join item_lead as il using (team, month)
    left join week_days as wd using (team, month)
)

select
    m.*,
    relscope_dora_frequency_band(m.deploy_days_per_week_p50, m.successful_deployments > 0) as deployment_frequency_band,
    relscope_dora_band('lead_time', m.lead_time_hours_p50) as lead_time_band,
    relscope_dora_band('change_failure_rate', m.change_failure_rate) as change_failure_rate_band,
    relscope_dora_band('recovery_time', m.recovery_hours_p50) as recovery_time_band,
    (select dora_bands from relscope_settings) as bands_report_year
from metrics as m
