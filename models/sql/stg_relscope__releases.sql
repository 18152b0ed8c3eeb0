-- description: Releases with the effective freeze date (own freeze, else release date minus freeze_days).
-- grain: one row per release (source, project, release)
-- materialized: view
select
    r.source,
    r.project,
    r.name as release,
    r.planned_date,
    r.freeze_date as own_freeze_date,
    coalesce(r.freeze_date, r.planned_date - s.freeze_days) as freeze_date,
    -- A freeze date means the start of that day, UTC.
    coalesce(r.freeze_date, r.planned_date - s.freeze_days)::timestamptz as freeze_at,
    r.released_at,
    coalesce(r.is_released, r.released_at is not null) as is_released
from releases as r
cross join relscope_settings as s
