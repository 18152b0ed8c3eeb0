-- name: delivered_items :many
-- description: Every item delivered in a period [start, end), in delivery order: when it was
-- description: created, committed and delivered, whether by a production deployment (which one)
-- description: or by its resolution, and its cycle and lead time in fractional days. The
-- description: workbook's cycle-time sheet; a row per item of mart_cycle_time.
-- param: team = % a team's exact name; % for every team
-- param: start = - period start (RFC 3339 or date); - for six months before as_of's month
-- param: end = - period end, exclusive (RFC 3339 or date); - for as_of
with p as (
    select
        case when $start = '-' then date_trunc('month', s.as_of) - interval 6 month else $start::timestamptz end as start_at,
        case when $end = '-' then s.as_of else $end::timestamptz end as end_at
    from relscope_settings as s
)

select
    item_key,
    team,
    item_type,
    title,
    created_at,
    committed_at,
    committed_basis,
    delivered_at,
    delivered_via,
    delivered_by_deployment,
    cycle_time_days,
    lead_time_days
from mart_cycle_time
where ($team = '%' or team = $team)
    and delivered_at >= (select start_at from p)
    and delivered_at < (select end_at from p)
order by delivered_at, item_key
