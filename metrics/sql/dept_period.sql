-- Numerators and denominators of every case measure, per department, for one period.
-- Parameters: $start, $end (dates, inclusive).
WITH in_period AS (
    SELECT dept, sum(COLUMNS(* EXCLUDE (dept, day, open_overdue_delta)))
    FROM dept_daily
    WHERE day BETWEEN $start AND $end
    GROUP BY dept
),
open_overdue AS (
    -- A running count: every event up to the period's last day.
    SELECT dept, sum(open_overdue_delta) AS open_overdue_cases
    FROM dept_daily
    WHERE day <= $end
    GROUP BY dept
)
-- A department with only old cases still open and overdue is kept: they count too.
SELECT
    dept,
    coalesce(COLUMNS(p.* EXCLUDE (dept)), 0),
    coalesce(p.deadline_cases - p.on_time_cases, 0) AS overdue_cases,
    coalesce(o.open_overdue_cases, 0) AS open_overdue_cases
FROM in_period p
FULL OUTER JOIN open_overdue o USING (dept)
ORDER BY dept;
