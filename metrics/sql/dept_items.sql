-- One department's items in a period: volumes by acceptance, timeliness by completion.
-- Parameters: $start, $end (dates), $dept.
WITH f AS (
    SELECT * FROM case_facts WHERE dept = $dept
),
accepted AS (
    SELECT coalesce(item_code, '') AS item_code, any_value(item_name) AS item_name, count(*) AS cases
    FROM f WHERE accepted_date BETWEEN $start AND $end
    GROUP BY 1
),
completed AS (
    SELECT coalesce(item_code, '') AS item_code, any_value(item_name) AS item_name,
        count(*)                                              AS completed_cases,
        count(*) FILTER (WHERE in_early_base AND is_early)    AS early_cases,
        count(*) FILTER (WHERE in_early_base)                 AS early_base,
        count(*) FILTER (WHERE deadline IS NOT NULL AND NOT is_on_time) AS overdue_cases,
        avg(elapsed_workdays)                                 AS avg_actual_days,
        1 - sum(elapsed_workdays) FILTER (WHERE statutory_limit_days >= 1)
            / nullif(sum(statutory_limit_days) FILTER (WHERE statutory_limit_days >= 1), 0) AS time_compression
    FROM f WHERE is_completion AND completed_date BETWEEN $start AND $end
    GROUP BY 1
)
SELECT
    nullif(item_code, '') AS item_code,
    coalesce(a.item_name, c.item_name) AS item_name,
    coalesce(a.cases, 0) AS cases,
    coalesce(c.completed_cases, 0) AS completed_cases,
    coalesce(c.early_cases, 0) AS early_cases,
    c.early_cases / nullif(c.early_base, 0) AS early_completion_rate,
    coalesce(c.overdue_cases, 0) AS overdue_cases,
    c.avg_actual_days,
    c.time_compression
FROM accepted a
FULL OUTER JOIN completed c USING (item_code)
ORDER BY cases DESC, completed_cases DESC, item_code;
