"""The store's reading copy: what the command line reads while the dashboard holds the store.

DuckDB lets one process open a file for writing and then refuses every other process, even a
read-only one, so `rank` and `published` could not run beside the dashboard. After every
committed write to the store (an import, a publication, a store built from a lake or a demo)
the writing process writes `<store>.reading.duckdb` beside it: every table of the store but
`cases`, `item_daily` and the case keys (the other derived per-day tables, calendar, catalogue,
departments, imports, rejects, publications …), found by listing the store's tables, so a derived table
added later comes along by itself. The `case_facts` view and any other view are left out:
they read `cases`. What the command line asks of the cases themselves (was any case accepted,
completed or rated in a period; which dates do the cases cover) `case_days` answers, in the
store and in the copy alike. So a copy costs the small tables, never a pass over the cases.

`reading_copy` says when the copy was made and of which store file (its inode: a store
replaced since, e.g. set aside as damaged, makes the copy stale rather than a wrong answer).

The copy is written to a temporary file in the same folder and renamed over the old one, so
a reader that has the old copy open keeps reading it and nobody sees half a copy.
"""

from __future__ import annotations

import glob
import logging
import os
import threading
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from metrics.store import connect, has_table

LOG = logging.getLogger("metrics.reading_copy")

SUFFIX = ".reading.duckdb"
# The copy's own record (not a table of the store).
META_TABLE = "reading_copy"
# Not copied: the cases themselves (the copy is for what is small), and an import's scratch
# tables should one be present (metrics/ingest.py names them `_import_…`).
LEFT_OUT = ("cases",
            # per item and day, for the Department page only: the command line never reads it,
            # and at about a million rows it would be most of the copy's cost
            "item_daily",
            # hashes of every case id, for imports only (metrics/aggregates.py)
            "case_keys", "case_keys_meta")

# Copies of one store are written one at a time and each snapshot is taken inside the lock,
# so the copy renamed last is also the newest (two sessions publishing and importing at once).
_LOCK = threading.Lock()


def path_of(store: Path | str) -> Path:
    store = Path(store)
    return store.with_name(store.name + SUFFIX)


def _database_path(con: duckdb.DuckDBPyConnection) -> str | None:
    row = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchone()
    return row[0] if row and row[0] else None


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def write(con: duckdb.DuckDBPyConnection) -> Path | None:
    """Write the reading copy of the store `con` has open (after a committed write); its
    path, or None for an in-memory store."""
    source = _database_path(con)
    if not source or source == ":memory:":
        return None
    final = path_of(source)
    tmp = final.with_name(f"{final.name.removesuffix('.duckdb')}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}.duckdb")
    alias = f"reading_copy_{uuid.uuid4().hex[:12]}"
    with _LOCK:
        _remove_orphans(final)
        cur = con.cursor()  # its own transaction, whatever the caller's cursor is doing
        try:
            cur.execute(f"ATTACH ? AS {alias}", [str(tmp)])
            try:
                _fill(cur, alias, Path(source))
            finally:
                cur.execute(f"DETACH {alias}")  # checkpoints: the file is complete, no WAL beside it
            os.replace(tmp, final)
        except BaseException:
            for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
                leftover.unlink(missing_ok=True)
            raise
        finally:
            cur.close()
    return final


def _remove_orphans(final: Path) -> None:
    """Temporary copies (and their WAL) of writers that were killed mid-copy: the name holds
    the writer's process id, and a process that no longer exists will not finish its copy."""
    stem = final.name.removesuffix(".duckdb")
    for leftover in final.parent.glob(f"{glob.escape(stem)}.tmp-*"):
        try:
            pid = int(leftover.name[len(stem) + len(".tmp-"):].split("-", 1)[0])
        except ValueError:
            continue
        if pid != os.getpid() and not _alive(pid):
            leftover.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive
        return True
    return True


def write_for(store: Path | str) -> Path | None:
    """Open `store` for writing and write its copy: for a store built elsewhere and moved
    into place (a demo or lake build), whose own connection wrote the copy beside the
    temporary file."""
    con = connect(store)
    try:
        return write(con)
    finally:
        con.close()


def ensure(con: duckdb.DuckDBPyConnection) -> None:
    """When the dashboard opens its store: write the copy if there is none, or one of another
    file (a store last written before copies were made, or one replaced since), so that the
    command line can read beside the dashboard from its start, not only after the next write."""
    source = _database_path(con)
    if not source or source == ":memory:":
        return
    try:
        reader, _ = open_copy(source)
        reader.close()
    except (NoCopy, duckdb.Error):  # none, stale, or unreadable: write it again
        refresh(con)


def refresh(con: duckdb.DuckDBPyConnection) -> None:
    """`write` after a write that has committed: a copy that cannot be written must not make
    the write look failed, so it is logged and the old copy removed (a reader then says the
    store is in use, rather than read figures older than the store's)."""
    try:
        write(con)
    except Exception:  # noqa: BLE001 - disk full, permissions …: the store itself is fine
        LOG.exception("the reading copy could not be written")
        source = _database_path(con)
        if source and source != ":memory:":
            path_of(source).unlink(missing_ok=True)


def _fill(cur: duckdb.DuckDBPyConnection, alias: str, source: Path) -> None:
    tables = [t for (t,) in cur.execute(
        "SELECT table_name FROM duckdb_tables() WHERE NOT internal AND NOT temporary "
        "AND database_name = current_database() AND schema_name = 'main' ORDER BY table_name").fetchall()
        if t not in LEFT_OUT and not t.startswith("_import_")]
    made_at = datetime.now().replace(microsecond=0)
    # One transaction: every table from the same snapshot, though an import may commit meanwhile.
    cur.execute("BEGIN TRANSACTION")
    try:
        for t in tables:  # names from the store's own catalogue, quoted
            cur.execute(f"CREATE TABLE {alias}.main.{_quoted(t)} AS SELECT * FROM main.{_quoted(t)}")
        cur.execute(
            f"CREATE TABLE {alias}.main.{META_TABLE} AS SELECT "
            "CAST($made_at AS TIMESTAMP) AS made_at, CAST($store AS VARCHAR) AS store, "
            "CAST($inode AS UBIGINT) AS store_inode",
            {"made_at": made_at, "store": str(source), "inode": source.stat().st_ino})
        cur.execute("COMMIT")
    except BaseException:
        cur.execute("ROLLBACK")
        raise


@dataclass(frozen=True)
class CopyInfo:
    path: Path
    made_at: datetime


class NoCopy(Exception):
    """The store is in use and there is no usable reading copy; says why in one phrase."""


def open_copy(store: Path | str) -> tuple[duckdb.DuckDBPyConnection, CopyInfo]:
    """Open the reading copy of `store` read-only; NoCopy when there is none, or it was made
    of another file than the one at `store` now."""
    path = path_of(store)
    if not path.is_file():
        raise NoCopy("it has no reading copy yet (one is written after every import and publication)")
    con = duckdb.connect(str(path), read_only=True)
    try:
        made_at, inode = con.execute(f"SELECT made_at, store_inode FROM {META_TABLE}").fetchone()
        if inode != Path(store).stat().st_ino:
            raise NoCopy(f"its reading copy {path.name} is of a store file since replaced")
    except BaseException:
        con.close()
        raise
    return con, CopyInfo(path, made_at)


def is_copy(con: duckdb.DuckDBPyConnection) -> bool:
    return bool(con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main' "
        "AND table_name = ?", [META_TABLE]).fetchone()[0])


def case_activity(con: duckdb.DuckDBPyConnection, first, last) -> tuple[bool, tuple | None]:
    """From a store or its copy: whether some case was accepted, completed or rated from day
    `first` to day `last`, and (first day accepted, last day accepted, completed or rated) of
    all cases (None when there is none). From `case_days`, the per-day counts every import
    keeps (days, not cases: the same cost at 1M cases as at 100M)."""
    if has_table(con, "case_days"):
        hit = con.execute("SELECT 1 FROM case_days WHERE day BETWEEN $first AND $last LIMIT 1",
                          {"first": first, "last": last}).fetchone()
        span = con.execute("SELECT min(day) FILTER (WHERE accepted > 0), max(day) FROM case_days").fetchone()
    else:  # a store last written before case_days, opened read-only: its cases
        from datetime import timedelta
        hit = con.execute(
            """
            SELECT 1 FROM cases
            WHERE (accepted_at >= $first AND accepted_at < $after)
               OR (completed_at >= $first AND completed_at < $after)
               OR (rated_at >= $first AND rated_at < $after)
            LIMIT 1
            """, {"first": first, "after": last + timedelta(days=1)}).fetchone()
        span = con.execute("SELECT min(accepted_at)::DATE, greatest(max(accepted_at), max(completed_at), "
                           "max(rated_at))::DATE FROM cases").fetchone()
    return bool(hit), (None if span[0] is None else span)
