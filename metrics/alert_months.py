"""A period's integrity alerts summed from its months (kept one file a month by
metrics/alert_results.py).

A month is what an import touches: a new month's import changes the alerts of that month and
of the months its replaced cases fell in, and nothing else. So the counts behind the rules are
kept per month, and a quarter's or a year's are summed from its months instead of read from
every case of the period (a quarter of a 100M-case store: 13-16 s).

- A share rule counts each case on one day (its `day`, the date of its `time`): base and
  flagged counts add up over the months, and the period's first five flagged cases in time
  order are the first five of the months' lists taken in month order.
- A rule whose flag depends on neighbouring cases (a burst: its `reach`, minutes either side)
  counts in a month's interior only the cases farther than the reach from the month's edges:
  their flags depend on cases of the same month alone. A case's flag depends only on the
  cases within the reach either side of it, so the cases near an edge are counted over those
  within twice the reach of it (dropping farther cases can only delay a window's end, never
  make one), and each month keeps the three ways a period can meet its edges: its start
  joined to the previous month, its start cutting the period, its end cutting the period
  (`month_tallies`). A period takes the interiors of its months, the joined starts of all
  but its first month, the cut start of its first and the cut end of its last (`compose`).

The sums equal the evaluation of the whole period (tests/test_alert_months.py).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import duckdb
import numpy as np
import pandas as pd

from metrics import alerts
from metrics.alerts import RULES, Rule
from metrics.periods import Period, month_of
from metrics.settings import Alerts

TALLY_COLUMNS = ["rule", "part", "dept", "cases", "base", "examples", "example_times"]


def months_of(period: Period) -> list[Period] | None:
    """The calendar months that make up the period; None when it is not made of whole months."""
    if period.kind not in ("month", "quarter", "year"):
        return None
    return months_between(period.start, period.end)


def months_between(first: date, last: date) -> list[Period]:
    """The calendar months from the one of `first` to the one of `last`."""
    months, d = [], first
    while d <= last:
        months.append(month_of(d))
        d = months[-1].end + timedelta(days=1)
    return months


def composable(settings: Alerts, rules: tuple[Rule, ...] = RULES) -> bool:
    """Whether the months' edges are far enough apart for each to be counted on its own."""
    return all(4 * getattr(settings, r.reach) < 24 * 60 for r in rules if r.reach)


def _midnight(d: date) -> datetime:
    return datetime.combine(d, time())


def month_tallies(con: duckdb.DuckDBPyConnection, month: Period, settings: Alerts,
                  rules: tuple[Rule, ...] = RULES) -> pd.DataFrame:
    """One row per (rule, part, department with base cases in the month): TALLY_COLUMNS.

    A share rule's part is "all". A rule with a reach has its "interior" (with the month's
    base) and three edge parts, each with base 0: "start_joined" (the cases within the reach
    either side of the month's start, counted with the previous month's cases: when a period
    goes on from the previous month), "start_cut" (within the reach after the start, counted
    without them: when a period starts there) and "end_cut" (within the reach before the
    month's end, when a period ends there). Examples carry their times."""
    frames = []
    shares = [r for r in rules if r.prepare is None]
    if shares:
        for name, df in alerts._share_counts(con, month, shares, settings).items():
            frames.append(df.assign(rule=name, part="all", example_times=[[] for _ in range(len(df))]))
    start, end = _midnight(month.start), _midnight(month.end + timedelta(days=1))
    for r in rules:
        if r.prepare is None:
            continue
        reach = timedelta(minutes=getattr(settings, r.reach))
        t, w = r.time, f"to_minutes(${r.reach})"
        # The month and the twice the reach before it, in one pass: the interior's flags do not
        # depend on the cases before the month, the start's need them, the end's need nothing after.
        wide = alerts._run(con, _window_query(r, {
            "interior": f"{t} > $start_at + {w} AND {t} < $end_at - {w}",
            "start_joined": f"{t} BETWEEN $start_at - {w} AND $start_at + {w}",
            "end_cut": f"{t} >= $end_at - {w}",
        }), {**alerts._params(settings), "lo": start - 2 * reach, "hi": end, "start_at": start, "end_at": end})
        cut = alerts._run(con, _window_query(r, {"start_cut": f"{t} <= $start_at + {w}"}),
                          {**alerts._params(settings), "lo": start, "hi": start + 2 * reach, "start_at": start,
                           "end_at": end})
        for part in ("interior", "start_joined", "end_cut"):
            frames.append(_part(wide, r, part, wide["base"] if part == "interior" else 0))
        frames.append(_part(cut, r, "start_cut", 0))
    return tidy(pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=TALLY_COLUMNS))


def _window_query(r: Rule, parts: dict[str, str]) -> str:
    """Over the base cases whose time is in [$lo, $hi): per department, the base cases of the
    month ([$start_at, $end_at)), and for each part its flagged cases, first five and their times."""
    columns = [f"count(*) FILTER (WHERE {r.time} >= $start_at AND {r.time} < $end_at) AS base"]
    for name, test in parts.items():
        counted = f"flagged AND {test}"
        columns += [f"count(*) FILTER (WHERE {counted}) AS cases_{name}",
                    f"(list(case_id ORDER BY {r.time}, case_id) FILTER (WHERE {counted}))[1:5] AS examples_{name}",
                    f"(list({r.time} ORDER BY {r.time}, case_id) FILTER (WHERE {counted}))[1:5] AS times_{name}"]
    return (alerts._marked_sql(r, window=True)
            + "SELECT dept,\n    " + ",\n    ".join(columns) + "\nFROM marked GROUP BY dept ORDER BY dept")


def _part(wide: pd.DataFrame, r: Rule, part: str, base) -> pd.DataFrame:
    return pd.DataFrame({"rule": r.name, "part": part, "dept": wide["dept"], "cases": wide[f"cases_{part}"],
                         "base": base, "examples": wide[f"examples_{part}"],
                         "example_times": wide[f"times_{part}"]})


def tidy(df: pd.DataFrame) -> pd.DataFrame:
    """Lists as lists (DuckDB and Parquet give arrays or None), counts as integers."""
    df = df[TALLY_COLUMNS].reset_index(drop=True)
    df["examples"] = [list(x) if isinstance(x, (list, np.ndarray)) else [] for x in df["examples"]]
    # Times compared across months and edges: one type, whichever way they were read.
    df["example_times"] = [[pd.Timestamp(t) for t in x] if isinstance(x, (list, np.ndarray)) else []
                           for x in df["example_times"]]
    for c in ("cases", "base"):
        df[c] = df[c].astype("int64")
    return df


def compose(month_frames: list[pd.DataFrame], rules: tuple[Rule, ...] = RULES) -> dict[str, pd.DataFrame]:
    """alerts.tallies of the period made of these months, from their tallies (in month order)."""
    chosen = []
    for i, f in enumerate(month_frames):
        parts = {"all", "interior", "start_joined" if i else "start_cut"}
        if i == len(month_frames) - 1:
            parts.add("end_cut")
        chosen.append(f[f["part"].isin(parts)].assign(_order=i))
    whole = pd.concat(chosen, ignore_index=True) if chosen else pd.DataFrame(columns=[*TALLY_COLUMNS, "_order"])
    out = {}
    for r in rules:
        rows = []
        for dept, g in whole[whole["rule"] == r.name].sort_values("_order", kind="stable").groupby("dept", sort=True):
            if r.reach is None:  # months in order: their lists are in time order already
                examples = [x for lst in g["examples"] for x in lst][:5]
            else:  # interior and edge cases interleave: order by (time, case id)
                pairs = sorted((t, c) for ts, cs in zip(g["example_times"], g["examples"]) for t, c in zip(ts, cs))
                examples = [c for _, c in pairs[:5]]
            rows.append((dept, int(g["cases"].sum()), int(g["base"].sum()), examples))
        df = pd.DataFrame(rows, columns=["dept", "cases", "base", "examples"])
        out[r.name] = df[df["base"] > 0].reset_index(drop=True)
    return out


def evaluate(period: Period, settings: Alerts, month_frames: list[pd.DataFrame],
             rules: tuple[Rule, ...] = RULES) -> pd.DataFrame:
    """alerts.evaluate of the period from its months' tallies (month_tallies, in month order)."""
    return alerts.judge(period, compose(month_frames, rules), settings, rules)
