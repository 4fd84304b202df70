"""Backtest of the quarter-end projection (metrics/projection.py; docs/alerts.md).

    .venv/bin/python bench/projection_backtest.py STORE [--days 30 60] [--min-cases 30]

For every complete quarter of the store, project each four-rate metric and the score as of
day 30 and day 60 from what had happened by then (the parts dated up to that day and the
earlier quarters), then compare with the quarter's final value. Prints, per day and metric,
for the centre and for the departments with at least --min-cases cases accepted in the
quarter (the ranked ones): how many projections, the mean absolute error (rates in
percentage points, the score in points), and how often the 80% interval held the final
value. The entry rate is left out: its projection is the catalogue, known in advance.
"""

from __future__ import annotations

import argparse
import sys
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import duckdb  # noqa: E402
import pandas as pd  # noqa: E402

from bench.alerts_false_alarms import complete_quarters  # noqa: E402
from metrics.projection import CENTRE, project  # noqa: E402
from metrics.rates import dept_sums  # noqa: E402


def backtest(con: duckdb.DuckDBPyConnection, days: list[int], min_cases: int) -> pd.DataFrame:
    rows = []
    for q in complete_quarters(con):
        final = project(con, q, q.end).set_index(["dept", "metric"])["so_far"]
        accepted = dept_sums(con, q).set_index("dept")["accepted_cases"]
        for day in days:
            got = project(con, q, q.start + timedelta(days=day - 1))
            got = got[got["metric"] != "entry_rate"].copy()
            got["final"] = [final.get((d, m)) for d, m in zip(got["dept"], got["metric"])]
            got = got.dropna(subset=["projected", "final"])
            got["cases"] = [accepted.get(d, 0) if d != CENTRE else accepted.sum() for d in got["dept"]]
            got = got[got["cases"] >= min_cases]
            got["quarter"], got["day"] = q.label, day
            rows.append(got)
    out = pd.concat(rows, ignore_index=True)
    scale = out["metric"].map(lambda m: 1.0 if m == "score" else 100.0)
    out["abs_error"] = (out["projected"] - out["final"]).abs() * scale
    out["held"] = (out["low"] <= out["final"] + 1e-12) & (out["final"] <= out["high"] + 1e-12)
    out["level"] = out["dept"].map(lambda d: "centre" if d == CENTRE else "departments")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("store", type=Path)
    ap.add_argument("--days", type=int, nargs="+", default=[30, 60])
    ap.add_argument("--min-cases", type=int, default=30)
    args = ap.parse_args(argv)
    con = duckdb.connect(str(args.store), read_only=True)
    out = backtest(con, args.days, args.min_cases)
    quarters = sorted(out["quarter"].unique())
    print(f"{args.store}: {len(quarters)} quarters {quarters[0]}..{quarters[-1]}")
    table = out.groupby(["level", "day", "metric"], sort=False).agg(
        n=("abs_error", "size"), mae=("abs_error", "mean"), coverage=("held", "mean"))
    table["mae"] = table["mae"].round(2)
    table["coverage"] = (table["coverage"] * 100).round(1)
    print(table.to_string())
    return 0


if __name__ == "__main__":
    sys.exit(main())
