-- description: Backlog items (category backlog) with their age at as_of (as_of − created_at) in
-- description: buckets 0-30, 31-90, 91-180, 181-365, >365 days (by whole days of age).
-- grain: one row per backlog item (source, item_key)
-- test: unique(source, item_key)
-- test: not_null(item_key, team, created_at, age_days, age_bucket)
-- test: expression(age_days >= 0)
-- test: accepted_values(age_bucket: 0-30, 31-90, 91-180, 181-365, >365)
with backlog as (
    select
        w.source,
        w.item_key,
        w.team,
        w.item_type,
        w.title,
        w.status,
        w.priority,
        w.created_at,
        relscope_seconds_between(w.created_at, s.as_of) / 86400.0 as age_days
    from stg_relscope__work_items as w
    cross join relscope_settings as s
    where w.status_category = 'backlog'
        and w.created_at <= s.as_of
)

select
    *,
    case
        when floor(age_days) <= 30 then '0-30'
        when floor(age_days) <= 90 then '31-90'
        when floor(age_days) <= 180 then '91-180'
        when floor(age_days) <= 365 then '181-365'
        else '>365'
    end as age_bucket
from backlog
