-- description: Done items with both a planned (original estimate) and an actual (time spent)
-- description: number of hours: ratio = actual / planned (above 1: took longer than planned).
-- grain: one row per estimated done item (source, item_key)
-- test: unique(source, item_key)
-- test: not_null(item_key, team, planned_hours, actual_hours, ratio)
-- test: expression(ratio > 0)
select
    w.item_key,
    w.source,
    w.team,
    w.item_type,
    w.story_points,
    w.original_estimate_hours as planned_hours,
    w.time_spent_hours as actual_hours,
    w.time_spent_hours / w.original_estimate_hours as ratio,
    abs(w.time_spent_hours - w.original_estimate_hours) / w.time_spent_hours as abs_pct_error,
    abs(w.time_spent_hours / w.original_estimate_hours - 1) <= 0.25 as within_25pct,
    w.resolved_at
from stg_relscope__work_items as w
where w.status_category = 'done'
    and w.original_estimate_hours > 0
    and w.time_spent_hours > 0
