-- description: What breaks a release's rules, one row per finding:
-- description: packaging — a class of the release's items (feature, fix, infrastructure; cancelled
-- description: items left out) over the maximum of the release's criticality level (the first
-- description: level whose name globs or services match; services are those of its deployments and
-- description: its items' components);
-- description: freeze_violation — a fix-version addition after the freeze that is not a critical
-- description: defect with an emergency change; freeze_exception — one that is (listed, allowed);
-- description: needs_endorsement — an item of an endorsement tier in an upcoming release without a
-- description: business owner's endorsement.
-- grain: one row per violation (release × class for packaging; release × item otherwise)
-- column: kind: packaging, freeze_violation, freeze_exception (allowed) or needs_endorsement
-- column: is_violation: false only for freeze_exception
-- column: item_key: the item concerned (null for packaging: see items)
-- column: at: (quote it: "at") when the item was added after the freeze (freeze kinds)
-- column: by: (quote it: "by") who added it, where the history says
-- column: packaging_class: the class over its maximum (packaging)
-- column: class_items: how many items of that class the release holds (packaging)
-- column: maximum: the class's maximum at the release's criticality (packaging)
-- column: criticality: the release's criticality level (packaging)
-- column: items: the items concerned
-- column: upcoming: the release is upcoming (int_upcoming_releases)
-- test: not_null(release, kind, detail, is_violation)
-- test: accepted_values(kind: packaging, freeze_violation, freeze_exception, needs_endorsement)
-- test: expression(kind = 'packaging' or item_key is not null)
-- test: expression(class_items is null or class_items > maximum)
with release_teams as (
    select release_source as source, project, release, mode(team) as team
    from int_release_items
    group by all
),

releases as (
    select
        r.source,
        r.project,
        r.release,
        coalesce(t.team, relscope_team(r.project)) as team,
        u.release is not null as upcoming
    from stg_relscope__releases as r
    left join release_teams as t using (source, project, release)
    left join int_upcoming_releases as u using (source, project, release)
),

members as (
    select ri.release_source as source, ri.project, ri.release, ri.source as item_source, ri.item_key, c.packaging_class
    from int_release_items as ri
    join int_item_class as c on c.source = ri.source and c.item_key = ri.item_key
    where ri.status_category <> 'cancelled'
),

release_services as (
    select source, project, release, list(distinct service) as services
    from (
        select rd.release_source as source, rd.project, rd.release, lower(trim(d.service)) as service
        from int_release_deployments as rd
        join int_production_deployments as d on d.source = rd.deployment_source and d.deployment_id = rd.deployment_id
        union all
        select ri.release_source, ri.project, ri.release, lower(trim(unnest(w.components)))
        from int_release_items as ri
        join stg_relscope__work_items as w on w.source = ri.source and w.item_key = ri.item_key
    )
    where service is not null
    group by all
),

levels as (
    select distinct level_order, criticality, release_globs, services
    from relscope_packaging_levels
),

release_level as (
    select r.source, r.project, r.release, min(l.level_order) as level_order
    from releases as r
    left join release_services as rs using (source, project, release)
    join levels as l
        on (len(l.release_globs) = 0 and len(l.services) = 0)
        or len(list_filter(l.release_globs, lambda g: lower(r.release) glob g)) > 0
        or list_has_any(coalesce(rs.services, []), l.services)
    group by all
),

class_counts as (
    select source, project, release, packaging_class, count(*) as class_items, list(item_key order by item_key) as items
    from members
    group by all
),

packaging as (
    select
        r.release,
        r.source,
        r.project,
        r.team,
        'packaging' as kind,
        true as is_violation,
        null::varchar as item_key,
        format('{} {} items, maximum {} for a {} release', cc.class_items, cc.packaging_class, m.maximum, m.criticality) as detail,
        null::timestamptz as "at",
        null::varchar as "by",
        cc.packaging_class,
        cc.class_items,
        m.maximum,
        m.criticality,
        cc.items,
        r.upcoming
    from class_counts as cc
    join releases as r using (source, project, release)
    join release_level as rl using (source, project, release)
    join relscope_packaging_levels as m on m.level_order = rl.level_order and m.class = cc.packaging_class
    where cc.class_items > m.maximum
),

freeze_changes as (
    select
        f.release,
        f.release_source as source,
        f.project,
        f.team,
        case when f.allowed then 'freeze_exception' else 'freeze_violation' end as kind,
        not f.allowed as is_violation,
        f.item_key,
        case
            when f.allowed then format('critical defect ({}, {}) added after the freeze of {} with emergency change {}',
                f.item_type, f.priority, strftime(f.freeze_at, '%Y-%m-%d'), f.emergency_change)
            when f.critical_defect then format('critical defect ({}, {}) added after the freeze of {} without an emergency change',
                f.item_type, f.priority, strftime(f.freeze_at, '%Y-%m-%d'))
            else format('{} ({}) added after the freeze of {}: only a critical defect with an emergency change may join a frozen release',
                coalesce(f.item_type, 'item'), coalesce(f.priority, 'no priority'), strftime(f.freeze_at, '%Y-%m-%d'))
        end as detail,
        f.changed_at as "at",
        f.changed_by as "by",
        null::varchar as packaging_class,
        null::bigint as class_items,
        null::integer as maximum,
        null::varchar as criticality,
        [f.item_key] as items,
        r.upcoming
    from int_freeze_changes as f
    join releases as r on r.source = f.release_source and r.project = f.project and r.release = f.release
),

endorsement as (
    select
        u.release,
        u.source,
        u.project,
        ri.team,
        'needs_endorsement' as kind,
        true as is_violation,
        ri.item_key,
        format('tier {} item{} without a business owner''s endorsement', k.risk_tier,
            case when k.risk_rule is not null then ' (' || k.risk_rule || ')' else '' end) as detail,
        null::timestamptz as "at",
        null::varchar as "by",
        null::varchar as packaging_class,
        null::bigint as class_items,
        null::integer as maximum,
        null::varchar as criticality,
        [ri.item_key] as items,
        true as upcoming
    from int_upcoming_releases as u
    join int_release_items as ri on ri.release_source = u.source and ri.project = u.project and ri.release = u.release
    join int_item_risk as k on k.source = ri.source and k.item_key = ri.item_key
    where ri.status_category <> 'cancelled'
        and k.endorsement_required
        and not k.endorsed
)

select * from packaging
union all
select * from freeze_changes
union all
select * from endorsement
