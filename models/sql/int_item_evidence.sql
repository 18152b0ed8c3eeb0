-- description: The configured raw-record fields each item carries (relscope_item_fields): for a
-- description: risk rule, a field holding one of its accepted values (any non-empty value when
-- description: none are listed); for a sign-off, endorsement, rollback criteria or test evidence,
-- description: any non-empty value. A field is read at the top of the record (CSV exports) or
-- description: under "fields" (Jira REST issues); a select field's object gives its value or name.
-- grain: one row per item, purpose and rule that a field satisfies
-- test: not_null(source, item_key, purpose)
-- test: accepted_values(purpose: risk, signoff, endorsement, rollback_criteria, test_evidence)
with lookups as (
    select
        r.source,
        r.item_key,
        f.purpose,
        f.rule_order,
        f.accepted,
        coalesce(json_extract(r.raw, f.pointers[1]), json_extract(r.raw, f.pointers[2])) as value
    from stg_relscope__work_item_records as r
    cross join relscope_item_fields as f
),

values_read as (
    select
        source,
        item_key,
        purpose,
        rule_order,
        accepted,
        lower(trim(case json_type(value)
            when 'OBJECT' then coalesce(value ->> 'value', value ->> 'name', value ->> 'displayName')
            when 'ARRAY' then case when json_array_length(value) > 0 then value::varchar end
            else value ->> '$'
        end)) as value
    from lookups
    where value is not null
)

select distinct source, item_key, purpose, rule_order
from values_read
where value is not null
    and value <> ''
    and (len(accepted) = 0 or list_contains(accepted, value))
