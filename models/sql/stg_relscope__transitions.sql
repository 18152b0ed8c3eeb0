-- description: Item history with the field name normalised (status, fix_version, sprint, other);
-- description: none of items a snapshot export no longer holds (work_item_removals).
-- grain: one row per history entry
-- materialized: view
select
    source,
    item_key,
    t.at as changed_at,
    case
        when lower(field) = 'status' then 'status'
        when lower(replace(field, ' ', '')) in ('fixversion', 'fixversions', 'fixversion/s', 'milestone') then 'fix_version'
        when lower(field) in ('sprint', 'iteration', 'iteration path', 'cycle') then 'sprint'
        else lower(field)
    end as field,
    nullif(trim(from_value), '') as from_value,
    nullif(trim(to_value), '') as to_value,
    nullif(trim(author), '') as author,
    ingest_id
from work_item_transitions as t
-- Items a snapshot export no longer holds, left out: an anti join (not exists would be
-- decorrelated into a delim join that groups every row's key first, even with no removals).
anti join work_item_removals as r on r.source = t.source and r.item_key = t.item_key

