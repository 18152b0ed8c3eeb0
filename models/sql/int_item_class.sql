-- description: Each item's packaging class (feature, fix, infrastructure, or a configured name):
-- description: the first configured class (relscope_packaging_classes, in order) whose types, when
-- description: given, include the item's type, and whose labels or components, when either is given,
-- description: include one of the item's. Items matching none are "other".
-- grain: one row per work item (source, item_key)
-- test: unique(source, item_key)
-- test: not_null(packaging_class)
-- The rules are matched once per kind of item (its type, labels and components: thousands
-- where there are hundreds of thousands of items), then joined back to the items.
with kinds as (
    select distinct item_type, labels, components from int_item_tags
),

hits as (
    select k.item_type, k.labels, k.components, min(c.rule_order) as rule_order
    from kinds as k
    join relscope_packaging_classes as c
        on (len(c.types) = 0 or list_contains(c.types, k.item_type))
        and ((len(c.labels) = 0 and len(c.components) = 0)
            or list_has_any(k.labels, c.labels)
            or list_has_any(k.components, c.components))
    group by all
)

select
    i.source,
    i.item_key,
    coalesce(c.class, 'other') as packaging_class
from int_item_tags as i
left join hits as h
    on h.item_type is not distinct from i.item_type and h.labels is not distinct from i.labels
    and h.components is not distinct from i.components
left join relscope_packaging_classes as c on c.rule_order = h.rule_order
