-- Who may use the dashboard, and what was done with it (SQLite, the file `<store>.access.sqlite`
-- beside the DuckDB store). Kept out of the store on purpose: DuckDB lets one process write a
-- file, and the dashboard holds the store, but an admin must be able to add a user, and anyone
-- to read the audit trail, from the command line while the dashboard runs. SQLite lets several
-- processes write one file in turn.

CREATE TABLE IF NOT EXISTS users (
    name          TEXT PRIMARY KEY,
    role          TEXT NOT NULL CHECK (role IN ('viewer', 'department', 'clerk', 'admin')),
    dept          TEXT,                  -- the one department a 'department' user may see cases of
    email         TEXT UNIQUE,           -- how an OIDC sign-in finds its user
    password_hash TEXT,                  -- argon2id (PHC string); NULL: signs in only through OIDC
    created_at    TEXT NOT NULL,         -- UTC, ISO 8601
    CHECK ((role = 'department') = (dept IS NOT NULL))
);

-- Append-only: every sign-in (and refused one), import, publication, change of settings and of
-- users, with who and when. Each row carries the SHA-256 of the row before it and of itself,
-- so a row changed or removed outside these triggers breaks the chain (`python -m metrics audit`
-- checks it).
CREATE TABLE IF NOT EXISTS audit (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    at        TEXT NOT NULL,             -- UTC, ISO 8601
    actor     TEXT NOT NULL,             -- a user name, 'cli:<os user>' or 'anonymous'
    action    TEXT NOT NULL,
    detail    TEXT NOT NULL,             -- JSON object
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);

CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;

CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
