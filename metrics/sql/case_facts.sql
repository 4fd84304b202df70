-- Each case with what the working-day calendar says about it (spec 2).
-- A view, so drill-downs and the daily aggregates apply the same rules.
CREATE OR REPLACE VIEW case_facts AS
WITH dated AS (
    SELECT c.*,
        CAST(c.accepted_at AS DATE)  AS accepted_date,
        CAST(c.completed_at AS DATE) AS completed_date,
        ca.workday_no                AS accepted_workday_no,
        cc.workday_no                AS completed_workday_no,
        -- due_at wins over promised_limit_days; a due_at at 00:00:00 means the end of that day.
        CASE
            WHEN c.due_at IS NOT NULL THEN CAST(c.due_at AS DATE)
            WHEN c.promised_limit_days IS NULL THEN NULL
            WHEN c.item_type = 'instant' OR c.promised_limit_days = 0 THEN CAST(c.accepted_at AS DATE)
            ELSE due.day
        END AS due_date,
        CASE
            WHEN c.due_at IS NOT NULL AND c.due_at = date_trunc('day', c.due_at) THEN c.due_at + INTERVAL 1 DAY
            WHEN c.due_at IS NOT NULL THEN c.due_at
        END AS due_at_deadline
    FROM cases c
    JOIN calendar ca ON ca.day = CAST(c.accepted_at AS DATE)
    LEFT JOIN calendar cc ON cc.day = CAST(c.completed_at AS DATE)
    LEFT JOIN workdays due ON due.workday_no = ca.workday_no + c.promised_limit_days
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
