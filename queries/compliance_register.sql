-- name: compliance_register :many
-- description: The audit register of a period [start, end): every finding of mart_compliance_gaps on
-- description: the production deployments that finished in it — no change record, change not
-- description: approved, no back-out plan, configuration item mismatch, not promoted, regulated
-- description: items without sign-off, and the emergency changes (listed, not gaps) — with the
-- description: change's type, approval and state, newest first. The workbook's compliance sheet.
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
    finished_at,
    team,
    service,
    environment,
    deployment_id,
    version,
    kind,
    gap_type,
    is_gap,
    change_id,
    change_type,
    approval,
    change_state,
    item_key,
    detail
from mart_compliance_gaps
where ($team = '%' or team = $team)
    and finished_at >= (select start_at from p)
    and finished_at < (select end_at from p)
order by finished_at desc, deployment_id, gap_type, item_key
