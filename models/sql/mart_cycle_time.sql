-- description: Delivered items with cycle time (delivered_at − committed_at) and lead time
-- description: (delivered_at − created_at), in fractional days. See int_item_delivery for
-- description: delivered_at and delivered_via, int_item_commitment for committed_at.
-- grain: one row per delivered item (source, item_key)
-- column: cycle_time_days: null when the commitment is unknown, or came after the delivery
-- column: delivered_by_deployment: the deployment that delivered it (delivered_via = deployment)
-- test: unique(source, item_key)
-- test: not_null(item_key, team, delivered_at, delivered_via)
-- column: lead_time_days: delivered_at − created_at (clamped at 0); null when the export has no creation time
-- column: resolution_basis: for a done item, where its resolution time came from: resolved, or status_category_changed (the export had no resolution time)
-- test: accepted_values(delivered_via: deployment, resolution)
-- test: expression(cycle_time_days >= 0)
-- test: expression(lead_time_days >= 0)
-- test: expression(committed_at >= created_at or commitment_before_creation)
-- column: commitment_before_creation: the export itself records the commitment (status history or start column) before the item's creation — cycle time then exceeds lead time; mart_coverage counts these
select
    item_key,
    source,
    team,
    item_type,
    title,
    created_at,
    committed_at,
    committed_basis,
    delivered_at,
    delivered_via,
    delivered_by_deployment,
    resolution_basis,
    coalesce(precedes_creation_in_export and committed_at < created_at, false) as commitment_before_creation,
    case
        when delivered_at >= committed_at then relscope_seconds_between(committed_at, delivered_at) / 86400.0
    end as cycle_time_days,
    relscope_seconds_between(created_at, greatest(delivered_at, created_at)) / 86400.0 as lead_time_days,
    date_trunc('month', delivered_at)::date as month
from int_item_delivery
where delivered_at is not null
