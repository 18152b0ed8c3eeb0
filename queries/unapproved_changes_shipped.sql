-- name: unapproved_changes_shipped :many
-- description: Production deployments whose change record was not approved (approval anything
-- description: but approved/authorized) or has no back-out plan — the audit questions.
-- param: team = % a team's exact name; % for every team
select
    d.deployment_id,
    d.team,
    d.service,
    d.finished_at,
    d.status,
    c.change_id,
    c.change_type,
    c.approval,
    c.state,
    case
        when lower(coalesce(c.approval, '')) not in ('approved', 'authorized', 'authorised') then 'not approved'
        else 'no back-out plan'
    end as finding
from mart_deployments as d
join stg_relscope__changes as c on c.change_id = d.change_id
where d.is_failure is not null
    and ($team = '%' or d.team = $team)
    and (lower(coalesce(c.approval, '')) not in ('approved', 'authorized', 'authorised')
        or nullif(trim(c.backout_plan), '') is null)
order by d.finished_at desc
