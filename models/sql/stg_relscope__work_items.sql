-- description: Work items with the organisation's rules applied — the one place they are: the
-- description: team (the export's team field, else the project, through team_aliases), the status
-- description: category (status_categories, the export's own category, the name rules) and whether
-- description: the item is public (the export's word, else the public rules) — from the relscope_*
-- description: settings the build wrote. Without the raw export record; team never null. Items a
-- description: snapshot export no longer holds (work_item_removals) are left out.
-- grain: one row per work item (source, item_key)
-- materialized: temp
-- (Computed once per build, unlike the other staging models: 23 models read it, some two or
-- three times, and as a view each read resolved the team, the status category and is_public —
-- list lambdas over every item's labels and components — again: at 200k items 2 s of one model
-- alone. Built once it costs a column copy without the raw records; the build's peak memory
-- fell 1.48 → 1.33 GB at 200k. Like the intermediate models, the warehouse keeps it as a view.)
-- column: team: the export's team field, else the project key, renamed by team_aliases; never null
-- column: export_team: the team field as exported (null when the export has none)
-- column: status_category: backlog | in_progress | blocked | done | cancelled, by status_categories, the export's own category, then the name rules
-- column: export_status_category: the export's own status category, in relscope's words (null when it has none)
-- column: is_public: may reach the public release log: the export's own word (native is_public, GitLab confidential), else the public rules
with private as (
    select
        coalesce(list(value) filter (where rule = 'label'), []) as labels,
        coalesce(list(value) filter (where rule = 'component'), []) as components,
        coalesce(list(value) filter (where rule = 'type'), []) as types,
        count(*) filter (where rule = 'security_level') > 0 as security_level
    from relscope_public_rules
),

-- Each exported team and project resolved once (relscope_team), not once per item.
teams as (
    select team, project, coalesce(relscope_team(coalesce(team, project)), '(no team)') as team_name
    from (select distinct team, project from work_items)
)

select
    w.source,
    w.item_key,
    w.project,
    t.team_name as team,
    w.team as export_team,
    w.item_type,
    w.title,
    w.status,
    coalesce(m.category, 'backlog') as status_category,
    w.status_category as export_status_category,
    w.priority,
    w.created_at,
    w.updated_at,
    w.resolved_at,
    w.status_category_changed_at,
    w.committed_at as export_committed_at,
    w.story_points,
    w.original_estimate_hours,
    w.time_spent_hours,
    coalesce(w.fix_versions, []) as fix_versions,
    coalesce(w.sprints, []) as sprints,
    coalesce(w.labels, []) as labels,
    coalesce(w.components, []) as components,
    w.business_value,
    w.time_criticality,
    w.risk_reduction,
    w.security_level,
    coalesce(w.is_public, not (
        (p.security_level and trim(coalesce(w.security_level, '')) <> '')
        or list_has_any(list_transform(coalesce(w.labels, []), x -> lower(trim(x))), p.labels)
        or list_has_any(list_transform(coalesce(w.components, []), x -> lower(trim(x))), p.components)
        or list_contains(p.types, lower(trim(coalesce(w.item_type, ''))))
    )) as is_public,
    w.ingest_id
from work_items as w
cross join private as p
left join teams as t on t.team is not distinct from w.team and t.project is not distinct from w.project
left join relscope_item_status_map as m
    on m.status is not distinct from w.status and m.export_category is not distinct from w.status_category
-- Items a snapshot export no longer holds, left out: an anti join (not exists would be
-- decorrelated into a delim join that groups every row's key first, even with no removals).
anti join work_item_removals as r on r.source = w.source and r.item_key = w.item_key

