-- name: backlog_age_by_team :many
-- description: How old each team's backlog is: items per age bucket, and the oldest item.
select
    team,
    count(*) as items,
    count(*) filter (where age_bucket = '0-30') as "0-30",
    count(*) filter (where age_bucket = '31-90') as "31-90",
    count(*) filter (where age_bucket = '91-180') as "91-180",
    count(*) filter (where age_bucket = '181-365') as "181-365",
    count(*) filter (where age_bucket = '>365') as ">365",
    round(max(age_days), 0) as oldest_days,
    arg_max(item_key, age_days) as oldest_item
from mart_backlog_aging
group by team
order by team
