-- description: For each metric and team: how many items, deployments or releases it could be
-- description: computed for, and why not for the rest — with the export that would fill the gap.
-- description: One row per missing reason; a metric fully covered for a team has one row with
-- description: reason null and missing 0. A family of exports missing altogether (no deployments,
-- description: no incidents…) is one row per team with population 0 and the reason.
-- grain: one row per metric, team and missing reason
-- test: unique(metric, team, reason)
-- test: expression(covered + missing <= population)
-- test: expression(covered <= population)
-- Every team the warehouse knows (from any table): the org-wide rows below are repeated for each.
with teams as (
    select team from stg_relscope__work_items
    union
    select team from stg_relscope__deployments
    union
    select team from stg_relscope__incidents
    union
    select coalesce(team, '(no team)') from stg_relscope__changes
),

-- Release membership: an item's release names (its fix versions, else its sprints) and how they
-- matched (int_release_lookup). (Joins, not correlated subqueries: DuckDB would decorrelate
-- those by grouping every item's columns.)
ambiguous_items as (
    select distinct n.source, n.item_key
    from (
        select source, item_key, project,
            lower(trim(unnest(case when len(fix_versions) > 0 then fix_versions else sprints end))) as version_key
        from stg_relscope__work_items
    ) as n
    join int_release_lookup as l on l.item_project is not distinct from n.project and l.version_key = n.version_key
    where l.matched_by = 'ambiguous'
),

item_release_names as (
    select
        w.source,
        w.item_key,
        w.team,
        len(w.fix_versions) > 0 as has_fix_versions,
        ri.item_key is not null as in_release,
        a.item_key is not null as ambiguous,
        coalesce(rp.has_releases, false) as project_has_releases
    from stg_relscope__work_items as w
    left join (select distinct source, item_key from int_release_items) as ri
        on ri.source = w.source and ri.item_key = w.item_key
    left join ambiguous_items as a on a.source = w.source and a.item_key = w.item_key
    left join (select distinct project, true as has_releases from stg_relscope__releases) as rp
        on rp.project is not distinct from w.project
    where exists (select 1 from stg_relscope__releases)
),

-- Every item with its commitment and delivery, for the item-level facts below: int_item_delivery
-- has joined them already, one row per item.
items as (
    select source, item_key, team, status_category, resolved_at, status_category_changed_at,
        created_at, committed_at, has_status_history, delivered_at
    from int_item_delivery
),

facts as (
    -- cycle time: delivered items
    select 'cycle_time' as metric, team,
        case
            when committed_at is null then 'no commitment point: export the status history (Jira changelog, ADO revisions) or a start date'
            when cycle_time_days is null then 'commitment recorded after delivery'
            when commitment_before_creation then 'the export records the commitment before the item was created (status history older than the item; moved or imported?), so its cycle time exceeds its lead time'
        end as reason
    from mart_cycle_time
    union all
    -- lead time: delivered items
    select 'lead_time', team,
        case when lead_time_days is null then 'no creation date in the export: export its Created column' end
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
    select 'aging_wip', team,
        case when committed_at is null then 'no commitment point: export the status history or a start date' end
    from items
    where status_category in ('in_progress', 'blocked')
    union all
    -- blocked time: every item
    select 'blocked_time', team,
        case when not has_status_history then 'no status history: export the changelog' end
    from items
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
    union all
    -- release membership: items with a fix version, or a release or an ambiguous name by sprint
    select 'release_membership', team,
        case
            when in_release then null
            when ambiguous then 'its release name is held by releases of several projects, none of them its own, so no release holds it: name releases uniquely, or export them under the item''s project'
            when project_has_releases then 'no release of its project bears its fix version''s name: export that release (Jira versions, GitHub releases, releases.csv)'
            else 'no release ingested bears its fix version''s name: export its project''s releases (Jira versions, GitHub releases, releases.csv)'
        end
    from item_release_names
    where has_fix_versions or in_release or ambiguous
    union all
    -- flow: every item is in a flow mart (cycle time, aging WIP, backlog aging) or says why not
    select 'flow', w.team,
        case
            -- (mart_cycle_time holds the delivered items: delivered_at is not null)
            when w.delivered_at is not null or aw.item_key is not null or ba.item_key is not null then null
            when w.status_category = 'cancelled' then 'cancelled, so in no flow metric by definition'
            when w.status_category = 'done' and w.resolved_at is null and w.status_category_changed_at is null then 'done, but the export has no resolution time: export Resolved (Azure DevOps Closed Date, Linear Completed; from a Jira CSV, Status Category Changed will do)'
            when w.status_category = 'done' then 'resolved after as_of'
            when w.status_category in ('in_progress', 'blocked') and w.committed_at is null then 'open, but no commitment point: export the status history or a start date'
            when w.status_category in ('in_progress', 'blocked') then 'committed after as_of'
            when w.created_at is null then 'no creation date in the export: export its Created column (lead time and backlog age need it)'
            when w.created_at > s.as_of then 'created after as_of'
            else 'in no flow mart'
        end
    from items as w
    cross join relscope_settings as s
    left join (select source, item_key from mart_aging_wip) as aw using (source, item_key)
    left join (select source, item_key from mart_backlog_aging) as ba using (source, item_key)
    union all
    -- incidents: time to acknowledge, time to resolve, and the deployment behind each
    select 'incident_ack_time', team,
        case when ack_hours is null then
            'no acknowledgement time in the export: PagerDuty and Opsgenie exports carry one; for ServiceNow, map a column to acknowledged_at (columns in relscope.yaml)'
        end
    from mart_incidents
    union all
    select 'incident_resolve_time', team,
        case when resolve_hours is null then 'not resolved by as_of' end
    from mart_incidents
    union all
    select 'incident_deployment_link', team,
        case when deployment_id is null then
            'no production deployment linked: a caused-by deployment or change in the export, or a deployment of its service within attribution_window_hours before it, links one'
        end
    from mart_incidents
    union all
    -- snapshots: for each team with items a snapshot export no longer holds, every item of
    -- the team, the removed ones with the reason (they are in no mart)
    select 'removed_items', coalesce(w.team, w.project, '(no team)'),
        case when r.item_key is not null then
            'not in the latest snapshot export of its project (deleted or moved in the tracker): kept in work_items and work_item_removals, left out of every metric'
        end
    from work_items as w
    left join work_item_removals as r using (source, item_key)
    where coalesce(w.team, w.project, '(no team)') in (
        select coalesce(w2.team, w2.project, '(no team)')
        from work_item_removals as r2
        join work_items as w2 using (source, item_key)
    )
    union all
    -- incidents: every incident is in mart_incidents or says why not
    select 'incidents', i.team,
        case
            when i.created_at is null then 'no creation time in the export: export its Created (Opened) column'
            when i.created_at > s.as_of then 'created after as_of'
        end
    from stg_relscope__incidents as i
    cross join relscope_settings as s
    union all
    -- forecast: upcoming releases with items left to deliver
    select 'forecast', team,
        case when reason like 'too little history%' then
            'too little delivery history for a forecast: fewer than 5 days with a delivery in the forecast window (export resolution dates or production deployments that ship the items)'
        end
    from mart_release_forecast
    where remaining > 0
    union all
    -- environment promotion: production deployments with a version, rollbacks aside
    select 'environment_promotion', d.team,
        case when p.deployment_id is null then
            'the service has no deployment to an environment of promotion.order: export its staging or test runs to check promotion'
        end
    from int_production_deployments as d
    left join int_promotion_checks as p using (source, deployment_id)
    where nullif(d.version_key, '') is not null and coalesce(d.kind, 'normal') <> 'rollback'
    union all
    -- configuration items: production deployments whose change record was ingested
    select 'ci_match', d.team,
        case when nullif(trim(c.cmdb_ci), '') is null then
            'its change record names no configuration item: export cmdb_ci (ServiceNow "Configuration item") to check it'
        end
    from int_production_deployments as d
    join stg_relscope__changes as c on c.change_id = d.change_id
    union all
    -- packaging classes: the items releases hold (cancelled aside)
    select 'packaging_class', ri.team,
        case when c.packaging_class = 'other' then
            'its type and labels match no packaging class: it counts against no maximum (class it in packaging.classes, by type or label)'
        end
    from int_release_items as ri
    join int_item_class as c on c.source = ri.source and c.item_key = ri.item_key
    where ri.status_category <> 'cancelled'
    union all
    -- priority score: open items; a missing business value counts 0
    select 'priority_business_value', team,
        case when business_value_basis = 'none' then
            'no business value in the export: the priority score counts it 0 (export a business value field)'
        end
    from mart_backlog_priority
    union all
    -- configured governance rules that match nothing in the data: org-wide, so for every team
    select 'governance_rules', t.team, case when not r.seen then r.detail end
    from int_rule_coverage as r
    cross join teams as t
),

-- The facts counted once, by metric, team and reason: the totals and the missing rows are
-- sums of these counts.
by_reason as (
    select metric, team, reason, count(*) as n
    from facts
    group by all
),

totals as (
    select metric, team, sum(n)::bigint as population, coalesce(sum(n) filter (where reason is null), 0)::bigint as covered
    from by_reason
    group by all
),

missing as (
    select metric, team, reason, n as missing
    from by_reason
    where reason is not null
),

-- Columns a file did not have (ingest_notes): a row per metric, team and note, its population
-- the rows those files loaded (still held under their ingest run) for the team, none covered.
noted_rows as (
    select ingest_id, team from stg_relscope__work_items
    union all
    select ingest_id, team from stg_relscope__incidents
    union all
    select ingest_id, coalesce(team, '(no team)') from stg_relscope__changes
    union all
    select ingest_id, team from stg_relscope__deployments
),

notes as (
    select n.metric, r.team, n.note as reason, count(*) as missing
    from (select distinct ingest_id, metric, note from stg_relscope__ingest_notes) as n
    join noted_rows as r using (ingest_id)
    group by all
),

noted as (
    select n.metric, n.team, n.missing as population, 0 as covered, 0.0 as coverage, n.reason, n.missing
    from notes as n
    -- a fact already gives this reason for this metric and team
    where not exists (select 1 from missing as m where m.metric = n.metric and m.team = n.team and m.reason = n.reason)
),

-- A whole family of exports absent: every metric built on it is unavailable, for every team
-- the warehouse knows, with the exports that would fill it.
families as (
    select 'flow' as metric, not exists (select 1 from stg_relscope__work_items) as absent,
        'no work items ingested: a backlog export (Jira CSV or REST JSON, Azure DevOps, Linear, GitHub or GitLab issues, native work_items.csv) gives cycle time, aging and estimation' as reason
    union all
    select 'dora', not exists (select 1 from stg_relscope__deployments),
        'no deployments ingested: GitHub or GitLab deployments, or a native deployments.csv, give DORA metrics, delivery by deployment and pipeline failure rates'
    union all
    select 'release_health', not exists (select 1 from stg_relscope__releases),
        'no releases ingested: Jira REST JSON (its fix versions), GitHub releases or a native releases.csv give release health and scope at freeze'
    union all
    select 'incidents', not exists (select 1 from stg_relscope__incidents),
        'no incidents ingested: PagerDuty, Opsgenie, ServiceNow incident exports or a native incidents.csv give incident times, failures by incident and hotspots'
    union all
    select 'change_records', not exists (select 1 from stg_relscope__changes),
        'no change records ingested: a ServiceNow change_request export or a native changes.csv gives change approval and back-out checks'
),

absent as (
    select f.metric, t.team, 0 as population, 0 as covered, null::double as coverage, f.reason, 0 as missing
    from families as f
    cross join teams as t
    where f.absent
)

select t.metric, t.team, t.population, t.covered, round(t.covered / t.population, 4) as coverage,
    m.reason, coalesce(m.missing, 0) as missing
from totals as t
left join missing as m using (metric, team)
union all
select * from noted
union all
select * from absent
