-- description: Columns a loaded file did not have (ingest_notes), with the file's ingest run.
-- grain: one row per file and missing column
-- materialized: view
select
    ingest_id,
    file,
    format,
    column_name,
    metric,
    note
from ingest_notes
