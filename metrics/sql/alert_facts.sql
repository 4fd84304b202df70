-- The facts the integrity alerts test (metrics/alerts.py, docs/alerts.md), one row per case:
-- the case as `case_facts` states it, plus what the calendar and the office hours say
-- about its times. A rule selects its period's cases and its base from these columns.
-- Parameters: $office_opens, $office_closes (times of day).
SELECT f.*,
    date_diff('second', f.accepted_at, f.completed_at)                  AS seconds_to_complete,
    NOT acal.is_workday                                                 AS accepted_on_rest_day,
    CAST(f.accepted_at AS TIME) NOT BETWEEN $office_opens AND $office_closes AS accepted_off_hours,
    -- The deadline falls at the end of the due date; the last working day on or before it
    -- is the working day whose number the due date carries (a rest day carries the number
    -- of the working day before it, metrics/calendar.py).
    lw.day                                                              AS last_workday_by_due,
    -- Working days from acceptance to the due date (acceptance day not counted).
    dcal.workday_no - f.accepted_workday_no                             AS workdays_allowed,
    coalesce(f.rated_at, f.completed_at)                                AS rating_time
FROM case_facts f
LEFT JOIN calendar acal ON acal.day = f.accepted_date
LEFT JOIN calendar dcal ON dcal.day = f.due_date
LEFT JOIN workdays lw ON lw.workday_no = dcal.workday_no
