-- description: Each item's risk tier and the governance evidence it carries. The tier comes from
-- description: the first configured risk rule (relscope_risk_rules, in order) the item matches —
-- description: by label, component, type, priority or raw field — else priority.default_tier.
-- description: A regulated rule's items need its sign-off (label or field). Endorsement, rollback
-- description: criteria and test evidence are the configured labels or non-empty fields.
-- grain: one row per work item (source, item_key)
-- column: risk_rule: name of the risk rule that gave the tier (null: the default tier)
-- column: regulated: the tier comes from a regulated rule (GDPR/HIPAA/SOX/PCI by default)
-- column: has_signoff: the item carries its regulated rule's sign-off (null when not regulated)
-- column: endorsement_required: the tier is one of endorsement.tiers
-- column: endorsed: the item carries a configured endorsement label or field
-- column: has_rollback_criteria: the item carries a readiness.rollback_criteria label or field
-- column: has_test_evidence: the item carries a readiness.test_evidence label or field
-- test: unique(source, item_key)
-- test: not_null(risk_tier, endorsed)
-- test: expression(risk_tier between 1 and 4)
with items as (
    select * from int_item_tags
),

rule_hits as (
    select i.source, i.item_key, r.rule_order
    from items as i
    join relscope_risk_rules as r
        on list_has_any(i.labels, r.labels)
        or list_has_any(i.components, r.components)
        or list_contains(r.types, i.item_type)
        or list_contains(r.priorities, i.priority)
    union
    select source, item_key, rule_order
    from int_item_evidence
    where purpose = 'risk'
),

first_rule as (
    select source, item_key, min(rule_order) as rule_order
    from rule_hits
    group by all
),

evidence as (
    select
        source,
        item_key,
        bool_or(purpose = 'endorsement') as endorsement_field,
        bool_or(purpose = 'rollback_criteria') as rollback_field,
        bool_or(purpose = 'test_evidence') as test_field,
        list(rule_order) filter (where purpose = 'signoff') as signoff_rules
    from int_item_evidence
    where purpose <> 'risk'
    group by all
)

select
    i.source,
    i.item_key,
    coalesce(r.tier, g.default_tier) as risk_tier,
    r.name as risk_rule,
    coalesce(r.regulated, false) as regulated,
    case when r.regulated then
        coalesce(list_contains(i.labels, r.signoff_label), false)
        or coalesce(list_contains(e.signoff_rules, r.rule_order), false)
    end as has_signoff,
    list_contains(g.endorsement_tiers, coalesce(r.tier, g.default_tier)) as endorsement_required,
    list_has_any(i.labels, g.endorsement_labels) or coalesce(e.endorsement_field, false) as endorsed,
    list_has_any(i.labels, g.rollback_labels) or coalesce(e.rollback_field, false) as has_rollback_criteria,
    list_has_any(i.labels, g.test_evidence_labels) or coalesce(e.test_field, false) as has_test_evidence
from items as i
cross join relscope_governance as g
left join first_rule as fr using (source, item_key)
left join relscope_risk_rules as r on r.rule_order = fr.rule_order
left join evidence as e using (source, item_key)
