-- name: ingest_rejects :many
-- description: Rejected rows with file, line and reason; of one ingest run, or of all runs.
-- param: ingest_id = 0 the run (see @ingest_history); 0 for all runs
select
    r.ingest_id,
    r.file,
    r.line,
    r.reason,
    r.raw_line
from ingest_rejects as r
where $ingest_id::bigint = 0 or r.ingest_id = $ingest_id::bigint
order by r.ingest_id, r.line
