"""False alarms of the integrity alerts on a store with no planted gaming (docs/alerts.md).

    .venv/bin/python bench/alerts_false_alarms.py STORE [--settings dashboard.toml]

Evaluates every rule for every complete quarter of the store and prints, per rule, how many
department-quarters were evaluated, how many were over the threshold, how many significantly
above the centre, and how many were flagged (both), then every flag with its figures.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import duckdb  # noqa: E402
import pandas as pd  # noqa: E402

from metrics import alerts  # noqa: E402
from metrics.periods import quarter_of  # noqa: E402
from metrics.settings import load_settings  # noqa: E402


def complete_quarters(con: duckdb.DuckDBPyConnection) -> list:
    first, last = con.execute("SELECT min(accepted_at)::DATE, max(accepted_at)::DATE FROM cases").fetchone()
    q, out = quarter_of(first), []
    while q.end <= last:
        out.append(q)
        q = quarter_of(q.end + pd.Timedelta(days=1))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("store", type=Path)
    ap.add_argument("--settings", type=Path)
    args = ap.parse_args(argv)
    settings = load_settings(args.settings).alerts
    con = duckdb.connect(str(args.store), read_only=True)
    quarters = complete_quarters(con)
    ev = pd.concat([alerts.evaluate(con, q, settings) for q in quarters], ignore_index=True)
    ev["over"] = (ev["share"] > ev["threshold"]) & (ev["base"] > 0)
    summary = ev.groupby("rule", sort=False).agg(
        dept_quarters=("dept", "size"), with_cases=("cases", lambda s: int((s > 0).sum())),
        over_threshold=("over", "sum"), significant=("significant", "sum"), flagged=("flagged", "sum"),
        flagged_depts=("dept", lambda s: ev.loc[s.index][ev.loc[s.index, "flagged"]]["dept"].nunique()))
    print(f"{args.store}: {len(quarters)} complete quarters, {quarters[0]}..{quarters[-1]}")
    print(summary.to_string())
    shown = ev[ev["flagged"]][["period", "dept", "rule", "cases", "base", "share", "centre_share", "p_value"]]
    print(shown.to_string(index=False) if len(shown) else "no flags")
    return 0


if __name__ == "__main__":
    sys.exit(main())
