-- case_years after an incremental import: the live counts, minus the replaced cases, plus
-- the imported cases (each counted by case_years.sql over those cases alone).
CREATE OR REPLACE TABLE import_next.case_years AS
SELECT * FROM (
    SELECT year, sum(first_cases * sign)::BIGINT AS first_cases, sum(last_cases * sign)::BIGINT AS last_cases
    FROM (
        SELECT *, 1 AS sign FROM main.case_years
        UNION ALL BY NAME SELECT *, -1 AS sign FROM import_removed.case_years
        UNION ALL BY NAME SELECT *, 1 AS sign FROM import_added.case_years
    )
    GROUP BY year
)
WHERE first_cases <> 0 OR last_cases <> 0
ORDER BY year;
