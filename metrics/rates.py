"""Every metric of the registry for a period, by department and for the centre.

A period's figures are sums of the daily numerators and denominators (`dept_daily`) and
of the catalogue as it stood on the period's last day; values come from those sums.
"""

from __future__ import annotations

import math

import duckdb
import numpy as np
import pandas as pd

from metrics.periods import Period
from metrics.registry import METRICS, Metric
from metrics.store import has_table, sql

Z95 = 1.96

SUM_COLUMNS_CATALOGUE = ["active_items", "entry_base", "entered_items", "inclusion_base", "online_items"]


def dept_sums(con: duckdb.DuckDBPyConnection, period: Period) -> pd.DataFrame:
    """One row per department: every summed part for the period (0 where nothing happened)."""
    cur = con.cursor()
    cases = cur.execute(sql("dept_period"), {"start": period.start, "end": period.end}).df() \
        if has_table(cur, "dept_daily") else pd.DataFrame({"dept": pd.Series(dtype=str)})
    cat = cur.execute(sql("catalogue_period"), {"end": period.end}).df()
    out = cases.merge(cat, on="dept", how="outer")
    num_cols = [c for c in out.columns if c != "dept"]
    out[num_cols] = out[num_cols].fillna(0).astype("int64")
    return out.sort_values("dept", ignore_index=True)


def wilson(k: float, n: float, z: float = Z95) -> tuple[float, float]:
    """95% Wilson score interval of k successes in n; (nan, nan) when n is 0."""
    if not n:
        return (math.nan, math.nan)
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return (max(0.0, centre - half), min(1.0, centre + half))


def metric_values(sums: pd.DataFrame, metrics: tuple[Metric, ...] = METRICS) -> pd.DataFrame:
    """Values of each metric for each row of summed parts; NaN where undefined."""
    cols: dict[str, np.ndarray] = {}
    zero = np.zeros(len(sums))
    with np.errstate(divide="ignore", invalid="ignore"):
        for m in metrics:
            num = sums[m.numerator].to_numpy(dtype=float) if m.numerator in sums else zero
            if m.kind == "count":
                cols[m.name] = num
                continue
            den = sums[m.denominator].to_numpy(dtype=float)
            ratio = np.where(den != 0, num / np.where(den != 0, den, 1), np.nan)
            cols[m.name] = 1.0 - ratio if m.kind == "complement" else ratio
    return pd.DataFrame(cols, index=sums.index)


def dept_metrics(con: duckdb.DuckDBPyConnection, period: Period, depts: list[str] | None = None) -> pd.DataFrame:
    sums = dept_sums(con, period)
    if depts:
        sums = sums[sums["dept"].isin(depts)].reset_index(drop=True)
    return with_values(sums)


def with_values(sums: pd.DataFrame) -> pd.DataFrame:
    """Summed parts and metric values side by side (a count metric is its own part)."""
    values = metric_values(sums)
    return pd.concat([sums.drop(columns=[c for c in values.columns if c in sums]), values], axis=1)


def centre_metrics(con: duckdb.DuckDBPyConnection, period: Period, depts: list[str] | None = None) -> dict:
    """The centre's (or the selected departments') figures: metric name -> value or None."""
    sums = dept_sums(con, period)
    if depts:
        sums = sums[sums["dept"].isin(depts)]
    totals = sums.drop(columns="dept").sum().to_frame().T
    if totals.empty:
        totals = pd.DataFrame([{c: 0 for c in sums.columns if c != "dept"}])
    vals = metric_values(totals).iloc[0]
    out = {k: (None if pd.isna(v) else float(v)) for k, v in vals.items()}
    out["_sums"] = {k: int(v) for k, v in totals.iloc[0].items()}
    return out


def with_intervals(frame: pd.DataFrame, metrics: tuple[Metric, ...]) -> pd.DataFrame:
    """Add <name>_low and <name>_high (Wilson, on each rate's own numerator and denominator)."""
    for m in metrics:
        lows, highs = zip(*(wilson(k, n) for k, n in zip(frame[m.numerator], frame[m.denominator]))) \
            if len(frame) else ((), ())
        frame[f"{m.name}_low"] = np.array(lows, dtype=float)
        frame[f"{m.name}_high"] = np.array(highs, dtype=float)
    return frame
