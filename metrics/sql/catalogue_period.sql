-- Catalogue measures per department, as the catalogue stood on the period's last day.
-- Parameters: $end (date).
WITH active AS (
    SELECT * FROM catalogue
    WHERE retired_on IS NULL OR retired_on > $end
)
SELECT
    dept,
    count(*)                                                              AS active_items,
    count(*) FILTER (WHERE must_enter AND NOT exempt)                     AS entry_base,
    count(*) FILTER (WHERE must_enter AND NOT exempt AND entered_on <= $end) AS entered_items,
    count(*) FILTER (WHERE entered_on <= $end)                            AS inclusion_base,
    count(*) FILTER (WHERE entered_on <= $end AND online_enabled_on <= $end) AS online_items
FROM active
WHERE dept IS NOT NULL
GROUP BY dept
ORDER BY dept;
