-- name: compliance_gaps :many
-- description: The audit register: production deployments without a change record, on an
-- description: unapproved change, without a back-out plan, with a mismatched configuration item,
-- description: not promoted through the lower environments, or shipping regulated items without
-- description: sign-off — and the emergency changes, listed — over the last N days up to as_of.
-- param: team = % a team's exact name; % for every team
-- param: gap_type = % one gap type (see mart_compliance_gaps), or a LIKE pattern
-- param: days = 90 how many days back from as_of
select
    g.finished_at,
    g.team,
    g.service,
    g.deployment_id,
    g.version,
    g.gap_type,
    g.is_gap,
    g.change_id,
    g.item_key,
    g.detail
from mart_compliance_gaps as g
cross join relscope_settings as s
where ($team = '%' or g.team = $team)
    and g.gap_type like $gap_type
    and g.finished_at > s.as_of - to_days($days::integer)
order by g.finished_at desc, g.deployment_id, g.gap_type
