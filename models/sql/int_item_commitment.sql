-- description: The commitment point of every item: the first entry into a configured commitment
-- description: status (default: the first status whose category is in_progress); without history,
-- description: the export's own column (ADO Activated Date, Linear Started); otherwise null.
-- grain: one row per work item (source, item_key)
-- test: unique(source, item_key)
-- test: accepted_values(committed_basis: history, export)
-- test: expression(committed_at >= created_at or precedes_creation_in_export)
-- column: precedes_creation_in_export: the export itself places a status change or its start column before the item's creation (moved or imported items); the commitment may then precede the creation, and mart_coverage says so
-- column: has_status_history: the item's status history is known: it has transitions, or came from a file or source that exports history
with configured as (
    select count(*) > 0 as any_configured from relscope_commitment
),

commitment_entries as (
    select
        sp.source,
        sp.item_key,
        min(sp.started_at) as committed_at
    from int_status_spells as sp
    cross join configured as c
    where case
        when c.any_configured then lower(sp.status) in (select lower(status) from relscope_commitment)
        else sp.category = 'in_progress'
    end
    group by sp.source, sp.item_key
),

-- Whether an item's status history is known, even when it has none (it never changed): it
-- has transitions; or the file that loaded it carried status history (a Jira JSON page with
-- its changelog); or its source's history came in files of history alone (native
-- transitions.csv). An item from a history-less export (Jira CSV) has unknown history.
-- The status history is read once (status_changes: each item's first status change per
-- ingest run), for the runs that carried history and for each item's own.
status_changes as materialized (
    select source, item_key, ingest_id, min(changed_at) as first_changed_at
    from stg_relscope__transitions
    where field = 'status'
    group by source, item_key, ingest_id
),

history_runs as (
    select distinct source, ingest_id from status_changes
),

history_only_sources as (
    select distinct h.source
    from history_runs as h
    where h.ingest_id not in (select distinct ingest_id from stg_relscope__work_items)
),

-- What the export itself says about the order of things: its first status change, compared
-- with the creation below. Read from the history as exported, not from the commitment logic,
-- so that the test above catches a commitment the logic put before the creation on its own.
-- An item with a row here has status history of its own (has_status_history).
first_status_change as (
    select source, item_key, min(first_changed_at) as first_changed_at
    from status_changes
    group by source, item_key
),

final as (
    select
        w.source,
        w.item_key,
        w.created_at,
        coalesce(c.committed_at, w.export_committed_at) as committed_at,
        case
            when c.committed_at is not null then 'history'
            when w.export_committed_at is not null then 'export'
        end as committed_basis,
        (
            f.item_key is not null
            or hr.ingest_id is not null
            or w.source in (select source from history_only_sources)
        ) as has_status_history,
        coalesce(f.first_changed_at < w.created_at or w.export_committed_at < w.created_at, false) as precedes_creation_in_export
    from stg_relscope__work_items as w
    left join commitment_entries as c using (source, item_key)
    left join first_status_change as f using (source, item_key)
    -- (A join, not a correlated exists: DuckDB would group every item's keys to decorrelate
    -- it. history_runs is distinct, so no item is repeated.)
    left join history_runs as hr on hr.source = w.source and hr.ingest_id = w.ingest_id
)

select * from final
