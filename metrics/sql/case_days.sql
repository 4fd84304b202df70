-- How many cases were accepted, ended (any status with a completion time) and rated on each
-- day: what the data covers (its first day, the day it runs through, its case count, whether
-- a period holds any case) without reading every case. Kept as counts, so that an import adds and removes its own
-- cases (case_days_merge.sql), as case_years does.
CREATE OR REPLACE TABLE case_days AS
SELECT day, sum(accepted)::BIGINT AS accepted, sum(ended)::BIGINT AS ended, sum(rated)::BIGINT AS rated
FROM (
    SELECT CAST(accepted_at AS DATE) AS day, count(*) AS accepted, 0 AS ended, 0 AS rated
    FROM cases GROUP BY ALL
    UNION ALL BY NAME
    SELECT CAST(completed_at AS DATE) AS day, count(*) AS ended, 0 AS accepted, 0 AS rated
    FROM cases WHERE completed_at IS NOT NULL GROUP BY ALL
    UNION ALL BY NAME
    SELECT CAST(rated_at AS DATE) AS day, count(*) AS rated, 0 AS accepted, 0 AS ended
    FROM cases WHERE rated_at IS NOT NULL GROUP BY ALL
)
GROUP BY day
ORDER BY day;
