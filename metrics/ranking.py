"""The department ranking (spec 7) and its machine-readable table (spec 8)."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from metrics.periods import Period
from metrics.rates import dept_sums, with_intervals, with_values
from metrics.registry import FOUR_RATES
from metrics.settings import Weights

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


def _weighted(values: pd.DataFrame, weights: dict[str, float]) -> pd.Series:
    """Weighted mean of the defined rates × 100, weights renormalised over them."""
    v = values.to_numpy(dtype=float)
    w = np.array([weights[c] for c in values.columns], dtype=float)
    defined = ~np.isnan(v) & (w > 0)
    wsum = (defined * w).sum(axis=1)
    total = (np.where(defined, v, 0.0) * w).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return pd.Series(np.where(wsum > 0, total / np.where(wsum > 0, wsum, 1) * 100, np.nan), index=values.index)


def ranking(con: duckdb.DuckDBPyConnection, period: Period, weights: Weights | None = None,
            min_cases: int = 30, depts: list[str] | None = None, with_change: bool = True) -> pd.DataFrame:
    weights = weights or Weights()
    w = {m.name: getattr(weights, m.name) for m in FOUR_RATES}
    sums = dept_sums(con, period)
    active = (sums["accepted_cases"] > 0) | (sums["completed_cases"] > 0) | (sums["ratings"] > 0) \
        | (sums["active_items"] > 0)
    sums = sums[active]
    if depts:
        sums = sums[sums["dept"].isin(depts)]
    sums = sums.reset_index(drop=True)
    t = with_intervals(with_values(sums), FOUR_RATES)
    rate_names = [m.name for m in FOUR_RATES]

    t["score"] = _weighted(t[rate_names], w)
    lows = t[[f"{n}_low" for n in rate_names]].set_axis(rate_names, axis=1)
    highs = t[[f"{n}_high" for n in rate_names]].set_axis(rate_names, axis=1)
    t["score_low"] = _weighted(lows.where(t[rate_names].notna()), w)
    t["score_high"] = _weighted(highs.where(t[rate_names].notna()), w)
    t["partial"] = t[[n for n in rate_names if w[n] > 0]].isna().any(axis=1) & t["score"].notna()
    t["cases"] = t["accepted_cases"].astype("int64")
    t["ranked"] = (t["cases"] >= min_cases) & t["score"].notna()
    t["note"] = np.where(t["score"].isna(), "no defined rate",
                         np.where(t["cases"] < min_cases, "too few cases", ""))

    # Competition ranking (1, 2, 2, 4) on the score rounded to 9 places; ties by name.
    t["_key"] = t["score"].round(SCORE_DECIMALS)
    t = t.sort_values(["ranked", "_key", "dept"], ascending=[False, False, True], ignore_index=True)
    ranked = t["ranked"]
    t["rank"] = pd.array([pd.NA] * len(t), dtype="Int64")
    t.loc[ranked, "rank"] = t.loc[ranked, "_key"].rank(method="min", ascending=False).astype("int64")

    # Adjacent ranked departments whose score intervals overlap are not significantly different.
    nxt_low = t["score_low"].shift(-1).where(ranked.shift(-1, fill_value=False))
    nxt_high = t["score_high"].shift(-1).where(ranked.shift(-1, fill_value=False))
    t["not_significant_with_next"] = ranked & nxt_low.notna() & (t["score_low"] <= nxt_high) \
        & (nxt_low <= t["score_high"])

    t["rank_change"] = pd.array([pd.NA] * len(t), dtype="Int64")
    if with_change:
        prev = ranking(con, period.previous(), weights, min_cases, depts, with_change=False)
        prev_rank = prev.loc[prev["ranked"], ["dept", "rank"]].set_index("dept")["rank"]
        before = t["dept"].map(prev_rank).astype("Int64")
        t["rank_change"] = (before - t["rank"]).where(ranked)
    t["period"] = period.label
    for c in ("overdue_cases", "open_overdue_cases"):
        t[c] = t[c].astype("int64")
    rest = [c for c in t.columns if c not in RANKING_COLUMNS + EXTRA_COLUMNS and c != "_key"]
    return t[RANKING_COLUMNS + EXTRA_COLUMNS + rest]


def machine_table(table: pd.DataFrame) -> pd.DataFrame:
    """The ranking as the CLI and downloads write it: spec 8 columns first, then the extras."""
    return table[RANKING_COLUMNS + EXTRA_COLUMNS]
