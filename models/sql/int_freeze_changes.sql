-- description: Every fix-version addition to a release after its freeze (and up to its release,
-- description: or as_of while unreleased), from the fix-version history. Allowed only for a
-- description: critical defect — an item classed fix with one of freeze.critical_priorities —
-- description: that has an emergency change (int_item_changes); any other is a freeze violation.
-- grain: one row per release, item and addition after the freeze
-- column: changed_by: who added it, where the history says (null otherwise)
-- column: critical_defect: the item is classed fix and has a critical priority
-- column: emergency_change: an emergency change covering the item (null: none)
-- column: allowed: critical defect with an emergency change
-- test: not_null(release, item_key, changed_at, allowed)
with releases as (
    select r.*, coalesce(r.released_at, s.as_of) as window_end
    from stg_relscope__releases as r
    cross join relscope_settings as s
),

added as (
    select
        e.release_source,
        e.project,
        e.release,
        e.source,
        e.item_key,
        e.changed_at,
        e.author,
        r.freeze_at
    from int_release_scope_events as e
    join releases as r on r.source = e.release_source and r.project = e.project and r.release = e.release
    where e.event = 'added'
        and e.changed_at > r.freeze_at
        and e.changed_at <= r.window_end
),

emergency as (
    select item_source as source, item_key, min(change_id) as change_id
    from int_item_changes
    where lower(change_type) = 'emergency'
    group by all
)

select
    a.release_source,
    a.project,
    a.release,
    a.source,
    a.item_key,
    w.team,
    w.item_type,
    w.priority,
    a.freeze_at,
    a.changed_at,
    a.author as changed_by,
    c.packaging_class = 'fix' and coalesce(list_contains(g.critical_priorities, lower(trim(w.priority))), false) as critical_defect,
    em.change_id as emergency_change,
    c.packaging_class = 'fix'
        and coalesce(list_contains(g.critical_priorities, lower(trim(w.priority))), false)
        and em.change_id is not null as allowed
from added as a
join stg_relscope__work_items as w using (source, item_key)
join int_item_class as c using (source, item_key)
cross join relscope_governance as g
left join emergency as em using (source, item_key)
