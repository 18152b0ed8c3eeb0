-- name: release_outlook :many
-- description: The outlook of every upcoming release: its forecast and readiness verdict: planned date,
-- description: items and items remaining, the P50/P85 completion dates, P(on time), how many
-- description: items are 85% sure by the planned date, and the verdict with its reasons.
-- param: team = % a team's exact name; % for every team
select
    r.release,
    r.team,
    r.planned_date,
    f.items,
    f.remaining,
    f.p50_date,
    f.p85_date,
    round(f.p_on_time, 2) as p_on_time,
    f.how_many_by_planned_p85,
    r.status as verdict,
    r.detail as why
from mart_release_readiness as r
left join mart_release_forecast as f using (source, project, release)
where r.check_name = 'verdict'
    and ($team = '%' or r.team = $team)
order by r.planned_date, r.release
