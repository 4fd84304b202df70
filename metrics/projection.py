"""The quarter-end projection (issue 14): for a period not yet complete, the expected end
value of each of the four rates and of the score, an 80% interval, and whether the target
will be met.

The method, for a rate N/D of one department (or the centre) on day d of the period (the
days so far: the period's first d days, up to the day the data runs through):

1. The cases so far: N_now, D_now, their rate p_now.
2. The same days of the `HISTORY` earlier periods of the same length (quarter: the four
   quarters before it): for each, its first d days and the rest of it. From them, pooled:
   - how many more cases the rest of a period brings: g = Σ D_rest / Σ D_first (with no
     earlier cases at all, the data's first period: the days to come ÷ the days so far);
   - how the rest's rate differs from the first days' rate (a quarter-end rush, a holiday):
     s = Σ N_rest / Σ D_rest − Σ N_first / Σ D_first.
3. The rest of this period: D_rest = g × D_now cases at rate p_rest = p_now + s (within 0..1).
   Projected end value = (N_now + p_rest × D_rest) / (D_now + D_rest).
4. Its 80% interval: projected ± 1.2816 × w × σ, w = D_rest / (D_now + D_rest) the share of
   the period still to come, σ² = p(1−p)/D_now (how well the days so far know the rate) +
   p(1−p)/D_rest (the chance in the cases to come) + the variance of the earlier periods'
   own shifts s_q (how much that pattern varies), p = p_rest. Clipped to 0..1.

The entry rate is the catalogue as it will stand on the period's last day: known now, so its
projection is its value. The score is the ranking's weighted mean of the projected rates
(weights renormalised over the defined ones), its interval the same mean of the rates'
bounds, as the ranking takes the score's interval (spec 7). Target: met when the interval
lies at or above it (for a lower-is-better target, at or below), missed when it lies wholly
on the wrong side, otherwise open.

`bench/projection_backtest.py` tests the method on every past quarter (docs/alerts.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import duckdb
import numpy as np
import pandas as pd

from metrics.periods import Period
from metrics.rates import dept_sums_over
from metrics.ranking import _weighted, score_target
from metrics.registry import FOUR_RATES
from metrics.settings import Weights

HISTORY = 4
Z80 = 1.2815515655446004    # two-sided 80%
CENTRE = ""                  # the row of the whole centre (or of the selected departments)
PROJECTION_COLUMNS = ["dept", "metric", "so_far", "projected", "low", "high", "target", "verdict"]


@dataclass(frozen=True)
class Window:
    """The period, the day the data runs through, and the earlier periods' halves."""
    period: Period
    as_of: date
    history: tuple[Period, ...]

    @property
    def day(self) -> int:
        return (self.as_of - self.period.start).days + 1

    def first_part(self, p: Period) -> Period:
        return Period("range", p.start, min(p.end, p.start + timedelta(days=self.day - 1)))

    def rest_part(self, p: Period) -> Period | None:
        start = p.start + timedelta(days=self.day)
        return Period("range", start, p.end) if start <= p.end else None


def is_partial(period: Period, data_through: date | None) -> bool:
    """Whether the data reaches into the period but not to its last day."""
    return data_through is not None and period.start <= data_through < period.end


def window(period: Period, as_of: date, history: int = HISTORY) -> Window:
    earlier, p = [], period
    for _ in range(history):
        p = p.previous()
        earlier.append(p)
    return Window(period, as_of, tuple(earlier))


def _by_dept(sums: pd.DataFrame, depts: list[str] | None) -> pd.DataFrame:
    """Summed parts per department, plus the centre's row (of `depts`, when given)."""
    if depts:
        sums = sums[sums["dept"].isin(depts)]
    sums = sums.set_index("dept")
    centre = sums.sum().to_frame(CENTRE).T
    return pd.concat([sums, centre]) if len(sums) else centre


def _parts(frames: list[pd.DataFrame], depts: list[str] | None, index: pd.Index, cols: list[str]) -> np.ndarray:
    """Sum of several periods' parts, aligned on `index`: (len(frames), len(index), len(cols))."""
    out = np.zeros((len(frames), len(index), len(cols)))
    for i, f in enumerate(frames):
        out[i] = _by_dept(f, depts).reindex(index).reindex(columns=cols).fillna(0).to_numpy(dtype=float)
    return out


def project(con: duckdb.DuckDBPyConnection, period: Period, as_of: date, weights: Weights | None = None,
            targets: dict[str, float | None] | None = None, depts: list[str] | None = None,
            history: int = HISTORY) -> pd.DataFrame:
    """One row per department (and the centre, dept ""), per four-rate metric and `score`."""
    weights = weights or Weights()
    targets = {m.name: m.target for m in FOUR_RATES} | (targets or {})
    w = window(period, as_of, history)
    rests = [w.rest_part(q) for q in w.history]
    asked = [w.first_part(period), period, *[w.first_part(q) for q in w.history],
             *[r for r in rests if r is not None]]
    frames = dept_sums_over(con, asked)
    now, full, firsts = frames[0], frames[1], frames[2:2 + len(w.history)]
    rest_frames = iter(frames[2 + len(w.history):])
    rests_f = [next(rest_frames) if r is not None else now.iloc[0:0] for r in rests]

    index = _by_dept(pd.concat([now, full]).groupby("dept", as_index=False).sum(), depts).index
    index = pd.Index([d for d in index if d != CENTRE] + [CENTRE], name="dept")
    rows: list[dict] = []
    projected, lows, highs, so_far = {}, {}, {}, {}
    for m in FOUR_RATES:
        cols = [m.numerator.name, m.denominator.name]
        if m.period_date == "catalogue":  # the catalogue at the period's end is known now
            cur = _parts([full], depts, index, cols)[0]
            with np.errstate(divide="ignore", invalid="ignore"):
                value = np.where(cur[:, 1] > 0, cur[:, 0] / np.where(cur[:, 1] > 0, cur[:, 1], 1), np.nan)
            so_far[m.name] = projected[m.name] = lows[m.name] = highs[m.name] = value
            continue
        cur = _parts([now], depts, index, cols)[0]
        first = _parts(firsts, depts, index, cols)
        rest = _parts(rests_f, depts, index, cols)
        p, lo, hi, now_value = _project_rate(cur, first, rest, (period.days - w.day) / w.day)
        so_far[m.name], projected[m.name], lows[m.name], highs[m.name] = now_value, p, lo, hi
    wts = np.array([getattr(weights, m.name) for m in FOUR_RATES], dtype=float)

    def stack(d):
        return np.array([d[m.name] for m in FOUR_RATES]).T

    undefined = np.isnan(stack(projected))
    score = _weighted(stack(projected), wts)
    score_lo = _weighted(np.where(undefined, np.nan, stack(lows)), wts)
    score_hi = _weighted(np.where(undefined, np.nan, stack(highs)), wts)
    score_now = _weighted(stack(so_far), wts)
    score_goal = score_target(weights, targets)
    for i, dept in enumerate(index):
        for m in FOUR_RATES:
            rows.append(_row(dept, m.name, so_far[m.name][i], projected[m.name][i], lows[m.name][i],
                             highs[m.name][i], targets.get(m.name), m.better))
        rows.append(_row(dept, "score", score_now[i], score[i], score_lo[i], score_hi[i], score_goal, "higher"))
    return pd.DataFrame(rows, columns=PROJECTION_COLUMNS)


def _project_rate(cur: np.ndarray, first: np.ndarray, rest: np.ndarray, days_ratio: float):
    """Step 1-4 of the module's method, element-wise over departments. `cur`: (n, 2) of
    (N_now, D_now); `first`, `rest`: (history, n, 2) of the earlier periods' halves;
    `days_ratio`: the period's days still to come ÷ its days so far."""
    n_now, d_now = cur[:, 0], cur[:, 1]
    f_n, f_d = first[..., 0], first[..., 1]
    r_n, r_d = rest[..., 0], rest[..., 1]
    with np.errstate(divide="ignore", invalid="ignore"):
        sum_fd, sum_rd = f_d.sum(axis=0), r_d.sum(axis=0)
        # No earlier period with cases in its first days (the data's first quarter): the rest
        # brings cases in proportion to its calendar days.
        growth = np.where(sum_fd > 0, sum_rd / np.where(sum_fd > 0, sum_fd, 1), days_ratio)
        # No case so far: the earlier periods' mean rest as it was.
        d_rest = np.where(d_now == 0, r_d.mean(axis=0) if len(r_d) else 0.0, growth * d_now)
        d_rest = np.nan_to_num(d_rest)
        p_now = np.where(d_now > 0, n_now / np.where(d_now > 0, d_now, 1), np.nan)
        rate_f = np.where(sum_fd > 0, f_n.sum(axis=0) / np.where(sum_fd > 0, sum_fd, 1), np.nan)
        rate_r = np.where(sum_rd > 0, r_n.sum(axis=0) / np.where(sum_rd > 0, sum_rd, 1), np.nan)
        shift = np.nan_to_num(rate_r - rate_f)
        # Each earlier period's own shift, for the spread of the pattern.
        own = np.where((f_d > 0) & (r_d > 0), r_n / np.where(r_d > 0, r_d, 1) - f_n / np.where(f_d > 0, f_d, 1),
                       np.nan)
        defined = (~np.isnan(own)).sum(axis=0)
        shift_var = np.where(defined >= 2, np.nanvar(np.where(defined >= 2, own, 0.0), axis=0, ddof=1)
                             if len(own) >= 2 else 0.0, 0.0)
        # The rest's rate: this period's so far, shifted; with no case so far, the earlier rests'.
        p_rest = np.where(d_now > 0, np.clip(p_now + shift, 0.0, 1.0), rate_r)
        total = d_now + d_rest
        projected = np.where(total > 0, (n_now + np.nan_to_num(p_rest) * d_rest) / np.where(total > 0, total, 1),
                             np.nan)
        projected = np.where(np.isnan(p_rest) & (d_now == 0), np.nan, projected)
        share_left = np.where(total > 0, d_rest / np.where(total > 0, total, 1), 0.0)
        q = np.nan_to_num(p_rest) * (1 - np.nan_to_num(p_rest))
        var = np.where(d_now > 0, q / np.where(d_now > 0, d_now, 1), q) \
            + np.where(d_rest > 0, q / np.where(d_rest > 0, d_rest, 1), 0.0) + shift_var
        half = Z80 * share_left * np.sqrt(var)
    low = np.clip(projected - half, 0.0, 1.0)
    high = np.clip(projected + half, 0.0, 1.0)
    return projected, low, high, p_now


def _row(dept, metric, so_far, projected, low, high, target, better) -> dict:
    def num(x):
        return None if x is None or (isinstance(x, float) and np.isnan(x)) else float(x)
    lo, hi, goal = num(low), num(high), num(target)
    if goal is None or lo is None or hi is None:
        verdict = None
    elif better == "higher":
        verdict = "met" if lo >= goal else "missed" if hi < goal else "open"
    else:
        verdict = "met" if hi <= goal else "missed" if lo > goal else "open"
    return {"dept": dept, "metric": metric, "so_far": num(so_far), "projected": num(projected), "low": lo,
            "high": hi, "target": goal, "verdict": verdict}


_VERDICT_ZH = {"met": "预计达标", "missed": "预计未达标", "open": "尚难判断能否达标"}


def bulletin_lines(rows: pd.DataFrame, period: Period, as_of: date) -> list[str]:
    """The bulletin's paragraphs on a period still in progress: the centre's rows of `project`."""
    from metrics.registry import BY_NAME

    def shown(metric: str, v) -> str:
        if v is None or v != v:
            return "—"
        return f"{v:.1f} 分" if metric == "score" else f"{v * 100:.1f}%"

    def cn(d: date) -> str:
        return f"{d.year}年{d.month}月{d.day}日"

    day = (as_of - period.start).days + 1
    out = [f"本期尚未结束：数据截至{cn(as_of)}（本期第 {day} 天，共 {period.days} 天）。以下按已发生的办件，"
           f"参照此前 {HISTORY} 个同类周期相同天数之后的办件量与比率变化，推算本期期末数值及其 80% 区间。"]
    for r in rows.itertuples():
        label = "综合得分" if r.metric == "score" else BY_NAME[r.metric].label_zh
        if r.projected is None or r.projected != r.projected:
            out.append(f"{label}：尚无可推算的数据。")
            continue
        text = f"{label}预计 {shown(r.metric, r.projected)}（区间 {shown(r.metric, r.low)}—{shown(r.metric, r.high)}，" \
               f"目前 {shown(r.metric, r.so_far)}）"
        if r.verdict in _VERDICT_ZH:
            sign = "≤" if r.metric != "score" and BY_NAME[r.metric].better == "lower" else "≥"
            text += f"，目标 {sign}{shown(r.metric, r.target)}，{_VERDICT_ZH[r.verdict]}"
        out.append(text + "。")
    return out
