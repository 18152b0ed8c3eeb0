-- description: Time each item spent in a blocked-category status (summed over its blocked spells,
-- description: the last one running until as_of) and the items recorded as blocking it.
-- grain: one row per item that was blocked or has a blocker (source, item_key)
-- column: blocked_days: null when the item has no status history (unknown, not zero)
-- test: unique(source, item_key)
-- test: expression(blocked_days >= 0)
with spells as (
    select source, item_key, sum(days) as blocked_days, count(*) as blocked_spells
    from int_status_spells
    where category = 'blocked'
    group by all
),

blockers as (
    select source, blocked_key as item_key, list(distinct blocker_key order by blocker_key) as blocked_by
    from stg_relscope__links
    group by all
),

items as (
    select source, item_key from spells
    union
    select source, item_key from blockers
)

select
    i.item_key,
    i.source,
    w.team,
    w.item_type,
    w.status,
    w.status_category,
    w.fix_versions,
    case when c.has_status_history then coalesce(sp.blocked_days, 0) end as blocked_days,
    coalesce(sp.blocked_spells, 0) as blocked_spells,
    coalesce(b.blocked_by, []) as blocked_by
from items as i
join stg_relscope__work_items as w using (source, item_key)
join int_item_commitment as c using (source, item_key)
left join spells as sp using (source, item_key)
left join blockers as b using (source, item_key)
