-- description: Each work item's raw export record (JSON text), for the rules that read a field
-- description: of the export relscope has no column for (endorsement, sign-off, risk fields).
-- grain: one row per work item (source, item_key)
-- materialized: view
select
    source,
    item_key,
    raw
from work_items
