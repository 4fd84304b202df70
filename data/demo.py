"""Deterministic demo data: an item catalogue (事项目录) and a case log (办件日志).

The tables look like the exports of a municipal approval system: every column is text with
a Chinese header, empty values are nulls (empty cells in the CSV files), and the case log
carries two personal-data columns (申请人姓名, 联系电话) with fake values that the importer
must drop. About one row in 2,000 is deliberately bad (see ``BAD_ROW_KINDS``).

The story (departments, their items and performance, the applicants, the bad rows) is data
in ``data/demo_scenario.toml``, read by ``data/demo_scenario.py``; working days come from
the engine's own calendar (``metrics/calendar.py``). This module turns them into rows.

Everything is vectorised with numpy and pyarrow. Cases are generated in fixed blocks of
``BLOCK_ROWS`` rows, each from its own random stream derived from (seed, block number), so
the output does not depend on ``batch_rows`` and the same seed always gives the same bytes.
Cases are ordered by acceptance time.

    from data.demo import generate_catalogue, iter_case_batches, write_demo_files
"""

from __future__ import annotations

import datetime as _dt
import os
import queue
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterator

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from data.demo_scenario import RATE_PAIRS, Dept, load_scenario
from metrics.calendar import build_calendar

__all__ = [
    "DEMO_START", "DEMO_END", "DEMO_EXPORTED_AT", "BLOCK_ROWS", "BAD_ROW_EVERY", "BAD_ROW_KINDS",
    "CASE_COLUMNS", "CATALOGUE_COLUMNS", "CASE_SCHEMA", "CATALOGUE_SCHEMA", "DEPARTMENTS",
    "TINY_DEPARTMENTS", "Dept", "generate_catalogue", "iter_case_batches", "write_demo_files",
    "bad_row_positions",
]

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
    raise ValueError(f"demo_scenario.toml: [bad_rows] every = {BAD_ROW_EVERY} must divide {BLOCK_ROWS}")

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

_EPOCH = _dt.date(1970, 1, 1)
# Items entered the centre and went online from 2015 on: the working-day calendar starts
# then. Its last day is past every completion and rating (they end at DEMO_EXPORTED_AT).
_POOL_FIRST = _dt.date(2015, 1, 1)
_CAL_FIRST = _dt.date(DEMO_START.year, 1, 1)   # per-day tables and date strings start here
_CAL_LAST = _dt.date(DEMO_EXPORTED_AT.year, 12, 31)
_YEARS = tuple(range(DEMO_START.year, DEMO_END.year + 1))   # years of acceptance (case ids)


def _days(d: _dt.date) -> int:
    return (d - _EPOCH).days


_CODES = SCENARIO.codes


class _S:
    """Label arrays used with pc.take."""
    dept_name = pa.array([d.name for d in DEPARTMENTS], pa.string())
    dept_code = np.array([int(d.code) for d in DEPARTMENTS], np.int64)
    types = pa.array(_CODES["item_types"], pa.string())
    channels = pa.array(_CODES["channels"], pa.string())
    statuses = pa.array(_CODES["statuses"], pa.string())
    # index 5: the out-of-range bad value
    ratings = pa.array(_CODES["ratings"] + (SCENARIO.bad_rating,), pa.string())
    yesno = pa.array(_CODES["yes_no"], pa.string())
    surnames = pa.array(SCENARIO.surnames, pa.string())
    given = pa.array(SCENARIO.given + ("",), pa.string())   # last: no second given character
    firms = pa.array(SCENARIO.firms, pa.string())
    trades = pa.array(SCENARIO.trades, pa.string())
    mobile_prefix = np.array([int(x) for x in SCENARIO.mobile_prefixes], np.int64)


# ---------------------------------------------------------------------------------------
# Calendar and string look-up tables
# ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Calendar:
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
def _engine_workdays() -> np.ndarray:
    """Epoch days of the working days _POOL_FIRST.._CAL_LAST, as the engine's calendar
    (mainland holidays and make-up days) has them: the demo's cases keep the same working
    days the metrics will count."""
    con = duckdb.connect()
    try:
        info = build_calendar(con, _POOL_FIRST, _CAL_LAST, kind="cn")
        if info.uncovered_years:
            # The demo's dates are fixed; without holidays its busy and quiet days would be wrong.
            raise RuntimeError(f"the holiday calendar has no data for {info.uncovered_years}: "
                               "upgrade chinesecalendar or move the demo period in demo_scenario.toml")
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
def _calendar() -> _Calendar:
    n = (_CAL_LAST - _CAL_FIRST).days + 1
    dates = [_CAL_FIRST + _dt.timedelta(days=i) for i in range(n)]
    first = _days(_CAL_FIRST)
    all_workdays = _engine_workdays()
    workdays = all_workdays[all_workdays >= first]
    is_work = np.zeros(n, bool)
    is_work[workdays - first] = True
    # A public holiday is a run of at least three rest days (weekend included, make-up
    # days around it); an ordinary weekend is two, or one beside a make-up Sunday.
    long_rest = _rest_run_length(is_work) >= 3
    secs = np.arange(86400)
    time_str = [f"{h:02d}:{m:02d}:{s:02d}" for h, m, s in zip(secs // 3600, secs // 60 % 60, secs % 60)]
    return _Calendar(
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


_OPEN_SEC = 8 * 3600 + 30 * 60          # 08:30
_CLOSE_CAP_SEC = 18 * 3600 + 30 * 60    # same-day completions end by 18:30
_CDF = _intraday_cdf()


_LUT_BITS = 18
_LUT = _OPEN_SEC + np.minimum(np.searchsorted(_CDF, np.arange(1 << _LUT_BITS) / (1 << _LUT_BITS), side="right"),
                              len(_CDF) - 1)


def _business_seconds(q: np.ndarray) -> np.ndarray:
    """Seconds of the day for quantiles q in [0, 1), non-decreasing in q (a look-up table)."""
    return _LUT[(q * (1 << _LUT_BITS)).astype(np.int64)]


def _take(values: pa.Array, idx: np.ndarray, null_mask: np.ndarray | None = None) -> pa.Array:
    indices = pa.array(idx.astype(np.int64, copy=False),
                       mask=None if null_mask is None else np.asarray(null_mask, bool))
    return pc.take(values, indices)


def _timestamps(sec: np.ndarray, null_mask: np.ndarray | None = None) -> pa.Array:
    """'YYYY-MM-DD HH:MM:SS' from seconds since the epoch (local time), nulls where masked."""
    cal = _calendar()
    day = sec // 86400
    di = np.clip(day - cal.first, 0, len(cal.date_str) - 1)
    return pc.binary_join_element_wise(_take(cal.date_str, di, null_mask),
                                       _take(cal.time_str, sec - day * 86400), " ")


def _ints(values: np.ndarray, null_mask: np.ndarray | None = None) -> pa.Array:
    return _take(_calendar().small_int_str, np.asarray(values) + 99, null_mask)


def _interp(pair: np.ndarray, t: np.ndarray, dept: np.ndarray) -> np.ndarray:
    """Per-case value of a per-department (start, end) parameter at time fraction t."""
    a = pair[dept, 0]
    return a + (pair[dept, 1] - a) * t


# ---------------------------------------------------------------------------------------
# Catalogue
# ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Catalogue:
    dept: np.ndarray            # department index per item (items sorted by department)
    code: pa.Array
    name: pa.Array
    committed: np.ndarray       # bool
    statutory: np.ndarray
    promised: np.ndarray
    must_enter: np.ndarray
    exempt: np.ndarray
    entered: np.ndarray         # epoch day, or -1
    online: np.ndarray          # epoch day, or -1
    retired: np.ndarray         # epoch day, or -1
    speed: np.ndarray           # item factor on the early-completion share
    key: np.ndarray             # dept + cumulative popularity within the department
    dept_first: np.ndarray      # first item index per department
    dept_last: np.ndarray       # last item index per department
    top: np.ndarray             # most popular item per department (never retired)


@lru_cache(maxsize=8)
def _workday_pool(lo: _dt.date, hi: _dt.date) -> np.ndarray:
    wd = _engine_workdays()
    return wd[(wd >= _days(lo)) & (wd <= _days(hi))]


def _rand_days(rng: np.random.Generator, lo: _dt.date, hi: _dt.date, n: int) -> np.ndarray:
    """Random working days (epoch days) in lo..hi: items enter, go online and retire on
    working days."""
    pool = _workday_pool(lo, hi)
    return pool[rng.integers(0, len(pool), n)]


@lru_cache(maxsize=4)
def _catalogue(seed: int) -> _Catalogue:
    rng = np.random.default_rng([seed, 0xCA7A])
    depts, codes, names = [], [], []
    actions, categories = SCENARIO.item_actions, SCENARIO.item_categories
    for di, dept in enumerate(DEPARTMENTS):
        n_items = min(dept.n_items, len(dept.stems) * len(actions))
        for k in range(n_items):
            stem, action = dept.stems[k % len(dept.stems)], actions[k // len(dept.stems)]
            depts.append(di)
            names.append(stem + action)
            category = categories[k % len(categories)]
            codes.append(f"{SCENARIO.area_code}{dept.code}{category}{k + 1:04d}")
    dept = np.array(depts)
    n = len(dept)
    instant_share = np.array([d.instant_share for d in DEPARTMENTS])[dept]
    committed = rng.random(n) >= instant_share

    (c_limits, c_shares), (i_limits, i_shares) = SCENARIO.committed_limits, SCENARIO.instant_limits
    statutory = np.where(committed, rng.choice(list(c_limits), n, p=list(c_shares)),
                         rng.choice(list(i_limits), n, p=list(i_shares)))
    low, high = SCENARIO.promised_share
    promised = np.where(committed,
                        np.maximum(1, np.ceil(statutory * rng.uniform(low, high, n))), 0).astype(np.int64)

    u = rng.random(n)
    must_enter = u >= 0.05
    exempt = must_enter & (rng.random(n) < 0.025)
    cat = np.array([SCENARIO.rates(d)["cat"] for d in DEPARTMENTS])[dept]
    before_day = _rand_days(rng, _dt.date(2015, 3, 1), _dt.date(2024, 9, 27), n)
    during_day = _rand_days(rng, DEMO_START, DEMO_END, n)
    ue = rng.random(n)
    entered = np.where(ue < cat[:, 0], before_day, np.where(ue < cat[:, 0] + cat[:, 1], during_day, -1))
    entered = np.where(must_enter & ~exempt, entered,
                       np.where(~must_enter & (ue < 0.3), before_day, -1))
    uo = rng.random(n)
    online_before = _rand_days(rng, _dt.date(2017, 6, 1), _dt.date(2024, 9, 27), n)
    online_during = _rand_days(rng, DEMO_START, DEMO_END, n)
    online = np.where(uo < cat[:, 2], online_before,
                      np.where(uo < cat[:, 2] + cat[:, 3], online_during, -1))
    ur = rng.random(n)
    retired = np.where(ur < 0.01, _rand_days(rng, _dt.date(2022, 1, 1), _dt.date(2024, 9, 27), n),
                       np.where(ur < 0.035, _rand_days(rng, DEMO_START, DEMO_END, n), -1))
    speed = rng.uniform(0.85, 1.1, n)
    # Nothing enters the centre or goes online after it was abolished.
    entered = np.where((retired >= 0) & (entered > retired), -1, entered)
    online = np.where((retired >= 0) & (online > retired), -1, online)

    # Popularity: Zipf within each department; the top item is an ordinary, active,
    # entered, online-enabled item (the department's bread and butter).
    n_dept = len(DEPARTMENTS)
    dept_first = np.searchsorted(dept, np.arange(n_dept), side="left")
    dept_last = np.searchsorted(dept, np.arange(n_dept), side="right") - 1
    pop = np.empty(n)
    top = np.empty(n_dept, np.int64)
    for di in range(n_dept):
        lo, hi = dept_first[di], dept_last[di] + 1
        ranks = rng.permutation(hi - lo)
        w = 1.0 / (ranks + 1.0) ** 1.05
        w *= np.where(must_enter[lo:hi], 1.0, 0.25) * np.where(committed[lo:hi], 1.0, 1.6)
        t = lo + int(np.argmax(w))
        top[di] = t
        must_enter[t], exempt[t], retired[t] = True, False, -1
        entered[t] = min(entered[t], before_day[t]) if entered[t] >= 0 else before_day[t]
        online[t] = min(online[t], online_before[t]) if online[t] >= 0 else online_before[t]
        c = np.cumsum(w)
        c /= c[-1]
        c[-1] = 1.0
        pop[lo:hi] = di + c
    return _Catalogue(dept=dept, code=pa.array(codes, pa.string()), name=pa.array(names, pa.string()),
                      committed=committed, statutory=statutory.astype(np.int64), promised=promised,
                      must_enter=must_enter, exempt=exempt, entered=entered, online=online,
                      retired=retired, speed=speed, key=pop, dept_first=dept_first,
                      dept_last=dept_last, top=top)


def _date_strings(days: np.ndarray) -> pa.Array:
    """'YYYY-MM-DD' for epoch days, null for -1 (any year)."""
    out = [None if d < 0 else (_EPOCH + _dt.timedelta(days=int(d))).isoformat() for d in days]
    return pa.array(out, pa.string())


def generate_catalogue(seed: int = 7) -> pa.Table:
    """The item catalogue (事项目录): one row per item, all columns text."""
    c = _catalogue(seed)
    names = pa.array([d.name for d in DEPARTMENTS], pa.string())
    cols = {
        "事项编码": c.code,
        "事项名称": c.name,
        "实施部门": _take(names, c.dept),
        "事项类型": _take(_S.types, c.committed.astype(np.int64)),
        "法定时限": _ints(c.statutory),
        "承诺时限": _ints(c.promised),
        "应进驻": _take(_S.yesno, c.must_enter.astype(np.int64)),
        "豁免进驻": _take(_S.yesno, c.exempt.astype(np.int64)),
        "进驻日期": _date_strings(c.entered),
        "纳入网上审批日期": _date_strings(c.online),
        "取消日期": _date_strings(c.retired),
    }
    return pa.table(cols, schema=CATALOGUE_SCHEMA)


# ---------------------------------------------------------------------------------------
# Cases
# ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Plan:
    n: int
    seed: int
    day: np.ndarray             # epoch day per acceptance day (DEMO_START..DEMO_END)
    day_cum: np.ndarray         # cumulative case count per day
    day_count: np.ndarray
    saturday_service: np.ndarray  # bool per day: a rest-day Saturday with morning service
    dept_cum_start: np.ndarray  # cumulative department shares at DEMO_START / DEMO_END
    dept_cum_end: np.ndarray
    dept_cum_weekend: np.ndarray
    params: dict                # name -> (n_dept, 2) array
    basic: np.ndarray
    sign_recorded: np.ndarray
    company_share: np.ndarray
    bad_offset: int


def _cum(shares: np.ndarray) -> np.ndarray:
    c = np.cumsum(shares / shares.sum())
    c[-1] = 1.0
    return c


@lru_cache(maxsize=4)
def _plan(n: int, seed: int) -> _Plan:
    cal = _calendar()
    rng = np.random.default_rng([seed, 0xDA7E])
    lo, hi = _days(DEMO_START) - cal.first, _days(DEMO_END) - cal.first
    sl = slice(lo, hi + 1)
    is_work, long_rest = cal.is_work[sl], cal.long_rest[sl]
    weekday, month = cal.weekday[sl], cal.month[sl]
    nd = hi - lo + 1
    t = np.arange(nd) / (nd - 1)

    # Daily volume: weekday pattern, seasons, growth, the rush after a long holiday, noise.
    wd_factor = np.array(SCENARIO.weekday_volume)[weekday]
    month_factor = np.array((0.0,) + SCENARIO.month_volume)[month]     # month 1 is index 1
    prev_rest = np.zeros(nd, np.int64)   # consecutive rest days just before each day
    full_work = cal.is_work
    for i in range(nd):
        j, k = lo + i - 1, 0
        while j >= 0 and not full_work[j]:
            k, j = k + 1, j - 1
        prev_rest[i] = k
    rush = np.where(prev_rest >= 3, 1.35, 1.0)
    # Departments open on Saturday mornings of an ordinary weekend, not during a holiday.
    saturday_service = ~is_work & ~long_rest & (weekday == 5)
    w = np.where(is_work, wd_factor * month_factor * rush * (1 + 0.12 * t), 0.0)
    w = w * np.exp(rng.normal(0.0, 0.07, nd))
    w = np.where(saturday_service, 0.03, w)
    exact = w / w.sum() * n
    count = np.floor(exact).astype(np.int64)
    remainder = n - count.sum()
    if remainder:
        order = np.lexsort((np.arange(nd), -(exact - count)))   # largest fractions first
        count[order[:remainder]] += 1

    # Department shares; tiny departments have a fixed absolute volume (scaled down for
    # small demo sizes), so they stay under 30 cases a quarter at any size.
    scale = min(1.0, (n / 200_000) ** 0.5)
    tiny = np.array([d.tiny_per_quarter * 8 * scale for d in DEPARTMENTS])
    tiny_share = np.minimum(tiny / max(n, 1), 0.02)
    big = np.array([d.weight for d in DEPARTMENTS])
    shares = []
    for col in (0, 1):
        s = big[:, col] / big[:, col].sum() * (1 - tiny_share.sum()) + tiny_share
        shares.append(_cum(s))
    weekend = np.array([d.weight[0] if d.weekend else 0.0 for d in DEPARTMENTS])

    params: dict[str, np.ndarray] = {}
    for name in RATE_PAIRS:
        rows = []
        for d in DEPARTMENTS:
            p = SCENARIO.rates(d)
            rows.append(p[name] if p[name] is not None else (np.nan, np.nan))
        params[name] = np.array(rows, float)
    basic = np.array([SCENARIO.rates(d)["basic"] for d in DEPARTMENTS])
    return _Plan(
        n=n, seed=seed, day=cal.first + np.arange(lo, hi + 1), day_cum=np.cumsum(count),
        day_count=count, saturday_service=saturday_service, dept_cum_start=shares[0],
        dept_cum_end=shares[1], dept_cum_weekend=_cum(weekend), params=params, basic=basic,
        sign_recorded=~np.isnan(params["sign"][:, 0]),
        company_share=np.array([d.company_share for d in DEPARTMENTS]),
        bad_offset=_plan_offset(seed),
    )


def bad_row_positions(n_cases: int, seed: int = 7) -> dict[str, np.ndarray]:
    """0-based data-row positions of the deliberately bad rows, by kind.

    For identical_repeat and conflicting_case_id the position is the first row of the
    pair; the repeat is the row after it."""
    off = _plan_offset(seed)
    pos = np.arange(off, n_cases, BAD_ROW_EVERY)
    kind = (pos // BAD_ROW_EVERY) % len(BAD_ROW_KINDS)
    out = {}
    for k, name in enumerate(BAD_ROW_KINDS):
        p = pos[kind == k]
        if name in ("identical_repeat", "conflicting_case_id"):
            p = p[p + 1 < n_cases]
        out[name] = p
    return out


def _plan_offset(seed: int) -> int:
    return int(np.random.default_rng([seed, 0xBAD]).integers(0, BAD_ROW_EVERY - 1))


class _IdCounter:
    """Running sequence numbers per (department, year) across blocks."""

    def __init__(self) -> None:
        self.next = np.zeros((len(DEPARTMENTS), len(_YEARS)), np.int64)

    def assign(self, dept: np.ndarray, year_idx: np.ndarray) -> np.ndarray:
        key = dept * len(_YEARS) + year_idx
        order = np.argsort(key, kind="stable")
        sk = key[order]
        starts = np.r_[0, np.flatnonzero(np.diff(sk)) + 1]
        group_start = np.repeat(starts, np.diff(np.r_[starts, len(sk)]))
        rank = np.empty_like(key)
        rank[order] = np.arange(len(sk)) - group_start
        flat = self.next.reshape(-1)
        seq = flat[key] + rank + 1
        flat += np.bincount(key, minlength=flat.size)
        return seq


def _block(plan: _Plan, cat: _Catalogue, counter: _IdCounter, b: int, s: int, e: int) -> pa.Table:
    cal = _calendar()
    rng = np.random.default_rng([plan.seed, 0xCA5E, b])
    m = e - s
    idx = np.arange(s, e)
    n_dept = len(DEPARTMENTS)

    # Acceptance: day from the daily counts, time stratified within the day (sorted).
    d = np.searchsorted(plan.day_cum, idx, side="right")
    pos_in_day = idx - (plan.day_cum[d] - plan.day_count[d])
    q = (pos_in_day + rng.random(m)) / plan.day_count[d]
    day = plan.day[d]
    sat = plan.saturday_service[d]
    tod = np.where(sat, 9 * 3600 + (q * 3 * 3600).astype(np.int64), _business_seconds(q))
    acc = day * 86400 + tod
    t = (day - plan.day[0]) / (plan.day[-1] - plan.day[0])

    # Department and item.
    u = rng.random(m)
    use_end = rng.random(m) < t
    dept = np.where(use_end, np.searchsorted(plan.dept_cum_end, u, side="right"),
                    np.searchsorted(plan.dept_cum_start, u, side="right"))
    dept = np.where(sat, np.searchsorted(plan.dept_cum_weekend, u, side="right"), dept)
    dept = np.minimum(dept, n_dept - 1)
    item = np.searchsorted(cat.key, dept + rng.random(m), side="right")
    item = np.clip(item, cat.dept_first[dept], cat.dept_last[dept])
    gone = (cat.retired[item] >= 0) & (cat.retired[item] <= day)
    item = np.where(gone, cat.top[dept], item)
    committed = cat.committed[item]
    promised = cat.promised[item]
    statutory = cat.statutory[item]

    # Working days to completion, relative to the promised limit.
    p = plan.params
    p_early = np.clip(_interp(p["early"], t, dept) * cat.speed[item], 0.0, 0.98)
    p_over = _interp(p["over"], t, dept)
    u3 = rng.random(m)
    early = committed & (u3 < p_early)
    over = committed & (u3 >= 1.0 - p_over)
    k = np.zeros(m, np.int64)
    k = np.where(early, np.floor(promised * rng.random(m) ** 1.6).astype(np.int64), k)
    k = np.where(committed & ~early & ~over, promised, k)
    stuck = rng.random(m) < 0.04
    late_by = rng.geometric(0.45, m) + np.where(stuck, rng.integers(15, 150, m), 0)
    k = np.where(over, promised + late_by, k)
    inst_late = ~committed & (u3 < _interp(p["inst_late"], t, dept))
    k = np.where(inst_late, rng.geometric(0.6, m), k)

    # Status: ~0.6% withdrawn (撤件), ~0.4% not accepted (不予受理).
    us = rng.random(m)
    withdrawn = us < 0.006
    rejected = (us >= 0.006) & (us < 0.010)
    k = np.where(rejected, rng.integers(0, 3, m), k)
    k = np.where(withdrawn, np.floor(k * rng.random(m)).astype(np.int64), k)

    wd = cal.workdays
    nxt = np.searchsorted(wd, day, side="right")
    comp_day = np.where(k == 0, day, wd[np.clip(nxt + k - 1, 0, len(wd) - 1)])
    same_day_off = np.where(committed & ~rejected, 1800 + rng.exponential(5400, m),
                            120 + rng.exponential(900, m)).astype(np.int64)
    room = day * 86400 + _CLOSE_CAP_SEC - acc          # >= 1 hour: acceptances end by 17:30
    same_day_off = np.where(same_day_off >= room, (room * rng.uniform(0.2, 0.95, m)).astype(np.int64),
                            same_day_off)
    same_day = acc + same_day_off
    later = comp_day * 86400 + _business_seconds(rng.random(m))
    comp = np.where(k == 0, same_day, later)
    exported = int((DEMO_EXPORTED_AT - _dt.datetime(1970, 1, 1)).total_seconds())
    done = comp <= exported
    status = np.where(done, 0, 1)
    status = np.where(rejected, 2, np.where(withdrawn, 3, status))
    comp_known = done & ~(withdrawn & (rng.random(m) < 0.5))

    completed = status == 0
    # Window sign-off (only for completed cases; some departments do not record it).
    sign = rng.random(m) < np.nan_to_num(_interp(p["sign"], t, dept))
    sign_null = ~completed | ~plan.sign_recorded[dept] | (rng.random(m) < 0.02)

    # Ratings (好差评): a share of completed cases, rated within a few days.
    rated = completed & (rng.random(m) < _interp(p["rated"], t, dept))
    bad = np.minimum(_interp(p["bad"], t, dept) * np.where(k > promised, 4.0, 1.0), 0.5)
    basic = plan.basic[dept]
    c1 = 0.4 * bad
    c2 = bad
    c3 = bad + basic
    c4 = c3 + (1.0 - c3) * 0.18
    ur = rng.random(m)
    rating = 1 + (ur >= c1).astype(np.int64) + (ur >= c2) + (ur >= c3) + (ur >= c4)
    rated_at = comp + np.where(rng.random(m) < 0.65, rng.integers(10, 7200, m),
                               rng.integers(7200, 5 * 86400, m))
    rated &= rated_at <= exported

    # Channel: online only for items enabled for online approval at that date.
    enabled = (cat.online[item] >= 0) & (cat.online[item] <= day)
    p_online = np.where(enabled, _interp(p["online"], t, dept), 0.03)
    uc = rng.random(m)
    mobile = rng.random(m) < 0.15 + 0.3 * t
    channel = np.where(uc < p_online, np.where(mobile, 1, 0),
                       np.where(rng.random(m) < 0.9, 2, np.where(rng.random(m) < 0.7, 3, 4)))

    # What the export shows of the item: mostly the catalogue's type and limits.
    type_shown = np.where(rng.random(m) < 0.002, ~committed, committed).astype(np.int64)
    statutory_null = rng.random(m) < 0.01
    promised_null = rng.random(m) < 0.004

    # Case numbers: acceptance year + department code + running number (14 digits).
    year_idx = cal.year[day - cal.first] - _YEARS[0]
    seq = counter.assign(dept, year_idx)
    case_no = (year_idx + _YEARS[0]) * 10**10 + _S.dept_code[dept] * 10**7 + seq

    # Personal data (fake): people or companies, and mobile numbers.
    company = rng.random(m) < plan.company_share[dept]
    n_given = len(SCENARIO.given)
    surname = rng.integers(0, len(SCENARIO.surnames), m)
    given1 = rng.integers(0, n_given, m)
    given2 = np.where(rng.random(m) < 0.7, rng.integers(0, n_given, m), n_given)
    firm = rng.integers(0, len(SCENARIO.firms), m)
    trade = rng.integers(0, len(SCENARIO.trades), m)
    phone = _S.mobile_prefix[rng.integers(0, len(_S.mobile_prefix), m)] * 10**8 + rng.integers(0, 10**8, m)

    # Bad rows at fixed positions (see bad_row_positions).
    bpos = np.arange(s + (plan.bad_offset - s) % BAD_ROW_EVERY, e, BAD_ROW_EVERY)
    bkind = (bpos // BAD_ROW_EVERY) % len(BAD_ROW_KINDS)
    kinds = {name: bpos[bkind == i] - s for i, name in enumerate(BAD_ROW_KINDS)}
    for name in ("identical_repeat", "conflicting_case_id"):
        kinds[name] = kinds[name][kinds[name] + 1 < m]

    dept_null = np.zeros(m, bool)
    dept_null[kinds["missing_dept"]] = True
    r = kinds["completed_before_accepted"]
    comp[r] = acc[r] - 86400 - rng.integers(3600, 6 * 3600, len(r))
    status[r], comp_known[r], rated[r] = 0, True, False
    r = kinds["completed_without_time"]
    status[r], comp_known[r], rated[r], sign_null[r] = 0, False, False, True
    rating_idx = rating - 1
    rating_null = ~rated
    r = kinds["rating_out_of_range"]
    rating_idx[r], rating_null[r] = len(_CODES["ratings"]), False   # the label after the five
    promised_shown = promised.copy()
    r = kinds["negative_limit"]
    promised_shown[r], promised_null[r] = -np.maximum(promised[r], 3), False

    # Pairs: the row after an identical_repeat is a copy of it; the row after a
    # conflicting_case_id has its 办件编号 and contents but a 受理时间 some seconds later.
    rows = dict(case_no=case_no, dept=dept, dept_null=dept_null, item=item, type_shown=type_shown,
                channel=channel, company=company, surname=surname, given1=given1, given2=given2,
                firm=firm, trade=trade, phone=phone, acc=acc, comp=comp, comp_known=comp_known,
                statutory=statutory, statutory_null=statutory_null, promised=promised_shown,
                promised_null=promised_null, sign=sign, sign_null=sign_null, rating=rating_idx,
                rating_null=rating_null, rated=rated, rated_at=rated_at, status=status)
    rep, con = kinds["identical_repeat"], kinds["conflicting_case_id"]
    if len(rep) or len(con):
        sel = np.arange(m)
        sel[rep + 1] = rep
        sel[con + 1] = con
        rows = {k: v[sel] for k, v in rows.items()}
        a = rows["acc"]
        a[con + 1] = a[con] - a[con] % 60 + (a[con] % 60 + 17) % 60
    R = rows

    person = pc.binary_join_element_wise(_take(_S.surnames, R["surname"]), _take(_S.given, R["given1"]),
                                         _take(_S.given, R["given2"]), "")
    firm_name = pc.binary_join_element_wise(_take(_S.firms, R["firm"]), _take(_S.trades, R["trade"]),
                                            "有限公司", "")
    accepted = _timestamps(R["acc"])
    r = kinds["bad_accepted_at"]
    if len(r):
        mask = np.zeros(m, bool)
        mask[r] = True
        texts = SCENARIO.bad_accepted_at
        bad = [texts[(s + int(i)) // BAD_ROW_EVERY % len(texts)] for i in r]
        accepted = pc.replace_with_mask(accepted, pa.array(mask), pa.array(bad, pa.string()))
    cols = [
        pc.cast(pa.array(R["case_no"]), pa.string()),
        _take(_S.dept_name, R["dept"], R["dept_null"]),
        _take(cat.code, R["item"]),
        _take(cat.name, R["item"]),
        _take(_S.types, R["type_shown"]),
        _take(_S.channels, R["channel"]),
        pc.if_else(pa.array(R["company"]), firm_name, person),
        pc.cast(pa.array(R["phone"]), pa.string()),
        accepted,
        _timestamps(R["comp"], ~R["comp_known"]),
        _ints(R["statutory"], R["statutory_null"]),
        _ints(R["promised"], R["promised_null"]),
        _take(_S.yesno, R["sign"].astype(np.int64), R["sign_null"]),
        _take(_S.ratings, R["rating"], R["rating_null"]),
        _timestamps(R["rated_at"], ~R["rated"]),
        _take(_S.statuses, R["status"]),
    ]
    return pa.Table.from_arrays(cols, schema=CASE_SCHEMA)


def iter_case_batches(n_cases: int, seed: int = 7, batch_rows: int = 1_000_000) -> Iterator[pa.Table]:
    """The case log (办件日志) in batches of batch_rows rows (the last may be shorter).

    The rows do not depend on batch_rows: concatenating the batches gives the same table
    for any batch size."""
    if n_cases < 0 or batch_rows < 1:
        raise ValueError("n_cases must be >= 0 and batch_rows >= 1")
    if n_cases == 0:
        return
    plan, cat, counter = _plan(n_cases, seed), _catalogue(seed), _IdCounter()
    pending: list[pa.Table] = []
    pending_rows = 0
    for b, s in enumerate(range(0, n_cases, BLOCK_ROWS)):
        block = _block(plan, cat, counter, b, s, min(s + BLOCK_ROWS, n_cases))
        while len(block):
            take = min(batch_rows - pending_rows, len(block))
            pending.append(block.slice(0, take))
            pending_rows += take
            block = block.slice(take)
            if pending_rows == batch_rows:
                yield pending[0] if len(pending) == 1 else pa.concat_tables(pending)
                pending, pending_rows = [], 0
    if pending:
        yield pending[0] if len(pending) == 1 else pa.concat_tables(pending)


# ---------------------------------------------------------------------------------------
# CSV files
# ---------------------------------------------------------------------------------------
_CSV_OPTIONS = pacsv.WriteOptions(include_header=False, quoting_style="none")


def _prefetch(tables: Iterator[pa.Table], depth: int = 2) -> Iterator[pa.Table]:
    """Run a table iterator in a background thread, so generating the next block overlaps
    with writing the current one (numpy and Arrow release the GIL). Order is preserved."""
    q: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()
    done = object()

    def put(item: object) -> bool:
        while not stop.is_set():
            try:
                q.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for t in tables:
                if not put(t):
                    return
            put(done)
        except BaseException as exc:    # re-raised in the consumer
            put(exc)

    worker = threading.Thread(target=produce, name="demo-data", daemon=True)
    worker.start()
    try:
        while True:
            item = q.get()
            if item is done:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        worker.join()


def _write_csv(path: Path, tables: Iterator[pa.Table], columns: tuple[str, ...], encoding: str) -> None:
    header = ",".join(columns) + "\n"
    tmp = path.with_name(path.name + ".part")
    try:
        if encoding in ("utf-8", "utf-8-sig"):
            with pa.OSFile(str(tmp), "wb") as f:
                f.write((header.encode("utf-8-sig") if encoding == "utf-8-sig" else header.encode()))
                writer = None
                for table in tables:
                    if writer is None:
                        writer = pacsv.CSVWriter(f, table.schema, write_options=_CSV_OPTIONS)
                    writer.write_table(table)
                if writer is not None:
                    writer.close()
        else:
            with open(tmp, "wb") as f:
                f.write(header.encode(encoding))
                for table in tables:
                    buf = pa.BufferOutputStream()
                    pacsv.write_csv(table, buf, write_options=_CSV_OPTIONS)
                    f.write(buf.getvalue().to_pybytes().decode("utf-8").encode(encoding))
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def write_demo_files(out_dir: Path, n_cases: int = 200_000, seed: int = 7,
                     encoding: str = "utf-8") -> tuple[Path, Path]:
    """Write the case log and the catalogue as CSV with a header row.

    encoding: "utf-8" (also "utf-8-sig", with a BOM) or "gb18030". Returns
    (cases_csv, catalogue_csv): demo_cases.csv / demo_catalogue.csv for UTF-8, with a
    _gb18030 suffix before .csv for GB18030."""
    enc = encoding.lower().replace("_", "-")
    if enc in ("utf8", "utf-8"):
        enc, suffix = "utf-8", ""
    elif enc in ("utf-8-sig", "utf8-sig"):
        enc, suffix = "utf-8-sig", "_utf8bom"
    elif enc == "gb18030":
        suffix = "_gb18030"
    else:
        raise ValueError(f"unsupported encoding {encoding!r}: use 'utf-8' or 'gb18030'")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    cases = out_dir / f"demo_cases{suffix}.csv"
    catalogue = out_dir / f"demo_catalogue{suffix}.csv"
    _write_csv(catalogue, iter([generate_catalogue(seed)]), CATALOGUE_COLUMNS, enc)
    _write_csv(cases, _prefetch(iter_case_batches(n_cases, seed, batch_rows=BLOCK_ROWS)), CASE_COLUMNS, enc)
    return cases, catalogue
