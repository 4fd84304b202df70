"""Rebuilding what is derived from the cases: the calendar, the case facts, the daily sums.

An import builds the next versions beside the live ones (`_import_next_cases` and the
schema `import_next`), outside its transaction, so DuckDB can spill to disk while it works
on millions of rows; the transaction then only swaps them in (`swap_in`).
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import duckdb

from metrics.calendar import build_calendar
from metrics.store import has_table, sql

NEXT_SCHEMA = "import_next"
NEXT_CASES = "_import_next_cases"
DERIVED_TABLES = ("calendar", "workdays", "calendar_meta", "dept_daily")

# Due dates run past the last case by up to the longest promise: leave room for them.
_CALENDAR_TAIL_DAYS = 400


def stored_calendar_kind(con: duckdb.DuckDBPyConnection) -> str | None:
    if not has_table(con, "calendar_meta"):
        return None
    row = con.execute("SELECT kind FROM main.calendar_meta").fetchone()
    return row[0] if row else None


def create_next_cases(con: duckdb.DuckDBPyConnection) -> None:
    """An empty table shaped exactly like `cases`, constraints included."""
    ddl = con.execute("SELECT sql FROM duckdb_tables() WHERE schema_name = 'main' AND table_name = 'cases'"
                      ).fetchone()[0]
    con.execute(f"DROP TABLE IF EXISTS {NEXT_CASES}")
    con.execute(ddl.replace("CREATE TABLE cases", f"CREATE TABLE {NEXT_CASES}", 1))


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
        con.execute("SET schema = 'main'")


def swap_in(con: duckdb.DuckDBPyConnection) -> None:
    """Inside the import's transaction: the next cases and derived tables become the live ones."""
    con.execute("DROP TABLE IF EXISTS main.cases")
    con.execute(f"ALTER TABLE main.{NEXT_CASES} RENAME TO cases")
    for t in DERIVED_TABLES:
        # Small tables (days × departments): copying them is cheaper than moving schemas.
        con.execute(f"CREATE OR REPLACE TABLE main.{t} AS SELECT * FROM {NEXT_SCHEMA}.{t}")
    con.execute(sql("case_facts"))


def drop_next(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"DROP SCHEMA IF EXISTS {NEXT_SCHEMA} CASCADE")


def _rebuild(con: duckdb.DuckDBPyConnection, kind: str, overrides: Path | None) -> list[int]:
    first, last_event, longest = con.execute("""
        SELECT min(accepted_at)::DATE,
               greatest(max(accepted_at), max(completed_at), max(due_at), max(rated_at))::DATE,
               coalesce(max(promised_limit_days), 0)
        FROM cases""").fetchone()
    if first is None:
        first = last_event = date.today()
    # ~7 calendar days per 5 working days, plus holidays.
    last = max(last_event, date.today()) + timedelta(days=_CALENDAR_TAIL_DAYS + longest * 7 // 5)
    info = build_calendar(con, first - timedelta(days=7), last, kind=kind, overrides=overrides)
    con.execute(sql("case_facts"))
    con.execute(sql("daily_aggregates"))
    return [y for y in info.uncovered_years if y in _years_used(con)]


def _years_used(con: duckdb.DuckDBPyConnection) -> set[int]:
    """Years from the first acceptance to the last date a case touches, computed due dates
    included (a 5-day promise made on 2026-12-25 falls due in 2027)."""
    first, last = con.execute("""
        SELECT min(accepted_date), max(greatest(accepted_date, completed_date, due_date, CAST(rated_at AS DATE)))
        FROM case_facts""").fetchone()
    return set(range(first.year, last.year + 1)) if first else set()


def uncovered_years(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Years with cases that the holiday package does not cover (spec 2)."""
    if not has_table(con, "calendar"):
        return []
    years = _years_used(con)
    rows = con.execute("SELECT DISTINCT year(day) FROM calendar WHERE NOT covered ORDER BY 1").fetchall()
    return [r[0] for r in rows if r[0] in years]
