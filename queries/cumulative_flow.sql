-- name: cumulative_flow :many
-- description: Cumulative flow per ISO week (Monday, UTC) of a period [start, end): at the end
-- description: of each week, how many items were in the backlog (created, not started), in
-- description: progress (committed, not delivered) and delivered. From the delivered, open and
-- description: backlog marts: open items count from their commitment (their creation is not in
-- description: mart_aging_wip), cancelled items not at all.
-- param: team = % a team's exact name; % for every team
-- param: start = - period start (RFC 3339 or date); - for six months before as_of's month
-- param: end = - period end, exclusive (RFC 3339 or date); - for as_of
with p as (
    select
        case when $start = '-' then date_trunc('month', s.as_of) - interval 6 month else $start::timestamptz end as start_at,
        case when $end = '-' then s.as_of else $end::timestamptz end as end_at
    from relscope_settings as s
),

items as (
    select created_at, coalesce(committed_at, delivered_at) as started_at, delivered_at
    from mart_cycle_time where ($team = '%' or team = $team)
    union all
    select committed_at, committed_at, null from mart_aging_wip where ($team = '%' or team = $team)
    union all
    select created_at, null, null from mart_backlog_aging where ($team = '%' or team = $team)
),

weeks as (
    select unnest(generate_series(date_trunc('week', (select start_at from p))::date,
                                  ((select end_at from p) - interval 1 second)::date, interval 7 day))::date as week
),

events as (
    select date_trunc('week', created_at)::date as week, 1 as created, 0 as started, 0 as delivered from items
    union all
    select date_trunc('week', started_at)::date, 0, 1, 0 from items where started_at is not null
    union all
    select date_trunc('week', delivered_at)::date, 0, 0, 1 from items where delivered_at is not null
),

per_week as (
    select week, sum(created) as created, sum(started) as started, sum(delivered) as delivered
    from events group by week
),

running as (
    select w.week,
        (select coalesce(sum(created), 0) from per_week as p where p.week <= w.week) as created,
        (select coalesce(sum(started), 0) from per_week as p where p.week <= w.week) as started,
        (select coalesce(sum(delivered), 0) from per_week as p where p.week <= w.week) as delivered
    from weeks as w
)

select
    week,
    created - started as backlog,
    started - delivered as in_progress,
    delivered
from running
order by week
