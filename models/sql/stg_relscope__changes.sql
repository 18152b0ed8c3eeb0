-- description: Change requests (RFCs) as ingested, without the raw export record.
-- grain: one row per change (source, change_id)
-- materialized: view
select
    source,
    change_id,
    type as change_type,
    state,
    risk,
    approval,
    approved_at,
    planned_start,
    planned_end,
    backout_plan,
    cmdb_ci,
    service,
    team,
    release,
    coalesce(item_keys, []) as item_keys,
    ingest_id
from changes
