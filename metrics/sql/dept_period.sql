-- Rendered from metrics/registry.py by metrics/render.py: do not edit by hand.
-- Numerators and denominators of every case measure, per department, for one or more periods.
-- Parameters: $starts, $ends (lists of dates, inclusive): period i runs from $starts[i] to $ends[i].
-- Asking for several periods at once (a ranking and its previous period) costs one scan.
WITH periods AS (
    SELECT generate_subscripts($starts, 1) AS period_no, unnest($starts) AS first_day, unnest($ends) AS last_day
),
in_period AS (
    SELECT period_no, dept, sum(COLUMNS(d.* EXCLUDE (dept, day, open_overdue_cases_delta)))
    FROM periods
    JOIN dept_daily d ON d.day BETWEEN first_day AND last_day
    GROUP BY period_no, dept
),
period_end AS (
    -- A running count: every event up to the period's last day.
    SELECT period_no, dept, sum(open_overdue_cases_delta) AS open_overdue_cases
    FROM periods
    JOIN dept_daily d ON d.day <= last_day
    GROUP BY period_no, dept
)
-- A department with only old cases still open and overdue is kept: they count too.
SELECT
    period_no,
    dept,
    coalesce(COLUMNS(p.* EXCLUDE (period_no, dept)), 0),
    coalesce(e.open_overdue_cases, 0) AS open_overdue_cases
FROM in_period p
FULL OUTER JOIN period_end e USING (period_no, dept)
ORDER BY period_no, dept;
