"""The audit trail: who did what and when (issue 11, part 2).

Every sign-in (and refused one), import (file name, size, SHA-256, ledger), publication, change
of settings and of users is one row of the `audit` table of the access file
(`metrics/sql/access_schema.sql`). Rows are only ever added: SQLite triggers refuse UPDATE and
DELETE, no page offers an edit, and each row holds the SHA-256 of the one before it, so a row
changed behind the triggers' back shows as a broken chain in `verify`.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from metrics.store import SQL_DIR

GENESIS = "0" * 64
ACTIONS = ("sign_in", "sign_in_refused", "sign_out", "import", "import_refused", "publish", "settings",
           "user_add", "user_remove")


def access_path(db_path: Path | str) -> Path:
    """The access file (users and audit trail) of a store: `<store>.access.sqlite` beside it."""
    p = Path(db_path)
    return p.with_name(p.name + ".access.sqlite")


def open_access(db_path: Path | str) -> sqlite3.Connection:
    """The access file of a store, created with its tables on first use.

    WAL lets the dashboard read while the CLI writes; the busy timeout makes a writer wait for
    another's short transaction instead of failing."""
    path = access_path(db_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(path, timeout=10, isolation_level=None, check_same_thread=False)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA busy_timeout=10000")
    con.executescript((SQL_DIR / "access_schema.sql").read_text(encoding="utf-8"))
    return con


def cli_actor() -> str:
    """Who runs a command: the operating-system account, as the CLI has no sign-in of its own."""
    try:
        return f"cli:{getpass.getuser()}"
    except OSError:  # no user name in the environment (a container without one)
        return "cli:unknown"


def _row_hash(prev_hash: str, at: str, actor: str, action: str, detail: str) -> str:
    payload = json.dumps([prev_hash, at, actor, action, detail], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def record(con: sqlite3.Connection, actor: str, action: str, **detail) -> int:
    """Append one row; returns its sequence number. `detail` must be JSON-serialisable."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    text = json.dumps(detail, ensure_ascii=False, sort_keys=True, default=str)
    at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    # BEGIN IMMEDIATE takes the write lock before reading the last hash: two writers (two
    # sessions, or the CLI beside the dashboard) cannot both chain onto the same row.
    con.execute("BEGIN IMMEDIATE")
    try:
        last = con.execute("SELECT hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
        prev = last[0] if last else GENESIS
        cur = con.execute(
            "INSERT INTO audit (at, actor, action, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?)",
            (at, actor, action, text, prev, _row_hash(prev, at, actor, action, text)))
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return cur.lastrowid


@dataclass(frozen=True)
class Entry:
    seq: int
    at: str
    actor: str
    action: str
    detail: dict


def entries(con: sqlite3.Connection, limit: int | None = None, action: str | None = None) -> list[Entry]:
    """The newest entries first."""
    sql = "SELECT seq, at, actor, action, detail FROM audit"
    params: list = []
    if action:
        sql += " WHERE action = ?"
        params.append(action)
    sql += " ORDER BY seq DESC"
    if limit:
        sql += " LIMIT ?"
        params.append(limit)
    return [Entry(s, a, who, what, json.loads(d)) for s, a, who, what, d in con.execute(sql, params)]


def verify(con: sqlite3.Connection) -> int | None:
    """The sequence number of the first row whose chain is broken, or None when all hold."""
    prev = GENESIS
    for seq, at, actor, action, detail, prev_hash, hash_ in _all_rows(con):
        if prev_hash != prev or hash_ != _row_hash(prev, at, actor, action, detail):
            return seq
        prev = hash_
    return None


def _all_rows(con: sqlite3.Connection) -> Iterator[tuple]:
    yield from con.execute("SELECT seq, at, actor, action, detail, prev_hash, hash FROM audit ORDER BY seq")


def file_facts(path: Path | str) -> dict:
    """Name, size and SHA-256 of an imported file, read in 1 MB blocks (files reach gigabytes)."""
    p = Path(path)
    h = hashlib.sha256()
    size = 0
    with p.open("rb") as fh:
        while block := fh.read(1 << 20):
            h.update(block)
            size += len(block)
    return {"size": size, "sha256": h.hexdigest()}


def record_import(con: sqlite3.Connection, actor: str, path: Path | str, ledger=None, display_name: str | None = None,
                  error: str | None = None) -> int:
    """An import, with its file's facts and its ledger (or why it did not run)."""
    facts = {"file": display_name or Path(path).name, **file_facts(path)}
    if error is not None:
        return record(con, actor, "import_refused", **facts, error=error)
    ledger_json = ledger.to_json()
    keys = ("import_id", "kind", "rows_read", "accepted", "rejected", "repeats", "inserted", "updated",
            "rejected_by_reason")
    return record(con, actor, "import", **facts, ledger={k: ledger_json[k] for k in keys if k in ledger_json})
