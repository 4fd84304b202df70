-- How many cases start (are accepted) and how many end (their last date: acceptance,
-- completion, due date or rating) in each year. The years from the first start to the last
-- end are the years the store uses; the calendar warns when holiday data lacks one of them.
-- Kept as counts, so that an import can add and remove its cases (case_years_merge.sql)
-- instead of reading every case again.
CREATE OR REPLACE TABLE case_years AS
SELECT year, sum(first_cases)::BIGINT AS first_cases, sum(last_cases)::BIGINT AS last_cases
FROM (
    SELECT year(accepted_date) AS year, count(*) AS first_cases, 0 AS last_cases
    FROM case_facts GROUP BY ALL
    UNION ALL BY NAME
    SELECT year(greatest(accepted_date, completed_date, due_date, CAST(rated_at AS DATE))) AS year,
        count(*) AS last_cases, 0 AS first_cases
    FROM case_facts GROUP BY ALL
)
GROUP BY year
ORDER BY year;
