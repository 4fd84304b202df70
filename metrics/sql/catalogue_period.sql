-- Rendered from metrics/registry.py by metrics/render.py: do not edit by hand.
-- Catalogue measures per department, as the catalogue stood on each period's last day.
-- Parameters: $ends (list of dates): period i ends on $ends[i].
WITH periods AS (
    SELECT generate_subscripts($ends, 1) AS period_no, unnest($ends) AS last_day
)
SELECT
    period_no,
    dept,
    count(*) FILTER (WHERE must_enter AND NOT exempt) AS entry_base,  -- entry_rate
    count(*) FILTER (WHERE must_enter AND NOT exempt AND entered_on <= last_day) AS entered_items,  -- entry_rate
    count(*) AS active_items,                                     -- entry_rate
    count(*) FILTER (WHERE entered_on <= last_day) AS inclusion_base,  -- online_inclusion_rate
    count(*) FILTER (WHERE entered_on <= last_day AND online_enabled_on <= last_day) AS online_items  -- online_inclusion_rate
FROM periods
-- An item counts while it is not yet retired on the period's last day.
JOIN catalogue c ON retired_on IS NULL OR retired_on > last_day
WHERE dept IS NOT NULL
GROUP BY period_no, dept
ORDER BY period_no, dept;
