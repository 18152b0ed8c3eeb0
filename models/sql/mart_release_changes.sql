-- description: The change records (RFCs) of each release: a change whose release field names the
-- description: release (case-insensitive, trimmed), or that a production deployment of the
-- description: release carries (mart_release_deployments.change_id) — with its type, state, risk,
-- description: approval, back-out plan and planned window, which is the release's expected
-- description: downtime as the change records announce it.
-- grain: one row per release and change record (release_source, project, release, change_source, change_id)
-- column: release_source: where the release came from (native, jira, github, ...)
-- column: change_source: where the change record came from (servicenow, native, ...)
-- column: state: the change's state as exported (New, Scheduled, Implement, Closed, Canceled, ...)
-- column: risk: the change's risk as exported (Low, Moderate, High, ...)
-- column: approval: the change's approval as exported (approved, requested, rejected, ...)
-- column: approved_at: when the change was approved
-- column: planned_start: start of the change's planned implementation window
-- column: planned_end: end of the change's planned implementation window
-- column: linked_by: release (the change's release field names it) or deployment (only a deployment of the release carries it)
-- column: is_approved: approval is approved, authorized or authorised
-- column: window_hours: planned_end − planned_start in hours; null without both
-- column: has_backout_plan: the back-out plan is not empty
-- test: unique(release_source, project, release, change_source, change_id)
-- test: not_null(release, change_id, linked_by, is_approved, has_backout_plan)
-- test: accepted_values(linked_by: release, deployment)
-- test: expression(window_hours >= 0)
with links as (
    select r.source as release_source, r.project, r.release, c.source as change_source, c.change_id, 'release' as linked_by
    from stg_relscope__releases as r
    join stg_relscope__changes as c on lower(trim(c.release)) = lower(trim(r.release))
    union all
    select d.release_source, d.project, d.release, c.source, c.change_id, 'deployment'
    from mart_release_deployments as d
    join stg_relscope__changes as c on c.change_id = d.change_id
),

linked as (
    -- A change named by the release and carried by its deployment is linked by its release field.
    select release_source, project, release, change_source, change_id, min(linked_by) filter (where linked_by = 'release') as by_release
    from links
    group by all
)

select
    l.release,
    l.release_source,
    l.project,
    l.change_source,
    l.change_id,
    coalesce(l.by_release, 'deployment') as linked_by,
    c.change_type,
    c.state,
    c.risk,
    c.approval,
    lower(trim(coalesce(c.approval, ''))) in ('approved', 'authorized', 'authorised') as is_approved,
    c.approved_at,
    c.planned_start,
    c.planned_end,
    case when c.planned_end >= c.planned_start then relscope_seconds_between(c.planned_start, c.planned_end) / 3600.0 end as window_hours,
    nullif(trim(coalesce(c.backout_plan, '')), '') is not null as has_backout_plan,
    c.service,
    c.team
from linked as l
join stg_relscope__changes as c on c.source = l.change_source and c.change_id = l.change_id
