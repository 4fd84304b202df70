-- Every staged row of a case-log file ends in one place: a repeat, a rejection, or accepted.
-- Input: _import_staging (row_no + every canonical field as trimmed text, NULL when blank,
--        + has_control: whether a name holds a control character, metrics/control_chars.py),
--        _value_map (field, source, target) with the mapping file's values before the defaults.
-- Parameters: $formats (timestamp formats, tried in order).
-- visible(s): s with each control character as its Unicode control picture (U+2400 + code).
CREATE OR REPLACE TEMP MACRO visible(s) AS list_aggr(list_transform(string_split(s, ''), lambda c:
    CASE WHEN ord(c) < 32 THEN chr(9216 + ord(c)) WHEN ord(c) = 127 THEN chr(9249) ELSE c END), 'string_agg', '');
CREATE OR REPLACE TEMP TABLE _import_checked AS
WITH shared_ids AS (
    -- Nearly every case_id is unique: only rows that share one (or have none) need the
    -- full-row comparison below, which keeps the check fast on millions of rows.
    SELECT case_id FROM _import_staging WHERE case_id IS NOT NULL GROUP BY case_id HAVING count(*) > 1
),
suspects AS (
    SELECT * FROM _import_staging
    WHERE case_id IS NULL OR case_id IN (SELECT case_id FROM shared_ids)
),
marked AS (
    -- Identical repeats are set aside before any other check (spec 1.4).
    SELECT row_no,
        row_number() OVER (
            PARTITION BY case_id, dept, item_code, item_name, item_type, channel, accepted_at,
                         completed_at, statutory_limit_days, promised_limit_days, due_at,
                         window_signed, rating, rated_at, status
            ORDER BY row_no) > 1 AS is_repeat,
        case_id
    FROM suspects
),
conflicts AS (
    -- A case_id left on more than one row after repeats: its rows differ, all are rejected.
    SELECT case_id FROM marked
    WHERE NOT is_repeat AND case_id IS NOT NULL
    GROUP BY case_id HAVING count(*) > 1
),
repeats AS (
    SELECT row_no FROM marked WHERE is_repeat
),
kept AS (
    SELECT s.*, s.case_id IN (SELECT case_id FROM conflicts) AS id_conflict
    FROM _import_staging s
    WHERE s.row_no NOT IN (SELECT row_no FROM repeats)
),
coded AS (
    -- The coded fields and the time limits take a few values each: each combination of them
    -- is read once here, not on every row (the demo's 453,645 rows of 2026-09 hold 4,658).
    SELECT c.*,
        -- A whole number written with a decimal point ('5.0') is that integer.
        CASE WHEN regexp_full_match(c.statutory_limit_days, '\+?[0-9]{1,6}(\.0*)?')
             THEN CAST(regexp_extract(c.statutory_limit_days, '[0-9]+') AS INTEGER) END AS statutory_int,
        CASE WHEN regexp_full_match(c.promised_limit_days, '\+?[0-9]{1,6}(\.0*)?')
             THEN CAST(regexp_extract(c.promised_limit_days, '[0-9]+') AS INTEGER) END AS promised_int,
        vt.target AS item_type_v,
        CASE WHEN c.channel IS NULL THEN NULL ELSE coalesce(vc.target, 'other') END AS channel_v,
        vs.target AS status_v,
        vw.target AS window_v,
        vr.target AS rating_v
    FROM (SELECT DISTINCT item_type, channel, status, window_signed, rating, statutory_limit_days, promised_limit_days
          FROM kept) c
    LEFT JOIN _value_map vt ON vt.field = 'item_type'     AND vt.source = lower(regexp_replace(c.item_type, '^([0-9]+)\.0+$', '\1'))
    LEFT JOIN _value_map vc ON vc.field = 'channel'       AND vc.source = lower(c.channel)
    LEFT JOIN _value_map vs ON vs.field = 'status'        AND vs.source = lower(c.status)
    LEFT JOIN _value_map vw ON vw.field = 'window_signed' AND vw.source = lower(regexp_replace(c.window_signed, '^([0-9]+)\.0+$', '\1'))
    LEFT JOIN _value_map vr ON vr.field = 'rating'        AND vr.source = lower(regexp_replace(c.rating, '^([0-9]+)\.0+$', '\1'))
),
parsed AS (
    SELECT k.*,
        try_strptime(k.accepted_at, $formats)  AS accepted_ts,
        try_strptime(k.completed_at, $formats) AS completed_ts,
        try_strptime(k.due_at, $formats)       AS due_ts,
        try_strptime(k.rated_at, $formats)     AS rated_ts,
        c.statutory_int, c.promised_int, c.item_type_v, c.channel_v, c.status_v, c.window_v, c.rating_v
    FROM kept k
    JOIN coded c
      ON  c.item_type            IS NOT DISTINCT FROM k.item_type
      AND c.channel              IS NOT DISTINCT FROM k.channel
      AND c.status               IS NOT DISTINCT FROM k.status
      AND c.window_signed        IS NOT DISTINCT FROM k.window_signed
      AND c.rating               IS NOT DISTINCT FROM k.rating
      AND c.statutory_limit_days IS NOT DISTINCT FROM k.statutory_limit_days
      AND c.promised_limit_days  IS NOT DISTINCT FROM k.promised_limit_days
)
SELECT
    -- Only what the upsert needs: the raw text of a bad value travels inside `problem`.
    row_no, case_id, dept, item_code, item_name, accepted_ts, completed_ts, due_ts, rated_ts,
    statutory_int, promised_int, item_type_v, channel_v, status_v, window_v, rating_v,
    -- The first failing check, in this order, is the row's one reason.
    CASE
        WHEN id_conflict THEN {'field': 'case_id', 'value': case_id, 'reason': 'duplicate_case_id'}
        -- A NUL, line break or other control character inside a key makes a look-alike of
        -- another department, item or case ("甲局" and "甲局<NUL>"). Shown as its control
        -- picture (␀, ␊ …) so the rejects file and the pages carry no raw control character.
        WHEN has_control AND regexp_matches(case_id, '[\x00-\x1f\x7f]') THEN {'field': 'case_id', 'value': visible(case_id), 'reason': 'control_character'}
        WHEN has_control AND regexp_matches(dept, '[\x00-\x1f\x7f]') THEN {'field': 'dept', 'value': visible(dept), 'reason': 'control_character'}
        WHEN has_control AND regexp_matches(item_code, '[\x00-\x1f\x7f]') THEN {'field': 'item_code', 'value': visible(item_code), 'reason': 'control_character'}
        -- A descriptive item name may run over lines in a spreadsheet cell: tab, CR and LF pass there.
        WHEN has_control AND regexp_matches(item_name, '[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]') THEN {'field': 'item_name', 'value': visible(item_name), 'reason': 'control_character'}
        WHEN case_id IS NULL THEN {'field': 'case_id', 'value': NULL, 'reason': 'missing_required'}
        WHEN dept IS NULL THEN {'field': 'dept', 'value': NULL, 'reason': 'missing_required'}
        WHEN accepted_at IS NULL THEN {'field': 'accepted_at', 'value': NULL, 'reason': 'missing_required'}
        WHEN accepted_ts IS NULL THEN {'field': 'accepted_at', 'value': accepted_at, 'reason': 'bad_timestamp'}
        WHEN completed_at IS NOT NULL AND completed_ts IS NULL THEN {'field': 'completed_at', 'value': completed_at, 'reason': 'bad_timestamp'}
        WHEN due_at IS NOT NULL AND due_ts IS NULL THEN {'field': 'due_at', 'value': due_at, 'reason': 'bad_timestamp'}
        WHEN rated_at IS NOT NULL AND rated_ts IS NULL THEN {'field': 'rated_at', 'value': rated_at, 'reason': 'bad_timestamp'}
        -- '25-07-01' read with %Y is the year 25: the export wrote two digits of the year.
        WHEN year(accepted_ts) < 100 AND regexp_matches(accepted_at, '^[0-9]{1,2}[^0-9]') THEN {'field': 'accepted_at', 'value': accepted_at, 'reason': 'two_digit_year'}
        WHEN year(completed_ts) < 100 AND regexp_matches(completed_at, '^[0-9]{1,2}[^0-9]') THEN {'field': 'completed_at', 'value': completed_at, 'reason': 'two_digit_year'}
        WHEN year(due_ts) < 100 AND regexp_matches(due_at, '^[0-9]{1,2}[^0-9]') THEN {'field': 'due_at', 'value': due_at, 'reason': 'two_digit_year'}
        WHEN year(rated_ts) < 100 AND regexp_matches(rated_at, '^[0-9]{1,2}[^0-9]') THEN {'field': 'rated_at', 'value': rated_at, 'reason': 'two_digit_year'}
        -- Years a case log cannot mean (a 9999-12-31 "no deadline" sentinel, a 0001 default) would
        -- break every working-day count: the clerk decides what they stand for.
        WHEN year(accepted_ts) NOT BETWEEN 1900 AND 2100 THEN {'field': 'accepted_at', 'value': accepted_at, 'reason': 'timestamp_out_of_range'}
        WHEN year(completed_ts) NOT BETWEEN 1900 AND 2100 THEN {'field': 'completed_at', 'value': completed_at, 'reason': 'timestamp_out_of_range'}
        WHEN year(due_ts) NOT BETWEEN 1900 AND 2100 THEN {'field': 'due_at', 'value': due_at, 'reason': 'timestamp_out_of_range'}
        WHEN year(rated_ts) NOT BETWEEN 1900 AND 2100 THEN {'field': 'rated_at', 'value': rated_at, 'reason': 'timestamp_out_of_range'}
        -- A completion date without a time (办结日期, or an Excel date cell read as 00:00:00) on
        -- the acceptance day is not "before" it: only a date, it cannot be earlier that day.
        WHEN completed_ts < accepted_ts
             AND NOT (completed_ts = date_trunc('day', completed_ts)
                      AND CAST(completed_ts AS DATE) = CAST(accepted_ts AS DATE))
            THEN {'field': 'completed_at', 'value': completed_at, 'reason': 'completed_before_accepted'}
        WHEN statutory_limit_days IS NOT NULL AND statutory_int IS NULL THEN {'field': 'statutory_limit_days', 'value': statutory_limit_days, 'reason': 'bad_time_limit'}
        WHEN promised_limit_days IS NOT NULL AND promised_int IS NULL THEN {'field': 'promised_limit_days', 'value': promised_limit_days, 'reason': 'bad_time_limit'}
        WHEN rating IS NOT NULL AND rating_v IS NULL THEN {'field': 'rating', 'value': rating, 'reason': 'bad_rating'}
        WHEN item_type IS NOT NULL AND item_type_v IS NULL THEN {'field': 'item_type', 'value': item_type, 'reason': 'bad_value'}
        WHEN status IS NOT NULL AND status_v IS NULL THEN {'field': 'status', 'value': status, 'reason': 'bad_value'}
        WHEN window_signed IS NOT NULL AND window_v IS NULL THEN {'field': 'window_signed', 'value': window_signed, 'reason': 'bad_value'}
        WHEN status_v = 'completed' AND completed_ts IS NULL THEN {'field': 'status', 'value': status, 'reason': 'completed_without_completed_at'}
    END AS problem
FROM parsed;
