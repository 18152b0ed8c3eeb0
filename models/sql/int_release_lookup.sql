-- description: Which release an item's release name (a fix version, else a sprint: Azure DevOps
-- description: has no fix version, its iteration path names the release) means, for every name
-- description: an item or its fix-version history gives. Names match case-insensitive and trimmed.
-- description: A release of the item's own project wins. Where the item's project has no release
-- description: at all (its releases are filed under another key: a GitLab project's or an Azure
-- description: DevOps project's releases under a team key, a Linear team's under its GitHub
-- description: repository), a name that releases of exactly one project hold matches there. A name
-- description: held by several projects is ambiguous: one row with no release (mart_coverage,
-- description: release_membership, counts its items); a name no release holds has no row.
-- grain: one row per item project, name and release it matches (or ambiguous name)
-- column: version_key: the name, lowercased and trimmed
-- column: matched_by: project (a release of the item's project), name (the only project whose releases hold the name), ambiguous (several projects hold it; release null)
-- column: name_projects: how many projects' releases hold the name
-- test: unique(item_project, version_key, release_source, project, release)
-- test: accepted_values(matched_by: project, name, ambiguous)
-- test: expression((release is null) = (matched_by = 'ambiguous'))
with releases as (
    select source, project, release, lower(trim(release)) as version_key
    from stg_relscope__releases
),

names as (
    select version_key, count(distinct project) as name_projects
    from releases
    group by all
),

release_projects as (
    select distinct project, true as present from releases
),

item_names as (
    select distinct project, lower(trim(version)) as version_key
    from (
        select project, unnest(case when len(fix_versions) > 0 then fix_versions else sprints end) as version
        from stg_relscope__work_items
    )
    union
    select distinct w.project, lower(trim(v.version))
    from (
        select source, item_key, from_value as version from stg_relscope__transitions where field = 'fix_version'
        union all
        select source, item_key, to_value from stg_relscope__transitions where field = 'fix_version'
    ) as v
    join stg_relscope__work_items as w using (source, item_key)
    where v.version is not null
),

candidates as (
    select
        i.project as item_project,
        i.version_key,
        n.name_projects,
        coalesce(p.present, false) as project_has_releases,
        coalesce(o.present, false) as own_release
    from item_names as i
    join names as n using (version_key)
    -- (Joins to distinct keys, not correlated exists: DuckDB would decorrelate those by
    -- grouping every name's columns.)
    left join release_projects as p on p.project is not distinct from i.project
    left join (select distinct version_key, project, true as present from releases) as o
        on o.version_key = i.version_key and o.project is not distinct from i.project
)

select c.item_project, c.version_key, r.source as release_source, r.project, r.release,
    case when c.own_release then 'project' else 'name' end as matched_by,
    c.name_projects
from candidates as c
join releases as r
    on r.version_key = c.version_key
    and (
        (c.own_release and r.project is not distinct from c.item_project)
        or (not c.own_release and not c.project_has_releases and c.name_projects = 1)
    )
union all
select c.item_project, c.version_key, null, null, null, 'ambiguous', c.name_projects
from candidates as c
where not c.own_release and not c.project_has_releases and c.name_projects > 1
