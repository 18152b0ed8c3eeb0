-- description: Fix-version history as membership events: each fix-version change removes the item
-- description: from its from_value release and adds it to its to_value release (Jira writes one
-- description: entry per added or removed version; a move writes both). Matched to releases as
-- description: int_release_lookup says (the item's project first, else a name unique to one project).
-- grain: one row per item, release and event
-- column: author: who made the change, where the history says
-- test: accepted_values(event: added, removed)
-- test: not_null(release, item_key, changed_at)
with changes as (
    select t.source, t.item_key, t.changed_at, t.from_value, t.to_value, t.author, w.project
    from stg_relscope__transitions as t
    join stg_relscope__work_items as w using (source, item_key)
    where t.field = 'fix_version'
),

events as (
    select source, item_key, project, changed_at, author, from_value as version, 'removed' as event
    from changes where from_value is not null
    union all
    select source, item_key, project, changed_at, author, to_value, 'added'
    from changes where to_value is not null
)

select
    r.release_source,
    r.project,
    r.release,
    e.source,
    e.item_key,
    e.changed_at,
    e.event,
    e.author
from events as e
join int_release_lookup as r
    on r.item_project is not distinct from e.project and r.version_key = lower(trim(e.version))
where r.release is not null
