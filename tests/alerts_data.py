"""A generated 2025Q3 case log with each integrity pattern planted in a known department,
imported through the real importer (tests/test_alerts.py, tests/test_app_supervision.py).

Every department has 200 cases built by the same deterministic recipe: accepted on the
first 40 working days of the quarter (1 July to 25 August 2025, mainland calendar) between
09:00 and 16:59, half at the window; committed, promised 5 working days, statutory 10;
completed 1 to 5 working days later (k = 1 + i % 5: one case in five on its due date); a
top rating (5) for i % 3 == 1 and a 4 for i % 3 == 0, rated hours after completion; cases
100..104 withdrawn on the next working day (before their deadline). Then one department
each departs from the recipe:

- 甲局 instant_closure: cases 0..19 completed 30 s after acceptance (20 of 200 committed);
- 乙局 off_hours_acceptance: window cases 0, 2, …, 58 accepted at 20:30 (30 of 100 window);
- 丙局 rating_burst: cases 0..24 rated 5 on 2025-08-29 from 15:00:00, 12 s apart (25 in 5 min);
- 丁局 deadline_pileup: every case with i % 5 != 0 completed on its due date (160 + …);
- 戊局 late_withdrawal: cases 0..19 withdrawn, closed 8 working days after acceptance;
- 己局 rating_before_completion: cases 0..14 rated one hour after acceptance.

庚局 is small: 3 committed cases, 2 of them completed on their due date: 67% is over the
deadline pile-up threshold (50%) but not significantly above the centre's share.
"""

from __future__ import annotations

import csv
from datetime import date, datetime, time, timedelta
from pathlib import Path

import chinese_calendar

HEADER = ["办件编号", "办理部门", "办件类型", "申报方式", "受理时间", "办结时间", "法定时限", "承诺时限",
          "评价等级", "评价时间", "办件状态"]
NORMAL = ("辛局", "壬局")
PLANTED = {
    "甲局": "instant_closure", "乙局": "off_hours_acceptance", "丙局": "rating_burst",
    "丁局": "deadline_pileup", "戊局": "late_withdrawal", "己局": "rating_before_completion",
}
SMALL = "庚局"
PER_DEPT = 200


def _workdays(first: date, last: date) -> list[date]:
    out, d = [], first
    while d <= last:
        if chinese_calendar.is_workday(d):
            out.append(d)
        d += timedelta(days=1)
    return out


WORKDAYS = _workdays(date(2025, 7, 1), date(2025, 10, 31))
ACCEPT_DAYS = WORKDAYS[:40]


def after(d: date, k: int) -> date:
    """The k-th working day after d (d a working day)."""
    return WORKDAYS[WORKDAYS.index(d) + k]


def _fmt(t: datetime | None) -> str:
    return "" if t is None else t.strftime("%Y-%m-%d %H:%M:%S")


def case_row(dept: str, i: int) -> list[str]:
    plant = PLANTED.get(dept)
    day = ACCEPT_DAYS[i % len(ACCEPT_DAYS)]
    accepted = datetime.combine(day, time(9, 0)) + timedelta(minutes=(i * 13) % 480)
    window = i % 2 == 0
    if plant == "off_hours_acceptance" and window and i < 60:
        accepted = datetime.combine(day, time(20, 30))
    k = 1 + i % 5
    if plant == "deadline_pileup" and i % 5 != 0:
        k = 5
    completed = datetime.combine(after(day, k), time(10, 0)) + timedelta(hours=i % 6)
    status = "办结"
    if plant == "instant_closure" and i < 20:
        completed = accepted + timedelta(seconds=30)
    if 100 <= i < 105:
        status, completed = "撤件", datetime.combine(after(day, 1), time(11, 0))
    if plant == "late_withdrawal" and i < 20:
        status, completed = "撤件", datetime.combine(after(day, 8), time(11, 0))
    rating, rated = "", None
    if status == "办结" and i % 3 != 2:
        rating = "5" if i % 3 == 1 else "4"
        rated = completed + timedelta(hours=1 + i % 5, minutes=i % 50)
    if plant == "rating_burst" and i < 25:
        rating, rated = "5", datetime(2025, 8, 29, 15, 0, 0) + timedelta(seconds=12 * i)
    if plant == "rating_before_completion" and i < 15:
        rating, rated = "4", accepted + timedelta(hours=1)
    return [f"{dept}-{i:03d}", dept, "承诺件", "窗口受理" if window else "网上申报", _fmt(accepted),
            _fmt(completed), "10", "5", rating, _fmt(rated), status]


def small_rows() -> list[list[str]]:
    rows = []
    for i, k in enumerate((5, 5, 2)):
        day = ACCEPT_DAYS[i]
        accepted = datetime.combine(day, time(10, 0))
        completed = datetime.combine(after(day, k), time(15, 0))
        rows.append([f"{SMALL}-{i:03d}", SMALL, "承诺件", "网上申报", _fmt(accepted), _fmt(completed), "10", "5",
                     "", "", "办结"])
    return rows


def write_cases(path: Path) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        for dept in (*PLANTED, *NORMAL):
            for i in range(PER_DEPT):
                w.writerow(case_row(dept, i))
        w.writerows(small_rows())
    return path


def opened_copy(db: Path, folder: Path):
    """A copy of store `db` in `folder`, open for writing: yields (connection, path), closes it
    after (a fixture's `yield from`)."""
    import shutil

    from metrics.store import connect
    copy = folder / "store.duckdb"
    shutil.copy(db, copy)
    con = connect(copy)
    try:
        yield con, copy
    finally:
        con.close()


def build_store(folder: Path) -> Path:
    from metrics.ingest import import_file
    from metrics.store import connect
    db = folder / "planted.duckdb"
    con = connect(db)
    import_file(con, write_cases(folder / "planted.csv"), kind="cases")
    con.close()
    return db
