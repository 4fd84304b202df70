"""Rebuilding what is derived from the cases: the calendar, the case facts, the daily sums."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import duckdb

from metrics.calendar import build_calendar
from metrics.store import has_table, sql

# Due dates run past the last case by up to the longest promise: leave room for them.
_CALENDAR_TAIL_DAYS = 400


def stored_calendar_kind(con: duckdb.DuckDBPyConnection) -> str | None:
    if not has_table(con, "calendar_meta"):
        return None
    row = con.execute("SELECT kind FROM calendar_meta").fetchone()
    return row[0] if row else None


def rebuild(con: duckdb.DuckDBPyConnection, calendar_kind: str | None = None,
            overrides: Path | None = None) -> list[int]:
    """Rebuild calendar, case_facts and dept_daily. Returns the years the cases touch that
    the holiday calendar does not cover (weekends-only there)."""
    kind = calendar_kind or stored_calendar_kind(con) or "cn"
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
    return [y for y in info.uncovered_years if first.year <= y <= last_event.year]


def uncovered_years(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Years with cases that the holiday package does not cover (spec 2)."""
    if not has_table(con, "calendar"):
        return []
    rows = con.execute("""
        SELECT DISTINCT year(day) FROM calendar
        WHERE NOT covered AND day BETWEEN (SELECT min(accepted_at)::DATE FROM cases)
            AND (SELECT greatest(max(accepted_at), max(completed_at))::DATE FROM cases)
        ORDER BY 1""").fetchall()
    return [r[0] for r in rows]
