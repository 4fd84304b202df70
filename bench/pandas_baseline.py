"""The baseline the aggregates are measured against: the same per-department, per-day
numerators and denominators (sql/daily_aggregates.sql) computed from the raw cases by a
competent vectorised pandas implementation (no Python loop per case).

It is also an independent check of the SQL: bench/engine.py compares the two tables.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

DAY = np.timedelta64(1, "D")


def load_inputs(con):
    """Raw cases and the calendar, as a pandas user would hold them (dept as category)."""
    cases = con.execute("""
        SELECT dept, item_type, channel, accepted_at, completed_at, statutory_limit_days,
               promised_limit_days, due_at, window_signed, rating, rated_at, status
        FROM cases""").df()
    for c in ("dept", "item_type", "channel", "status"):
        cases[c] = cases[c].astype("category")
    cal = con.execute("SELECT day, workday_no, is_workday FROM calendar ORDER BY day").df()
    return cases, cal


def load_parquet(path):
    """The same raw cases from a Parquet file: pandas' fastest way to read them."""
    cases = pd.read_parquet(path)
    for c in ("dept", "item_type", "channel", "status"):
        cases[c] = cases[c].astype("category")
    return cases


def daily_aggregates(cases: pd.DataFrame, cal: pd.DataFrame) -> pd.DataFrame:
    first = cal["day"].values[0].astype("datetime64[D]")
    wdno = cal["workday_no"].to_numpy()
    workdays = cal.loc[cal["is_workday"], "day"].values.astype("datetime64[D]")  # workday_no k -> workdays[k-1]

    acc_d = cases["accepted_at"].values.astype("datetime64[D]")
    comp_d = cases["completed_at"].values.astype("datetime64[D]")
    acc_i = (acc_d - first).astype(np.int64)
    comp_ok = ~np.isnat(comp_d)
    comp_i = np.where(comp_ok, (comp_d - first).astype(np.int64), 0)
    elapsed = np.where(comp_ok, wdno[comp_i] - wdno[acc_i], np.nan)

    promised = cases["promised_limit_days"].to_numpy(dtype="float64", na_value=np.nan)
    statutory = cases["statutory_limit_days"].to_numpy(dtype="float64", na_value=np.nan)
    instant = (cases["item_type"] == "instant").to_numpy()
    committed = (cases["item_type"] == "committed").to_numpy()
    due_at = cases["due_at"].values
    has_due_at = ~np.isnat(due_at)

    # due date: due_at's day; instant or 0 days: the acceptance day; else the n-th working day after
    n = np.nan_to_num(promised, nan=0).astype(np.int64)
    k = np.clip(wdno[acc_i] + n, 1, len(workdays))
    due_date = np.where(has_due_at, due_at.astype("datetime64[D]"),
                        np.where(np.isnan(promised), np.datetime64("NaT"),
                                 np.where(instant | (n == 0), acc_d, workdays[k - 1])))
    midnight = has_due_at & (due_at == due_at.astype("datetime64[D]"))
    deadline = np.where(has_due_at, np.where(midnight, due_at + DAY, due_at),
                        due_date.astype("datetime64[ns]") + DAY)
    has_deadline = ~np.isnat(deadline)

    completed = (cases["status"] == "completed").to_numpy()
    early_base = completed & committed & ((promised >= 1) | has_due_at)
    early = completed & (comp_d < due_date)
    on_time = completed & has_deadline & (cases["completed_at"].values <= deadline)
    channel_online = (cases["channel"] == "online").to_numpy()
    dept = cases["dept"]

    acc = pd.DataFrame({"dept": dept, "day": acc_d, "accepted_cases": 1,
                        "accepted_online": channel_online.astype(int), "accepted_instant": instant.astype(int)})
    a = acc.groupby(["dept", "day"], observed=True).sum()

    stat_ok = statutory >= 1
    prom_ok = stat_ok & ~np.isnan(promised)
    window = cases["window_signed"]
    comp = pd.DataFrame({
        "dept": dept, "day": comp_d,
        "completed_cases": 1,
        "elapsed_sum": elapsed,
        "early_base": early_base.astype(int),
        "early_cases": (early_base & early).astype(int),
        "deadline_cases": has_deadline.astype(int),
        "on_time_cases": on_time.astype(int),
        "compression_cases": stat_ok.astype(int),
        "compression_elapsed": np.where(stat_ok, elapsed, 0),
        "compression_statutory": np.where(stat_ok, statutory, 0),
        "promise_promised": np.where(prom_ok, promised, 0),
        "promise_statutory": np.where(prom_ok, statutory, 0),
        "committed_promised_cases": (committed & ~np.isnan(promised)).astype(int),
        "committed_promised_sum": np.where(committed, np.nan_to_num(promised), 0),
        "window_known": window.notna().to_numpy().astype(int),
        "window_signed": window.fillna(False).to_numpy().astype(bool).astype(int),
        "completed_rated": cases["rating"].notna().to_numpy().astype(int),
    })[completed]
    c = comp.groupby(["dept", "day"], observed=True).sum()

    rating = cases["rating"].to_numpy(dtype="float64", na_value=np.nan)
    rated_day = cases["rated_at"].fillna(cases["completed_at"]).values.astype("datetime64[D]")
    rmask = completed & ~np.isnan(rating)
    rat = pd.DataFrame({"dept": dept, "day": rated_day, "ratings": 1, "ratings_satisfied": (rating >= 3).astype(int),
                        **{f"rating_{i}": (rating == i).astype(int) for i in range(1, 6)}})[rmask]
    r = rat.groupby(["dept", "day"], observed=True).sum()

    live = has_deadline & ~cases["status"].isin(["withdrawn", "rejected"]).to_numpy()
    start = np.maximum(deadline.astype("datetime64[D]"), acc_d)
    opens = live & (~comp_ok | (comp_d > start))
    closes = live & comp_ok & (comp_d > start)
    ev = pd.concat([
        pd.DataFrame({"dept": dept[opens], "day": start[opens], "open_overdue_delta": 1}),
        pd.DataFrame({"dept": dept[closes], "day": comp_d[closes], "open_overdue_delta": -1}),
    ])
    o = ev.groupby(["dept", "day"], observed=True).sum()

    out = pd.concat([a, c, r, o], axis=1).fillna(0).astype("int64").reset_index()
    return out.sort_values(["day", "dept"], ignore_index=True)
