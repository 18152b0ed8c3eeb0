-- description: Every work item with the organisation's rules applied — its team, status category
-- description: and whether it is public, as every other mart sees them (stg_relscope__work_items) —
-- description: for the reports, jobs and named queries that list items whatever their state.
-- description: Items a snapshot export no longer holds are left out.
-- grain: one row per work item (source, item_key)
-- column: team: the export's team field, else the project key, renamed by team_aliases
-- column: status_category: backlog | in_progress | blocked | done | cancelled (status_categories, the export's own category, the name rules)
-- column: is_public: may reach the public release log (the export's own word, else the public rules)
-- column: labels: the item's labels as exported
-- column: components: the item's components as exported
-- column: updated_at: when the export last saw the item change
-- test: unique(source, item_key)
-- test: not_null(item_key, team, status_category, is_public)
select
    source,
    item_key,
    project,
    team,
    item_type,
    title,
    status,
    status_category,
    priority,
    created_at,
    updated_at,
    resolved_at,
    fix_versions,
    labels,
    components,
    story_points,
    is_public
from stg_relscope__work_items
