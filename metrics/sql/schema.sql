-- The store. Cases hold canonical values only: personal-data columns never reach it.
CREATE TABLE IF NOT EXISTS cases (
    case_id              VARCHAR NOT NULL,
    dept                 VARCHAR NOT NULL,
    item_code            VARCHAR,
    item_name            VARCHAR,
    item_type            VARCHAR,      -- instant | committed | NULL (unknown)
    channel              VARCHAR,      -- online | window | other | NULL
    accepted_at          TIMESTAMP NOT NULL,
    completed_at         TIMESTAMP,
    statutory_limit_days INTEGER,
    promised_limit_days  INTEGER,
    due_at               TIMESTAMP,
    window_signed        BOOLEAN,
    rating               TINYINT,
    rated_at             TIMESTAMP,
    status               VARCHAR NOT NULL,  -- completed | in_progress | rejected | withdrawn
    import_id            INTEGER NOT NULL,
    source_row           BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS catalogue (
    item_code            VARCHAR NOT NULL,
    item_name            VARCHAR,
    dept                 VARCHAR,
    item_type            VARCHAR,
    statutory_limit_days INTEGER,
    promised_limit_days  INTEGER,
    must_enter           BOOLEAN NOT NULL,
    exempt               BOOLEAN NOT NULL,
    entered_on           DATE,
    online_enabled_on    DATE,
    retired_on           DATE,
    import_id            INTEGER NOT NULL,
    source_row           BIGINT NOT NULL
);

-- One row per import attempt that committed; its ledger always balances:
-- rows_read = accepted + rejected + repeats.
CREATE TABLE IF NOT EXISTS imports (
    import_id     INTEGER PRIMARY KEY,
    kind          VARCHAR NOT NULL,    -- cases | catalogue
    file_name     VARCHAR NOT NULL,
    file_format   VARCHAR NOT NULL,
    encoding      VARCHAR,
    imported_at   TIMESTAMP NOT NULL,
    rows_read     BIGINT NOT NULL,
    accepted      BIGINT NOT NULL,
    rejected      BIGINT NOT NULL,
    repeats       BIGINT NOT NULL,
    inserted      BIGINT NOT NULL,
    updated       BIGINT NOT NULL,
    columns_used  VARCHAR NOT NULL,    -- JSON: canonical field -> source header
    columns_dropped VARCHAR NOT NULL,  -- JSON: header -> "personal data" | "not used"
    rejects_file  VARCHAR
);

CREATE TABLE IF NOT EXISTS rejects (
    import_id  INTEGER NOT NULL,
    file_name  VARCHAR NOT NULL,
    row_no     BIGINT NOT NULL,        -- the header is row 1
    field      VARCHAR NOT NULL,
    value      VARCHAR,
    reason     VARCHAR NOT NULL
);

-- Spec 10: each department's evaluation category, from the newest departments file naming it.
CREATE TABLE IF NOT EXISTS departments (
    dept       VARCHAR NOT NULL,
    category   VARCHAR NOT NULL,
    import_id  INTEGER NOT NULL,
    source_row BIGINT NOT NULL
);

-- Spec 10, publication (五公开): each revision of a period freezes its ranking table, the
-- centre's headline figures and the rules in force. Nothing here is case-level.
CREATE TABLE IF NOT EXISTS publications (
    period        VARCHAR NOT NULL,   -- 2025Q3, 2025-07, 2025, 2025-07-01..2025-09-30
    revision      INTEGER NOT NULL,   -- 1, 2, …: publishing again makes the next one
    published_at  TIMESTAMP NOT NULL,
    note          VARCHAR,
    rules         VARCHAR NOT NULL,   -- JSON: centre_name, weights, targets, grades, min_cases
    imports       VARCHAR NOT NULL,   -- JSON: the import ids the figures were computed from
    PRIMARY KEY (period, revision)
);

CREATE TABLE IF NOT EXISTS published_rankings (
    period                VARCHAR NOT NULL,
    revision              INTEGER NOT NULL,
    position              INTEGER NOT NULL,   -- row order of the ranking table
    rank                  INTEGER,
    dept                  VARCHAR NOT NULL,
    score                 DOUBLE,
    partial               BOOLEAN NOT NULL,
    ranked                BOOLEAN NOT NULL,
    cases                 BIGINT NOT NULL,
    entry_rate            DOUBLE,
    online_rate           DOUBLE,
    early_completion_rate DOUBLE,
    satisfaction_rate     DOUBLE,
    instant_ratio         DOUBLE,
    time_compression      DOUBLE,
    window_signoff_rate   DOUBLE,
    on_time_rate          DOUBLE,
    overdue_cases         BIGINT NOT NULL,
    open_overdue_cases    BIGINT NOT NULL,
    rank_change           INTEGER,
    score_low             DOUBLE,
    score_high            DOUBLE,
    category              VARCHAR NOT NULL,
    category_rank         INTEGER,
    grade                 VARCHAR NOT NULL,
    note                  VARCHAR NOT NULL,
    oldest_open_overdue_due DATE,            -- due date of its oldest open overdue case
    PRIMARY KEY (period, revision, dept)
);

CREATE TABLE IF NOT EXISTS published_figures (
    period         VARCHAR NOT NULL,
    revision       INTEGER NOT NULL,
    metric         VARCHAR NOT NULL,   -- a registry name
    value          DOUBLE,             -- the centre's figure; NULL = undefined
    previous_value DOUBLE,             -- the previous period of the same length
    PRIMARY KEY (period, revision, metric)
);
