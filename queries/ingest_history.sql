-- name: ingest_history :many
-- description: Every ingest run, newest first: file, format, rows read, loaded and rejected.
select
    ingest_id,
    file,
    format,
    started_at,
    rows_read,
    rows_loaded,
    rows_rejected,
    sha256
from ingest_runs
order by ingest_id desc
