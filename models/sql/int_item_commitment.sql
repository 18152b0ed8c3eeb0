-- description: The commitment point of every item: the first entry into a configured commitment
-- description: status (default: the first status whose category is in_progress); without history,
-- description: the export's own column (ADO Activated Date, Linear Started); otherwise null.
-- grain: one row per work item (source, item_key)
-- test: unique(source, item_key)
-- test: accepted_values(committed_basis: history, export)
-- column: has_status_history: the item's source exports status history (an item without transitions there never changed status)
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

-- A source that exports status history at all has it for every item: an item without
-- transitions there simply never changed status.
sources_with_history as (
    select distinct source from stg_relscope__transitions where field = 'status'
),

final as (
    select
        w.source,
        w.item_key,
        coalesce(c.committed_at, w.export_committed_at) as committed_at,
        case
            when c.committed_at is not null then 'history'
            when w.export_committed_at is not null then 'export'
        end as committed_basis,
        h.source is not null as has_status_history
    from stg_relscope__work_items as w
    left join commitment_entries as c using (source, item_key)
    left join sources_with_history as h using (source)
)

select * from final
