-- name: release_log_items :many
-- description: What the public release log publishes of each item: key, type, category, public title
-- description: and release — a released release's changes and known issues, and the finished items of
-- description: upcoming releases (what is planned but not done is never published).
-- param: team = % a team's exact name; % for every team
select
    release,
    project,
    release_source,
    item_key,
    item_type,
    category,
    public_title,
    is_highlight
from mart_release_log
where (release_status = 'released' or (release_status = 'upcoming' and is_done))
    and ($team = '%' or team = $team)
order by project, release, category, item_key
