-- description: Work items as ingested, without the raw export record; team never null. Items a
-- description: snapshot export no longer holds (work_item_removals) are left out.
-- grain: one row per work item (source, item_key)
-- materialized: view
select
    source,
    item_key,
    project,
    coalesce(team, project, '(no team)') as team,
    item_type,
    title,
    status,
    status_category,
    priority,
    created_at,
    updated_at,
    resolved_at,
    status_category_changed_at,
    committed_at as export_committed_at,
    story_points,
    original_estimate_hours,
    time_spent_hours,
    coalesce(fix_versions, []) as fix_versions,
    coalesce(labels, []) as labels,
    coalesce(components, []) as components,
    business_value,
    time_criticality,
    risk_reduction,
    security_level,
    is_public,
    ingest_id
from work_items
where not exists (
    select 1 from work_item_removals as r
    where r.source = work_items.source and r.item_key = work_items.item_key
)
