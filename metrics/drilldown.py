"""The cases and items behind the figures: what an analyst opens when a number surprises.

Every list here uses the same rules as the figures: the `case_facts` view, and the period
dates and case filters declared in the registry, rendered by `metrics/render.py`. A test
checks that the counts agree with the sums.
"""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

from metrics.periods import Period
from metrics.rates import with_values
from metrics.registry import BY_NAME, METRICS, PERIOD_DATES
from metrics.render import case_predicate
from metrics.store import has_table, params_for, sql

# The measures an item has: those of cases dated in the period (not the catalogue's, nor the
# open-overdue count, which is a department's state at the period's end).
ITEM_METRICS = tuple(m for m in METRICS if m.period_date in ("accepted", "completed", "rated"))

CASE_COLUMNS = [
    "case_id", "dept", "item_code", "item_name", "item_type", "channel", "status", "accepted_at",
    "completed_at", "due_date", "deadline", "elapsed_workdays", "statutory_limit_days",
    "promised_limit_days", "window_signed", "rating", "rated_at",
]


def cases_behind(con: duckdb.DuckDBPyConnection, period: Period, metric_name: str, part: str = "numerator",
                 depts: list[str] | None = None, limit: int | None = 5000,
                 also: str | None = None, total: int | None = None) -> tuple[pd.DataFrame, int]:
    """(up to `limit` cases, total count) behind a metric's numerator or denominator;
    `also` narrows them further (a static predicate, never user text). `total`: the count
    when the caller has it (a part that counts cases has it in the per-day sums: counting
    again is a second pass over the period's cases)."""
    where = case_predicate(metric_name, part) + " AND ($all_depts OR list_contains($depts::VARCHAR[], dept))"
    if also:
        where += f" AND ({also})"
    params = {"start": period.start, "end": period.end, "all_depts": not depts, "depts": depts or []}
    source = _period_source(BY_NAME[metric_name].period_date)
    cur = con.cursor()
    params = params_for(where + source, params)
    if total is None:
        total = cur.execute(f"SELECT count(*) FROM {source} WHERE {where}", params).fetchone()[0]
    lim = "" if limit is None else f" LIMIT {int(limit)}"
    rows = cur.execute(
        f"SELECT {', '.join(CASE_COLUMNS)} FROM {source} WHERE {where} ORDER BY accepted_at, case_id{lim}",
        params).df()
    return rows, total


def _period_source(period_date: str) -> str:
    """case_facts, or for a period date stated on two columns, its cases as a UNION ALL of
    one part per column: each part skips the row groups outside the period, where the OR
    read every row group of the store (1.1 s for a quarter's poor ratings at 100M cases)."""
    parts = PERIOD_DATES[period_date].stored_parts
    if not parts:
        return "case_facts"
    return "(" + " UNION ALL ".join(f"SELECT * FROM case_facts WHERE {p}" for p in parts) + ")"


def catalogue_items(con: duckdb.DuckDBPyConnection, period: Period, depts: list[str] | None = None) -> pd.DataFrame:
    """The catalogue as it stood at the period's end, with each item's entry status."""
    return con.cursor().execute(sql("catalogue_items"), {
        "end": period.end, "all_depts": not depts, "depts": depts or []}).df()


def dept_items(con: duckdb.DuckDBPyConnection, period: Period, dept: str) -> pd.DataFrame:
    """Per item of one department: every case measure's parts and values in the period
    (`sql/item_parts.sql`, rendered from the registry)."""
    parts = con.cursor().execute(sql("item_parts"), {"start": period.start, "end": period.end, "dept": dept}).df()
    return with_values(parts, ITEM_METRICS)


def instant_items(con: duckdb.DuckDBPyConnection, period: Period, depts: list[str] | None = None) -> int:
    """Distinct instant items with a case accepted in the period (spec 5)."""
    return con.cursor().execute(
        "SELECT count(DISTINCT coalesce(item_code, item_name)) FROM cases "
        "WHERE item_type = 'instant' AND accepted_at >= $start AND accepted_at < $end + INTERVAL 1 DAY "
        "AND ($all_depts OR list_contains($depts::VARCHAR[], dept))",
        {"start": period.start, "end": period.end, "all_depts": not depts, "depts": depts or []}).fetchone()[0]


def open_warnings(con: duckdb.DuckDBPyConnection, as_of: date, depts: list[str] | None = None) -> pd.DataFrame:
    """Open cases as of a date: red when past the due date, yellow when due within 1 working day."""
    return con.cursor().execute(sql("open_warnings"), _warning_params(as_of, depts)).df()


def _warning_params(as_of: date, depts: list[str] | None) -> dict:
    return {"as_of": as_of, "all_depts": not depts, "depts": depts or []}


def warning_board(con: duckdb.DuckDBPyConnection, as_of: date, depts: list[str] | None = None,
                  limit: int | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(the first `limit` open warnings in the list's order; red and yellow counts per
    department, most red first) as of a date. A large store has tens of thousands of open
    warnings on a day, and the board shows a few cards and the first rows: the warnings are
    found once, in a temporary table of this cursor, then counted and cut there."""
    cur = con.cursor()
    try:
        cur.execute("CREATE TEMP TABLE _warnings AS\n" + sql("open_warnings").strip().removesuffix(";"),
                    _warning_params(as_of, depts))
        counts = cur.execute("""
            SELECT dept, count(*) FILTER (WHERE level = 'red') AS red, count(*) FILTER (WHERE level = 'yellow') AS yellow
            FROM _warnings GROUP BY dept ORDER BY red DESC, yellow DESC, dept""").df()
        rows = cur.execute("SELECT * FROM _warnings ORDER BY level, due_date, dept, case_id"
                           + ("" if limit is None else " LIMIT $n"), {} if limit is None else {"n": limit}).df()
    finally:
        cur.close()
    return rows, counts


def poor_ratings(con: duckdb.DuckDBPyConnection, period: Period, depts: list[str] | None = None,
                 limit: int | None = None) -> tuple[pd.DataFrame, int]:
    """(up to `limit`) ratings of 2 or less (不满意, 非常不满意) dated in the period, with their
    cases, and how many there are."""
    return cases_behind(con, period, "satisfaction_rate", "denominator", depts, limit=limit, also="rating <= 2")


def data_freshness(con: duckdb.DuckDBPyConnection) -> dict:
    """What the store holds: the last day with data and the last import."""
    cur = con.cursor()
    if has_table(cur, "case_days"):  # per-day counts, kept by every import
        first, last, n = cur.execute(
            "SELECT min(day) FILTER (WHERE accepted > 0), max(day), coalesce(sum(accepted), 0) FROM case_days"
        ).fetchone()
    else:  # a store opened read-only before its first write by this version
        first, last, n = cur.execute(
            "SELECT min(accepted_at)::DATE, greatest(max(accepted_at), max(completed_at))::DATE, count(*) FROM cases"
        ).fetchone()
    imp = cur.execute("SELECT max(imported_at), max(import_id) FROM imports").fetchone()
    return {"first_day": first, "data_through": last, "cases": n, "last_import_at": imp[0],
            "version": imp[1] or 0}


def departments(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every department with a case or a catalogue item. Every case has a department and an
    acceptance day, so `dept_daily` names every department with cases."""
    cur = con.cursor()
    with_cases = "dept_daily" if has_table(cur, "dept_daily") else "cases"
    return [r[0] for r in cur.execute(
        f"SELECT dept FROM {with_cases} UNION SELECT dept FROM catalogue WHERE dept IS NOT NULL ORDER BY 1").fetchall()]
