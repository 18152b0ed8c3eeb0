-- description: Audit findings on production deployments, one row per finding:
-- description: no_change_record (only when change records were ingested at all; rollbacks, which
-- description: carry out a change's back-out plan, are exempt), change_not_approved (approval not
-- description: approved/authorized), no_backout_plan, ci_mismatch (the change's configuration item
-- description: is neither the deployment's service nor a configured alias of it), not_promoted
-- description: (int_promotion_checks), regulated_without_signoff (the deployment ships an item of a
-- description: regulated risk rule without its sign-off), and emergency_change (listed, not a gap).
-- grain: one row per finding (gap_type × production deployment, × item for regulated_without_signoff)
-- column: gap_type: no_change_record, change_not_approved, no_backout_plan, ci_mismatch, not_promoted, regulated_without_signoff, emergency_change
-- column: is_gap: false only for emergency_change, which is listed for the audit but breaks no rule
-- column: item_key: the regulated item shipped without sign-off (regulated_without_signoff only)
-- column: change_id: the deployment's change record, where it names one
-- column: version: the deployment's version
-- column: approval: the change's approval as exported
-- column: change_state: the change's state as exported
-- test: not_null(gap_type, deployment_id, detail, is_gap)
-- test: accepted_values(gap_type: no_change_record, change_not_approved, no_backout_plan, ci_mismatch, not_promoted, regulated_without_signoff, emergency_change)
-- test: unique(gap_type, deployment_source, deployment_id, item_key)
with changes_known as (
    select count(*) > 0 as any_changes from stg_relscope__changes
),

deploys as (
    select
        d.source as deployment_source,
        d.deployment_id,
        d.team,
        d.service,
        d.environment,
        d.version,
        d.kind,
        d.finished_at,
        d.change_id,
        c.change_id as found_change,
        c.change_type,
        c.approval,
        c.state as change_state,
        c.backout_plan,
        c.cmdb_ci
    from int_production_deployments as d
    left join stg_relscope__changes as c on c.change_id = d.change_id
),

change_gaps as (
    select 'no_change_record' as gap_type, d.*, null::varchar as item_key,
        case when d.change_id is not null then format('change {} is not among the ingested change records', d.change_id)
            else 'no change record' end as detail
    from deploys as d
    cross join changes_known as k
    where k.any_changes and d.found_change is null and coalesce(d.kind, 'normal') <> 'rollback'
    union all
    select 'change_not_approved', d.*, null, format('change {} approval: {}', d.change_id, coalesce(d.approval, '(none)'))
    from deploys as d
    where d.found_change is not null and lower(trim(coalesce(d.approval, ''))) not in ('approved', 'authorized', 'authorised')
    union all
    select 'no_backout_plan', d.*, null, format('change {} has no back-out plan', d.change_id)
    from deploys as d
    where d.found_change is not null and nullif(trim(d.backout_plan), '') is null
    union all
    select 'emergency_change', d.*, null, format('emergency change {}', d.change_id)
    from deploys as d
    where d.found_change is not null and lower(d.change_type) = 'emergency'
    union all
    select 'ci_mismatch', d.*, null, format('change {} names configuration item {}, not service {}', d.change_id, d.cmdb_ci, d.service)
    from deploys as d
    where d.found_change is not null
        and nullif(trim(d.cmdb_ci), '') is not null
        and lower(trim(d.cmdb_ci)) <> lower(trim(coalesce(d.service, '')))
        and not exists (
            select 1 from relscope_ci_aliases as a
            where a.ci = lower(trim(d.cmdb_ci)) and a.service = lower(trim(coalesce(d.service, '')))
        )
),

promotion_gaps as (
    select 'not_promoted' as gap_type, d.*, null::varchar as item_key,
        format('version {} of {} reached production without an earlier successful deployment to {}',
            p.version, p.service, p.required_environments) as detail
    from int_promotion_checks as p
    join deploys as d on d.deployment_source = p.source and d.deployment_id = p.deployment_id
    where not p.promoted
),

signoff_gaps as (
    select distinct 'regulated_without_signoff' as gap_type, d.*, l.item_key,
        format('ships {} ({}) without its sign-off', l.item_key, k.risk_rule) as detail
    from int_item_deployment_links as l
    join deploys as d on d.deployment_source = l.deployment_source and d.deployment_id = l.deployment_id
    join int_item_risk as k on k.source = l.item_source and k.item_key = l.item_key
    where k.regulated and not k.has_signoff
),

gaps as (
    select * from change_gaps
    union all
    select * from promotion_gaps
    union all
    select * from signoff_gaps
)

select
    gap_type,
    gap_type <> 'emergency_change' as is_gap,
    deployment_id,
    deployment_source,
    item_key,
    change_id,
    detail,
    change_type,
    approval,
    change_state,
    team,
    service,
    environment,
    version,
    kind,
    finished_at
from gaps
