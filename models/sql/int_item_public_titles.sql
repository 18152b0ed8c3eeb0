-- description: The public title of every public item a release holds (int_release_items): the first of the
-- description: configured release-note fields (release_log.title_fields) holding text in the item's
-- description: export record, else the item's summary. Each field is looked up under the keys exports
-- description: give it: as written, as a native CSV column (lowercase, spaces as underscores), as a Jira
-- description: CSV "Custom field (NAME)", and among a Jira JSON issue's fields (by id, e.g. customfield_10050).
-- description: Only public items' records are read.
-- grain: one row per public item a release holds (source, item_key)
-- column: public_title: the release note, else the summary (never null: "(untitled)" when both are empty)
-- column: title_source: release_note (a configured field) or summary
-- test: unique(source, item_key)
-- test: not_null(public_title, title_source)
-- test: accepted_values(title_source: release_note, summary)
with items as (
    select w.source, w.item_key, w.title
    from stg_relscope__work_items as w
    where w.is_public
        and exists (select 1 from int_release_items as ri where ri.source = w.source and ri.item_key = w.item_key)
),

field_keys as (
    select position * 4 as rank, field as json_key, false as under_fields
    from relscope_release_note_fields
    union all
    select position * 4 + 1, lower(replace(trim(field), ' ', '_')), false
    from relscope_release_note_fields
    union all
    select position * 4 + 2, 'Custom field (' || field || ')', false
    from relscope_release_note_fields
    union all
    select position * 4 + 3, field, true
    from relscope_release_note_fields
),

-- A JSON pointer per key (~ and / escaped as RFC 6901 says), the same pointer only once (at
-- its best rank: a later copy can only give the same value). The key itself is a cheap text
-- test before the record is parsed (a record holding the key holds its text); a key JSON
-- would write escaped is always parsed.
paths as (
    select
        min(rank) as rank,
        any_value(json_key) as needle,
        regexp_matches(any_value(json_key), '["\\<>&]|[^\x20-\x7e]') as always_parse,
        path
    from (
        select rank, json_key, case when under_fields then '/fields/' else '/' end
            || replace(replace(json_key, '~', '~0'), '/', '~1') as path
        from field_keys
    )
    group by path
),

-- Each record is parsed once per key it may hold; what is tested after is the small value.
found as (
    select i.source, i.item_key, p.rank, json_extract(w.raw, p.path) as v
    from items as i
    join work_items as w on w.source = i.source and w.item_key = i.item_key
    cross join paths as p
    where p.always_parse or contains(w.raw, p.needle)
),

notes as (
    select source, item_key, arg_min(trim(v ->> '$'), rank) as note
    from found
    where json_type(v) = 'VARCHAR' and trim(v ->> '$') <> ''
    group by all
),

final as (
    select
        i.source,
        i.item_key,
        coalesce(n.note, nullif(trim(i.title), ''), '(untitled)') as public_title,
        case when n.note is not null then 'release_note' else 'summary' end as title_source
    from items as i
    left join notes as n using (source, item_key)
)

select * from final
