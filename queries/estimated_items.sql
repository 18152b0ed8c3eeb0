-- name: estimated_items :many
-- description: Every item resolved in a period [start, end) with both planned and actual hours:
-- description: actual / planned, its absolute percentage error and whether it was within ±25%
-- description: of plan. The workbook's estimation sheet; a row per item of
-- description: mart_estimation_accuracy.
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
    story_points,
    planned_hours,
    actual_hours,
    ratio,
    abs_pct_error,
    within_25pct,
    resolved_at
from mart_estimation_accuracy
where ($team = '%' or team = $team)
    and resolved_at >= (select start_at from p)
    and resolved_at < (select end_at from p)
order by resolved_at, item_key
