-- Rendered by metrics/render.py (python -m metrics.render): do not edit by hand.
-- DuckDB SQL; the same rules for Apache Spark: metrics/sql/spark/case_facts.sql.
-- Each case with what the working-day calendar says about it (spec 2).
-- A view, so drill-downs and the daily aggregates apply the same rules.
CREATE OR REPLACE VIEW case_facts AS
WITH cal AS (
    -- The calendar as two arrays: a day's working-day number by the day's offset from the
    -- first day, and the n-th working day by its number. Array lookups run several times
    -- faster than joins over tens of millions of cases (bench/engine.py).
    SELECT list(workday_no ORDER BY day) AS workday_no_of, min(day) AS first_day FROM calendar
),
wd AS (
    SELECT list(day ORDER BY workday_no) AS workday_by_no FROM workdays
),
dated AS (
    SELECT c.*,
        CAST(c.accepted_at AS DATE)  AS accepted_date,
        CAST(c.completed_at AS DATE) AS completed_date,
        cal.workday_no_of[CAST(c.accepted_at AS DATE) - cal.first_day + 1]  AS accepted_workday_no,
        cal.workday_no_of[CAST(c.completed_at AS DATE) - cal.first_day + 1] AS completed_workday_no,
        -- due_at wins over promised_limit_days; a due_at at 00:00:00 means the end of that day.
        CASE
            WHEN c.due_at IS NOT NULL THEN CAST(c.due_at AS DATE)
            WHEN c.promised_limit_days IS NULL THEN NULL
            WHEN c.item_type = 'instant' OR c.promised_limit_days = 0 THEN CAST(c.accepted_at AS DATE)
            -- the promised_limit_days-th working day after the acceptance date
            ELSE wd.workday_by_no[cal.workday_no_of[CAST(c.accepted_at AS DATE) - cal.first_day + 1]
                                  + c.promised_limit_days]
        END AS due_date,
        CASE
            WHEN c.due_at IS NOT NULL AND c.due_at = date_trunc('day', c.due_at) THEN c.due_at + INTERVAL 1 DAY
            WHEN c.due_at IS NOT NULL THEN c.due_at
        END AS due_at_deadline
    FROM cases c, cal, wd
)
SELECT * EXCLUDE (due_at_deadline),
    -- Working days d with accepted_date < d <= completed_date.
    completed_workday_no - accepted_workday_no AS elapsed_workdays,
    coalesce(due_at_deadline, CAST(due_date AS TIMESTAMP) + INTERVAL 1 DAY) AS deadline,
    status = 'completed' AS is_completion,
    status = 'completed' AND item_type = 'committed'
        AND (promised_limit_days >= 1 OR due_at IS NOT NULL)                 AS in_early_base,
    status = 'completed' AND completed_date < due_date                       AS is_early,
    status = 'completed' AND completed_at <= coalesce(due_at_deadline, CAST(due_date AS TIMESTAMP) + INTERVAL 1 DAY) AS is_on_time
FROM dated;
