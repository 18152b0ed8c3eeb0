-- description: The go/no-go checklist of each upcoming release: each check with pass, warn or fail
-- description: and its reason, and a verdict row (check_name verdict): no_go if any check fails,
-- description: at_risk if any warns, else go. Checks: forecast (P(on time) below 50% fails, below
-- description: 85% warns, no forecast warns; a release holding no items passes, saying so), open_blockers (warn), endorsement (fail),
-- description: regulated_signoff (fail), rollback_criteria and test_evidence of tier-1 items (warn),
-- description: freeze (violations fail), packaging (violations fail) and, when change records were
-- description: ingested, change_approval (a change of the release not approved fails).
-- grain: one row per upcoming release and check, plus one verdict row per upcoming release
-- column: check_name: forecast, open_blockers, endorsement, regulated_signoff, rollback_criteria, test_evidence, freeze, packaging, change_approval, or verdict
-- column: check_order: the checklist's order (the verdict is 0)
-- column: status: pass, warn or fail; for the verdict go, at_risk or no_go
-- column: detail: the reason, in a sentence
-- column: items: the items concerned (below the cut line for forecast; those failing the check otherwise)
-- test: unique(source, project, release, check_name)
-- test: not_null(release, check_name, status, detail)
-- test: accepted_values(status: pass, warn, fail, go, at_risk, no_go)
-- test: expression((check_name = 'verdict') = (status in ('go', 'at_risk', 'no_go')))
with releases as (
    select source, project, release, team, planned_date, is_late, items
    from int_upcoming_releases
),

members as (
    select ri.release_source as source, ri.project, ri.release, ri.source as item_source, ri.item_key,
        ri.status_category, k.risk_tier, k.regulated, k.has_signoff, k.has_rollback_criteria, k.has_test_evidence
    from int_release_items as ri
    join releases as r on r.source = ri.release_source and r.project = ri.project and r.release = ri.release
    join int_item_risk as k on k.source = ri.source and k.item_key = ri.item_key
    where ri.status_category <> 'cancelled'
),

forecast_check as (
    select
        r.source, r.project, r.release, 1 as check_order, 'forecast' as check_name,
        case
            when r.items = 0 then 'pass'
            when f.remaining = 0 then 'pass'
            when f.reason is not null or f.p_on_time is null then 'warn'
            when f.p_on_time < 0.5 then 'fail'
            when f.p_on_time < 0.85 then 'warn'
            else 'pass'
        end as status,
        case
            when r.items = 0 then 'the release holds no items yet'
            when f.remaining = 0 then 'every item of the release is done'
            when f.reason is not null then 'no forecast: ' || f.reason
            when f.p_on_time is null then format('{} item{} remaining, P85 {}; the release has no planned date', f.remaining,
                case when f.remaining = 1 then '' else 's' end, f.p85_date)
            else format('P(on time) {}%: {} item{} remaining, P85 {} vs planned {}; {} of them by the planned date at 85%',
                round(f.p_on_time * 100)::integer, f.remaining, case when f.remaining = 1 then '' else 's' end,
                coalesce(f.p85_date::varchar, 'beyond 10 years'), r.planned_date, f.how_many_by_planned_p85)
        end as detail,
        coalesce(f.below_cut_line, []) as items
    from releases as r
    left join mart_release_forecast as f using (source, project, release)
),

blockers_check as (
    select
        r.source, r.project, r.release, 2 as check_order, 'open_blockers' as check_name,
        case when count(b.blocked_key) > 0 then 'warn' else 'pass' end as status,
        case when count(b.blocked_key) > 0 then format('{} item(s) held by {} open blocker(s): {}',
                count(distinct b.blocked_key), count(distinct b.blocker_key),
                string_agg(distinct b.blocker_key || ' (' || b.blocker_team || ')', ', ' order by b.blocker_key || ' (' || b.blocker_team || ')'))
            else 'no open item of the release has an open blocker' end as detail,
        coalesce(list(distinct b.blocked_key order by b.blocked_key) filter (where b.blocked_key is not null), []) as items
    from releases as r
    left join members as m using (source, project, release)
    left join int_blocking_links as b
        on b.source = m.item_source and b.blocked_key = m.item_key and b.blocker_open and b.blocked_open
    group by all
),

needs_endorsement as (
    select distinct source, project, release, item_key
    from mart_release_violations
    where kind = 'needs_endorsement'
),

item_check_kinds as (
    select * from (values
        (3, 'endorsement', 'fail', 'item(s) need a business owner''s endorsement', 'every item of an endorsement tier is endorsed'),
        (4, 'regulated_signoff', 'fail', 'regulated item(s) without their sign-off', 'every regulated item has its sign-off'),
        (5, 'rollback_criteria', 'warn', 'tier-1 item(s) without rollback criteria', 'every tier-1 item has rollback criteria'),
        (6, 'test_evidence', 'warn', 'tier-1 item(s) without test evidence', 'every tier-1 item has test evidence')
    ) as k(check_order, check_name, level, problem, fine)
),

item_failures as (
    select m.source, m.project, m.release, k.check_name, m.item_key
    from members as m
    cross join item_check_kinds as k
    left join needs_endorsement as ne
        on ne.source = m.source and ne.project = m.project and ne.release = m.release and ne.item_key = m.item_key
    where case k.check_name
        when 'endorsement' then ne.item_key is not null
        when 'regulated_signoff' then m.regulated and not m.has_signoff
        when 'rollback_criteria' then m.risk_tier = 1 and not m.has_rollback_criteria
        when 'test_evidence' then m.risk_tier = 1 and not m.has_test_evidence
    end
),

item_checks as (
    select
        r.source, r.project, r.release, k.check_order, k.check_name,
        case when count(f.item_key) > 0 then k.level else 'pass' end as status,
        case when count(f.item_key) > 0 then format('{} {}', count(f.item_key), k.problem) else k.fine end as detail,
        coalesce(list(f.item_key order by f.item_key) filter (where f.item_key is not null), []) as items
    from releases as r
    cross join item_check_kinds as k
    left join item_failures as f using (source, project, release, check_name)
    group by r.source, r.project, r.release, k.check_order, k.check_name, k.level, k.problem, k.fine
),

violation_checks as (
    select
        r.source, r.project, r.release, c.check_order, c.check_name,
        case when count(v.kind) > 0 then 'fail' else 'pass' end as status,
        case when count(v.kind) > 0 then string_agg(coalesce(v.item_key || ': ', '') || v.detail, '; ' order by v.item_key, v.detail)
            when c.check_name = 'freeze' and any_value(x.exceptions) > 0
                then format('no freeze violation; {} allowed exception(s) (critical defects with an emergency change)', any_value(x.exceptions))
            else c.fine end as detail,
        coalesce(flatten(list(v.items order by v.item_key, v.detail) filter (where v.kind is not null)), []) as items
    from releases as r
    cross join (
        select 7 as check_order, 'freeze' as check_name, 'freeze_violation' as kind, 'no item joined the release after its freeze' as fine
        union all
        select 8, 'packaging', 'packaging', 'every packaging class is within its maximum'
    ) as c
    left join mart_release_violations as v
        on v.source = r.source and v.project = r.project and v.release = r.release and v.kind = c.kind
    left join (
        select source, project, release, count(*) as exceptions
        from mart_release_violations where kind = 'freeze_exception' group by all
    ) as x on x.source = r.source and x.project = r.project and x.release = r.release
    group by r.source, r.project, r.release, c.check_order, c.check_name, c.fine
),

release_changes as (
    select r.source, r.project, r.release, c.change_id, c.approval
    from releases as r
    join stg_relscope__changes as c on lower(trim(c.release)) = lower(trim(r.release))
    union
    select r.source, r.project, r.release, c.change_id, c.approval
    from releases as r
    join members as m using (source, project, release)
    join int_item_changes as ic on ic.item_source = m.item_source and ic.item_key = m.item_key
    join stg_relscope__changes as c on c.source = ic.change_source and c.change_id = ic.change_id
),

change_check as (
    select
        r.source, r.project, r.release, 9 as check_order, 'change_approval' as check_name,
        case when count(c.change_id) filter (where not c.approved) > 0 then 'fail' else 'pass' end as status,
        case
            when count(c.change_id) filter (where not c.approved) > 0 then format('change(s) not approved: {}',
                string_agg(c.change_id || ' (' || coalesce(c.approval, 'no approval') || ')', ', ' order by c.change_id) filter (where not c.approved))
            when count(c.change_id) > 0 then format('{} change record(s), all approved', count(c.change_id))
            else 'no change record raised for the release yet'
        end as detail,
        [] as items
    from releases as r
    left join (
        select *, lower(trim(coalesce(approval, ''))) in ('approved', 'authorized', 'authorised') as approved
        from release_changes
    ) as c using (source, project, release)
    where exists (select 1 from stg_relscope__changes)
    group by all
),

checks as (
    select * from forecast_check
    union all
    select * from blockers_check
    union all
    select * from item_checks
    union all
    select * from violation_checks
    union all
    select * from change_check
),

verdicts as (
    select
        source, project, release, 0 as check_order, 'verdict' as check_name,
        case
            when count(*) filter (where status = 'fail') > 0 then 'no_go'
            when count(*) filter (where status = 'warn') > 0 then 'at_risk'
            else 'go'
        end as status,
        case
            when count(*) filter (where status in ('fail', 'warn')) = 0 then format('all {} checks pass', count(*))
            else concat_ws('; ',
                case when count(*) filter (where status = 'fail') > 0 then
                    'fails: ' || string_agg(check_name, ', ' order by check_order) filter (where status = 'fail') end,
                case when count(*) filter (where status = 'warn') > 0 then
                    'warnings: ' || string_agg(check_name, ', ' order by check_order) filter (where status = 'warn') end)
        end as detail,
        [] as items
    from checks
    group by all
)

select
    r.release,
    r.source,
    r.project,
    r.team,
    r.planned_date,
    c.check_order,
    c.check_name,
    c.status,
    c.detail,
    c.items::varchar[] as items
from (select * from checks union all select * from verdicts) as c
join releases as r using (source, project, release)
