-- This import's accepted rows as cases, in `_import_new_cases` (shaped like `cases`; made by
-- metrics/aggregates.create_next_cases, in memory when the import updates); the stored
-- versions they replace are found next (metrics/aggregates.find_replaced). Missing
-- item_type and time limits come from the catalogue before the default rules (spec 1.1).
-- Parameters: $import_id.
INSERT INTO _import_new_cases BY NAME
WITH filled AS (
    SELECT c.*,
        coalesce(c.statutory_int, cat.statutory_limit_days) AS statutory_f,
        coalesce(c.promised_int, cat.promised_limit_days)   AS promised_f,
        coalesce(c.item_type_v, cat.item_type)              AS item_type_f
    FROM _import_checked c
    LEFT JOIN catalogue cat ON cat.item_code = c.item_code
    WHERE c.problem IS NULL
)
SELECT
    case_id, dept, item_code, item_name,
    -- Spec 1.1: without an item type, a promise of 0 days means instant and anything else committed.
    coalesce(item_type_f, CASE WHEN promised_f = 0 THEN 'instant' ELSE 'committed' END) AS item_type,
    channel_v AS channel,
    accepted_ts AS accepted_at,
    -- A date-only completion on the acceptance day is taken as done at acceptance, not at 00:00.
    CASE WHEN completed_ts < accepted_ts THEN accepted_ts ELSE completed_ts END AS completed_at,
    statutory_f AS statutory_limit_days,
    promised_f AS promised_limit_days,
    due_ts AS due_at,
    CAST(window_v AS BOOLEAN) AS window_signed,
    CAST(rating_v AS TINYINT) AS rating,
    rated_ts AS rated_at,
    coalesce(status_v, CASE WHEN completed_ts IS NOT NULL THEN 'completed' ELSE 'in_progress' END) AS status,
    CAST($import_id AS INTEGER) AS import_id,
    row_no AS source_row
FROM filled;
