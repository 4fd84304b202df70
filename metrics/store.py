"""The DuckDB store: opening it, its schema, and the named SQL files."""

from __future__ import annotations

import os
import re
import zlib
from functools import cache
from pathlib import Path

import duckdb

SQL_DIR = Path(__file__).resolve().parent / "sql"
MEMORY_LIMIT = os.environ.get("METRICS_MEMORY_LIMIT", "3GB")


@cache
def sql(name: str) -> str:
    """The text of `metrics/sql/<name>.sql`. Values are always passed as parameters."""
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def connect(db_path: Path | str, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    db_path = str(db_path)
    if db_path != ":memory:":
        Path(db_path).parent.mkdir(parents=True, exist_ok=True)
    # Bounded memory: a 10-million-row import spills to disk rather than take the machine.
    con = duckdb.connect(db_path, read_only=read_only, config={
        "memory_limit": MEMORY_LIMIT,
        # Row order is set by ORDER BY wherever it matters; not keeping it saves memory.
        "preserve_insertion_order": False,
    })
    if not read_only:
        ensure_schema(con)
        reclaim_killed_import(con)
        remove_staging_leftover(db_path)
        from metrics import aggregates  # not at the top: aggregates imports this module
        aggregates.add_missing(con)
    return con


def leftovers(con: duckdb.DuckDBPyConnection) -> tuple[list[str], list[str]]:
    """What an import killed part-way left in the store: its scratch tables (`main._import_…`)
    and the schemas it builds the next tables in (every schema but main is an import's)."""
    tables = con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE NOT internal AND database_name = current_database() "
        "AND schema_name = 'main' AND starts_with(table_name, '_import_')").fetchall()
    schemas = con.execute(
        "SELECT schema_name FROM duckdb_schemas() WHERE NOT internal AND database_name = current_database() "
        "AND schema_name <> 'main'").fetchall()
    return [t for (t,) in tables], [s for (s,) in schemas]


def reclaim_killed_import(con: duckdb.DuckDBPyConnection) -> bool:
    """Drop what a killed import left and checkpoint, so its space goes back to the file system.

    A killed import leaves its staged and checked rows in the store (in the file's blocks or
    its write-ahead log): five kills grew a 335 MB store to 1.66 GB. The next import would drop
    them, but a dashboard that only reads never imports, and the space stays taken until a
    checkpoint truncates the file. Skipped while an import of this process runs: its scratch
    tables are not leftovers. True when something was reclaimed."""
    tables, schemas = leftovers(con)
    if not tables and not schemas:
        return False
    from metrics import ingest  # not at the top: ingest imports this module
    if not ingest._IMPORT_LOCK.acquire(blocking=False):
        return False
    try:
        # Names from the catalogue, quoted: nothing a file could have named.
        for t in tables:
            con.execute(f'DROP TABLE IF EXISTS main."{t.replace(chr(34), chr(34) * 2)}"')
        for s in schemas:
            con.execute(f'DROP SCHEMA IF EXISTS "{s.replace(chr(34), chr(34) * 2)}" CASCADE')
        con.execute("CHECKPOINT")
    finally:
        ingest._IMPORT_LOCK.release()
    return True


def remove_staging_leftover(db_path: str) -> bool:
    """Delete the staging file a killed large import left beside the store (metrics/ingest.py,
    `<store>.import.duckdb`: up to ~9 GB at 100M rows). The next import deletes it too, but a
    dashboard that only reads never imports. Skipped while an import of this process runs:
    the file is its own (another process cannot hold the store open for writing). True when
    a file was deleted."""
    from metrics import ingest  # not at the top: ingest imports this module
    path = ingest.staging_file(db_path)
    leftover = [p for p in (path, path.with_name(path.name + ".wal")) if p.exists()] if path else []
    if not leftover or not ingest._IMPORT_LOCK.acquire(blocking=False):
        return False
    try:
        for p in leftover:
            p.unlink(missing_ok=True)
    finally:
        ingest._IMPORT_LOCK.release()
    return True


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(sql("schema"))


def has_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    """Whether the store itself has table main.<name> (not a database attached beside it: an
    import's scratch database, the reading copy while it is written). A table, not a view:
    duckdb_tables() answers in half the time information_schema.tables takes (1.4 against
    2.6 ms; an import asks a dozen times, every page a few)."""
    return bool(con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = ? AND schema_name = 'main' "
        "AND database_name = current_database()", [name]).fetchone()[0])


def is_ready(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the store holds imported cases with their aggregates."""
    return has_table(con, "dept_daily") and has_table(con, "calendar") and bool(
        con.execute("SELECT count(*) FROM cases").fetchone()[0])


def run_script(con: duckdb.DuckDBPyConnection, name: str, params: dict | None = None) -> None:
    """Run a multi-statement SQL file; each statement gets the parameters it names.

    DuckDB binds parameters to one statement at a time.
    """
    params = params or {}
    for statement in sql(name).split(";\n"):
        if not statement.strip() or all(line.strip().startswith("--") or not line.strip()
                                        for line in statement.splitlines()):
            continue
        con.execute(statement, params_for(statement, params))


def params_for(statement: str, params: dict) -> dict:
    """The parameters a statement names: DuckDB refuses any it does not use."""
    code = "\n".join(line.split("--", 1)[0] for line in statement.splitlines())
    return {k: v for k, v in params.items() if re.search(rf"\${k}\b", code)}


def data_version(con: duckdb.DuckDBPyConnection, db_path: Path | str) -> int:
    """Changes with every import and with a replaced store (import ids restart at 1 in a
    rebuilt store, so the store's path and the time of its last import are part of it).
    The pages key their caches on it (pages.queries), the kept alerts their files
    (metrics.alert_results). The path is taken as the file it names, however it is written:
    the pages pass the settings' path, an import the one DuckDB reports."""
    row = con.cursor().execute("SELECT coalesce(max(import_id), 0), max(imported_at) FROM imports").fetchone()
    return zlib.crc32(f"{canonical_path(db_path)}|{row[0]}|{row[1]}".encode())


def canonical_path(db_path: Path | str) -> str:
    """A store's path as one string whichever way it is written (relative, `..`, a symbolic
    link); ":memory:" and "" as they are."""
    text = str(db_path)
    return text if not text or text == ":memory:" else os.path.realpath(text)
