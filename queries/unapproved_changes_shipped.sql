-- name: unapproved_changes_shipped :many
-- description: Production deployments whose change record was not approved (approval anything
-- description: but approved/authorized) or has no back-out plan — the audit questions
-- description: (mart_compliance_gaps).
-- param: team = % a team's exact name; % for every team
select
    d.deployment_id,
    d.team,
    d.service,
    d.finished_at,
    d.status,
    g.change_id,
    g.change_type,
    g.approval,
    g.change_state as state,
    case when bool_or(g.gap_type = 'change_not_approved') then 'not approved' else 'no back-out plan' end as finding
from mart_compliance_gaps as g
join mart_deployments as d on d.source = g.deployment_source and d.deployment_id = g.deployment_id
where g.gap_type in ('change_not_approved', 'no_backout_plan')
    and ($team = '%' or d.team = $team)
group by all
order by d.finished_at desc
