-- description: Each stretch of time an item spent in one status, from its status history; the
-- description: last spell of an item runs until as_of. Categories come from relscope_status_map.
-- grain: one row per item and status entry
-- test: not_null(source, item_key, started_at, ended_at, category)
-- test: expression(ended_at >= started_at)
-- test: accepted_values(category: backlog, in_progress, blocked, done, cancelled)
with history as (
    select source, item_key, changed_at, to_value as status
    from stg_relscope__transitions
    where field = 'status'
        and to_value is not null
),

spells as (
    select
        h.source,
        h.item_key,
        h.status,
        coalesce(m.category, 'backlog') as category,
        h.changed_at as started_at,
        lead(h.changed_at) over (partition by h.source, h.item_key order by h.changed_at, h.status) as next_at
    from history as h
    left join relscope_status_map as m on m.status = h.status
),

final as (
    select
        sp.source,
        sp.item_key,
        sp.status,
        sp.category,
        sp.started_at,
        least(coalesce(sp.next_at, s.as_of), s.as_of) as ended_at
    from spells as sp
    cross join relscope_settings as s
    where sp.started_at <= s.as_of
)

select
    *,
    relscope_seconds_between(started_at, ended_at) / 86400.0 as days
from final
