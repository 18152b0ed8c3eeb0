-- description: Each item's packaging class (feature, fix, infrastructure, or a configured name):
-- description: the first configured class (relscope_packaging_classes, in order) whose types, when
-- description: given, include the item's type, and whose labels or components, when either is given,
-- description: include one of the item's. Items matching none are "other".
-- grain: one row per work item (source, item_key)
-- test: unique(source, item_key)
-- test: not_null(packaging_class)
with items as (
    select * from int_item_tags
),

hits as (
    select i.source, i.item_key, min(c.rule_order) as rule_order
    from items as i
    join relscope_packaging_classes as c
        on (len(c.types) = 0 or list_contains(c.types, i.item_type))
        and ((len(c.labels) = 0 and len(c.components) = 0)
            or list_has_any(i.labels, c.labels)
            or list_has_any(i.components, c.components))
    group by all
)

select
    i.source,
    i.item_key,
    coalesce(c.class, 'other') as packaging_class
from items as i
left join hits as h using (source, item_key)
left join relscope_packaging_classes as c on c.rule_order = h.rule_order
