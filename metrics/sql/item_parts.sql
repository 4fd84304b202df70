-- Rendered from metrics/registry.py by metrics/render.py: do not edit by hand.
-- The parts of every case measure for one department's items in a period; the page
-- computes each item's figures from them as it does a department's. An item is its
-- code; where its cases carry more than one name, the name first in sort order is shown.
-- Parameters: $start, $end (dates), $dept.
SELECT item_code, min(item_name) AS item_name,
    sum(COLUMNS(* EXCLUDE (dept, item_code, item_name, day)))::BIGINT
FROM item_daily
WHERE dept = $dept AND day BETWEEN $start AND $end
GROUP BY item_code
ORDER BY accepted_cases DESC, completed_cases DESC, item_code;
