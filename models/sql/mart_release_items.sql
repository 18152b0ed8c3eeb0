-- description: What each release holds now (int_release_items): the items whose fix versions — or,
-- description: with none, sprints (an Azure DevOps iteration path's nodes) — name it, in the item's
-- description: project or, where that project has no releases, in the one project whose releases
-- description: bear the name. An analyst's "which items are in release X", and what a job run
-- description: watches for item_slipped.
-- grain: one row per release and item (release_source, project, release, source, item_key)
-- column: release_source: where the release came from (native, jira, github, ...); source is the item's
-- column: project: the release's project
-- column: item_project: the item's own project (another than the release's where matched_by is name)
-- column: matched_by: project (the release is in the item's project) or name (the name is unique to another project's releases, and the item's project has none)
-- column: named_by: fix_version, or sprint for an item with no fix version
-- test: unique(release_source, project, release, source, item_key)
-- test: not_null(release, item_key, team, status_category, matched_by, named_by)
-- test: accepted_values(matched_by: project, name)
-- test: relationship(item_key -> work_items.item_key)
select
    ri.release_source,
    ri.project,
    ri.release,
    ri.source,
    ri.item_key,
    w.project as item_project,
    ri.team,
    w.item_type,
    w.title,
    ri.status_category,
    ri.matched_by,
    ri.named_by
from int_release_items as ri
join stg_relscope__work_items as w on w.source = ri.source and w.item_key = ri.item_key
