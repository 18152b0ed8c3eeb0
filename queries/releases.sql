-- name: releases :many
-- description: Every release with its project, team, dates and size: released ones newest first,
-- description: then the unreleased ones by planned date — the names `relscope brief --release` accepts.
select
    release,
    project,
    team,
    planned_date,
    released_at,
    is_released,
    items
from mart_release_health
order by released_at desc nulls last, planned_date nulls last, release, project
