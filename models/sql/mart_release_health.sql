-- description: Per release: scope at freeze and its churn after freeze (from fix-version history;
-- description: freeze = the release's own freeze date, else its release date minus freeze_days),
-- description: scope_volatility = (added + removed after freeze) / planned at freeze; its production
-- description: deployments, the failed ones, incidents linked to them created within 7 days after
-- description: release; successful = released with no failed deployment and no such incident.
-- grain: one row per release (source, project, release)
-- column: planned_at_freeze: items whose fix versions held the release at the freeze moment
-- column: items_without_history: items now in the release with no fix-version history for it (not counted above)
-- column: successful: null while the release is not released
-- test: unique(source, project, release)
-- test: not_null(release, team, planned_at_freeze, added_after_freeze, removed_after_freeze, deployments)
-- test: expression(scope_volatility >= 0)
-- test: expression(failed_deployments <= deployments)
with releases as (
    select r.*, coalesce(r.released_at, s.as_of) as window_end, s.as_of
    from stg_relscope__releases as r
    cross join relscope_settings as s
),

membership_at_freeze as (
    select e.release_source, e.project, e.release, e.source, e.item_key,
        arg_max(e.event, e.changed_at) as last_event
    from int_release_scope_events as e
    join releases as r on r.source = e.release_source and r.project = e.project and r.release = e.release
    where e.changed_at <= r.freeze_at
    group by all
),

-- (Grouped counts joined to releases, not correlated subqueries per release: DuckDB would
-- decorrelate those by grouping every release's and item's columns.)
planned as (
    select release_source as source, project, release, count(*) as planned_at_freeze
    from membership_at_freeze
    where last_event = 'added'
    group by all
),

after_freeze as (
    select r.source, r.project, r.release,
        count(distinct e.item_key) filter (where e.event = 'added') as added_after_freeze,
        count(distinct e.item_key) filter (where e.event = 'removed') as removed_after_freeze
    from releases as r
    join int_release_scope_events as e
        on e.release_source = r.source and e.project = r.project and e.release = r.release
    where e.changed_at > r.freeze_at and e.changed_at <= r.window_end
    group by all
),

scope as (
    select
        r.source, r.project, r.release,
        coalesce(p.planned_at_freeze, 0) as planned_at_freeze,
        coalesce(a.added_after_freeze, 0) as added_after_freeze,
        coalesce(a.removed_after_freeze, 0) as removed_after_freeze
    from releases as r
    left join planned as p using (source, project, release)
    left join after_freeze as a using (source, project, release)
),

members as (
    select r.source, r.project, r.release,
        count(*) as items_now,
        mode(ci.team) as team
    from releases as r
    join int_release_items as ci on ci.release_source = r.source and ci.project = r.project and ci.release = r.release
    group by all
),

-- The release items without any scope event of theirs (fix-version history): an anti join,
-- which needs the events' keys neither grouped nor distinct.
without_history as (
    select r.source, r.project, r.release, count(*) as items_without_history
    from releases as r
    join int_release_items as ci on ci.release_source = r.source and ci.project = r.project and ci.release = r.release
    anti join int_release_scope_events as e
        on e.release_source = r.source and e.project = r.project and e.release = r.release
        and e.source = ci.source and e.item_key = ci.item_key
    group by all
),

ops as (
    select
        rd.release_source as source, rd.project, rd.release,
        count(*) as deployments,
        count(*) filter (where d.is_failure) as failed_deployments
    from int_release_deployments as rd
    join mart_deployments as d on d.source = rd.deployment_source and d.deployment_id = rd.deployment_id
    group by all
),

incidents as (
    select rd.release_source as source, rd.project, rd.release, count(distinct (l.incident_source, l.incident_id)) as incidents
    from int_release_deployments as rd
    join releases as r on r.source = rd.release_source and r.project = rd.project and r.release = rd.release
    join int_deployment_incidents as l on l.deployment_source = rd.deployment_source and l.deployment_id = rd.deployment_id
    join stg_relscope__incidents as i on i.source = l.incident_source and i.incident_id = l.incident_id
    where r.released_at is not null
        and i.created_at >= r.released_at
        and i.created_at < r.released_at + interval 7 day
    group by all
)

select
    r.release,
    r.source,
    r.project,
    coalesce(m.team, relscope_team(r.project)) as team,
    r.planned_date,
    r.freeze_date,
    r.released_at,
    r.is_released,
    coalesce(m.items_now, 0) as items,
    sc.planned_at_freeze,
    sc.added_after_freeze,
    sc.removed_after_freeze,
    (sc.added_after_freeze + sc.removed_after_freeze) / nullif(sc.planned_at_freeze, 0) as scope_volatility,
    coalesce(wh.items_without_history, 0) as items_without_history,
    coalesce(o.deployments, 0) as deployments,
    coalesce(o.failed_deployments, 0) as failed_deployments,
    case when r.released_at is not null then coalesce(i.incidents, 0) end as incidents,
    case
        when r.released_at is not null then coalesce(o.failed_deployments, 0) = 0 and coalesce(i.incidents, 0) = 0
    end as successful,
    date_trunc('month', r.released_at)::date as release_month
from releases as r
join scope as sc using (source, project, release)
left join members as m using (source, project, release)
left join without_history as wh using (source, project, release)
left join ops as o using (source, project, release)
left join incidents as i using (source, project, release)
