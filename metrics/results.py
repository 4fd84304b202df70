"""A period's evaluation results: what the bulletin, a publication and the public bundle hold.

Either live from the engine (`live_results`) or as a published revision froze them
(`metrics.publication.load_revision`): the ranking table with categories and grades, the
centre's figures for the period and the previous one, each department's oldest open
overdue case, and the rules in force. Aggregates only: no case, no person.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import duckdb
import pandas as pd

from metrics import projection
from metrics.drilldown import data_freshness
from metrics.grades import GRADE_COLUMNS
from metrics.periods import Period
from metrics.ranking import RANKING_COLUMNS, ranking
from metrics.rates import centre_metrics_over
from metrics.registry import METRICS, Metric
from metrics.settings import Settings
from metrics.store import sql

RESULT_COLUMNS = [*RANKING_COLUMNS, *GRADE_COLUMNS, "note", "oldest_open_overdue_due"]

# The figures a bulletin opens with: every rate or average that is one of the four rates or
# has a target (spec 6), in the registry's order. Counts are reported per department instead.
HEADLINE: tuple[Metric, ...] = tuple(m for m in METRICS if (m.four_rate or m.target is not None)
                                     and m.format != "count")


@dataclass
class Results:
    period: Period
    ranking: pd.DataFrame                       # RESULT_COLUMNS, in ranking order
    figures: dict[str, tuple[float | None, float | None]]   # metric -> (this period, previous)
    rules: dict                                 # centre_name, weights, targets, grades, min_cases
    revision: int | None = None                 # None: live figures, not a publication
    published_at: datetime | None = None
    note: str | None = None
    # A period still in progress (live figures only): the centre's quarter-end projection
    # (metrics/projection.py) and the day the data runs through.
    projection: pd.DataFrame | None = None
    as_of: date | None = None

    @property
    def centre_name(self) -> str:
        return self.rules["centre_name"]

    def target(self, m: Metric) -> float | None:
        return self.rules["targets"].get(m.name)


def rules_of(settings: Settings) -> dict:
    """The rules a result was computed under, as JSON-ready values (kept with a revision)."""
    return {
        "centre_name": settings.centre_name,
        "weights": settings.weights.model_dump(),
        # The registry's targets with dashboard.toml's overrides: what "meets target" meant.
        "targets": {m.name: settings.targets.get(m.name, m.target) for m in METRICS
                    if settings.targets.get(m.name, m.target) is not None},
        "grades": settings.grades.model_dump(),
        "min_cases": settings.min_cases,
    }


def open_overdue_by_dept(con: duckdb.DuckDBPyConnection, period_end: date) -> pd.DataFrame:
    """dept, open_overdue_cases, oldest_due at the end of the period."""
    return con.cursor().execute(sql("open_overdue_by_dept"), {"period_end": period_end}).df()


def live_results(con: duckdb.DuckDBPyConnection, period: Period, settings: Settings) -> Results:
    table = ranking(con, period, settings.weights, settings.min_cases, grades=settings.grades)
    oldest = open_overdue_by_dept(con, period.end).set_index("dept")["oldest_due"]
    table["oldest_open_overdue_due"] = [
        pd.Timestamp(oldest[d]).date() if d in oldest.index and pd.notna(oldest[d]) else None for d in table["dept"]]
    now, before = centre_metrics_over(con, [period, period.previous()])
    figures = {m.name: (now.get(m.name), before.get(m.name)) for m in METRICS}
    out = Results(period, table[RESULT_COLUMNS].reset_index(drop=True), figures, rules_of(settings))
    as_of = data_freshness(con)["data_through"]
    if projection.is_partial(period, as_of):
        rows = projection.project(con, period, as_of, settings.weights, out.rules["targets"])
        out.projection, out.as_of = rows[rows["dept"] == projection.CENTRE].reset_index(drop=True), as_of
    return out
