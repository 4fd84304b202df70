"""Keeping what is derived from the cases up to date: the calendar, the case facts, the daily sums.

Two ways, both built beside the live tables outside the import's transaction (DuckDB can
spill to disk there), which then only swaps the results in:

- update (`build_update`, `apply_update`): an import that keeps the working-day calendar
  touches only its own cases and the stored versions they replace. Their per-day sums are
  computed alone (schemas `import_added`, `import_removed`) and the difference is added to
  `dept_daily` (`sql/daily_merge.sql`), so the cost follows the file, not the store. These
  schemas and `import_next` live in an in-memory database attached for the import
  (`import_scratch`), not in the store: see `SCRATCH_CATALOG`.
- rebuild (`build_next`, `swap_in`): a first import, or a calendar that differs from the
  stored one on any day (another kind, other overrides), rebuilds the next cases table
  (`_import_next_cases`), the calendar and every sum (schema `import_next`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import duckdb

from metrics.calendar import build_calendar
from metrics.render import SUMMED, touch_match
from metrics.store import has_table, run_script, sql

NEXT_SCHEMA = "import_next"
NEXT_CASES = "_import_next_cases"
# The accepted rows of an import as cases, and the stored versions they replace (cases_new.sql).
# Both are temporary tables when the import updates: in memory (DuckDB spills them to its
# temporary folder if need be), so they are not written to the store twice. A first
# import's cases go to the store's own scratch table: they may be a hundred million.
NEW_CASES = "_import_new_cases"
OLD_CASES = "_import_old_cases"
# An update computes the per-day sums of those two sets here (names used by daily_merge.sql).
ADDED_SCHEMA = "import_added"
REMOVED_SCHEMA = "import_removed"
# Where an update builds those schemas: an in-memory database attached for the import, found
# by the SQL's two-part names (`import_next.dept_daily`) through the search path. Built in the
# store, their rows went through its write-ahead log, filled it past DuckDB's checkpoint
# threshold half-way through every import and were checkpointed into the file only to be
# dropped (0.8-1 s at 10M cases), and a killed import left them there. The commit now writes
# the log that checkpoint wrote before, so on a month's import the time saved was within the
# noise of this machine (docs/benchmarks.md); what a kill leaves in the store is nothing.
SCRATCH_CATALOG = "import_scratch"
UPDATE_SCHEMAS = (NEXT_SCHEMA, ADDED_SCHEMA, REMOVED_SCHEMA)
# A large import's staged and checked rows and its new cases: a database file of its own
# beside the store (`open_staging`, metrics/ingest.py), searched for unqualified names while
# attached, deleted after the import. Written in the store, their freed blocks stayed in its
# file: a 100M-row one-file import left an 11.5 GB store holding 2.8 GB.
STAGING_CATALOG = "import_files"
# Every stored case's id as a 64-bit hash (DuckDB's hash(), one UBIGINT column `key`), for
# `find_replaced`: whether any of an import's ids is stored already is answered from these
# keys, a fixed-width column a quarter as costly to scan as the ids themselves (0.2 against
# 0.75 s at 10M cases). A hash only says "may be stored": any match sends the import through
# the exact pass over the ids. So the keys may hold more than the stored ids, never fewer:
# every import adds the keys of its new ids, a rebuild makes them again, and they are made
# again before an import when CASE_KEYS_META shows them out of date: made by a hash() that
# gives another value for a fixed probe than this DuckDB's (as a DuckDB release could), or
# through another cases import than the store's last (cases imported by an earlier version
# of this dashboard, which knew no keys).
CASE_KEYS = "case_keys"
CASE_KEYS_META = "case_keys_meta"
_KEY_PROBE = "政务服务 case key probe"
CALENDAR_TABLES = ("calendar", "workdays", "calendar_meta")
DERIVED_TABLES = (*CALENDAR_TABLES, *SUMMED)
# How each per-day table is built over some cases (`<build>.sql`) and which of its rows an
# import changes (`<merge>.sql`, rendered with the table's keys in metrics/render.py).
_SQL = {"dept_daily": ("daily_aggregates", "daily_merge"), "item_daily": ("item_daily", "item_merge"),
        "case_years": ("case_years", "case_years_merge"), "case_days": ("case_days", "case_days_merge")}

# What an update builds over its cases (and the versions they replace), in this order: their
# dept_daily is summed from their item_daily (daily_from_items.sql) rather than read from the
# cases' facts again, the largest part of that step (0.47 of 1.4 s of one core at 10M cases).
_UPDATE_BUILDS = ("item_daily", "daily_from_items", "case_years", "case_days")

# Due dates run past the last case by up to the longest promise: leave room for them.
_CALENDAR_TAIL_DAYS = 400


def stored_calendar_kind(con: duckdb.DuckDBPyConnection) -> str | None:
    if not has_table(con, "calendar_meta"):
        return None
    row = con.execute("SELECT kind FROM main.calendar_meta").fetchone()
    return row[0] if row else None


def create_next_cases(con: duckdb.DuckDBPyConnection, name: str = NEXT_CASES, temporary: bool = False,
                      staging: bool = False) -> None:
    """An empty table shaped exactly like `cases`, constraints included: in memory if
    temporary, in the staging file if `staging`, else in the store."""
    ddl = con.execute("SELECT sql FROM duckdb_tables() WHERE database_name = current_database() "
                      "AND schema_name = 'main' AND table_name = 'cases'").fetchone()[0]
    con.execute(f"DROP TABLE IF EXISTS main.{name}")
    con.execute(f"DROP TABLE IF EXISTS temp.main.{name}")
    if _attached(con, STAGING_CATALOG):
        con.execute(f"DROP TABLE IF EXISTS {STAGING_CATALOG}.main.{name}")
    if temporary:
        where = f"TEMP TABLE {name}"
    else:
        where = f"TABLE {STAGING_CATALOG}.main.{name}" if staging else f"TABLE main.{name}"
    con.execute(ddl.replace("CREATE TABLE cases", f"CREATE {where}", 1))


def _located(con: duckdb.DuckDBPyConnection, name: str) -> str:
    """`temp.main.<name>`, `import_files.main.<name>` or `main.<name>`, wherever the scratch
    table was made."""
    for catalog in ("temp", STAGING_CATALOG):
        if con.execute("SELECT count(*) FROM duckdb_tables() WHERE database_name = ? AND table_name = ?",
                       [catalog, name]).fetchone()[0]:
            return f"{catalog}.main.{name}"
    return f"main.{name}"


def open_staging(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Attach a new, empty staging file at `path` (see STAGING_CATALOG)."""
    close_staging(con, path)
    literal = str(path).replace("'", "''")  # the store's own path, from the settings
    con.execute(f"ATTACH '{literal}' AS {STAGING_CATALOG}")
    _restore_search_path(con)


def close_staging(con: duckdb.DuckDBPyConnection, path: Path | None) -> None:
    """Detach the staging file and delete it (and one a killed import left)."""
    if _attached(con, STAGING_CATALOG):
        con.execute(f"USE {_store_main(con)}")
        con.execute(f"DETACH {STAGING_CATALOG}")
        _restore_search_path(con)
    if path is not None:
        for leftover in (path, path.with_name(path.name + ".wal")):
            leftover.unlink(missing_ok=True)


def _base_path(con: duckdb.DuckDBPyConnection) -> str:
    """The search path outside the scratch schemas: the store, and the staging file if attached."""
    return ",".join([f"{_store_catalog(con)}.main"]
                    + ([f"{STAGING_CATALOG}.main"] if _attached(con, STAGING_CATALOG) else []))


def _restore_search_path(con: duckdb.DuckDBPyConnection) -> None:
    """Unqualified names mean the store's main schema again, and the staging file's tables
    while it is attached: SET schema and USE leave a single schema on the search path."""
    con.execute(f"USE {_store_main(con)}")
    if _attached(con, STAGING_CATALOG):
        con.execute(f"SET search_path = '{_base_path(con)}'")
    else:
        con.execute("RESET search_path")


def build_next(con: duckdb.DuckDBPyConnection, calendar_kind: str | None = None,
               overrides: Path | None = None, default_calendar: str = "cn") -> list[int]:
    """Calendar, case_facts and dept_daily for `_import_next_cases`, in schema import_next.
    Returns the years the cases touch that the holiday calendar does not cover.

    The calendar: the import's own choice (its mapping), else the store's, else the default
    of the deployment (dashboard.toml)."""
    kind = calendar_kind or stored_calendar_kind(con) or default_calendar
    drop_next(con)
    con.execute(f"CREATE SCHEMA {NEXT_SCHEMA}")
    con.execute(f"CREATE VIEW {NEXT_SCHEMA}.cases AS SELECT * FROM main.{NEXT_CASES}")
    # Unqualified names in the calendar module and the SQL files now mean import_next.
    con.execute(f"SET schema = '{NEXT_SCHEMA}'")
    try:
        return _rebuild(con, kind, overrides)
    finally:
        _restore_search_path(con)


def swap_in(con: duckdb.DuckDBPyConnection) -> None:
    """Inside the import's transaction: the next cases and derived tables become the live ones."""
    con.execute("DROP TABLE IF EXISTS main.cases")
    con.execute(f"ALTER TABLE main.{NEXT_CASES} RENAME TO cases")
    for t in DERIVED_TABLES:
        # Small tables (days × departments): copying them is cheaper than moving schemas.
        con.execute(f"CREATE OR REPLACE TABLE main.{t} AS SELECT * FROM {NEXT_SCHEMA}.{t}")
    con.execute(sql("case_facts"))
    _make_case_keys(con)


def _make_case_keys(con: duckdb.DuckDBPyConnection) -> None:
    """The keys of every stored case, with the probe's hash they were made with and the last
    committed cases import they cover (in the caller's transaction: all or nothing)."""
    con.execute(f"CREATE OR REPLACE TABLE main.{CASE_KEYS} AS SELECT hash(case_id) AS key FROM main.cases")
    con.execute(f"""
        CREATE OR REPLACE TABLE main.{CASE_KEYS_META} AS
        SELECT hash($probe) AS probe, (SELECT max(import_id) FROM main.imports WHERE kind = 'cases') AS through_import""",
                {"probe": _KEY_PROBE})


def case_keys_cover(con: duckdb.DuckDBPyConnection, import_id: int) -> None:
    """Inside a cases import's transaction, once its keys are in (`apply_update`, `swap_in`)."""
    con.execute(f"UPDATE main.{CASE_KEYS_META} SET through_import = $id", {"id": import_id})


def ensure_case_keys(con: duckdb.DuckDBPyConnection) -> bool:
    """Make the case keys when the store has none (a store from before them, or built by
    Spark) or they are out of date (CASE_KEYS); True when made. One pass over the stored
    ids: 0.7 s at 10M cases."""
    if has_table(con, CASE_KEYS_META) and has_table(con, CASE_KEYS):
        try:
            current = con.execute(f"""
                SELECT probe = hash($probe) AND through_import IS NOT DISTINCT FROM
                       (SELECT max(import_id) FROM main.imports WHERE kind = 'cases')
                FROM main.{CASE_KEYS_META}""", {"probe": _KEY_PROBE}).fetchone()
        except duckdb.BinderException:  # a record of another shape: made again in this one
            current = None
        if current and current[0]:
            return False
    con.execute("BEGIN TRANSACTION")
    try:
        _make_case_keys(con)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return True


def find_replaced(con: duckdb.DuckDBPyConnection, use_keys: bool = True) -> None:
    """`_import_old_cases`: the stored versions of the cases in `_import_new_cases`.

    Three answers, cheapest first. The stored ids' range, from the statistics DuckDB keeps
    for the column: a month whose ids all sort above (or below) every stored id replaces
    nothing, and costs no pass at all (ids that grow with time, the usual case). Then the
    case keys (`use_keys`): no key in common, nothing replaced (a new month whose ids
    interleave with the stored ones). Otherwise the exact pass over the stored ids
    (sql/cases_replaced.sql): a re-import, or a hash shared by chance."""
    new = _located(con, NEW_CASES)
    if _beside_stored_ids(con, new) or (use_keys and not _any_key_stored(con, new)):
        con.execute(f"CREATE OR REPLACE TEMP TABLE {OLD_CASES} AS SELECT * FROM main.cases LIMIT 0")
    else:
        run_script(con, "cases_replaced")


def _beside_stored_ids(con: duckdb.DuckDBPyConnection, new: str) -> bool:
    """Whether every id in table `new` sorts above, or every one below, every stored id, by
    the minimum and maximum DuckDB keeps for `cases.case_id`. Those are kept as prefixes
    (12 bytes in DuckDB 2.0) and only ever widen (a deleted case may leave them wider), so
    the answer errs only toward False. False too when they are not there in the form known
    here (another DuckDB), or the ids hold characters beyond ASCII (a prefix cut inside one)."""
    lowest, highest = con.execute(f"SELECT min(case_id), max(case_id) FROM {new}").fetchone()
    stats = con.execute("SELECT stats(case_id) FROM main.cases LIMIT 1").fetchone()
    stats = stats[0] if stats else None
    if lowest is None or not isinstance(stats, dict) or stats.get("has_unicode") is not False:
        return False
    stored_min, stored_max = stats.get("min"), stats.get("max")
    if not (isinstance(stored_min, str) and isinstance(stored_max, str) and stored_min and stored_max):
        return False
    if not (lowest.isascii() and highest.isascii()):
        return False
    # The stored maximum starts with its prefix: an id whose own prefix sorts after it sorts
    # after every stored id. The stored minimum's prefix sorts at or before it.
    return lowest[:len(stored_max)] > stored_max or highest < stored_min


def _any_key_stored(con: duckdb.DuckDBPyConnection, new: str) -> bool:
    return bool(con.execute(f"""
        SELECT count(*) FROM (
            SELECT 1 FROM main.{CASE_KEYS} k SEMI JOIN (SELECT hash(case_id) AS key FROM {new}) n ON n.key = k.key
            LIMIT 1)""").fetchone()[0])


def drop_next(con: duckdb.DuckDBPyConnection) -> None:
    """Drop what an import built beside the live tables: the rebuild's schemas in the store,
    the update's scratch database."""
    if _attached(con, SCRATCH_CATALOG):
        con.execute(f"USE {_store_main(con)}")
        con.execute(f"DETACH {SCRATCH_CATALOG}")
        _restore_search_path(con)
    for schema in UPDATE_SCHEMAS:
        con.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


def _attached(con: duckdb.DuckDBPyConnection, catalog: str) -> bool:
    # fetchall: a result left half-read blocks the connection's next register() (duckdb 2.0)
    return bool(con.execute("SELECT count(*) FROM duckdb_databases() WHERE database_name = ?",
                            [catalog]).fetchall()[0][0])


def _store_catalog(con: duckdb.DuckDBPyConnection) -> str:
    """The store's own catalog: the first database the connection opened (not the scratch
    one, even while that is in use)."""
    return con.execute("SELECT database_name FROM duckdb_databases() WHERE NOT internal "
                       "AND database_name NOT IN (?, ?) ORDER BY database_oid LIMIT 1",
                       [SCRATCH_CATALOG, STAGING_CATALOG]).fetchone()[0]


def _store_main(con: duckdb.DuckDBPyConnection) -> str:
    """The store's main schema for USE, its catalog quoted: the catalog is named after the
    store's file, which may be a keyword ("default.duckdb")."""
    return '"' + _store_catalog(con).replace('"', '""') + '".main'


def _open_scratch(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"ATTACH ':memory:' AS {SCRATCH_CATALOG}")
    for schema in UPDATE_SCHEMAS:
        con.execute(f"CREATE SCHEMA {SCRATCH_CATALOG}.{schema}")
    _use(con, None)


def _use(con: duckdb.DuckDBPyConnection, schema: str | None) -> None:
    """Unqualified names mean the scratch `schema` (the calendar module and the SQL files
    create and read unqualified tables), or, with None, the store's main schema again; two-part
    names (`import_next.dept_daily`, `main.cases`) resolve in both, as the merges need."""
    con.execute(f"USE {SCRATCH_CATALOG}.{schema}" if schema else f"USE {_store_main(con)}")
    path = [f"{SCRATCH_CATALOG}.{schema}"] if schema else []
    path += [_base_path(con)] + [f"{SCRATCH_CATALOG}.{s}" for s in UPDATE_SCHEMAS if s != schema]
    con.execute(f"SET search_path = '{','.join(path)}'")


@dataclass
class Update:
    """What `build_update` found: either a reason to rebuild everything, or an update ready
    for `apply_update` (with the years its cases touch that the holiday data lacks)."""
    rebuild_reason: str | None
    uncovered_years: list[int]


def update_blocker(con: duckdb.DuckDBPyConnection) -> str | None:
    """Why an import into this store must rebuild everything, or None when it can update."""
    if not con.execute("SELECT count(*) FROM (SELECT 1 FROM main.cases LIMIT 1)").fetchone()[0]:
        return "the store holds no cases yet"
    missing = [t for t in DERIVED_TABLES if not has_table(con, t)]
    if missing:  # a store built before imports could update it
        return f"the store has no {', '.join(missing)} table yet"
    return None


def build_update(con: duckdb.DuckDBPyConnection, calendar_kind: str | None = None,
                 overrides: Path | None = None, default_calendar: str = "cn") -> Update:
    """Prepare the derived tables after importing `_import_new_cases` (replacing
    `_import_old_cases`) without touching any other case.

    The calendar is built again over the stored range, widened to the new cases: if it
    differs from the stored one on any stored day (kind, overrides, holiday data), every
    stored case's facts may change and the caller must rebuild instead. Otherwise the
    stored cases' facts are unchanged even when the range grows: working-day numbers only
    ever enter the facts as differences and as lookups of the calendar's own days."""
    stored_kind = stored_calendar_kind(con)
    kind = calendar_kind or stored_kind or default_calendar
    drop_next(con)
    if kind != stored_kind:
        return Update(f"the working-day calendar changes from {stored_kind} to {kind}", [])
    stored_first, stored_last = con.execute("SELECT first_day, last_day FROM main.calendar_meta").fetchone()
    first, last = _calendar_range(con, _located(con, NEW_CASES))
    _open_scratch(con)
    _use(con, NEXT_SCHEMA)
    try:
        info = build_calendar(con, min(first, stored_first), max(last, stored_last), kind=kind, overrides=overrides)
    finally:
        _use(con, None)
    changed = con.execute(f"""
        SELECT count(*) FROM main.calendar s JOIN {NEXT_SCHEMA}.calendar n USING (day)
        WHERE s.is_workday <> n.is_workday""").fetchone()[0]
    if changed:
        drop_next(con)
        return Update(f"the working-day calendar changes on {changed} stored days (overrides or holiday data)", [])
    for schema, cases in ((ADDED_SCHEMA, NEW_CASES), (REMOVED_SCHEMA, OLD_CASES)):
        con.execute(f"CREATE VIEW {SCRATCH_CATALOG}.{schema}.cases AS SELECT * FROM {_located(con, cases)}")
        for t in ("calendar", "workdays"):
            con.execute(f"CREATE VIEW {SCRATCH_CATALOG}.{schema}.{t} AS "
                        f"SELECT * FROM {SCRATCH_CATALOG}.{NEXT_SCHEMA}.{t}")
        _use(con, schema)
        try:
            con.execute(sql("case_facts"))
            for build in _UPDATE_BUILDS:
                con.execute(sql(build))
        finally:
            _use(con, None)
    for _, merge in _SQL.values():
        con.execute(sql(merge))
    years = _years_used(con, _after_update("case_years"))
    return Update(None, [y for y in info.uncovered_years if y in years])


def _after_update(table: str) -> str:
    """`table` as the prepared update will leave it: the live rows of untouched keys and the
    prepared rows of the touched ones (a subquery)."""
    _, touch = SUMMED[table]
    return (f"(SELECT * FROM main.{table} m WHERE NOT EXISTS (SELECT 1 FROM {NEXT_SCHEMA}.{table}_touched t "
            f"WHERE {touch_match(touch)}) UNION ALL BY NAME SELECT * FROM {NEXT_SCHEMA}.{table})")


def apply_update(con: duckdb.DuckDBPyConnection) -> None:
    """Inside the import's transaction: replaced cases go, imported cases come, and the
    calendar and daily sums prepared by `build_update` become the live ones."""
    old, new = _located(con, OLD_CASES), _located(con, NEW_CASES)
    if con.execute(f"SELECT count(*) FROM (SELECT 1 FROM {old} LIMIT 1)").fetchone()[0]:
        con.execute(f"DELETE FROM main.cases WHERE case_id IN (SELECT case_id FROM {old})")
    con.execute(f"INSERT INTO main.cases SELECT * FROM {new}")
    if has_table(con, CASE_KEYS):  # else they are made from the cases before the next import
        con.execute(f"INSERT INTO main.{CASE_KEYS} "
                    f"SELECT hash(n.case_id) FROM {new} n ANTI JOIN {old} o ON o.case_id = n.case_id")
    for t in CALENDAR_TABLES:  # a few thousand days
        con.execute(f"CREATE OR REPLACE TABLE main.{t} AS SELECT * FROM {NEXT_SCHEMA}.{t}")
    for t, (_, touch) in SUMMED.items():  # the touched keys' rows only
        con.execute(f"DELETE FROM main.{t} m WHERE EXISTS "
                    f"(SELECT 1 FROM {NEXT_SCHEMA}.{t}_touched t WHERE {touch_match(touch)})")
        con.execute(f"INSERT INTO main.{t} BY NAME SELECT * FROM {NEXT_SCHEMA}.{t}")
    con.execute(sql("case_facts"))


def touched_months(con: duckdb.DuckDBPyConnection) -> set[str]:
    """The months ("2026-09") in which a prepared update's cases and the stored versions they
    replace have any of their times: the months whose integrity alerts it may change (every
    rule counts a case in the month of its acceptance, completion or rating). Read from the
    per-day counts of both sets (case_days.sql: a row for each day a case is accepted, ended
    or rated), a few hundred rows, not from the cases."""
    rows = con.execute(f"""
        SELECT DISTINCT strftime(day, '%Y-%m') FROM (
            SELECT day FROM {ADDED_SCHEMA}.case_days UNION ALL SELECT day FROM {REMOVED_SCHEMA}.case_days)
        WHERE day IS NOT NULL""").fetchall()
    return {m for (m,) in rows}


def _calendar_range(con: duckdb.DuckDBPyConnection, cases: str) -> tuple[date, date]:
    """The calendar range the cases of table `cases` need."""
    first, last_event, longest = con.execute(f"""
        SELECT min(accepted_at)::DATE,
               greatest(max(accepted_at), max(completed_at), max(due_at), max(rated_at))::DATE,
               coalesce(max(promised_limit_days), 0)
        FROM {cases}""").fetchone()
    if first is None:
        first = last_event = date.today()
    # ~7 calendar days per 5 working days, plus holidays.
    last = max(last_event, date.today()) + timedelta(days=_CALENDAR_TAIL_DAYS + longest * 7 // 5)
    return first - timedelta(days=7), last


def _rebuild(con: duckdb.DuckDBPyConnection, kind: str, overrides: Path | None) -> list[int]:
    first, last = _calendar_range(con, "cases")
    info = build_calendar(con, first, last, kind=kind, overrides=overrides)
    con.execute(sql("case_facts"))
    for build, _ in _SQL.values():
        con.execute(sql(build))
    return [y for y in info.uncovered_years if y in _years_used(con, "case_years")]


# Derived tables that later versions added: a store built before them gets them once, when it
# is next opened for writing, rather than waiting for a calendar change to rebuild everything.
_ADDED_LATER = ("item_daily", "case_days")


def add_missing(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Build the per-day tables a store from an earlier version lacks (one pass over its
    cases each); the names of those built."""
    if not (has_table(con, "dept_daily") and has_table(con, "calendar")):
        return []  # no import yet: the first one builds everything
    missing = [t for t in _ADDED_LATER if not has_table(con, t)]
    if missing:
        con.execute(sql("case_facts"))
        for t in missing:
            con.execute(sql(_SQL[t][0]))  # built as a first import builds it
    return missing


def _years_used(con: duckdb.DuckDBPyConnection, table: str = "main.case_years") -> set[int]:
    """Years from the first acceptance to the last date a case touches, computed due dates
    included (a 5-day promise made on 2026-12-25 falls due in 2027), from case_years.sql's
    counts rather than from every case."""
    first, last = con.execute(f"""
        SELECT min(year) FILTER (WHERE first_cases > 0), max(year) FILTER (WHERE last_cases > 0)
        FROM {table}""").fetchone()
    return set(range(first, last + 1)) if first is not None else set()


def uncovered_years(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Years with cases that the holiday package does not cover (spec 2)."""
    if not has_table(con, "calendar"):
        return []
    if has_table(con, "case_years"):
        years = _years_used(con)
    else:  # a store from before case_years: read every case once, until its next import
        first, last = con.execute("""
            SELECT min(accepted_date), max(greatest(accepted_date, completed_date, due_date, CAST(rated_at AS DATE)))
            FROM case_facts""").fetchone()
        years = set(range(first.year, last.year + 1)) if first else set()
    rows = con.execute("SELECT DISTINCT year(day) FROM calendar WHERE NOT covered ORDER BY 1").fetchall()
    return [r[0] for r in rows if r[0] in years]
