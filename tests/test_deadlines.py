"""Deadlines on the working-day calendar (spec 2, 5): early, on time, overdue, open overdue.

Every due date below was worked out by hand on the 2025 mainland calendar:
  July 2025: 07-01 is a Tuesday; 07-05/06 are Sat/Sun.
  National Day 2025: 10-01 .. 10-08 are rest days; Sun 09-28 and Sat 10-11 are make-up
  working days (调休); Sat 09-27 and Sun 10-12 are rest days.
  2025-09-01 is a Monday; 09-06/07 are Sat/Sun.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest

from metrics.aggregates import uncovered_years
from metrics.ingest import import_file
from metrics.mapping import parse_mapping
from metrics.periods import parse_period
from metrics.rates import dept_metrics
from metrics.store import connect

HEADER = ["办件编号", "办理部门", "办件类型", "受理时间", "办结时间", "承诺时限", "承诺办结时间", "办件状态"]
D, T = dt.date, dt.datetime


def case(cid, dept, acc, done="", promised="", due_at="", item_type="承诺件", status=""):
    return [cid, dept, item_type, acc, done, promised, due_at, status]


def write_csv(path: Path, rows) -> Path:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows([HEADER, *rows])
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def facts(con, cid):
    return con.execute("SELECT due_date, deadline, in_early_base, is_early, is_on_time, elapsed_workdays "
                       "FROM case_facts WHERE case_id = ?", [cid]).fetchone()


# ---------------------------------------------------------------- boundaries, July 2025

BOUNDARY = [
    # promised_limit_days: accepted Tue 07-01; working days after it 07-02 (1), 07-03 (2), 07-04 (3): due Fri 07-04.
    case("P_ON", "期限局", "2025-07-01 09:00", "2025-07-04 17:30", "3"),     # on the due date: on time, not early
    case("P_EARLY", "期限局", "2025-07-01 09:00", "2025-07-03 17:00", "3"),  # the day before: early
    case("P_LATE", "期限局", "2025-07-01 09:00", "2025-07-07 09:00", "3"),   # next working day (Mon): overdue
    case("P_SAT", "期限局", "2025-07-01 09:00", "2025-07-05 10:00", "3"),    # the Saturday after: overdue
    # due_at: the system's own promised time.
    case("D_AT", "期限局", "2025-07-01 09:00", "2025-07-04 12:00:00", due_at="2025-07-04 12:00:00"),  # at it: on time
    case("D_1MIN", "期限局", "2025-07-01 09:00", "2025-07-04 12:01:00", due_at="2025-07-04 12:00:00"),  # 1 min late
    case("D_MID", "期限局", "2025-07-01 09:00", "2025-07-04 23:59:00", due_at="2025-07-04 00:00:00"),  # end of day
    case("D_DATE", "期限局", "2025-07-01 09:00", "2025-07-04 18:00", due_at="2025-07-04"),     # date only: end of day
    case("D_DATE_LATE", "期限局", "2025-07-01 09:00", "2025-07-05 08:30", due_at="2025-07-04"),  # next morning: late
    case("D_EARLY", "期限局", "2025-07-01 09:00", "2025-07-03 18:00", due_at="2025-07-04 12:00"),  # day before: early
    # due_at wins over the promise (10 working days would be 07-15).
    case("D_WINS", "期限局", "2025-07-01 09:00", "2025-07-03 10:00", "10", due_at="2025-07-02"),
    # instant items: due on the acceptance date itself, even a Saturday.
    case("I_SAME", "期限局", "2025-07-01 09:00", "2025-07-01 17:00", "0", item_type="即办件"),
    case("I_NEXT", "期限局", "2025-07-01 09:00", "2025-07-02 09:00", "0", item_type="即办件"),
    case("I_SAT", "期限局", "2025-07-05 10:00", "2025-07-05 11:00", "0", item_type="即办件"),
    # committed with promise 0 and no due_at: a deadline (on-time base) but not in the early base.
    case("C0", "期限局", "2025-07-01 09:00", "2025-07-01 16:00", "0"),
    # neither promised_limit_days nor due_at: no deadline at all.
    case("NONE", "期限局", "2025-07-01 09:00", "2025-07-10 10:00"),
]
END_0704 = T(2025, 7, 5)    # the end of 07-04
EXPECTED_FACTS = {
    # case: (due_date, deadline, in_early_base, is_early, is_on_time, elapsed working days)
    "P_ON": (D(2025, 7, 4), END_0704, True, False, True, 3),
    "P_EARLY": (D(2025, 7, 4), END_0704, True, True, True, 2),
    "P_LATE": (D(2025, 7, 4), END_0704, True, False, False, 4),         # 07-02 03 04 07
    "P_SAT": (D(2025, 7, 4), END_0704, True, False, False, 3),          # a Saturday adds no working day
    "D_AT": (D(2025, 7, 4), T(2025, 7, 4, 12), True, False, True, 3),
    "D_1MIN": (D(2025, 7, 4), T(2025, 7, 4, 12), True, False, False, 3),
    "D_MID": (D(2025, 7, 4), END_0704, True, False, True, 3),
    "D_DATE": (D(2025, 7, 4), END_0704, True, False, True, 3),
    "D_DATE_LATE": (D(2025, 7, 4), END_0704, True, False, False, 3),
    "D_EARLY": (D(2025, 7, 4), T(2025, 7, 4, 12), True, True, True, 2),
    "D_WINS": (D(2025, 7, 2), T(2025, 7, 3), True, False, False, 2),
    "I_SAME": (D(2025, 7, 1), T(2025, 7, 2), False, False, True, 0),
    "I_NEXT": (D(2025, 7, 1), T(2025, 7, 2), False, False, False, 1),
    "I_SAT": (D(2025, 7, 5), T(2025, 7, 6), False, False, True, 0),
    "C0": (D(2025, 7, 1), T(2025, 7, 2), False, False, True, 0),
    "NONE": (None, None, False, False, False, 7),                       # 07-02 03 04 07 08 09 10
}


@pytest.fixture(scope="module")
def boundary_store(tmp_path_factory):
    d = tmp_path_factory.mktemp("deadlines")
    con = connect(d / "store.duckdb")
    ledger = import_file(con, write_csv(d / "cases.csv", BOUNDARY))
    assert (ledger.accepted, ledger.rejected) == (len(BOUNDARY), 0)
    yield con
    con.close()


@pytest.mark.parametrize("cid", list(EXPECTED_FACTS))
def test_deadline_boundaries(boundary_store, cid):
    due_date, deadline, early_base, is_early, on_time, elapsed = facts(boundary_store, cid)
    exp = EXPECTED_FACTS[cid]
    # NULL flags (no deadline) count as false: FILTER (WHERE flag) leaves them out of every sum.
    assert (due_date, deadline, bool(early_base), bool(is_early), bool(on_time), elapsed) == exp


def test_boundary_rates(boundary_store):
    d = dept_metrics(boundary_store, parse_period("2025-07")).set_index("dept").loc["期限局"]
    assert d["completed_cases"] == 16
    # Deadline base: all but NONE = 15. On time: P_ON P_EARLY D_AT D_MID D_DATE D_EARLY I_SAME I_SAT C0 = 9;
    # overdue: P_LATE P_SAT D_1MIN D_DATE_LATE D_WINS I_NEXT = 6.
    assert (d["deadline_cases"], d["on_time_cases"], d["overdue_cases"]) == (15, 9, 6)
    assert d["on_time_rate"] == pytest.approx(9 / 15)
    # Early base: committed with promise >= 1 or due_at = P_* (4) + D_* (7) = 11; early: P_EARLY, D_EARLY.
    assert (d["early_base"], d["early_cases"]) == (11, 2)
    assert d["early_completion_rate"] == pytest.approx(2 / 11)
    # instant ratio: I_SAME, I_NEXT, I_SAT of 16 accepted in July
    assert d["instant_ratio"] == pytest.approx(3 / 16)


# ---------------------------------------------------------------- National Day 2025

NATIONAL_DAY = [
    # accepted Fri 09-26. Working days after it: Sun 09-28 (1, make-up), Mon 09-29 (2), Tue 09-30 (3),
    # then 10-01..10-08 off, Thu 10-09 (4), Fri 10-10 (5), Sat 10-11 (6, make-up), Mon 10-13 (7).
    case("N3", "国庆局", "2025-09-26 10:00", "2025-09-30 16:00", "3"),   # due 09-30 (not 10-09!): on time
    case("N4", "国庆局", "2025-09-26 10:00", "2025-10-08 15:00", "4"),   # due 10-09; done on a holiday: early
    case("N5", "国庆局", "2025-09-26 10:00", "2025-10-10 11:00", "5"),   # due 10-10: on time, not early
    case("N6", "国庆局", "2025-09-26 10:00", "2025-10-13 09:00", "6"),   # due Sat 10-11; Mon 10-13: overdue
    case("N6_ON", "国庆局", "2025-09-26 10:00", "2025-10-11 10:00", "6"),  # done on the make-up Saturday
    case("N_HOL", "国庆局", "2025-10-03 10:00", "2025-10-09 09:00", "1"),  # accepted on a holiday: due 10-09
    case("N_SUN", "国庆局", "2025-09-26 10:00", "2025-09-28 10:00", "1"),  # due the make-up Sunday 09-28
]
EXPECTED_NATIONAL_DAY = {
    # (due_date, is_early, is_on_time, elapsed working days)
    "N3": (D(2025, 9, 30), False, True, 3),
    "N4": (D(2025, 10, 9), True, True, 3),     # 09-28 29 30; the holiday 10-08 adds none
    "N5": (D(2025, 10, 10), False, True, 5),   # 09-28 29 30, 10-09 10
    "N6": (D(2025, 10, 11), False, False, 7),  # ... 10-11 and 10-13
    "N6_ON": (D(2025, 10, 11), False, True, 6),
    "N_HOL": (D(2025, 10, 9), False, True, 1),
    "N_SUN": (D(2025, 9, 28), False, True, 1),
}


@pytest.fixture(scope="module")
def national_day_store(tmp_path_factory):
    d = tmp_path_factory.mktemp("national_day")
    con = connect(d / "store.duckdb")
    ledger = import_file(con, write_csv(d / "cases.csv", NATIONAL_DAY))
    assert ledger.accepted == len(NATIONAL_DAY) and ledger.uncovered_years == []
    yield con
    con.close()


@pytest.mark.parametrize("cid", list(EXPECTED_NATIONAL_DAY))
def test_national_day_crossing(national_day_store, cid):
    due_date, _, _, is_early, on_time, elapsed = facts(national_day_store, cid)
    assert (due_date, is_early, on_time, elapsed) == EXPECTED_NATIONAL_DAY[cid]


def test_national_day_rates(national_day_store):
    q4 = dept_metrics(national_day_store, parse_period("2025Q4")).set_index("dept").loc["国庆局"]
    # Completed in Q4: N4 N5 N6 N6_ON N_HOL (N3 and N_SUN completed in September).
    assert q4["completed_cases"] == 5
    assert (q4["on_time_cases"], q4["deadline_cases"], q4["early_cases"], q4["early_base"]) == (4, 5, 1, 5)
    # accepted in Q4: N_HOL only
    assert q4["cases"] == 1
    # average actual working days: (3 + 5 + 7 + 6 + 1) / 5
    assert q4["avg_actual_days"] == pytest.approx(22 / 5)


# ---------------------------------------------------------------- open overdue cases at a period end

OPEN = [
    # accepted Mon 09-01, promise 5: 09-02 (1) 03 (2) 04 (3) 05 (4) Mon 09-08 (5): due 09-08, overdue from 09-09.
    case("O1", "监察局", "2025-09-01 09:00", "", "5", status="在办"),
    case("O_WD", "监察局", "2025-09-01 09:00", "", "5", status="撤件"),          # withdrawn: never counted
    case("O_RJ", "监察局", "2025-09-01 09:00", "", "5", status="不予受理"),      # rejected: never counted
    case("O_LATE", "监察局", "2025-09-01 09:00", "2025-10-15 10:00", "5"),      # still open on 09-30
    case("O_ONTIME", "监察局", "2025-09-01 09:00", "2025-09-08 17:00", "5"),    # done in time
    case("O_NOTYET", "监察局", "2025-09-26 09:00", "", "3", status="在办"),      # due 09-30: not past on 09-30
    case("O_AFTER", "监察局", "2025-10-09 09:00", "", "1", status="在办"),       # accepted after Q3; due 10-10
    case("O_DUEAT", "监察局", "2025-09-29 09:00", "", due_at="2025-09-30 10:00", status="在办"),  # past on 09-30
    case("O_NODL", "监察局", "2025-09-01 09:00", "", status="在办"),             # no deadline: never overdue
]


@pytest.fixture(scope="module")
def open_store(tmp_path_factory):
    d = tmp_path_factory.mktemp("open")
    con = connect(d / "store.duckdb")
    ledger = import_file(con, write_csv(d / "cases.csv", OPEN))
    assert ledger.accepted == len(OPEN)
    yield con
    con.close()


@pytest.mark.parametrize("period, expected", [
    ("2025Q3", 3),                     # O1, O_LATE (completed after the end counts as open), O_DUEAT
    ("2025-09", 3),                    # the same end
    ("2025-09-01..2025-09-08", 0),     # at the end of 09-08 the due date has not passed yet
    ("2025-09-01..2025-09-09", 2),     # O1, O_LATE
    ("2025-09-01..2025-09-29", 2),     # O_DUEAT's deadline is 09-30 10:00
    ("2025Q4", 4),                     # O1, O_NOTYET, O_AFTER, O_DUEAT (O_LATE completed 10-15)
    ("2025-10-01..2025-10-10", 4),     # O1, O_LATE (done 10-15), O_NOTYET, O_DUEAT; O_AFTER due 10-10 itself
    ("2025-10-01..2025-10-11", 5),     # ... and O_AFTER from 10-11 (10-11 is a make-up working day)
    ("2025Q2", 0),                     # nothing accepted yet
])
def test_open_overdue_at_period_end(open_store, period, expected):
    m = dept_metrics(open_store, parse_period(period)).set_index("dept")
    got = int(m.loc["监察局", "open_overdue_cases"]) if "监察局" in m.index else 0
    assert got == expected


def test_open_overdue_completion_counts_later(open_store):
    q4 = dept_metrics(open_store, parse_period("2025Q4")).set_index("dept").loc["监察局"]
    # Completed in Q4: O_LATE (due 09-08, done 10-15): one overdue completion.
    assert (q4["completed_cases"], q4["overdue_cases"], q4["on_time_cases"]) == (1, 1, 0)
    q3 = dept_metrics(open_store, parse_period("2025Q3")).set_index("dept").loc["监察局"]
    # Completed in Q3: O_ONTIME only, on time: the rate looks perfect while 3 late cases stay open.
    assert (q3["completed_cases"], q3["on_time_rate"], q3["open_overdue_cases"]) == (1, 1.0, 3)


# ---------------------------------------------------------------- calendar options

WEEKDAY_ROWS = [
    case("W3", "周历局", "2025-09-26 10:00", "2025-10-01 10:00", "3"),
    case("W1", "周历局", "2025-09-26 10:00", "2025-09-29 10:00", "1"),
]


def test_weekdays_calendar_from_a_mapping(tmp_path):
    # Monday-Friday only: Sun 09-28 is a rest day and 10-01.. are working days.
    # W3: 09-29 (1), 09-30 (2), Wed 10-01 (3): due 10-01, done 10-01: on time.
    # W1: due Mon 09-29 (on the cn calendar it would be the make-up Sunday 09-28).
    con = connect(tmp_path / "store.duckdb")
    mapping = parse_mapping('[options]\ncalendar = "weekdays"\n')
    import_file(con, write_csv(tmp_path / "cases.csv", WEEKDAY_ROWS), mapping=mapping)
    assert con.execute("SELECT kind FROM calendar_meta").fetchone() == ("weekdays",)
    assert con.execute("SELECT day, is_workday FROM calendar WHERE day IN ('2025-09-28', '2025-10-01') "
                       "ORDER BY day").fetchall() == [(D(2025, 9, 28), False), (D(2025, 10, 1), True)]
    assert facts(con, "W3")[0::4] == (D(2025, 10, 1), True)
    assert facts(con, "W3")[5] == 3
    assert facts(con, "W1")[0] == D(2025, 9, 29)
    con.close()


def test_same_rows_on_the_cn_calendar(tmp_path):
    # cn: W3 is due Tue 09-30 (09-28 make-up, 09-29, 09-30), so done 10-01 is overdue; W1 due Sun 09-28.
    con = connect(tmp_path / "store.duckdb")
    import_file(con, write_csv(tmp_path / "cases.csv", WEEKDAY_ROWS))
    assert con.execute("SELECT kind FROM calendar_meta").fetchone() == ("cn",)
    assert facts(con, "W3")[0::4] == (D(2025, 9, 30), False)
    assert facts(con, "W1")[0] == D(2025, 9, 28)
    con.close()


def test_uncovered_year_imports_and_is_reported(tmp_path):
    # chinesecalendar has no 2027: weekends only. Mon 2027-03-01 + 3 working days = Thu 03-04.
    con = connect(tmp_path / "store.duckdb")
    ledger = import_file(con, write_csv(tmp_path / "cases.csv", [
        case("Y1", "未来局", "2027-03-01 09:00", "2027-03-04 17:00", "3"),
        case("Y2", "未来局", "2027-03-05 09:00", "2027-03-08 09:00", "1"),   # Fri + 1 = Mon 03-08
    ]))
    assert (ledger.accepted, ledger.rejected) == (2, 0)
    assert ledger.uncovered_years == [2027]
    assert uncovered_years(con) == [2027]
    assert facts(con, "Y1")[0::4] == (D(2027, 3, 4), True)
    assert facts(con, "Y2")[0] == D(2027, 3, 8)
    assert con.execute("SELECT bool_and(NOT covered) FROM calendar WHERE year(day) = 2027").fetchone() == (True,)
    con.close()


def test_covered_year_reports_nothing(tmp_path):
    con = connect(tmp_path / "store.duckdb")
    ledger = import_file(con, write_csv(tmp_path / "cases.csv", [case("Z1", "甲局", "2025-07-01", "2025-07-02", "1")]))
    assert ledger.uncovered_years == []
    con.close()


def test_due_date_in_an_uncovered_year_is_reported(tmp_path):
    # (was an engine bug: only dates in the file counted, not due dates computed from the promise)
    # 2026 is covered; 2027 is not. Working days after Fri 12-25: Mon 12-28 (1) 29 (2) 30 (3) 31 (4), and
    # Fri 2027-01-01 (5) only because 2027's holidays are unknown.
    con = connect(tmp_path / "store.duckdb")
    ledger = import_file(con, write_csv(tmp_path / "cases.csv",
                                        [case("E1", "跨年局", "2026-12-25 09:00", "", "5", status="在办")]))
    assert facts(con, "E1")[0] == D(2027, 1, 1)
    assert ledger.uncovered_years == [2027]
    assert uncovered_years(con) == [2027]
    con.close()
