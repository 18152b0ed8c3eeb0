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
    semi join int_release_items as ri on ri.source = w.source and ri.item_key = w.item_key
    where w.is_public
),

-- The note of each item's export record (relscope_release_note, written with the settings:
-- each record parsed once, for every configured field, and only when it holds one's name).
notes as (
    select i.source, i.item_key, i.title, relscope_release_note(w.raw) as note
    from items as i
    left join work_items as w on w.source = i.source and w.item_key = i.item_key
)

select
    source,
    item_key,
    coalesce(note, nullif(trim(title), ''), '(untitled)') as public_title,
    case when note is not null then 'release_note' else 'summary' end as title_source
from notes
