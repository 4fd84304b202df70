-- The catalogue on the period's last day, each item with its entry status.
-- Parameters: $end (date), $all_depts (bool), $depts (list).
SELECT
    dept, item_code, item_name, item_type, statutory_limit_days, promised_limit_days,
    must_enter, exempt, entered_on, online_enabled_on, retired_on,
    (retired_on IS NULL OR retired_on > $end)                        AS active,
    must_enter AND NOT exempt AND (retired_on IS NULL OR retired_on > $end) AS in_entry_base,
    entered_on <= $end                                               AS entered,
    online_enabled_on <= $end                                        AS online_enabled
FROM catalogue
WHERE ($all_depts OR list_contains($depts::VARCHAR[], dept))
ORDER BY dept, item_code;
