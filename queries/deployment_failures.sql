-- name: deployment_failures :many
-- description: Failed production deployments (failed, rolled back or followed by an incident) in
-- description: a period with how long recovery took — by default the 30 days up to as_of.
-- param: team = % a team's exact name; % for every team
-- param: days = 30 how many days back from as_of
select
    d.deployment_id,
    d.team,
    d.service,
    d.version,
    d.finished_at,
    d.failure_reason,
    d.incidents,
    d.recovered_at,
    round(d.recovery_hours, 1) as recovery_hours
from mart_deployments as d
cross join relscope_settings as s
where d.is_failure
    and ($team = '%' or d.team = $team)
    and d.finished_at > s.as_of - to_days($days::integer)
order by d.finished_at desc
