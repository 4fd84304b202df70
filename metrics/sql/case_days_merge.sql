-- case_days after an incremental import: the live counts, minus the replaced cases, plus
-- the imported cases (each counted by case_days.sql over those cases alone).
CREATE OR REPLACE TABLE import_next.case_days AS
SELECT * FROM (
    SELECT day, sum(accepted * sign)::BIGINT AS accepted, sum(ended * sign)::BIGINT AS ended,
        sum(rated * sign)::BIGINT AS rated
    FROM (
        SELECT *, 1 AS sign FROM main.case_days
        UNION ALL BY NAME SELECT *, -1 AS sign FROM import_removed.case_days
        UNION ALL BY NAME SELECT *, 1 AS sign FROM import_added.case_days
    )
    GROUP BY day
)
WHERE accepted <> 0 OR ended <> 0 OR rated <> 0
ORDER BY day;
