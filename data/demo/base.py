"""What the catalogue and the case log share: the scenario (``scenario.toml``) and the
constants drawn from it, the export's columns, the working-day calendar and string
look-up tables, and the small numpy/Arrow helpers that turn indices into text."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from functools import lru_cache

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from data.demo.scenario import Dept, load_scenario
from metrics.calendar import build_calendar

SCENARIO = load_scenario()

DEMO_START = SCENARIO.start              # first day of acceptances
DEMO_END = SCENARIO.end                  # last day of acceptances
# The moment the export was taken: cases not finished by then are open (在办), and
# completions and ratings run up to it, a few weeks past DEMO_END.
DEMO_EXPORTED_AT = SCENARIO.exported_at

BLOCK_ROWS = 200_000                     # internal generation unit; a multiple of BAD_ROW_EVERY
BAD_ROW_EVERY = SCENARIO.bad_row_every   # one deliberately bad row per this many rows
# The kinds of deliberately bad rows, in the order they cycle through the bad positions.
BAD_ROW_KINDS: tuple[str, ...] = SCENARIO.bad_row_kinds
if BLOCK_ROWS % BAD_ROW_EVERY:
    # bad rows sit at fixed positions of the whole file; blocks must not shift them
    raise ValueError(f"scenario.toml: [bad_rows] every = {BAD_ROW_EVERY} must divide {BLOCK_ROWS}")

CASE_COLUMNS: tuple[str, ...] = (
    "办件编号", "办理部门", "事项编码", "事项名称", "办件类型", "申报方式", "申请人姓名", "联系电话",
    "受理时间", "办结时间", "法定时限", "承诺时限", "窗口签批", "评价等级", "评价时间", "办件状态",
)
CATALOGUE_COLUMNS: tuple[str, ...] = (
    "事项编码", "事项名称", "实施部门", "事项类型", "法定时限", "承诺时限", "应进驻", "豁免进驻",
    "进驻日期", "纳入网上审批日期", "取消日期",
)
CASE_SCHEMA = pa.schema([(c, pa.string()) for c in CASE_COLUMNS])
CATALOGUE_SCHEMA = pa.schema([(c, pa.string()) for c in CATALOGUE_COLUMNS])

DEPARTMENTS: tuple[Dept, ...] = SCENARIO.departments
TINY_DEPARTMENTS: tuple[str, ...] = tuple(d.name for d in DEPARTMENTS if d.tiny_per_quarter > 0)

EPOCH = _dt.date(1970, 1, 1)
# The working-day calendar starts with the year of the items' history (entered, online,
# abolished before the period). Its last day is past every completion and rating (they
# end at DEMO_EXPORTED_AT).
_POOL_FIRST = _dt.date(min(SCENARIO.history.values()).year, 1, 1)
_CAL_FIRST = _dt.date(DEMO_START.year, 1, 1)   # per-day tables and date strings start here
_CAL_LAST = _dt.date(DEMO_EXPORTED_AT.year, 12, 31)
YEARS = tuple(range(DEMO_START.year, DEMO_END.year + 1))   # years of acceptance (case ids)


def epoch_day(d: _dt.date) -> int:
    return (d - EPOCH).days


CODES = SCENARIO.codes


class LABELS:
    """Label arrays used with pc.take."""
    dept_name = pa.array([d.name for d in DEPARTMENTS], pa.string())
    dept_code = np.array([int(d.code) for d in DEPARTMENTS], np.int64)
    types = pa.array(CODES["item_types"], pa.string())
    channels = pa.array(CODES["channels"], pa.string())
    statuses = pa.array(CODES["statuses"], pa.string())
    # index 5: the out-of-range bad value
    ratings = pa.array(CODES["ratings"] + (SCENARIO.bad_rating,), pa.string())
    yesno = pa.array(CODES["yes_no"], pa.string())
    surnames = pa.array(SCENARIO.surnames, pa.string())
    given = pa.array(SCENARIO.given + ("",), pa.string())   # last: no second given character
    firms = pa.array(SCENARIO.firms, pa.string())
    trades = pa.array(SCENARIO.trades, pa.string())
    mobile_prefix = np.array([int(x) for x in SCENARIO.mobile_prefixes], np.int64)


# ---------------------------------------------------------------------------------------
# Calendar and string look-up tables
# ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CalendarTables:
    first: int                  # epoch day of _CAL_FIRST
    workdays: np.ndarray        # epoch days of working days, _CAL_FIRST.._CAL_LAST
    is_work: np.ndarray         # bool per day from _CAL_FIRST
    long_rest: np.ndarray       # bool per day: in a run of 3 or more rest days (a holiday)
    weekday: np.ndarray         # 0 = Monday
    month: np.ndarray
    year: np.ndarray
    date_str: pa.Array          # 'YYYY-MM-DD' per day from _CAL_FIRST
    time_str: pa.Array          # 'HH:MM:SS' per second of the day
    small_int_str: pa.Array     # '-99'..'999' (index = value + 99)


@lru_cache(maxsize=1)
def engine_workdays() -> np.ndarray:
    """Epoch days of the working days _POOL_FIRST.._CAL_LAST, as the engine's calendar
    (mainland holidays and make-up days) has them: the demo's cases keep the same working
    days the metrics will count."""
    con = duckdb.connect()
    try:
        info = build_calendar(con, _POOL_FIRST, _CAL_LAST, kind="cn")
        if info.uncovered_years:
            # The demo's dates are fixed; without holidays its busy and quiet days would be wrong.
            raise RuntimeError(f"the holiday calendar has no data for {info.uncovered_years}: "
                               "upgrade chinesecalendar or move the demo period in data/demo/scenario.toml")
        rows = con.execute("SELECT datediff('day', DATE '1970-01-01', day) AS d FROM calendar "
                           "WHERE is_workday ORDER BY day").fetchnumpy()
    finally:
        con.close()
    return rows["d"].astype(np.int64)


def _rest_run_length(is_work: np.ndarray) -> np.ndarray:
    """Per day: the length of the run of consecutive rest days it belongs to (0 on a working day)."""
    rest = ~is_work
    run_id = np.cumsum(np.r_[True, rest[1:] != rest[:-1]])
    length = np.bincount(run_id)[run_id]
    return np.where(rest, length, 0)


@lru_cache(maxsize=1)
def calendar_tables() -> CalendarTables:
    n = (_CAL_LAST - _CAL_FIRST).days + 1
    dates = [_CAL_FIRST + _dt.timedelta(days=i) for i in range(n)]
    first = epoch_day(_CAL_FIRST)
    all_workdays = engine_workdays()
    workdays = all_workdays[all_workdays >= first]
    is_work = np.zeros(n, bool)
    is_work[workdays - first] = True
    # A public holiday is a run of at least three rest days (weekend included, make-up
    # days around it); an ordinary weekend is two, or one beside a make-up Sunday.
    long_rest = _rest_run_length(is_work) >= 3
    secs = np.arange(86400)
    time_str = [f"{h:02d}:{m:02d}:{s:02d}" for h, m, s in zip(secs // 3600, secs // 60 % 60, secs % 60)]
    return CalendarTables(
        first=first,
        workdays=workdays,
        is_work=is_work,
        long_rest=long_rest,
        weekday=np.array([d.weekday() for d in dates]),
        month=np.array([d.month for d in dates]),
        year=np.array([d.year for d in dates]),
        date_str=pa.array([d.isoformat() for d in dates], pa.string()),
        time_str=pa.array(time_str, pa.string()),
        small_int_str=pa.array([str(i) for i in range(-99, 1000)], pa.string()),
    )


def _intraday_cdf() -> np.ndarray:
    """Cumulative distribution of acceptances over the seconds of the opening hours."""
    segments = list(SCENARIO.intraday) + [(SCENARIO.open_minutes, None)]
    w = np.empty(SCENARIO.open_minutes)
    for (a, v), (b, _) in zip(segments[:-1], segments[1:]):
        w[a:b] = v
    per_sec = np.repeat(w, 60)
    cdf = np.cumsum(per_sec)
    return cdf / cdf[-1]


OPEN_SEC = 8 * 3600 + 30 * 60          # 08:30
CLOSE_CAP_SEC = 18 * 3600 + 30 * 60    # same-day completions end by 18:30
_CDF = _intraday_cdf()


_LUT_BITS = 18
_LUT = OPEN_SEC + np.minimum(np.searchsorted(_CDF, np.arange(1 << _LUT_BITS) / (1 << _LUT_BITS), side="right"),
                              len(_CDF) - 1)


def business_seconds(q: np.ndarray) -> np.ndarray:
    """Seconds of the day for quantiles q in [0, 1), non-decreasing in q (a look-up table)."""
    return _LUT[(q * (1 << _LUT_BITS)).astype(np.int64)]


def take(values: pa.Array, idx: np.ndarray, null_mask: np.ndarray | None = None) -> pa.Array:
    indices = pa.array(idx.astype(np.int64, copy=False),
                       mask=None if null_mask is None else np.asarray(null_mask, bool))
    return pc.take(values, indices)


def timestamps(sec: np.ndarray, null_mask: np.ndarray | None = None) -> pa.Array:
    """'YYYY-MM-DD HH:MM:SS' from seconds since the epoch (local time), nulls where masked."""
    cal = calendar_tables()
    day = sec // 86400
    di = np.clip(day - cal.first, 0, len(cal.date_str) - 1)
    return pc.binary_join_element_wise(take(cal.date_str, di, null_mask),
                                       take(cal.time_str, sec - day * 86400), " ")


def int_strings(values: np.ndarray, null_mask: np.ndarray | None = None) -> pa.Array:
    return take(calendar_tables().small_int_str, np.asarray(values) + 99, null_mask)


def interp(pair: np.ndarray, t: np.ndarray, dept: np.ndarray) -> np.ndarray:
    """Per-case value of a per-department (start, end) parameter at time fraction t."""
    a = pair[dept, 0]
    return a + (pair[dept, 1] - a) * t

