"""The working-day calendar (spec 2), against a real in-memory DuckDB.

Expected numbers are worked out by hand from the official 2025 arrangement
(国务院办公厅 2025 holiday notice): National Day + Mid-Autumn = 2025-10-01..10-08 off;
Sunday 2025-09-28 and Saturday 2025-10-11 are make-up working days.
"""

from __future__ import annotations

from datetime import date, datetime

import duckdb
import pytest

from metrics.calendar import (
    CalendarInfo,
    build_calendar,
    elapsed_workdays,
    nth_workday_after,
    read_overrides,
)

D = date.fromisoformat


@pytest.fixture
def con():
    c = duckdb.connect(":memory:")
    yield c
    c.close()


@pytest.fixture
def cn2025(con):
    build_calendar(con, D("2025-09-01"), D("2025-10-31"))
    return con


def workday_no(con, day):
    return con.execute("SELECT workday_no FROM calendar WHERE day = ?", [D(day)]).fetchone()[0]


def is_workday(con, day):
    return con.execute("SELECT is_workday FROM calendar WHERE day = ?", [D(day)]).fetchone()[0]


# --- the 2025 National Day holiday, kind "cn" -------------------------------------------------


def test_national_day_elapsed(cn2025):
    # (09-30, 10-09]: 10-01..10-08 are rest days, 10-09 (Thu) is the only working day.
    assert elapsed_workdays(cn2025, D("2025-09-30"), D("2025-10-09")) == 1


def test_make_up_sunday_counts(cn2025):
    # (Fri 09-26, Mon 09-29]: Sat 09-27 rest, Sun 09-28 make-up working day, Mon 09-29.
    assert elapsed_workdays(cn2025, D("2025-09-26"), D("2025-09-29")) == 2


def test_day_flags(cn2025):
    assert is_workday(cn2025, "2025-09-27") is False  # ordinary Saturday
    assert is_workday(cn2025, "2025-09-28") is True  # 调休 Sunday
    for d in range(1, 9):
        assert is_workday(cn2025, f"2025-10-0{d}") is False
    assert is_workday(cn2025, "2025-10-09") is True
    assert is_workday(cn2025, "2025-10-11") is True  # 调休 Saturday
    assert is_workday(cn2025, "2025-10-12") is False


def test_workday_no_hand_counted(cn2025):
    # September 2025 starts on a Monday: 22 weekdays + make-up Sunday 09-28 = 23.
    assert workday_no(cn2025, "2025-09-01") == 1
    assert workday_no(cn2025, "2025-09-30") == 23
    # Holiday days carry the count of the working days before them.
    assert workday_no(cn2025, "2025-10-05") == 23
    # October: 10-09, 10-10, 10-11 (Sat), then 13-17, 20-24, 27-31 = 3 + 15 = 18.
    assert workday_no(cn2025, "2025-10-31") == 41
    assert cn2025.execute("SELECT count(*), max(workday_no) FROM workdays").fetchone() == (41, 41)


def test_nth_workday_after(cn2025):
    assert nth_workday_after(cn2025, D("2025-09-30"), 1) == D("2025-10-09")
    assert nth_workday_after(cn2025, D("2025-10-10"), 1) == D("2025-10-11")  # make-up Saturday
    assert nth_workday_after(cn2025, D("2025-10-09"), 3) == D("2025-10-13")  # Fri, Sat(调休), Mon
    assert nth_workday_after(cn2025, D("2025-09-26"), 1) == D("2025-09-28")  # make-up Sunday


def test_nth_workday_after_a_rest_day(cn2025):
    # Accepted on a holiday: the first working day after it is 10-09, not a day skipped.
    assert nth_workday_after(cn2025, D("2025-10-04"), 1) == D("2025-10-09")
    assert nth_workday_after(cn2025, D("2025-10-04"), 2) == D("2025-10-10")
    # Ordinary Saturday 09-27: the next working day is the make-up Sunday 09-28.
    assert nth_workday_after(cn2025, D("2025-09-27"), 1) == D("2025-09-28")


def test_same_day(cn2025):
    assert elapsed_workdays(cn2025, D("2025-10-09"), D("2025-10-09")) == 0
    assert elapsed_workdays(cn2025, D("2025-10-03"), D("2025-10-03")) == 0
    # n = 0 is the day itself even when it is a rest day (instant items are due that day).
    assert nth_workday_after(cn2025, D("2025-10-03"), 0) == D("2025-10-03")
    assert nth_workday_after(cn2025, D("2025-10-09"), 0) == D("2025-10-09")


def test_accepted_on_holiday_completed_next_workday(cn2025):
    # (10-03, 10-09]: only 10-09 works.
    assert elapsed_workdays(cn2025, D("2025-10-03"), D("2025-10-09")) == 1
    # (10-03, 10-08]: nothing works.
    assert elapsed_workdays(cn2025, D("2025-10-03"), D("2025-10-08")) == 0


def test_the_sql_formulas_the_metric_sql_uses(cn2025):
    """The join shapes documented in the module, over a table of cases."""
    cn2025.execute(
        """
        CREATE TABLE cases AS SELECT * FROM (VALUES
            ('a', DATE '2025-09-30', DATE '2025-10-09', 1),
            ('b', DATE '2025-09-26', DATE '2025-09-29', 2),
            ('c', DATE '2025-10-04', DATE '2025-10-10', 2),
            ('d', DATE '2025-10-10', DATE '2025-10-11', 1)
        ) t(case_id, accepted, completed, promised)
        """
    )
    rows = cn2025.execute(
        """
        SELECT c.case_id,
               cb.workday_no - ca.workday_no AS elapsed,
               w.day AS due
        FROM cases c
        JOIN calendar ca ON ca.day = c.accepted
        JOIN calendar cb ON cb.day = c.completed
        LEFT JOIN workdays w ON w.workday_no = ca.workday_no + c.promised
        ORDER BY c.case_id
        """
    ).fetchall()
    assert rows == [
        ("a", 1, D("2025-10-09")),
        ("b", 2, D("2025-09-29")),
        ("c", 2, D("2025-10-10")),
        ("d", 1, D("2025-10-11")),
    ]


def test_range_starting_on_a_rest_day(con):
    build_calendar(con, D("2025-10-01"), D("2025-10-15"))
    assert workday_no(con, "2025-10-01") == 0
    assert con.execute("SELECT min(workday_no), min(day) FROM workdays").fetchone() == (1, D("2025-10-09"))
    assert nth_workday_after(con, D("2025-10-01"), 1) == D("2025-10-09")


def test_info_and_meta(cn2025):
    info = build_calendar(cn2025, D("2025-09-01"), D("2025-10-31"))
    assert info == CalendarInfo("cn", D("2025-09-01"), D("2025-10-31"), [], 0)
    assert cn2025.execute("SELECT * FROM calendar_meta").fetchall() == [
        ("cn", D("2025-09-01"), D("2025-10-31"), "", 0)
    ]
    assert cn2025.execute("SELECT bool_and(covered), count(*) FROM calendar").fetchone() == (True, 61)


# --- kind "weekdays" ------------------------------------------------------------------------


def test_weekdays_kind_ignores_holidays(con):
    info = build_calendar(con, D("2025-09-01"), D("2025-10-31"), kind="weekdays")
    assert info.kind == "weekdays" and info.uncovered_years == []
    # (09-30, 10-09]: Wed 1, Thu 2, Fri 3, Mon 6, Tue 7, Wed 8, Thu 9 = 7.
    assert elapsed_workdays(con, D("2025-09-30"), D("2025-10-09")) == 7
    # (Fri 09-26, Mon 09-29]: the make-up Sunday is an ordinary Sunday here.
    assert elapsed_workdays(con, D("2025-09-26"), D("2025-09-29")) == 1
    assert nth_workday_after(con, D("2025-10-10"), 1) == D("2025-10-13")
    assert is_workday(con, "2025-10-01") is True
    assert is_workday(con, "2025-10-11") is False
    # September 22 weekdays + October 23 weekdays.
    assert workday_no(con, "2025-10-31") == 45


def test_weekdays_kind_beyond_the_package_is_not_uncovered(con):
    info = build_calendar(con, D("2030-01-01"), D("2030-01-31"), kind="weekdays")
    assert info.uncovered_years == []
    assert con.execute("SELECT bool_and(covered) FROM calendar").fetchone()[0] is True


def test_unknown_kind_rejected(con):
    with pytest.raises(ValueError, match="'us'"):
        build_calendar(con, D("2025-01-01"), D("2025-01-31"), kind="us")


def test_empty_range_rejected(con):
    with pytest.raises(ValueError, match="after"):
        build_calendar(con, D("2025-02-01"), D("2025-01-31"))


def test_datetimes_are_taken_as_their_day(con):
    info = build_calendar(con, datetime(2025, 9, 30, 17, 45), datetime(2025, 10, 9, 8, 0))
    assert (info.first, info.last) == (D("2025-09-30"), D("2025-10-09"))
    assert elapsed_workdays(con, datetime(2025, 9, 30, 23, 59), datetime(2025, 10, 9, 0, 1)) == 1


# --- years the package does not cover -------------------------------------------------------


def test_uncovered_year_reported_weekends_rest(con):
    info = build_calendar(con, D("2026-12-01"), D("2027-03-01"))
    assert info.uncovered_years == [2027]
    assert con.execute("SELECT uncovered_years FROM calendar_meta").fetchone()[0] == "2027"
    assert con.execute(
        "SELECT bool_and(covered = (year(day) = 2026)) FROM calendar"
    ).fetchone()[0] is True
    # 2027-01-01 is a Friday: without data it is a working day (the real New Year holiday
    # is unknown to the package, which is exactly why the dashboard warns).
    assert is_workday(con, "2027-01-01") is True
    assert is_workday(con, "2027-01-02") is False  # Saturday
    assert is_workday(con, "2027-01-03") is False  # Sunday
    assert is_workday(con, "2027-02-08") is True  # Monday
    # (Thu 2026-12-31, Mon 2027-01-04]: Fri 01-01 and Mon 01-04.
    assert elapsed_workdays(con, D("2026-12-31"), D("2027-01-04")) == 2
    # Weekdays: Dec 2026 (starts Tue) 23, Jan 2027 (starts Fri) 21, Feb 2027 (starts Mon) 20,
    # Mon 03-01 1.
    assert workday_no(con, "2027-03-01") == 65


def test_uncovered_year_before_the_package(con):
    info = build_calendar(con, D("2003-12-29"), D("2004-01-05"))
    assert info.uncovered_years == [2003]
    assert is_workday(con, "2003-12-31") is True  # Wednesday, weekend rule
    assert is_workday(con, "2004-01-01") is False  # covered: New Year's Day


def test_several_uncovered_years(con):
    info = build_calendar(con, D("2026-06-01"), D("2029-01-02"))
    assert info.uncovered_years == [2027, 2028, 2029]
    assert con.execute("SELECT uncovered_years FROM calendar_meta").fetchone()[0] == "2027,2028,2029"


# --- overrides ------------------------------------------------------------------------------


def write(tmp_path, text, name="overrides.csv", encoding="utf-8"):
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


def test_override_flips_a_day_and_shifts_workday_no(con, tmp_path):
    # Fri 10-10 declared a rest day; a row outside the range changes nothing.
    p = write(tmp_path, "date,is_workday\n2025-10-10,0\n2026-05-06,1\n")
    info = build_calendar(con, D("2025-09-01"), D("2025-10-31"), overrides=p)
    assert info.overrides_applied == 1
    assert con.execute("SELECT overrides_applied FROM calendar_meta").fetchone()[0] == 1
    assert is_workday(con, "2025-10-10") is False
    assert workday_no(con, "2025-10-09") == 24  # before the flip: unchanged
    assert workday_no(con, "2025-10-31") == 40  # 41 without the override
    assert nth_workday_after(con, D("2025-10-09"), 1) == D("2025-10-11")
    assert elapsed_workdays(con, D("2025-10-09"), D("2025-10-13")) == 2  # Sat 11, Mon 13


def test_override_makes_a_holiday_a_working_day(con, tmp_path):
    p = write(tmp_path, "date,is_workday\n2025-10-08,是\n")
    build_calendar(con, D("2025-09-01"), D("2025-10-31"), overrides=p)
    assert nth_workday_after(con, D("2025-09-30"), 1) == D("2025-10-08")
    assert elapsed_workdays(con, D("2025-09-30"), D("2025-10-09")) == 2


def test_overrides_apply_to_weekdays_kind_and_uncovered_years(con, tmp_path):
    p = write(tmp_path, "date,is_workday\n2027-01-01,N\n")
    info = build_calendar(con, D("2026-12-01"), D("2027-03-01"), overrides=p)
    assert is_workday(con, "2027-01-01") is False
    # Still reported: the province corrected one day, not the whole year.
    assert info.uncovered_years == [2027] and info.overrides_applied == 1
    build_calendar(con, D("2026-12-01"), D("2027-03-01"), kind="weekdays", overrides=p)
    assert is_workday(con, "2027-01-01") is False
    assert workday_no(con, "2027-03-01") == 64


def test_read_overrides_value_forms(tmp_path):
    p = write(
        tmp_path,
        "\ufeffDate , IS_WORKDAY,note\n"
        "2025-10-01,1,x\n2025/10/02,true,\n2025年10月3日,是,\n2025-10-04,Y,\n"
        "\n"
        "2025-10-05,0,\n2025-10-06,FALSE,\n2025-10-07 00:00:00,否,\n2025-10-08,n,\n"
        "2025-10-08,0,\n",  # identical repeat is harmless
    )
    assert read_overrides(p) == {
        D("2025-10-01"): True, D("2025-10-02"): True, D("2025-10-03"): True, D("2025-10-04"): True,
        D("2025-10-05"): False, D("2025-10-06"): False, D("2025-10-07"): False, D("2025-10-08"): False,
    }


def test_read_overrides_gbk_with_chinese_header(tmp_path):
    p = write(tmp_path, "日期,是否工作日\n2025-10-11,否\n", encoding="gbk")
    assert read_overrides(p) == {D("2025-10-11"): False}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("date,is_workday\n2025-10-10,1\n2025-10-11,maybe\n", r"overrides\.csv, row 3: is_workday 'maybe'"),
        ("date,is_workday\n2025-10-10,1\n2025-13-01,1\n", r"overrides\.csv, row 3: date '2025-13-01'"),
        ("date,is_workday\n10/11/2025,1\n", r"overrides\.csv, row 2: date '10/11/2025'"),
        ("date,is_workday\n2025-10-10,\n", r"overrides\.csv, row 2: is_workday ''"),
        ("date,is_workday\n2025-10-10,1\n2025-10-10,0\n", r"row 3: .*contradicts row 2"),
        ("day,flag\n2025-10-10,1\n", r"overrides\.csv, row 1: header"),
        ("", r"overrides\.csv: empty"),
    ],
)
def test_bad_overrides_file(tmp_path, text, message):
    p = write(tmp_path, text)
    with pytest.raises(ValueError, match=message):
        read_overrides(p)


def test_bad_overrides_leave_the_old_calendar(cn2025, tmp_path):
    p = write(tmp_path, "date,is_workday\n2025-10-11,maybe\n")
    with pytest.raises(ValueError, match="row 2"):
        build_calendar(cn2025, D("2024-01-01"), D("2024-12-31"), overrides=p)
    assert cn2025.execute("SELECT first_day FROM calendar_meta").fetchone()[0] == D("2025-09-01")
    assert cn2025.execute("SELECT count(*) FROM calendar").fetchone()[0] == 61


# --- rebuilding and transactions ------------------------------------------------------------


def test_rebuilding_replaces_the_tables(cn2025):
    build_calendar(cn2025, D("2025-10-01"), D("2025-10-15"), kind="weekdays")
    assert cn2025.execute("SELECT count(*), min(day), max(day) FROM calendar").fetchone() == (
        15, D("2025-10-01"), D("2025-10-15"))
    assert cn2025.execute("SELECT count(*) FROM workdays").fetchone()[0] == 11
    assert cn2025.execute("SELECT * FROM calendar_meta").fetchall() == [
        ("weekdays", D("2025-10-01"), D("2025-10-15"), "", 0)
    ]
    # Outside the new range: an error, not a stale answer.
    with pytest.raises(ValueError, match="outside"):
        elapsed_workdays(cn2025, D("2025-09-26"), D("2025-09-29"))


def test_runs_inside_the_callers_transaction(cn2025):
    cn2025.begin()
    build_calendar(cn2025, D("2024-01-01"), D("2024-01-31"))
    build_calendar(cn2025, D("2024-01-01"), D("2024-02-29"))  # twice in one transaction
    assert cn2025.execute("SELECT count(*) FROM calendar").fetchone()[0] == 60
    cn2025.rollback()
    assert cn2025.execute("SELECT count(*), min(day) FROM calendar").fetchone() == (61, D("2025-09-01"))
    assert cn2025.execute("SELECT kind, first_day FROM calendar_meta").fetchall() == [
        ("cn", D("2025-09-01"))
    ]


def test_schema(cn2025):
    cols = cn2025.execute(
        "SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns "
        "WHERE table_name IN ('calendar', 'workdays', 'calendar_meta') "
        "ORDER BY table_name, ordinal_position"
    ).fetchall()
    assert cols == [
        ("calendar", "day", "DATE", "NO"),
        ("calendar", "is_workday", "BOOLEAN", "NO"),
        ("calendar", "workday_no", "INTEGER", "NO"),
        ("calendar", "covered", "BOOLEAN", "NO"),
        ("calendar_meta", "kind", "VARCHAR", "YES"),
        ("calendar_meta", "first_day", "DATE", "YES"),
        ("calendar_meta", "last_day", "DATE", "YES"),
        ("calendar_meta", "uncovered_years", "VARCHAR", "YES"),
        ("calendar_meta", "overrides_applied", "INTEGER", "YES"),
        ("workdays", "workday_no", "INTEGER", "NO"),
        ("workdays", "day", "DATE", "NO"),
    ]


# --- the helpers at the edges ---------------------------------------------------------------


def test_helper_errors(cn2025):
    with pytest.raises(ValueError, match="outside"):
        elapsed_workdays(cn2025, D("2025-08-31"), D("2025-09-02"))
    with pytest.raises(ValueError, match="before"):
        elapsed_workdays(cn2025, D("2025-10-09"), D("2025-10-01"))
    with pytest.raises(ValueError, match=">= 0"):
        nth_workday_after(cn2025, D("2025-10-09"), -1)
    with pytest.raises(ValueError, match="past the end"):
        nth_workday_after(cn2025, D("2025-10-30"), 5)


def test_decades_build_quickly(con):
    import time

    t = time.perf_counter()
    info = build_calendar(con, D("2004-01-01"), D("2035-12-31"))
    assert time.perf_counter() - t < 5
    assert info.uncovered_years == list(range(2027, 2036))
    assert con.execute("SELECT count(*) FROM calendar").fetchone()[0] == (D("2035-12-31") - D("2004-01-01")).days + 1
