-- description: Open items (backlog, in progress, blocked) ranked by a WSJF-style score:
-- description: score = (business_value + time_criticality + risk_reduction) / size. Each component
-- description: comes from the item's own field where the export has one, else from the configured
-- description: rules (time criticality by priority, risk reduction by risk tier, size from hours or
-- description: a default) — every component and its basis is shown. A missing business value
-- description: counts 0. needs_endorsement: an item of an endorsement tier in an upcoming release
-- description: without a business owner's endorsement.
-- grain: one row per open work item (source, item_key)
-- column: risk_tier: 1 (regulatory/critical) to 4 (low), from the first matching risk rule (int_item_risk)
-- column: business_value_basis: field (the export's business value) or none (counted 0)
-- column: time_criticality: the export's time criticality, else the priority's configured weight
-- column: time_criticality_basis: field, priority, or none (counted 0)
-- column: risk_reduction: the export's risk reduction / opportunity enablement, else the tier's configured weight
-- column: risk_reduction_basis: field or tier
-- column: size: story points, else the hour estimate / priority.hours_per_point, else priority.default_size
-- column: size_basis: points, hours or default
-- column: cost_of_delay: business_value + time_criticality + risk_reduction (missing counted 0)
-- column: score: cost_of_delay / size; higher first
-- column: rank_in_team: 1 for the team's highest score (ties: lower tier, then key)
-- column: release: the earliest upcoming release holding the item (null: none)
-- column: release_planned_date: that release's planned date
-- test: unique(source, item_key)
-- test: not_null(item_key, team, risk_tier, time_criticality_basis, risk_reduction, size, score)
-- test: expression(size > 0)
-- test: expression(score >= 0)
-- test: accepted_values(business_value_basis: field, none)
-- test: accepted_values(time_criticality_basis: field, priority, none)
-- test: accepted_values(risk_reduction_basis: field, tier)
-- test: accepted_values(size_basis: points, hours, default)
with open_items as (
    select *
    from stg_relscope__work_items
    where status_category in ('backlog', 'in_progress', 'blocked')
),

components as (
    select
        w.source,
        w.item_key,
        w.team,
        w.project,
        w.item_type,
        w.title,
        w.status,
        w.status_category,
        w.priority,
        k.risk_tier,
        k.risk_rule,
        k.regulated,
        k.endorsement_required,
        k.endorsed,
        w.business_value,
        case when w.business_value is not null then 'field' else 'none' end as business_value_basis,
        coalesce(w.time_criticality, pw.time_criticality) as time_criticality,
        case
            when w.time_criticality is not null then 'field'
            when pw.time_criticality is not null then 'priority'
            else 'none'
        end as time_criticality_basis,
        coalesce(w.risk_reduction, tw.risk_reduction, 0) as risk_reduction,
        case when w.risk_reduction is not null then 'field' else 'tier' end as risk_reduction_basis,
        case
            when w.story_points > 0 then w.story_points
            when w.original_estimate_hours > 0 then w.original_estimate_hours / g.hours_per_point
            else g.default_size
        end as size,
        case
            when w.story_points > 0 then 'points'
            when w.original_estimate_hours > 0 then 'hours'
            else 'default'
        end as size_basis,
        um.upcoming_release as release,
        um.release_planned_date
    from open_items as w
    join int_item_risk as k using (source, item_key)
    cross join relscope_governance as g
    left join relscope_priority_weights as pw on pw.priority = lower(trim(w.priority))
    left join relscope_tier_weights as tw on tw.tier = k.risk_tier
    left join int_item_upcoming_release as um using (source, item_key)
),

scored as (
    select
        *,
        coalesce(business_value, 0) + coalesce(time_criticality, 0) + risk_reduction as cost_of_delay
    from components
)

select
    item_key,
    source,
    team,
    project,
    item_type,
    title,
    status,
    status_category,
    priority,
    risk_tier,
    risk_rule,
    regulated,
    business_value,
    business_value_basis,
    time_criticality,
    time_criticality_basis,
    risk_reduction,
    risk_reduction_basis,
    size,
    size_basis,
    cost_of_delay,
    round(cost_of_delay / size, 4) as score,
    row_number() over (partition by team order by cost_of_delay / size desc, risk_tier, item_key) as rank_in_team,
    release,
    release_planned_date,
    endorsement_required,
    endorsed,
    release is not null and endorsement_required and not endorsed as needs_endorsement
from scored
