-- name: release_log_settings :one
-- description: The public release log's site settings (relscope.yaml release_log): title, base URL
-- description: and feed author, with the as_of of the build.
select l.title, l.base_url, l.author, s.as_of
from relscope_release_log as l
cross join relscope_settings as s
