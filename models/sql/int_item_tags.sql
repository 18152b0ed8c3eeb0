-- description: What the governance rules match items on, normalised once: labels, components,
-- description: type and priority, lowercased and trimmed (the settings tables hold lowercased
-- description: names too, so every rule is case-insensitive).
-- grain: one row per work item (source, item_key)
-- test: unique(source, item_key)
select
    source,
    item_key,
    list_transform(labels, lambda x: lower(trim(x))) as labels,
    list_transform(components, lambda x: lower(trim(x))) as components,
    lower(trim(item_type)) as item_type,
    lower(trim(priority)) as priority
from stg_relscope__work_items
