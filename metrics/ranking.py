"""The department ranking (spec 7) and its machine-readable table (spec 8)."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from metrics.grades import GRADE_COLUMNS, add_grades, categories
from metrics.periods import Period
from metrics.rates import dept_sums_over, metric_values, wilson, with_values
from metrics.registry import FOUR_RATES
from metrics.settings import GradeRules, Weights

# Spec 8, in this order; further columns follow them.
RANKING_COLUMNS = [
    "period", "rank", "dept", "score", "partial", "ranked", "cases",
    "entry_rate", "online_rate", "early_completion_rate", "satisfaction_rate",
    "instant_ratio", "time_compression", "window_signoff_rate", "on_time_rate",
    "overdue_cases", "open_overdue_cases", "rank_change", "score_low", "score_high",
]
EXTRA_COLUMNS = [
    "note", "not_significant_with_next",
    *[f"{m.name}_{b}" for m in FOUR_RATES for b in ("low", "high")],
]

SCORE_DECIMALS = 9  # scores equal to 9 decimal places share a rank


def _weighted(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Weighted mean of the defined rates × 100 (one row per department, one column per
    rate), weights renormalised over the defined ones; NaN where none is defined."""
    defined = ~np.isnan(values) & (weights > 0)
    wsum = (defined * weights).sum(axis=1)
    total = (np.where(defined, values, 0.0) * weights).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(wsum > 0, total / np.where(wsum > 0, wsum, 1) * 100, np.nan)


def _active(sums: pd.DataFrame, depts: list[str] | None) -> pd.DataFrame:
    """Departments with anything in the period (cases, ratings or catalogue items)."""
    keep = (sums["accepted_cases"] > 0) | (sums["completed_cases"] > 0) | (sums["ratings"] > 0) \
        | (sums["active_items"] > 0)
    if depts:
        keep &= sums["dept"].isin(depts)
    return sums[keep].reset_index(drop=True)


def _competition_ranks(score: np.ndarray, ranked: np.ndarray, dept: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The order of the table (ranked first, best score first, ties by name) and each
    row's competition rank (1, 2, 2, 4) on the score rounded to 9 places; 0 if unranked."""
    key = np.round(score, SCORE_DECIMALS)
    order = np.lexsort((dept, -np.nan_to_num(key, nan=-np.inf), ~ranked))
    k = key[order]
    r = ranked[order]
    # A rank is 1 + the number of ranked rows with a strictly higher score.
    ranks = np.where(r, np.searchsorted(-k[r], -k, side="left") + 1, 0) if r.any() else np.zeros(len(k), int)
    return order, ranks


def ranking(con: duckdb.DuckDBPyConnection, period: Period, weights: Weights | None = None,
            min_cases: int = 30, depts: list[str] | None = None, with_change: bool = True,
            grades: GradeRules | None = None) -> pd.DataFrame:
    weights = weights or Weights()
    w = np.array([getattr(weights, m.name) for m in FOUR_RATES], dtype=float)
    periods = [period, period.previous()] if with_change else [period]
    all_sums = dept_sums_over(con, periods)
    # Built column by column as arrays, then one frame: pandas bookkeeping on a 60-column
    # frame was most of a ranking's time.
    base = with_values(_active(all_sums[0], depts))
    cols = {c: base[c].array for c in base.columns}
    for m in FOUR_RATES:
        cols[f"{m.name}_low"], cols[f"{m.name}_high"] = wilson(
            np.asarray(cols[m.numerator.name], dtype=float), np.asarray(cols[m.denominator.name], dtype=float))

    def table(suffix: str = "") -> np.ndarray:  # one row per department, one column per rate
        return np.array([np.asarray(cols[m.name + suffix], dtype=float) for m in FOUR_RATES]).reshape(
            len(FOUR_RATES), len(base)).T

    rates = table()
    undefined = np.isnan(rates)
    score = _weighted(rates, w)
    # An interval's bounds count only where the rate itself is defined.
    bound = {b: _weighted(np.where(undefined, np.nan, table(f"_{b}")), w) for b in ("low", "high")}
    cases = np.asarray(cols["accepted_cases"], dtype="int64")
    ranked = (cases >= min_cases) & ~np.isnan(score)
    order, ranks = _competition_ranks(score, ranked, np.asarray(cols["dept"], dtype=object))

    cols = {c: v.take(order) if hasattr(v, "take") else v[order] for c, v in cols.items()}
    score, cases, ranked, undefined = score[order], cases[order], ranked[order], undefined[order]
    score_low, score_high = bound["low"][order], bound["high"][order]
    cols.update(
        score=score, score_low=score_low, score_high=score_high,
        partial=undefined[:, w > 0].any(axis=1) & ~np.isnan(score),
        cases=cases, ranked=ranked,
        note=np.where(np.isnan(score), "no defined rate", np.where(cases < min_cases, "too few cases", "")),
        rank=pd.arrays.IntegerArray(ranks.astype("int64"), ~ranked),
        overdue_cases=np.asarray(cols["overdue_cases"], dtype="int64"),
        open_overdue_cases=np.asarray(cols["open_overdue_cases"], dtype="int64"),
    )
    # Adjacent ranked departments whose score intervals overlap are not significantly different.
    next_ranked = np.append(ranked[1:], False)
    next_low = np.append(score_low[1:], np.nan)
    next_high = np.append(score_high[1:], np.nan)
    cols["not_significant_with_next"] = ranked & next_ranked & ~np.isnan(next_low) \
        & (score_low <= next_high) & (next_low <= score_high)
    if with_change:
        cols["rank_change"] = _rank_change(_active(all_sums[1], depts), cols["dept"], cols["rank"], ranked,
                                           w, min_cases)
    else:
        cols["rank_change"] = pd.arrays.IntegerArray(np.zeros(len(ranked), "int64"), np.ones(len(ranked), bool))
    cols["period"] = [period.label] * len(ranked)
    # Spec 10: category, rank within it and grade follow the spec 8 columns.
    graded = add_grades(pd.DataFrame({"dept": cols["dept"], "score": score, "ranked": ranked}),
                        categories(con), grades or GradeRules())
    cols.update({c: graded[c].array for c in GRADE_COLUMNS})
    order_ = RANKING_COLUMNS + GRADE_COLUMNS + EXTRA_COLUMNS
    rest = [c for c in cols if c not in order_]
    return pd.DataFrame({c: cols[c] for c in order_ + rest})


def _rank_change(previous: pd.DataFrame, dept, rank: pd.arrays.IntegerArray, ranked: np.ndarray,
                 w: np.ndarray, min_cases: int) -> pd.arrays.IntegerArray:
    """Places gained since the previous period (positive = up), for departments ranked in both."""
    score = _weighted(metric_values(previous, FOUR_RATES).to_numpy(dtype=float), w)
    was_ranked = (previous["accepted_cases"].to_numpy() >= min_cases) & ~np.isnan(score)
    order, ranks = _competition_ranks(score, was_ranked, previous["dept"].to_numpy(dtype=object))
    before = dict(zip(previous["dept"].to_numpy()[order][was_ranked[order]], ranks[was_ranked[order]]))
    prev = np.array([before.get(d, 0) for d in dept], dtype="int64")
    known = np.array([d in before for d in dept], dtype=bool) & ranked
    return pd.arrays.IntegerArray(np.where(known, prev - rank.to_numpy(dtype="int64", na_value=0), 0), ~known)


def machine_table(table: pd.DataFrame) -> pd.DataFrame:
    """The ranking as the CLI and downloads write it: spec 8 columns first, then spec 10's
    category, category_rank and grade, then the extras."""
    return table[RANKING_COLUMNS + GRADE_COLUMNS + EXTRA_COLUMNS]


def score_target(weights: Weights, targets: dict[str, float | None]) -> float | None:
    """A reference line for scores: the four rates' targets, where defined, weighted as the
    score weighs the rates, × 100. A rate without a target (the early-completion rate) or
    with weight 0 is left out; None when no rate is left."""
    parts = [(getattr(weights, m.name), targets.get(m.name)) for m in FOUR_RATES]
    parts = [(w, target) for w, target in parts if target is not None and w > 0]
    if not parts:
        return None
    return sum(w * target for w, target in parts) / sum(w for w, _ in parts) * 100
