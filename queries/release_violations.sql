-- name: release_violations :many
-- description: What breaks a release's rules: packaging classes over their maximum, items added
-- description: after the freeze (violations, and the allowed critical-defect exceptions), and items
-- description: awaiting endorsement — newest releases first.
-- param: release = % release name, or a LIKE pattern
-- param: kind = % packaging, freeze_violation, freeze_exception, needs_endorsement, or a LIKE pattern
select
    release,
    team,
    kind,
    item_key,
    detail,
    "at" as added_at,
    "by" as added_by,
    upcoming
from mart_release_violations
where release ilike $release
    and kind like $kind
order by upcoming desc, release desc, kind, item_key
