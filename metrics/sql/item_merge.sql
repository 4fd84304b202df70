-- Rendered from metrics/registry.py by metrics/render.py: do not edit by hand.
-- item_daily after an incremental import (metrics/aggregates.py): for the keys the import
-- touches, the live rows, minus the parts the replaced versions of re-imported cases
-- contributed (import_removed), plus the parts of the imported cases (import_added), each
-- computed by item_daily.sql over those cases alone. Every part is a count or a sum, so the
-- result equals a rebuild from all cases; a key left with every part 0 holds no case any
-- more and goes, as a rebuild would not write it.
CREATE OR REPLACE TABLE import_next.item_daily_touched AS
SELECT DISTINCT dept, day FROM import_removed.item_daily
UNION SELECT DISTINCT dept, day FROM import_added.item_daily;
CREATE OR REPLACE TABLE import_next.item_daily AS
SELECT * FROM (
    SELECT dept, item_code, item_name, day, sum(COLUMNS(* EXCLUDE (dept, item_code, item_name, day, sign)) * sign)::BIGINT
    FROM (
        SELECT m.*, 1 AS sign FROM main.item_daily m
        WHERE EXISTS (SELECT 1 FROM import_next.item_daily_touched t WHERE t.dept IS NOT DISTINCT FROM m.dept AND t.day IS NOT DISTINCT FROM m.day)
        UNION ALL BY NAME SELECT *, -1 AS sign FROM import_removed.item_daily
        UNION ALL BY NAME SELECT *, 1 AS sign FROM import_added.item_daily
    )
    GROUP BY dept, item_code, item_name, day
)
WHERE accepted_cases <> 0
   OR accepted_online <> 0
   OR accepted_instant <> 0
   OR early_base <> 0
   OR early_cases <> 0
   OR completed_cases <> 0
   OR completed_rated <> 0
   OR compression_statutory <> 0
   OR compression_elapsed <> 0
   OR promise_statutory <> 0
   OR promise_promised <> 0
   OR elapsed_sum <> 0
   OR committed_promised_cases <> 0
   OR committed_promised_sum <> 0
   OR compression_cases <> 0
   OR window_known <> 0
   OR window_signed <> 0
   OR deadline_cases <> 0
   OR on_time_cases <> 0
   OR same_day_cases <> 0
   OR overdue_cases <> 0
   OR ratings <> 0
   OR ratings_satisfied <> 0
   OR rating_1 <> 0
   OR rating_2 <> 0
   OR rating_3 <> 0
   OR rating_4 <> 0
   OR rating_5 <> 0
ORDER BY dept, item_code, item_name, day;
