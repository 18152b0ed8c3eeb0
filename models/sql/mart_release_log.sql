-- description: The public release log: the public items of each release (public = is_public, see
-- description: DESIGN §3), with their public title (int_item_public_titles) and Keep a Changelog
-- description: category (release_log.categories: the first rule matching the item's type or a label, else
-- description: release_log.default_category). A released release lists its done items and its known
-- description: issues (whatever their status); an upcoming one every item planned for it (is_done says
-- description: which are finished). Cancelled items are never listed. Only key, type, public title and
-- description: release of these rows are ever published.
-- grain: one row per public item and release (release_source, project, release, source, item_key)
-- column: release_source: where the release came from (native, jira, github, ...); source is the item's
-- column: is_done: the item's status category is done
-- column: release_status: the release's status (int_release_status): released, upcoming, overdue, unscheduled
-- column: release_date: the UTC day the release shipped, else its planned date
-- column: rolled_back: the release's version was rolled back in production and not redeployed
-- column: category: Added, Changed, Deprecated, Removed, Fixed, Security or Known issues
-- column: public_title: the release-note field's text, else the summary
-- column: title_source: release_note or summary
-- column: is_highlight: the item carries one of release_log.highlight_labels
-- test: unique(release_source, project, release, source, item_key)
-- test: not_null(release, item_key, category, public_title, release_status, is_done, is_highlight)
-- test: accepted_values(category: Added, Changed, Deprecated, Removed, Fixed, Security, Known issues)
-- test: relationship(item_key -> work_items.item_key)
with public_items as (
    select
        w.source,
        w.item_key,
        w.project,
        w.item_type,
        w.status_category,
        list_transform(w.labels, l -> lower(trim(l))) as labels
    from stg_relscope__work_items as w
    where w.is_public and w.status_category <> 'cancelled'
),

-- One row per release and item: int_release_status and int_release_items are unique on
-- their keys (their tests fail the build otherwise), as is stg_relscope__work_items.
in_releases as (
    select
        rs.source as release_source,
        rs.project,
        rs.release,
        rs.status as release_status,
        rs.release_date,
        rs.rolled_back,
        i.source,
        i.item_key,
        i.item_type,
        i.status_category,
        i.labels
    from int_release_status as rs
    join int_release_items as ri on ri.release_source = rs.source and ri.project = rs.project and ri.release = rs.release
    join public_items as i on i.source = ri.source and i.item_key = ri.item_key
),

-- The category and highlight of each kind of item (its type and labels, of which there are
-- hundreds where there are hundreds of thousands of items), joined back to the items below.
kinds as (
    select distinct item_type, labels from in_releases
),

kind_categories as (
    select
        k.item_type,
        k.labels,
        coalesce(
            (select arg_min(c.category, c.position) from relscope_release_categories as c
                where c.item_type = lower(trim(k.item_type)) or list_contains(k.labels, c.label)),
            (select default_category from relscope_release_log)
        ) as category,
        exists (select 1 from relscope_highlight_labels as h where list_contains(k.labels, h.label)) as is_highlight
    from kinds as k
),

categorised as (
    select r.*, k.category, k.is_highlight
    from in_releases as r
    join kind_categories as k
        on k.item_type is not distinct from r.item_type and k.labels is not distinct from r.labels
),

-- Each release's team, resolved once per release (relscope_team is a lookup DuckDB would
-- otherwise decorrelate over every item row).
release_teams as (
    select rs.source as release_source, rs.project, rs.release, coalesce(h.team, relscope_team(rs.project)) as team
    from int_release_status as rs
    left join mart_release_health as h on h.source = rs.source and h.project = rs.project and h.release = rs.release
),

final as (
    select
        c.release,
        c.release_source,
        c.project,
        rt.team,
        c.release_status,
        c.release_date,
        c.rolled_back,
        c.source,
        c.item_key,
        c.item_type,
        c.category,
        t.public_title,
        t.title_source,
        c.status_category,
        c.status_category = 'done' as is_done,
        c.is_highlight
    from categorised as c
    join int_item_public_titles as t using (source, item_key)
    join release_teams as rt using (release_source, project, release)
    where c.status_category = 'done' or c.category = 'Known issues' or c.release_status <> 'released'
)

select * from final
