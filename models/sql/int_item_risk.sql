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
-- The rules are matched once per kind of item (its labels, components, type and priority:
-- thousands where there are hundreds of thousands of items), then joined back to the items;
-- an item's rule is the first its kind or its risk fields (int_item_evidence) match.
with kinds as (
    select distinct labels, components, item_type, priority from int_item_tags
),

kind_rules as (
    select k.labels, k.components, k.item_type, k.priority, min(r.rule_order) as rule_order
    from kinds as k
    join relscope_risk_rules as r
        on list_has_any(k.labels, r.labels)
        or list_has_any(k.components, r.components)
        or list_contains(r.types, k.item_type)
        or list_contains(r.priorities, k.priority)
    group by all
),

field_rules as (
    select source, item_key, min(rule_order) as rule_order
    from int_item_evidence
    where purpose = 'risk'
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
from int_item_tags as i
cross join relscope_governance as g
left join kind_rules as kr
    on kr.labels is not distinct from i.labels and kr.components is not distinct from i.components
    and kr.item_type is not distinct from i.item_type and kr.priority is not distinct from i.priority
left join field_rules as fr using (source, item_key)
left join relscope_risk_rules as r on r.rule_order = least(kr.rule_order, fr.rule_order)
left join evidence as e using (source, item_key)
