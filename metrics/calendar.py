"""The working-day calendar (spec 2) as DuckDB tables for the metric SQL.

Time limits are counted in working days, and "working day" in mainland China is not
"Monday to Friday": public holidays are rest days and some Saturdays and Sundays are
make-up working days (调休). Rather than asking Python for every case, the metric SQL
joins against a precomputed table where each day carries a running count of working
days, so that

    elapsed working days d with a < d <= b  =  workday_no(b) - workday_no(a)
    n-th working day after a (n >= 1)        =  workdays.day at workday_no(a) + n

Both formulas hold whether or not a itself is a working day: a rest day carries the
count of the working days before it, so "+1" lands on the first working day after it.
Note that n = 0 ("the acceptance date itself", instant items) is NOT workdays at
workday_no(a) + 0 when a is a rest day; SQL must special-case n = 0 (nth_workday_after
below does).

The table only answers for days inside [first, last]: callers size the range so that it
holds every acceptance, completion and computed due date they will ask about.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import lru_cache
from datetime import date, datetime
from pathlib import Path

import chinese_calendar
import duckdb
import numpy as np
import pyarrow as pa

KINDS = ("cn", "weekdays")

# Written as the province publishes them and as spreadsheets save them; the same forms
# the case-log import accepts for booleans (spec 1.1).
_TRUE = {"1", "true", "是", "y"}
_FALSE = {"0", "false", "否", "n"}

# The province's correction files are hand-made; accept the Chinese headers too.
_DATE_HEADERS = {"date", "日期"}
_FLAG_HEADERS = {"is_workday", "是否工作日", "工作日"}

_DATE_RE = re.compile(
    r"^(\d{4})(?:[-/](\d{1,2})[-/](\d{1,2})|年(\d{1,2})月(\d{1,2})日)"
    # Spreadsheets turn a date cell into "2025-10-11 00:00:00" on export; a day in a
    # calendar has no time of day, so only midnight is accepted.
    r"(?:\s+00:00(?::00)?)?$"
)

_DDL = """
CREATE OR REPLACE TABLE calendar (
    day        DATE    PRIMARY KEY,
    is_workday BOOLEAN NOT NULL,
    workday_no INTEGER NOT NULL,
    covered    BOOLEAN NOT NULL
);
CREATE OR REPLACE TABLE workdays (
    workday_no INTEGER PRIMARY KEY,
    day        DATE    NOT NULL
);
CREATE OR REPLACE TABLE calendar_meta (
    kind              VARCHAR,
    first_day         DATE,
    last_day          DATE,
    uncovered_years   VARCHAR,
    overrides_applied INTEGER
);
"""


@dataclass
class CalendarInfo:
    kind: str
    first: date
    last: date
    # Years in [first, last] the holiday package has no data for: weekends-only there,
    # and the dashboard must say so. Always [] for "weekdays".
    uncovered_years: list[int] = field(default_factory=list)
    # Override rows whose date lies in [first, last]; rows outside cannot affect it.
    overrides_applied: int = 0


def _as_date(value: date, name: str) -> date:
    # datetime (and pandas.Timestamp) are date subclasses whose arithmetic and
    # comparisons with plain dates misbehave; the calendar is about days only.
    if isinstance(value, datetime):
        return value.date()
    if not isinstance(value, date):
        raise TypeError(f"{name} must be a date, got {type(value).__name__}")
    return value


def _parse_override_date(text: str) -> date | None:
    m = _DATE_RE.match(text)
    if not m:
        return None
    y, mo, d = m.group(1), m.group(2) or m.group(4), m.group(3) or m.group(5)
    try:
        return date(int(y), int(mo), int(d))
    except ValueError:
        return None


def _read_text(path: Path) -> str:
    # Files saved by Excel on a Chinese Windows machine are GB18030 (a superset of
    # GBK); everything else is UTF-8, possibly with a BOM.
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return raw.decode("gb18030")
        except UnicodeDecodeError as exc:
            raise ValueError(f"{path}: not UTF-8 or GB18030 text") from exc


def read_overrides(path: Path) -> dict[date, bool]:
    """Read a local corrections file: CSV with header 'date,is_workday'.

    Rows are numbered as in a spreadsheet, the header being row 1, so an error message
    points at the line a person will open and fix.
    """
    path = Path(path)
    rows = list(csv.reader(_read_text(path).splitlines()))
    header_at = next((i for i, r in enumerate(rows) if any(c.strip() for c in r)), None)
    if header_at is None:
        raise ValueError(f"{path}: empty file, expected a header 'date,is_workday'")
    header = [c.strip().lower() for c in rows[header_at]]
    date_col = next((i for i, h in enumerate(header) if h in _DATE_HEADERS), None)
    flag_col = next((i for i, h in enumerate(header) if h in _FLAG_HEADERS), None)
    if date_col is None or flag_col is None:
        raise ValueError(
            f"{path}, row {header_at + 1}: header {rows[header_at]!r} "
            "must have the columns 'date' and 'is_workday'"
        )

    result: dict[date, bool] = {}
    first_seen: dict[date, int] = {}
    for i in range(header_at + 1, len(rows)):
        row_no = i + 1
        cells = [c.strip() for c in rows[i]]
        if not any(cells):
            continue
        raw_date = cells[date_col] if date_col < len(cells) else ""
        raw_flag = cells[flag_col] if flag_col < len(cells) else ""
        day = _parse_override_date(raw_date)
        if day is None:
            raise ValueError(
                f"{path}, row {row_no}: date {raw_date!r} is not a date "
                "(expected e.g. 2025-10-11, 2025/10/11 or 2025年10月11日)"
            )
        flag = raw_flag.lower()
        if flag in _TRUE:
            value = True
        elif flag in _FALSE:
            value = False
        else:
            raise ValueError(
                f"{path}, row {row_no}: is_workday {raw_flag!r} is not one of "
                "1/0, true/false, 是/否, Y/N"
            )
        # A file that says both "work" and "rest" for one day has no right answer;
        # an identical repeat is harmless.
        if day in result and result[day] != value:
            raise ValueError(
                f"{path}, row {row_no}: date {raw_date!r} contradicts row {first_seen[day]}"
            )
        result.setdefault(day, value)
        first_seen.setdefault(day, row_no)
    return result


def _weekday_workdays(days: np.ndarray) -> np.ndarray:
    # 1970-01-01, day 0 of datetime64[D], was a Thursday; shifting by 3 makes
    # Monday = 0 like date.weekday().
    weekday = (days.astype(np.int64) + 3) % 7
    return weekday < 5


@lru_cache(maxsize=64)
def _cn_workdays(lo: date, hi: date) -> np.ndarray:
    """The package's working days in [lo, hi] (one year at most). Kept: every import builds the
    calendar again over the whole stored range, and the package answers a day at a time
    (20 ms of a small import's 0.45 s for eight years)."""
    worked = np.array(chinese_calendar.get_workdays(lo, hi, include_weekends=True), dtype="datetime64[D]")
    worked.setflags(write=False)
    return worked


def build_calendar(
    con: duckdb.DuckDBPyConnection,
    first: date,
    last: date,
    kind: str = "cn",
    overrides: Path | None = None,
) -> CalendarInfo:
    """Create or replace the tables calendar, workdays and calendar_meta for [first, last].

    Runs in whatever transaction the caller has open, so an import that fails later
    rolls the calendar back with everything else.
    """
    first = _as_date(first, "first")
    last = _as_date(last, "last")
    if kind not in KINDS:
        raise ValueError(f"calendar kind {kind!r} is not one of {', '.join(KINDS)}")
    if first > last:
        raise ValueError(f"calendar range is empty: first {first} is after last {last}")
    # Read before touching the database, so a bad file leaves the old calendar intact
    # even when the caller does not roll back.
    corrections = read_overrides(Path(overrides)) if overrides is not None else {}

    days = np.arange(np.datetime64(first, "D"), np.datetime64(last, "D") + 1)
    is_workday = _weekday_workdays(days)
    covered = np.ones(len(days), dtype=bool)
    uncovered: list[int] = []

    if kind == "cn":
        # The package is asked one year at a time because it refuses a whole range
        # as soon as one end falls in a year it has no data for; a year it lacks
        # keeps the weekend rule and is reported rather than failing the import.
        for year in range(first.year, last.year + 1):
            lo, hi = max(first, date(year, 1, 1)), min(last, date(year, 12, 31))
            sl = slice((lo - first).days, (hi - first).days + 1)
            try:
                worked = _cn_workdays(lo, hi)
            except NotImplementedError:
                uncovered.append(year)
                covered[sl] = False
                continue
            is_workday[sl] = np.isin(days[sl], worked)

    applied = 0
    for day, value in corrections.items():
        if first <= day <= last:
            is_workday[(day - first).days] = value
            applied += 1

    workday_no = np.cumsum(is_workday, dtype=np.int64).astype(np.int32)
    cal = pa.table(
        {
            "day": pa.array(days),
            "is_workday": pa.array(is_workday),
            "workday_no": pa.array(workday_no),
            "covered": pa.array(covered),
        }
    )

    # A name no other module would pick, since the caller's connection is shared.
    src = "__calendar_build_src"
    con.execute(_DDL)
    con.register(src, cal)
    try:
        con.execute(f"INSERT INTO calendar SELECT day, is_workday, workday_no, covered FROM {src}")
    finally:
        con.unregister(src)
    con.execute(
        "INSERT INTO workdays SELECT workday_no, day FROM calendar WHERE is_workday ORDER BY day"
    )
    con.execute(
        "INSERT INTO calendar_meta VALUES (?, ?, ?, ?, ?)",
        [kind, first, last, ",".join(map(str, uncovered)), applied],
    )
    return CalendarInfo(kind, first, last, uncovered, applied)


def _workday_no(con: duckdb.DuckDBPyConnection, day: date) -> int:
    row = con.execute("SELECT workday_no FROM calendar WHERE day = ?", [day]).fetchone()
    if row is None:
        span = con.execute("SELECT first_day, last_day FROM calendar_meta").fetchone()
        where = f"{span[0]}..{span[1]}" if span else "(no calendar built)"
        raise ValueError(f"{day} is outside the working-day calendar {where}")
    return row[0]


def elapsed_workdays(con: duckdb.DuckDBPyConnection, accepted: date, completed: date) -> int:
    """Working days d with accepted < d <= completed (spec 2); same day = 0."""
    accepted = _as_date(accepted, "accepted")
    completed = _as_date(completed, "completed")
    if completed < accepted:
        raise ValueError(f"completed {completed} is before accepted {accepted}")
    return _workday_no(con, completed) - _workday_no(con, accepted)


def nth_workday_after(con: duckdb.DuckDBPyConnection, day: date, n: int) -> date:
    """The n-th working day after day; n = 0 is day itself, working day or not (spec 2:
    an instant item is due on its acceptance date)."""
    day = _as_date(day, "day")
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    base = _workday_no(con, day)
    if n == 0:
        return day
    row = con.execute("SELECT day FROM workdays WHERE workday_no = ?", [base + n]).fetchone()
    if row is None:
        raise ValueError(f"the {n}-th working day after {day} is past the end of the calendar")
    return row[0]
