-- name: build_settings :one
-- description: The settings the last build measured with: as_of (the "now" of every age), the
-- description: incident attribution window, freeze days, the DORA bands' report year and the
-- description: forecast window. Every report prints them.
select
    as_of,
    attribution_window_hours,
    freeze_days,
    dora_bands,
    forecast_window_days
from relscope_settings
