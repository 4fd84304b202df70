"""The item catalogue (事项目录): the departments' items with their type, time limits and the
dates they entered the centre, went online and were abolished."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pyarrow as pa

from data.demo.base import (CATALOGUE_SCHEMA, DEMO_END, DEMO_START, DEPARTMENTS, EPOCH, LABELS, SCENARIO,
                            engine_workdays, epoch_day, int_strings, take)

@dataclass(frozen=True)
class Items:
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
    wd = engine_workdays()
    return wd[(wd >= epoch_day(lo)) & (wd <= epoch_day(hi))]


def _rand_days(rng: np.random.Generator, lo: _dt.date, hi: _dt.date, n: int) -> np.ndarray:
    """Random working days (epoch days) in lo..hi: items enter, go online and retire on
    working days."""
    pool = _workday_pool(lo, hi)
    return pool[rng.integers(0, len(pool), n)]


@lru_cache(maxsize=4)
def items(seed: int) -> Items:
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
    history = SCENARIO.history
    until = history["history_until"]
    before_day = _rand_days(rng, history["entered_since"], until, n)
    during_day = _rand_days(rng, DEMO_START, DEMO_END, n)
    ue = rng.random(n)
    entered = np.where(ue < cat[:, 0], before_day, np.where(ue < cat[:, 0] + cat[:, 1], during_day, -1))
    entered = np.where(must_enter & ~exempt, entered,
                       np.where(~must_enter & (ue < 0.3), before_day, -1))
    uo = rng.random(n)
    online_before = _rand_days(rng, history["online_since"], until, n)
    online_during = _rand_days(rng, DEMO_START, DEMO_END, n)
    online = np.where(uo < cat[:, 2], online_before,
                      np.where(uo < cat[:, 2] + cat[:, 3], online_during, -1))
    ur = rng.random(n)
    retired = np.where(ur < 0.01, _rand_days(rng, history["abolished_since"], until, n),
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
    return Items(dept=dept, code=pa.array(codes, pa.string()), name=pa.array(names, pa.string()),
                      committed=committed, statutory=statutory.astype(np.int64), promised=promised,
                      must_enter=must_enter, exempt=exempt, entered=entered, online=online,
                      retired=retired, speed=speed, key=pop, dept_first=dept_first,
                      dept_last=dept_last, top=top)


def _date_strings(days: np.ndarray) -> pa.Array:
    """'YYYY-MM-DD' for epoch days, null for -1 (any year)."""
    out = [None if d < 0 else (EPOCH + _dt.timedelta(days=int(d))).isoformat() for d in days]
    return pa.array(out, pa.string())


def generate_catalogue(seed: int = 7) -> pa.Table:
    """The item catalogue (事项目录): one row per item, all columns text."""
    c = items(seed)
    names = pa.array([d.name for d in DEPARTMENTS], pa.string())
    cols = {
        "事项编码": c.code,
        "事项名称": c.name,
        "实施部门": take(names, c.dept),
        "事项类型": take(LABELS.types, c.committed.astype(np.int64)),
        "法定时限": int_strings(c.statutory),
        "承诺时限": int_strings(c.promised),
        "应进驻": take(LABELS.yesno, c.must_enter.astype(np.int64)),
        "豁免进驻": take(LABELS.yesno, c.exempt.astype(np.int64)),
        "进驻日期": _date_strings(c.entered),
        "纳入网上审批日期": _date_strings(c.online),
        "取消日期": _date_strings(c.retired),
    }
    return pa.table(cols, schema=CATALOGUE_SCHEMA)

