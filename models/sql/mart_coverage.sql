-- description: For each metric and team: how many items, deployments or releases it could be
-- description: computed for, and why not for the rest — with the export that would fill the gap.
-- description: One row per missing reason; a metric fully covered for a team has one row with
-- description: reason null and missing 0.
-- grain: one row per metric, team and missing reason
-- test: unique(metric, team, reason)
-- test: expression(covered + missing <= population)
-- test: expression(covered <= population)
with facts as (
    -- cycle time: delivered items
    select 'cycle_time' as metric, team,
        case
            when committed_at is null then 'no commitment point: export the status history (Jira changelog, ADO revisions) or a start date'
            when cycle_time_days is null then 'commitment recorded after delivery'
        end as reason
    from mart_cycle_time
    union all
    -- delivery through a production deployment: delivered items
    select 'delivery_by_deployment', team,
        case when delivered_via <> 'deployment' then
            'no successful production deployment ships it (fix version = deployment version, item key in items or description): delivered by resolution date'
        end
    from mart_cycle_time
    union all
    -- estimation accuracy: done items
    select 'estimation_accuracy', team,
        case
            when original_estimate_hours is null or original_estimate_hours <= 0 then 'no original estimate in hours'
            when time_spent_hours is null or time_spent_hours <= 0 then 'no time spent logged'
        end
    from stg_relscope__work_items
    where status_category = 'done'
    union all
    -- aging WIP: open in-progress or blocked items
    select 'aging_wip', w.team,
        case when c.committed_at is null then 'no commitment point: export the status history or a start date' end
    from stg_relscope__work_items as w
    join int_item_commitment as c using (source, item_key)
    where w.status_category in ('in_progress', 'blocked')
    union all
    -- blocked time: every item
    select 'blocked_time', w.team,
        case when not c.has_status_history then 'no status history: export the changelog' end
    from stg_relscope__work_items as w
    join int_item_commitment as c using (source, item_key)
    union all
    -- change lead time on the commit basis: successful production deployments
    select 'change_lead_time_commit', team,
        case when commit_time is null then 'no commit time in the deployment export (falls back to item cycle time)' end
    from mart_deployments
    where is_failure is not null and status = 'success'
    union all
    -- change failure rate: production deployments; without incidents only status failures count
    select 'change_failure_rate', team,
        case when not exists (select 1 from stg_relscope__incidents) then 'no incidents ingested: only failed and rolled-back deployments count as failures' end
    from mart_deployments
    where is_failure is not null
    union all
    -- release scope: releases
    select 'release_scope', team,
        case when planned_at_freeze + added_after_freeze + removed_after_freeze = 0 and items > 0 then
            'no fix-version history: export the changelog (Jira expand=changelog) to see scope at freeze'
        end
    from mart_release_health
),

totals as (
    select metric, team, count(*) as population, count(*) filter (where reason is null) as covered
    from facts
    group by all
),

missing as (
    select metric, team, reason, count(*) as missing
    from facts
    where reason is not null
    group by all
)

select t.metric, t.team, t.population, t.covered, round(t.covered / t.population, 4) as coverage,
    m.reason, coalesce(m.missing, 0) as missing
from totals as t
left join missing as m using (metric, team)
