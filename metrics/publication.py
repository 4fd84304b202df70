"""Publication (spec 10, 五公开): freezing a period's results as numbered revisions.

A revision holds the ranking table, the centre's figures and the rules in force, with the
time and the imports it was computed from. Later imports never touch it; when the live
figures drift from the latest revision (a late import), `changes` names the departments
whose rank, grade or score moved, and publishing again makes the next revision.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

import duckdb
import numpy as np
import pandas as pd

from metrics import reading_copy
from metrics.periods import Period, parse_period
from metrics.results import RESULT_COLUMNS, Results, live_results
from metrics.settings import Settings

SCORE_DECIMALS = 9  # a score "changed" when it differs at 9 decimals, as ranks compare it


class PublicationError(Exception):
    """Publishing or reading a revision that cannot be done; one line saying why."""


@dataclass(frozen=True)
class Revision:
    period: str
    revision: int
    published_at: datetime
    note: str | None
    departments: int


def publish(con: duckdb.DuckDBPyConnection, period: Period, settings: Settings, note: str | None = None,
            at: datetime | None = None) -> Revision:
    """Freeze the live results of `period` as its next revision, in one transaction."""
    results = live_results(con, period, settings)
    # A period with catalogue items but no case would publish a table of blanks.
    if not (results.figures["cases"][0] or results.figures["completed_cases"][0]):
        raise PublicationError(f"{period.label}: no case was accepted or completed in this period; "
                               "nothing to publish (import the period's cases first)")
    at = (at or datetime.now()).replace(microsecond=0)
    cur = con.cursor()
    imports = [r[0] for r in cur.execute("SELECT import_id FROM imports ORDER BY import_id").fetchall()]
    rows = results.ranking.copy()
    rows.insert(0, "position", np.arange(1, len(rows) + 1))
    figures = pd.DataFrame([(m, v, p) for m, (v, p) in results.figures.items()],
                           columns=["metric", "value", "previous_value"])
    cur.execute("BEGIN TRANSACTION")
    try:
        revision = cur.execute("SELECT coalesce(max(revision), 0) + 1 FROM publications WHERE period = ?",
                               [period.label]).fetchone()[0]
        cur.execute("INSERT INTO publications VALUES (?, ?, ?, ?, ?, ?)",
                    [period.label, revision, at, note or None, json.dumps(results.rules, ensure_ascii=False),
                     json.dumps(imports)])
        rows.insert(0, "revision", revision)
        cur.register("_published_rows", rows)
        cur.execute("INSERT INTO published_rankings BY NAME SELECT * EXCLUDE (period), $period AS period "
                    "FROM _published_rows", {"period": period.label})
        cur.unregister("_published_rows")
        figures.insert(0, "revision", revision)
        cur.register("_published_figures", figures)
        cur.execute("INSERT INTO published_figures BY NAME SELECT *, $period AS period FROM _published_figures",
                    {"period": period.label})
        cur.unregister("_published_figures")
        cur.execute("COMMIT")
    except BaseException:
        cur.execute("ROLLBACK")
        raise
    reading_copy.refresh(con)  # what the command line reads while the dashboard holds the store
    return Revision(period.label, revision, at, note or None, len(rows))


def revisions(con: duckdb.DuckDBPyConnection, period: Period | None = None) -> list[Revision]:
    """Every revision (of one period, or of all), oldest first within a period."""
    where, params = ("WHERE p.period = ?", [period.label]) if period else ("", [])
    rows = con.cursor().execute(
        "SELECT p.period, p.revision, p.published_at, p.note, "
        "(SELECT count(*) FROM published_rankings r WHERE r.period = p.period AND r.revision = p.revision) "
        f"FROM publications p {where} ORDER BY p.period, p.revision", params).fetchall()
    return [Revision(*r) for r in rows]


def latest_revision(con: duckdb.DuckDBPyConnection, period: Period) -> int | None:
    row = con.cursor().execute("SELECT max(revision) FROM publications WHERE period = ?",
                               [period.label]).fetchone()
    return row[0]


def load_revision(con: duckdb.DuckDBPyConnection, period: Period, revision: int | None = None) -> Results:
    """The results as revision `revision` (default: the latest) of `period` froze them."""
    cur = con.cursor()
    revision = revision or latest_revision(con, period)
    head = cur.execute("SELECT published_at, note, rules FROM publications WHERE period = ? AND revision = ?",
                       [period.label, revision]).fetchone() if revision else None
    if head is None and revision and latest_revision(con, period):
        raise PublicationError(f"{period.label}: there is no revision {revision}; the latest is "
                               f"{latest_revision(con, period)} (python -m metrics published)")
    if head is None:
        raise PublicationError(f"{period.label}: no revision published (publish it first: "
                               f"python -m metrics publish --period {period.label})")
    table = cur.execute(
        f"SELECT {', '.join(RESULT_COLUMNS)} FROM published_rankings WHERE period = ? AND revision = ? "
        "ORDER BY position", [period.label, revision]).df()
    for c in ("rank", "category_rank", "rank_change"):
        table[c] = table[c].astype("Int64")
    table["oldest_open_overdue_due"] = [None if pd.isna(d) else pd.Timestamp(d).date()
                                        for d in table["oldest_open_overdue_due"]]
    figures = {m: (_value(v), _value(p)) for m, v, p in cur.execute(
        "SELECT metric, value, previous_value FROM published_figures WHERE period = ? AND revision = ?",
        [period.label, revision]).fetchall()}
    return Results(period, table, figures, json.loads(head[2]), revision, head[0], head[1])


def _value(v) -> float | None:
    return None if v is None or v != v else float(v)


def changes(published: Results, live: Results) -> pd.DataFrame:
    """Departments whose rank, grade or score differ between a revision and the live figures
    (also those present in only one of them), with both values; in the revision's order."""
    cols = ["rank", "grade", "score"]
    a = published.ranking.set_index("dept")[cols]
    b = live.ranking.set_index("dept")[cols]
    out = []
    for dept in [*a.index, *[d for d in b.index if d not in a.index]]:
        was = a.loc[dept] if dept in a.index else None
        now = b.loc[dept] if dept in b.index else None
        what = [c for c in cols if was is None or now is None or not _same(c, was[c], now[c])]
        if what:
            out.append({"dept": dept, "changed": what,
                        **{f"{c}_published": None if was is None else _plain(was[c]) for c in cols},
                        **{f"{c}_live": None if now is None else _plain(now[c]) for c in cols}})
    return pd.DataFrame(out, columns=["dept", "changed", *[f"{c}_{w}" for w in ("published", "live") for c in cols]])


def _plain(v):
    return None if pd.isna(v) else (v if isinstance(v, str) else float(v) if isinstance(v, float) else int(v))


def _same(col: str, x, y) -> bool:
    if pd.isna(x) or pd.isna(y):
        return pd.isna(x) and pd.isna(y)
    if col == "score":
        return round(float(x), SCORE_DECIMALS) == round(float(y), SCORE_DECIMALS)
    return x == y


def drift(con: duckdb.DuckDBPyConnection, period: Period, settings: Settings) -> tuple[Results, pd.DataFrame] | None:
    """For a published period: its latest revision and the departments that changed since
    (empty when the live figures still match). None when the period was never published."""
    if latest_revision(con, period) is None:
        return None
    published = load_revision(con, period)
    return published, changes(published, live_results(con, period, settings))


def results_for(con: duckdb.DuckDBPyConnection, period_text: str, settings: Settings,
                revision: int | None = None, live: bool = False) -> Results:
    """What the bulletin reports: a published period's latest revision (or `revision`),
    else, or when `live`, the live figures."""
    period = parse_period(period_text)
    if not live and (revision or latest_revision(con, period)):
        return load_revision(con, period, revision)
    return live_results(con, period, settings)
