-- name: release_items :many
-- description: What one release ships, as its readers may see it: its public items (only those:
-- description: is_public, DESIGN §3) by release-log category (Added, Changed, Fixed, Security …,
-- description: and Known issues) with their public title, highlights first; for an unreleased
-- description: release every public item planned for it, is_done saying which are finished.
-- param: release = - the release name (case-insensitive; @release_summary without it names the latest)
-- param: project = % project key, or a LIKE pattern
select
    l.category,
    l.item_key,
    l.item_type,
    l.public_title,
    l.is_done,
    l.is_highlight
from mart_release_log as l
where lower(trim(l.release)) = lower(trim($release))
    and l.project like $project
order by l.category = 'Known issues', l.category, not l.is_highlight, l.item_key
