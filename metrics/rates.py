"""Every metric of the registry for a period, by department and for the centre.

A period's figures are sums of the daily numerators and denominators (`dept_daily`) and
of the catalogue as it stood on the period's last day; values come from those sums.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from metrics.periods import Period
from metrics.registry import METRICS, Metric
from metrics.store import sql

Z95 = 1.96


def dept_sums(con: duckdb.DuckDBPyConnection, period: Period) -> pd.DataFrame:
    """One row per department: every summed part for the period (0 where nothing happened)."""
    return dept_sums_over(con, [period])[0]


def dept_sums_over(con: duckdb.DuckDBPyConnection, periods: list[Period]) -> list[pd.DataFrame]:
    """`dept_sums` of several periods, in their order, from one query."""
    cur = con.cursor()
    params = {"starts": [p.start for p in periods], "ends": [p.end for p in periods]}
    query = "WITH case_parts AS ({}), catalogue_parts AS ({})\n{}".format(
        _subquery("dept_period"), _subquery("catalogue_period"), sql("dept_sums"))
    try:
        out = cur.execute(query, params).df()
    except duckdb.CatalogException:  # a catalogue and no cases yet: no dept_daily
        del params["starts"]
        out = cur.execute(sql("catalogue_period"), params).df()
    period_no = out.pop("period_no").to_numpy()
    if len(periods) == 1:
        return [out]
    return [out[period_no == i].reset_index(drop=True) for i in range(1, len(periods) + 1)]


def _subquery(name: str) -> str:
    return sql(name).strip().removesuffix(";")


def metric_values(sums: pd.DataFrame, metrics: tuple[Metric, ...] = METRICS) -> pd.DataFrame:
    """Values of each metric for each row of summed parts; NaN where undefined."""
    cols: dict[str, np.ndarray] = {}
    zero = np.zeros(len(sums))
    with np.errstate(divide="ignore", invalid="ignore"):
        for m in metrics:
            num = sums[m.numerator.name].to_numpy(dtype=float) if m.numerator.name in sums else zero
            if m.kind == "count":
                cols[m.name] = num
                continue
            den = sums[m.denominator.name].to_numpy(dtype=float)
            ratio = np.where(den != 0, num / np.where(den != 0, den, 1), np.nan)
            cols[m.name] = 1.0 - ratio if m.kind == "complement" else ratio
    return pd.DataFrame(cols, index=sums.index)


def dept_metrics(con: duckdb.DuckDBPyConnection, period: Period, depts: list[str] | None = None) -> pd.DataFrame:
    return dept_metrics_over(con, [period], depts)[0]


def dept_metrics_over(con: duckdb.DuckDBPyConnection, periods: list[Period], depts: list[str] | None = None
                      ) -> list[pd.DataFrame]:
    """`dept_metrics` of several periods (a trend) from one query."""
    out = []
    for sums in dept_sums_over(con, periods):
        if depts:
            sums = sums[sums["dept"].isin(depts)].reset_index(drop=True)
        out.append(with_values(sums))
    return out


def with_values(sums: pd.DataFrame, metrics: tuple[Metric, ...] = METRICS) -> pd.DataFrame:
    """Summed parts and metric values side by side (a count metric is its own part)."""
    values = metric_values(sums, metrics)
    return pd.concat([sums.drop(columns=[c for c in values.columns if c in sums]), values], axis=1)


class CentreFigures(dict):
    """The centre's (or the selected departments') figures: metric name -> value, None where
    undefined; `sums` holds the summed numerators and denominators they came from."""

    def __init__(self, values: dict[str, float | None], sums: dict[str, int]):
        super().__init__(values)
        self.sums = sums


def centre_metrics(con: duckdb.DuckDBPyConnection, period: Period, depts: list[str] | None = None
                   ) -> CentreFigures:
    return centre_metrics_over(con, [period], depts)[0]


def centre_metrics_over(con: duckdb.DuckDBPyConnection, periods: list[Period], depts: list[str] | None = None
                        ) -> list[CentreFigures]:
    """`centre_metrics` of several periods (a trend) from one query."""
    return [_centre_of(sums, depts) for sums in dept_sums_over(con, periods)]


def _centre_of(sums: pd.DataFrame, depts: list[str] | None) -> CentreFigures:
    if depts:
        sums = sums[sums["dept"].isin(depts)]
    totals = sums.drop(columns="dept").sum().to_frame().T
    if totals.empty:
        totals = pd.DataFrame([{c: 0 for c in sums.columns if c != "dept"}])
    vals = metric_values(totals).iloc[0]
    return CentreFigures({k: (None if pd.isna(v) else float(v)) for k, v in vals.items()},
                         {k: int(v) for k, v in totals.iloc[0].items()})


def wilson(k: np.ndarray, n: np.ndarray, z: float = Z95) -> tuple[np.ndarray, np.ndarray]:
    """95% Wilson score intervals of k successes in n, element by element; NaN where n is 0."""
    with np.errstate(divide="ignore", invalid="ignore"):
        n_ = np.where(n > 0, n, np.nan)
        p = k / n_
        denom = 1 + z * z / n_
        centre = (p + z * z / (2 * n_)) / denom
        half = z * np.sqrt(p * (1 - p) / n_ + z * z / (4 * n_ * n_)) / denom
        return np.maximum(0.0, centre - half), np.minimum(1.0, centre + half)
