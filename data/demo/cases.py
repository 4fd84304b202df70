"""The case log (办件日志): daily volumes, departments, items, completions, ratings, channels
and fake applicants, generated block by block, with the deliberately bad rows planted at
fixed positions."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from data.demo.base import (BAD_ROW_EVERY, BAD_ROW_KINDS, BLOCK_ROWS, CASE_SCHEMA, CLOSE_CAP_SEC, CODES,
                            DEMO_END, DEMO_EXPORTED_AT, DEMO_START, DEPARTMENTS, LABELS, SCENARIO, YEARS,
                            business_seconds, calendar_tables, epoch_day, int_strings, interp, take,
                            timestamps)
from data.demo.catalogue import Items, items
from data.demo.scenario import RATE_PAIRS

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
    cal = calendar_tables()
    rng = np.random.default_rng([seed, 0xDA7E])
    lo, hi = epoch_day(DEMO_START) - cal.first, epoch_day(DEMO_END) - cal.first
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
        self.next = np.zeros((len(DEPARTMENTS), len(YEARS)), np.int64)

    def assign(self, dept: np.ndarray, year_idx: np.ndarray) -> np.ndarray:
        key = dept * len(YEARS) + year_idx
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


def _block(plan: _Plan, cat: Items, counter: _IdCounter, b: int, s: int, e: int) -> pa.Table:
    cal = calendar_tables()
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
    tod = np.where(sat, 9 * 3600 + (q * 3 * 3600).astype(np.int64), business_seconds(q))
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
    p_early = np.clip(interp(p["early"], t, dept) * cat.speed[item], 0.0, 0.98)
    p_over = interp(p["over"], t, dept)
    u3 = rng.random(m)
    early = committed & (u3 < p_early)
    over = committed & (u3 >= 1.0 - p_over)
    k = np.zeros(m, np.int64)
    k = np.where(early, np.floor(promised * rng.random(m) ** 1.6).astype(np.int64), k)
    k = np.where(committed & ~early & ~over, promised, k)
    stuck = rng.random(m) < 0.04
    late_by = rng.geometric(0.45, m) + np.where(stuck, rng.integers(15, 150, m), 0)
    k = np.where(over, promised + late_by, k)
    inst_late = ~committed & (u3 < interp(p["inst_late"], t, dept))
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
    room = day * 86400 + CLOSE_CAP_SEC - acc          # >= 1 hour: acceptances end by 17:30
    same_day_off = np.where(same_day_off >= room, (room * rng.uniform(0.2, 0.95, m)).astype(np.int64),
                            same_day_off)
    same_day = acc + same_day_off
    later = comp_day * 86400 + business_seconds(rng.random(m))
    comp = np.where(k == 0, same_day, later)
    exported = int((DEMO_EXPORTED_AT - _dt.datetime(1970, 1, 1)).total_seconds())
    done = comp <= exported
    status = np.where(done, 0, 1)
    status = np.where(rejected, 2, np.where(withdrawn, 3, status))
    comp_known = done & ~(withdrawn & (rng.random(m) < 0.5))

    completed = status == 0
    # Window sign-off (only for completed cases; some departments do not record it).
    sign = rng.random(m) < np.nan_to_num(interp(p["sign"], t, dept))
    sign_null = ~completed | ~plan.sign_recorded[dept] | (rng.random(m) < 0.02)

    # Ratings (好差评): a share of completed cases, rated within a few days.
    rated = completed & (rng.random(m) < interp(p["rated"], t, dept))
    bad = np.minimum(interp(p["bad"], t, dept) * np.where(k > promised, 4.0, 1.0), 0.5)
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
    p_online = np.where(enabled, interp(p["online"], t, dept), 0.03)
    uc = rng.random(m)
    mobile = rng.random(m) < 0.15 + 0.3 * t
    channel = np.where(uc < p_online, np.where(mobile, 1, 0),
                       np.where(rng.random(m) < 0.9, 2, np.where(rng.random(m) < 0.7, 3, 4)))

    # What the export shows of the item: mostly the catalogue's type and limits.
    type_shown = np.where(rng.random(m) < 0.002, ~committed, committed).astype(np.int64)
    statutory_null = rng.random(m) < 0.01
    promised_null = rng.random(m) < 0.004

    # Case numbers: acceptance year + department code + running number (14 digits).
    year_idx = cal.year[day - cal.first] - YEARS[0]
    seq = counter.assign(dept, year_idx)
    case_no = (year_idx + YEARS[0]) * 10**10 + LABELS.dept_code[dept] * 10**7 + seq

    # Personal data (fake): people or companies, and mobile numbers.
    company = rng.random(m) < plan.company_share[dept]
    n_given = len(SCENARIO.given)
    surname = rng.integers(0, len(SCENARIO.surnames), m)
    given1 = rng.integers(0, n_given, m)
    given2 = np.where(rng.random(m) < 0.7, rng.integers(0, n_given, m), n_given)
    firm = rng.integers(0, len(SCENARIO.firms), m)
    trade = rng.integers(0, len(SCENARIO.trades), m)
    phone = LABELS.mobile_prefix[rng.integers(0, len(LABELS.mobile_prefix), m)] * 10**8 + rng.integers(0, 10**8, m)

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
    rating_idx[r], rating_null[r] = len(CODES["ratings"]), False   # the label after the five
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

    person = pc.binary_join_element_wise(take(LABELS.surnames, R["surname"]), take(LABELS.given, R["given1"]),
                                         take(LABELS.given, R["given2"]), "")
    firm_name = pc.binary_join_element_wise(take(LABELS.firms, R["firm"]), take(LABELS.trades, R["trade"]),
                                            "有限公司", "")
    accepted = timestamps(R["acc"])
    r = kinds["bad_accepted_at"]
    if len(r):
        mask = np.zeros(m, bool)
        mask[r] = True
        texts = SCENARIO.bad_accepted_at
        bad = [texts[(s + int(i)) // BAD_ROW_EVERY % len(texts)] for i in r]
        accepted = pc.replace_with_mask(accepted, pa.array(mask), pa.array(bad, pa.string()))
    cols = [
        pc.cast(pa.array(R["case_no"]), pa.string()),
        take(LABELS.dept_name, R["dept"], R["dept_null"]),
        take(cat.code, R["item"]),
        take(cat.name, R["item"]),
        take(LABELS.types, R["type_shown"]),
        take(LABELS.channels, R["channel"]),
        pc.if_else(pa.array(R["company"]), firm_name, person),
        pc.cast(pa.array(R["phone"]), pa.string()),
        accepted,
        timestamps(R["comp"], ~R["comp_known"]),
        int_strings(R["statutory"], R["statutory_null"]),
        int_strings(R["promised"], R["promised_null"]),
        take(LABELS.yesno, R["sign"].astype(np.int64), R["sign_null"]),
        take(LABELS.ratings, R["rating"], R["rating_null"]),
        timestamps(R["rated_at"], ~R["rated"]),
        take(LABELS.statuses, R["status"]),
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
    plan, cat, counter = _plan(n_cases, seed), items(seed), _IdCounter()
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

