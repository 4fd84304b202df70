"""Incremental import (issue 12): an import updates only what its cases touch, and the store
it leaves equals, cell for cell, a store built by one import of the same final cases.

The demo case log is cut into one file per month (every row of a case id in the month of
its first row, so repeats and conflicts stay inside one file, as in one import of the whole
log), imported month by month in an order that also goes back in time (the calendar has to
grow at its start), then a file of re-imported cases moved to another department, another
day, reopened or re-rated. The reference store imports one file holding the same final rows.
Compared: the cases (all but import_id and source_row, which say where a row came from),
dept_daily, case_years, the ledgers' totals, the rejected rows and the ranking of every
quarter; and dept_daily is also rebuilt from the incrementally built store's own cases.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from metrics import aggregates
from metrics.drilldown import data_freshness
from metrics.ingest import import_file
from metrics.periods import parse_period
from metrics.ranking import ranking
from metrics.store import connect, sql

N_CASES = 12_000
CASE_COLS = "* EXCLUDE (import_id, source_row)"


def _copy_csv(con: duckdb.DuckDBPyConnection, query: str, path: Path) -> Path:
    con.execute(f"COPY ({query}) TO '{path}' (HEADER, DELIMITER ',')")
    return path


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    from data.demo import write_demo_files
    d = tmp_path_factory.mktemp("incremental")
    cases_csv, catalogue = write_demo_files(d, n_cases=N_CASES, seed=21)
    con = duckdb.connect()
    con.execute(f"CREATE TABLE raw AS SELECT row_number() OVER () AS n, * FROM read_csv('{cases_csv}', all_varchar=true)")
    # The month of a case id's first row decides its file.
    con.execute("""CREATE TABLE placed AS SELECT r.*, first_value(substr(受理时间, 1, 7)) OVER (
                   PARTITION BY 办件编号 ORDER BY n) AS file_month FROM raw r""")
    months = [m for (m,) in con.execute(
        "SELECT DISTINCT file_month FROM placed WHERE file_month LIKE '20__-__' ORDER BY 1").fetchall()]
    assert len(months) >= 20
    other = con.execute("SELECT count(*) FROM placed WHERE file_month NOT LIKE '20__-__' OR file_month IS NULL"
                        ).fetchone()[0]
    monthly = []
    for m in months:
        monthly.append(_copy_csv(con, f"SELECT * EXCLUDE (n, file_month) FROM placed WHERE file_month = '{m}' "
                                      "ORDER BY n", d / f"month-{m}.csv"))
    if other:  # rows with an unreadable acceptance time: a file of their own
        monthly.append(_copy_csv(con, "SELECT * EXCLUDE (n, file_month) FROM placed WHERE file_month NOT LIKE "
                                      "'20__-__' OR file_month IS NULL ORDER BY n", d / "month-other.csv"))

    # Re-imports: cases with one well-formed row, changed four ways by their number.
    con.execute("""CREATE TABLE single AS SELECT * FROM raw WHERE 办件编号 IN (
                       SELECT 办件编号 FROM raw GROUP BY 1 HAVING count(*) = 1)
                   AND try_strptime(受理时间, '%Y-%m-%d %H:%M:%S') IS NOT NULL
                   AND (办结时间 IS NULL OR try_strptime(办结时间, '%Y-%m-%d %H:%M:%S') IS NOT NULL)""")
    con.execute("""CREATE TABLE changed AS SELECT * REPLACE (
        CASE WHEN n % 4 = 0 THEN (SELECT min(办理部门) FROM raw WHERE 办理部门 <> s.办理部门) ELSE 办理部门 END AS 办理部门,
        CASE WHEN n % 4 = 1 THEN strftime(strptime(受理时间, '%Y-%m-%d %H:%M:%S') - INTERVAL 40 DAY, '%Y-%m-%d %H:%M:%S')
             ELSE 受理时间 END AS 受理时间,
        CASE WHEN n % 4 = 1 THEN strftime(strptime(办结时间, '%Y-%m-%d %H:%M:%S') - INTERVAL 40 DAY, '%Y-%m-%d %H:%M:%S')
             WHEN n % 4 = 2 THEN NULL ELSE 办结时间 END AS 办结时间,
        CASE WHEN n % 4 = 1 AND 评价时间 IS NOT NULL
             THEN strftime(strptime(评价时间, '%Y-%m-%d %H:%M:%S') - INTERVAL 40 DAY, '%Y-%m-%d %H:%M:%S')
             ELSE 评价时间 END AS 评价时间,
        CASE WHEN n % 4 = 2 THEN '在办' ELSE 办件状态 END AS 办件状态,
        CASE WHEN n % 4 = 3 THEN '不满意' ELSE 评价等级 END AS 评价等级)
        FROM single s WHERE n % 23 = 0""")
    changed_n = con.execute("SELECT count(*) FROM changed").fetchone()[0]
    assert changed_n > 400
    reimport = _copy_csv(con, "SELECT * EXCLUDE (n) FROM changed ORDER BY n", d / "reimport.csv")
    # The reference: one file with every final row (the changed rows in place of the originals).
    final = _copy_csv(con, """SELECT * EXCLUDE (n) FROM (
        SELECT * FROM raw WHERE 办件编号 NOT IN (SELECT 办件编号 FROM changed) OR 办件编号 IS NULL
        UNION ALL SELECT * FROM changed) ORDER BY n""", d / "final.csv")
    con.close()
    # From the middle forwards, then back to the first month: the calendar grows at both ends.
    half = len(months) // 2
    order = monthly[half:] + monthly[:half][::-1]
    return {"dir": d, "catalogue": catalogue, "whole": cases_csv, "monthly": order, "reimport": reimport,
            "final": final, "months": months, "changed": changed_n}


def _store(path: Path, catalogue: Path, case_files: list[Path], **kw) -> tuple[duckdb.DuckDBPyConnection, list]:
    con = connect(path)
    import_file(con, catalogue, kind="catalogue")
    return con, [import_file(con, f, **kw) for f in case_files]


def _frame(con, query: str) -> pd.DataFrame:
    return con.execute(query).df()


def assert_same_store(a: duckdb.DuckDBPyConnection, b: duckdb.DuckDBPyConnection, quarters: list[str]) -> None:
    pd.testing.assert_frame_equal(_frame(a, f"SELECT {CASE_COLS} FROM cases ORDER BY case_id"),
                                  _frame(b, f"SELECT {CASE_COLS} FROM cases ORDER BY case_id"))
    pd.testing.assert_frame_equal(_frame(a, "SELECT * FROM dept_daily ORDER BY day, dept"),
                                  _frame(b, "SELECT * FROM dept_daily ORDER BY day, dept"))
    pd.testing.assert_frame_equal(_frame(a, "SELECT * FROM case_years ORDER BY year"),
                                  _frame(b, "SELECT * FROM case_years ORDER BY year"))
    for table, order in SUMMED_TABLES.items():
        pd.testing.assert_frame_equal(_frame(a, f"SELECT * FROM {table} ORDER BY {order}"),
                                      _frame(b, f"SELECT * FROM {table} ORDER BY {order}"), obj=table)
    assert aggregates.uncovered_years(a) == aggregates.uncovered_years(b)
    for q in quarters:
        pd.testing.assert_frame_equal(ranking(a, parse_period(q)), ranking(b, parse_period(q)), obj=q)


SUMMED_TABLES = {"dept_daily": "day, dept", "item_daily": "day, dept, item_code, item_name", "case_days": "day",
                 "case_years": "year"}


def assert_daily_is_its_own_rebuild(con: duckdb.DuckDBPyConnection) -> None:
    """Every per-day table as built by the imports equals its SQL over the store's cases now."""
    con.execute("DROP SCHEMA IF EXISTS check_rebuild CASCADE")
    con.execute("CREATE SCHEMA check_rebuild")
    for t in ("cases", "calendar", "workdays"):
        con.execute(f"CREATE VIEW check_rebuild.{t} AS SELECT * FROM main.{t}")
    con.execute("SET schema = 'check_rebuild'")
    try:
        con.execute(sql("case_facts"))
        for name in ("daily_aggregates", "item_daily", "case_days", "case_years"):
            con.execute(sql(name))
    finally:
        con.execute("SET schema = 'main'")
    for table, order in SUMMED_TABLES.items():
        pd.testing.assert_frame_equal(_frame(con, f"SELECT * FROM main.{table} ORDER BY {order}"),
                                      _frame(con, f"SELECT * FROM check_rebuild.{table} ORDER BY {order}"), obj=table)
    con.execute("DROP SCHEMA check_rebuild CASCADE")


QUARTERS = ["2024Q3", "2024Q4", "2025Q1", "2025Q2", "2025Q3", "2025Q4", "2026Q1", "2026Q2", "2026Q3"]


@pytest.fixture(scope="module")
def monthly_store(files, tmp_path_factory):
    d = tmp_path_factory.mktemp("monthly")
    con, ledgers = _store(d / "monthly.duckdb", files["catalogue"], files["monthly"])
    yield con, ledgers
    con.close()


def test_monthly_imports_equal_one_import_of_all_months(files, monthly_store, tmp_path):
    con, ledgers = monthly_store
    ref, (whole,) = _store(tmp_path / "whole.duckdb", files["catalogue"], [files["whole"]])
    # The first import builds everything (and says why); every later one updates.
    assert ledgers[0].full_rebuild == "the store holds no cases yet"
    assert [led.full_rebuild for led in ledgers[1:]] == [None] * (len(ledgers) - 1)
    assert whole.full_rebuild == "the store holds no cases yet"
    # The same ledger: every row ends in the same place.
    for field in ("rows_read", "accepted", "rejected", "repeats", "inserted"):
        assert sum(getattr(led, field) for led in ledgers) == getattr(whole, field), field
    assert all(led.balances() and led.updated == 0 for led in ledgers)
    assert whole.rejected > 0
    reasons = "SELECT field, value, reason FROM rejects ORDER BY ALL"
    pd.testing.assert_frame_equal(_frame(con, reasons), _frame(ref, reasons))
    assert_same_store(con, ref, QUARTERS)
    assert_daily_is_its_own_rebuild(con)
    # The calendar grew back to the first month's cases, and says what the reference's says of every day.
    span = "SELECT first_day, last_day FROM calendar_meta"
    (first, last), (ref_first, ref_last) = con.execute(span).fetchone(), ref.execute(span).fetchone()
    assert first == ref_first and last >= ref_last
    days = "SELECT day, is_workday FROM calendar WHERE day <= $last ORDER BY day"
    assert con.execute(days, {"last": ref_last}).fetchall() == ref.execute(days, {"last": ref_last}).fetchall()
    ref.close()


def test_reimports_moving_cases_equal_one_import_of_the_final_cases(files, monthly_store, tmp_path):
    con, _ = monthly_store
    stored = con.execute(f"""SELECT count(*) FROM cases WHERE case_id IN (
        SELECT 办件编号 FROM read_csv('{files["reimport"]}', all_varchar=true))""").fetchone()[0]
    assert stored > 400
    moved = import_file(con, files["reimport"])
    assert moved.full_rebuild is None
    # A changed row whose original was rejected arrives as new.
    assert (moved.accepted, moved.updated, moved.inserted) == (files["changed"], stored, files["changed"] - stored)
    ref, _ = _store(tmp_path / "final.duckdb", files["catalogue"], [files["final"]])
    assert_same_store(con, ref, QUARTERS)
    assert_daily_is_its_own_rebuild(con)
    # The same file again replaces every case by itself: nothing changes but provenance.
    before = _frame(con, "SELECT * FROM dept_daily ORDER BY day, dept")
    again = import_file(con, files["reimport"])
    assert (again.updated, again.inserted, again.full_rebuild) == (files["changed"], 0, None)
    assert_daily_is_its_own_rebuild(con)
    pd.testing.assert_frame_equal(before, _frame(con, "SELECT * FROM dept_daily ORDER BY day, dept"))
    ref.close()


def test_a_calendar_change_rebuilds_everything_and_says_so(files, tmp_path):
    months = files["monthly"]
    con, ledgers = _store(tmp_path / "cal.duckdb", files["catalogue"], months[:3])
    assert [led.full_rebuild for led in ledgers[1:]] == [None, None]
    weekdays = import_file(con, months[3], calendar_kind="weekdays")
    assert weekdays.full_rebuild == "the working-day calendar changes from cn to weekdays"
    ref, _ = _store(tmp_path / "ref.duckdb", files["catalogue"], months[:4], calendar_kind="weekdays")
    assert_same_store(con, ref, QUARTERS)
    # The store's calendar is now weekdays: the next import without a choice keeps it and updates.
    assert import_file(con, months[4]).full_rebuild is None
    # Overrides that make a stored working day a rest day: every case is computed again.
    overrides = tmp_path / "overrides.csv"
    overrides.write_text("date,is_workday\n2025-12-02,0\n2025-12-03,0\n", encoding="utf-8")  # Tue, Wed
    led = import_file(con, months[5], calendar_overrides=overrides)
    assert led.full_rebuild == "the working-day calendar changes on 2 stored days (overrides or holiday data)"
    ref2, _ = _store(tmp_path / "ref2.duckdb", files["catalogue"], months[:6], calendar_kind="weekdays",
                     calendar_overrides=overrides)
    assert_same_store(con, ref2, QUARTERS)
    # The same overrides again change nothing: an update.
    assert import_file(con, months[6], calendar_overrides=overrides).full_rebuild is None
    assert_daily_is_its_own_rebuild(con)
    for c in (con, ref, ref2):
        c.close()


HEADER = ["办件编号", "办理部门", "办件类型", "受理时间", "办结时间", "承诺时限", "评价等级", "办件状态"]


def _write(path: Path, rows) -> Path:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows([HEADER, *rows])
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def test_a_case_moved_away_takes_its_days_with_it(tmp_path):
    """By hand: 乙局's only case moves to 甲局 and two days later; 乙局's rows go, 甲局 gains them."""
    con = connect(tmp_path / "s.duckdb")
    # Tue 2025-07-01, promise 3 working days: due Fri 07-04; completed Thu 07-03, rated 非常满意 (5).
    import_file(con, _write(tmp_path / "a.csv", [
        ["A1", "甲局", "承诺件", "2025-07-01 09:00", "2025-07-03 10:00", "3", "", "办结"],
        ["B1", "乙局", "承诺件", "2025-07-01 10:00", "2025-07-03 11:00", "3", "非常满意", "办结"],
    ]))
    daily = "SELECT dept, day::VARCHAR, accepted_cases, completed_cases, early_cases, ratings FROM dept_daily ORDER BY ALL"
    assert con.execute(daily).fetchall() == [
        ("乙局", "2025-07-01", 1, 0, 0, 0), ("乙局", "2025-07-03", 0, 1, 1, 1),
        ("甲局", "2025-07-01", 1, 0, 0, 0), ("甲局", "2025-07-03", 0, 1, 1, 0),
    ]
    # B1 now 甲局, accepted Thu 07-03, due Tue 07-08, completed Mon 07-07 (early), rated 满意 (4); and
    # C1, still open at 甲局 with 07-01 + 1 working day = due 07-02: overdue from 07-03 (+1 event), never ending.
    moved = import_file(con, _write(tmp_path / "b.csv", [
        ["B1", "甲局", "承诺件", "2025-07-03 10:00", "2025-07-07 11:00", "3", "满意", "办结"],
        ["C1", "甲局", "承诺件", "2025-07-01 11:00", "", "1", "", "在办"],
    ]))
    assert (moved.updated, moved.inserted, moved.full_rebuild) == (1, 1, None)
    assert con.execute(daily).fetchall() == [
        ("甲局", "2025-07-01", 2, 0, 0, 0), ("甲局", "2025-07-03", 1, 1, 1, 0), ("甲局", "2025-07-07", 0, 1, 1, 1),
    ]
    assert con.execute("SELECT day::VARCHAR, open_overdue_cases_delta FROM dept_daily "
                       "WHERE open_overdue_cases_delta <> 0").fetchall() == [("2025-07-03", 1)]
    assert con.execute("SELECT dept, count(*) FROM cases GROUP BY 1").fetchall() == [("甲局", 3)]
    # The files name no item: one item (no code, no name) per department, with the same days.
    assert con.execute("SELECT dept, item_code, day::VARCHAR, accepted_cases, completed_cases, early_cases, ratings "
                       "FROM item_daily ORDER BY ALL").fetchall() == [
        ("甲局", None, "2025-07-01", 2, 0, 0, 0), ("甲局", None, "2025-07-03", 1, 1, 1, 0),
        ("甲局", None, "2025-07-07", 0, 1, 1, 1)]
    # Accepted: A1 and C1 on 07-01, B1 on 07-03; ended: A1 on 07-03, B1 on 07-07 (B1's old 07-03
    # end gone); rated: none, as the file gives no rating time (a rating then counts on its
    # case's completion day, which `ended` holds).
    assert con.execute("SELECT day::VARCHAR, accepted, ended, rated FROM case_days ORDER BY day").fetchall() == [
        ("2025-07-01", 2, 0, 0), ("2025-07-03", 1, 1, 0), ("2025-07-07", 0, 1, 0)]
    assert data_freshness(con)["cases"] == 3 and str(data_freshness(con)["data_through"]) == "2025-07-07"
    # C1 completes on 07-03, the day it fell overdue: no overdue event is left on any day.
    done = import_file(con, _write(tmp_path / "c.csv", [
        ["C1", "甲局", "承诺件", "2025-07-01 11:00", "2025-07-03 09:00", "1", "", "办结"]]))
    assert done.full_rebuild is None
    assert con.execute("SELECT count(*) FROM dept_daily WHERE open_overdue_cases_delta <> 0").fetchone()[0] == 0
    assert_daily_is_its_own_rebuild(con)
    con.close()
