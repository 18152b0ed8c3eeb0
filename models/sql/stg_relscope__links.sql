-- description: Dependency links as "blocker blocks blocked", whichever direction the export wrote;
-- description: none recorded on items a snapshot export no longer holds (work_item_removals).
-- grain: one row per blocking relation (source, blocked_key, blocker_key)
-- materialized: view
select distinct
    source,
    case when lower(link_type) in ('blocks', 'is blocking') then target_key else item_key end as blocked_key,
    case when lower(link_type) in ('blocks', 'is blocking') then item_key else target_key end as blocker_key
from work_item_links as l
-- Items a snapshot export no longer holds, left out: an anti join (not exists would be
-- decorrelated into a delim join that groups every row's key first, even with no removals).
anti join work_item_removals as r on r.source = l.source and r.item_key = l.item_key
where lower(link_type) in ('blocks', 'is blocking', 'is blocked by', 'blocked by', 'depends on')
