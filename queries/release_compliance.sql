-- name: release_compliance :many
-- description: The audit findings on one release's production deployments (mart_compliance_gaps
-- description: through mart_release_deployments): deployments without a change record, on an
-- description: unapproved change, without a back-out plan, with a mismatched configuration item,
-- description: not promoted through the lower environments, shipping regulated items without
-- description: sign-off — and its emergency changes, listed (is_gap false).
-- param: release = - the release name (case-insensitive)
-- param: project = % project key, or a LIKE pattern
select
    g.gap_type,
    g.is_gap,
    g.deployment_id,
    g.service,
    g.finished_at,
    g.change_id,
    g.item_key,
    g.detail
from mart_compliance_gaps as g
join mart_release_deployments as d
    on d.deployment_source = g.deployment_source and d.deployment_id = g.deployment_id
where lower(trim(d.release)) = lower(trim($release))
    and d.project like $project
order by g.is_gap desc, g.gap_type, g.finished_at, g.deployment_id, g.item_key
