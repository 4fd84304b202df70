"""Integrity alerts (电子监察): patterns in the case log that a ranking invites and that the
supervision office looks for, each declared once, as data, the way the registry declares
measures.

A rule names the cases it is about in a period (its *base*: e.g. the committed cases completed
in the period) and, among them, the cases behind a flag (e.g. those completed within 60 seconds
of acceptance), both as predicates over `sql/alert_facts.sql` (`case_facts` plus what the
calendar and the office hours say about each case). From the declarations this module renders
the per-department counts, the examples and the drill-down to the cases, so a flag and the
cases shown behind it cannot disagree.

A *share* rule flags a department only when its share is above the rule's threshold AND
significantly above the centre's share: a one-sided exact binomial test at 95%, P(X >= cases)
under the centre's share < 0.05. The exact test rather than the Wilson bound because the
Wilson bound is too generous at a handful of cases: at one-sided 95% it puts 1 case in 1
significantly above any centre share under 27%, where the exact probability is that share
itself (docs/alerts.md). The page shows the department's one-sided Wilson interval beside it.
A *burst* rule flags any department with at least one burst (the threshold is the burst size).

Flags are read-only: nothing here writes to the store, and the ranking never reads them
(tests/test_alerts.py checks that scores and ranks are unchanged).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

import duckdb
import numpy as np
import pandas as pd

from metrics.drilldown import CASE_COLUMNS
from metrics.periods import Period
from metrics.rates import wilson
from metrics.registry import PERIOD_DATES
from metrics.settings import Alerts
from metrics.store import params_for, sql

# One-sided 95%: the lower bound of the two-sided 90% Wilson interval.
Z_ONE_SIDED_95 = 1.6448536269514722
SIGNIFICANCE = 0.05
TOP_RATING = 5


@dataclass(frozen=True)
class Rule:
    name: str
    label_zh: str
    label_en: str
    kind: Literal["share", "burst"]
    day: str                 # the date that puts a case into a period (over alert_facts)
    time: str                # the moment the rule looks at: examples and case lists follow it
    base: str                # the cases the share is taken of
    flagged: str             # among them, the cases behind a flag
    description_zh: str
    description_en: str
    base_zh: str
    base_en: str
    # Columns shown first beside each case in the drill-down: the evidence.
    evidence: tuple[str, ...] = ()
    # A query over `base` that adds the columns `flagged` reads (a burst: each rating's count
    # and the burst it falls in); None: the base as it is.
    prepare: str | None = None
    # With `prepare`: the setting (minutes) within which a case's neighbours in time decide its
    # flag. A period's counts are then summed from its months' away from their edges, and
    # counted near the edges on their own (metrics/alert_months.py).
    reach: str | None = None

    def label(self, lang: str) -> str:
        return self.label_zh if lang == "zh" else self.label_en

    def description(self, lang: str) -> str:
        return self.description_zh if lang == "zh" else self.description_en

    def base_text(self, lang: str) -> str:
        return self.base_zh if lang == "zh" else self.base_en


# A top rating starts a burst when the (size - 1)-th top rating after it in its department
# falls within the window: one `lead` over the ratings in time order. With ties (equal
# rating times) the first of them sees the others after it, so the set of burst start
# *times* is exactly that of "at least `size` top ratings in [t, t + window]". A rating is
# inside a burst when the latest start at or before it (its time's ties included) lies
# within the window before it: a running max. Two sorts of the period's top ratings.
# burst_count, the evidence the case list shows (top ratings of the department in
# [t, t + window]), is a sliding count that only the case list reads: DuckDB drops it from
# the counts. Before: a count by ASOF joins, 34 s of a 59 s Supervision page for a quarter
# of 12.5 million cases; before that, a join of every burst start to every rating, 518 s.
_BURSTS = """
    WITH started AS (
        SELECT *,
            coalesce(lead(rating_time, $rating_burst - 1) OVER by_time
                     <= rating_time + to_minutes($rating_burst_minutes), false) AS starts_burst,
            count(*) OVER (PARTITION BY dept ORDER BY rating_time
                           RANGE BETWEEN CURRENT ROW AND to_minutes($rating_burst_minutes) FOLLOWING) AS burst_count
        FROM base
        WINDOW by_time AS (PARTITION BY dept ORDER BY rating_time)
    )
    SELECT * EXCLUDE (starts_burst),
        max(rating_time) FILTER (WHERE starts_burst) OVER (
            PARTITION BY dept ORDER BY rating_time RANGE UNBOUNDED PRECEDING) AS burst_start
    FROM started
"""

RULES: tuple[Rule, ...] = (
    Rule(
        name="instant_closure", label_zh="秒办结（疑似体外循环）", label_en="Instant closure", kind="share",
        day=PERIOD_DATES["completed"].day, time="completed_at",
        base="is_completion AND item_type = 'committed'",
        flagged="seconds_to_complete <= $instant_closure_seconds",
        description_zh="承诺件在受理后 {instant_closure_seconds} 秒内即办结：承诺件需要审查，秒办结通常是线下办完后补录"
                       "（体外循环）。",
        description_en="Committed cases completed within {instant_closure_seconds} seconds of acceptance: a "
                       "committed case needs review, so a closure that fast usually means it was handled off "
                       "the system and entered afterwards (体外循环).",
        base_zh="本期办结的承诺件", base_en="committed cases completed in the period",
        evidence=("seconds_to_complete",)),
    Rule(
        name="off_hours_acceptance", label_zh="非工作时间受理", label_en="Off-hours acceptance", kind="share",
        day=PERIOD_DATES["accepted"].day, time="accepted_at",
        base="channel = 'window'",
        flagged="accepted_on_rest_day OR accepted_off_hours",
        description_zh="窗口办件的受理时间在办公时间（{office_opens}–{office_closes}）之外或在休息日（按工作日日历）："
                       "窗口不开门时的“受理”多为事后补录。",
        description_en="Window cases accepted outside office hours ({office_opens}–{office_closes}) or on a rest "
                       "day of the working-day calendar: a window 'accepting' while closed is usually an entry "
                       "made afterwards.",
        base_zh="本期受理的窗口办件", base_en="window cases accepted in the period",
        evidence=("accepted_on_rest_day", "accepted_off_hours")),
    Rule(
        name="rating_burst", label_zh="集中好评（疑似刷好评）", label_en="Rating burst", kind="burst",
        day="CAST(rating_time AS DATE)", time="rating_time",
        base=f"is_completion AND rating = {TOP_RATING}",
        prepare=_BURSTS, reach="rating_burst_minutes",
        # Inside a burst: the latest rating at or before this one that starts a burst is
        # within the window before it.
        flagged="burst_start >= rating_time - to_minutes($rating_burst_minutes)",
        description_zh="同一部门在 {rating_burst_minutes} 分钟内录入至少 {rating_burst} 条“非常满意”评价：申请人各自评价"
                       "不会如此集中，多为集中代评（刷好评）。",
        description_en="At least {rating_burst} top ratings (非常满意) entered within {rating_burst_minutes} "
                       "minutes in one department: applicants rating on their own do not bunch like that; it is "
                       "usually ratings entered on their behalf.",
        base_zh="本期“非常满意”评价", base_en="top ratings in the period",
        evidence=("rating_time", "burst_count")),
    Rule(
        name="deadline_pileup", label_zh="期限末日集中办结", label_en="Deadline pile-up", kind="share",
        day=PERIOD_DATES["completed"].day, time="completed_at",
        # At least two working days allowed: finishing a one-day case on its one day is no pile-up.
        base="is_completion AND deadline IS NOT NULL AND workdays_allowed >= 2",
        flagged="completed_date = last_workday_by_due",
        description_zh="办件在截止日前的最后一个工作日办结的比例：压到最后一天集中办结，按时率好看而办理拖延。",
        description_en="Share of the cases that were completed on the last working day before their "
                       "deadline: cases held back and completed together at the last moment look on time while "
                       "applicants wait.",
        base_zh="本期办结、期限至少 2 个工作日的办件",
        base_en="cases completed in the period with at least 2 working days allowed",
        evidence=("due_date", "last_workday_by_due")),
    Rule(
        name="late_withdrawal", label_zh="超期后撤件/不予受理", label_en="Withdrawn after the deadline", kind="share",
        day="completed_date", time="completed_at",
        base="status IN ('withdrawn', 'rejected') AND completed_at IS NOT NULL AND deadline IS NOT NULL",
        flagged="completed_at > deadline",
        description_zh="撤件或不予受理的办件在期限已过之后才关闭：超期件改为撤件即离开按时办结率的分母（劝撤规避超期）。",
        description_en="Withdrawn or rejected cases closed only after their deadline had passed: an overdue case "
                       "turned into a withdrawal leaves the on-time rate's denominator.",
        base_zh="本期关闭、有期限的撤件与不予受理件", base_en="withdrawn or rejected cases closed in the period with a deadline",
        evidence=("deadline",)),
    Rule(
        name="rating_before_completion", label_zh="办结前已评价", label_en="Rated before completion", kind="share",
        day="CAST(rated_at AS DATE)", time="rated_at",
        base="rating IS NOT NULL AND rated_at IS NOT NULL AND completed_at IS NOT NULL",
        flagged="rated_at < completed_at",
        description_zh="评价时间早于办结时间：申请人不可能评价尚未办结的办件，多为代评或补录。",
        description_en="Ratings dated before the case was completed: an applicant cannot rate a case not yet "
                       "done; such ratings are entered on the applicant's behalf or back-filled.",
        base_zh="本期有评价时间的评价", base_en="ratings dated in the period",
        evidence=("rated_at",)),
)
BY_NAME: dict[str, Rule] = {r.name: r for r in RULES}

FLAG_COLUMNS = ["period", "dept", "rule", "cases", "base", "share", "centre_share", "threshold",
                "p_value", "share_low", "example_case_ids"]


def _betacf(a: float, b: float, x: float) -> float:
    """Continued fraction of the incomplete beta function (modified Lentz)."""
    tiny, qab, qap, qam = 1e-300, a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 10_000):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < 1e-15:
            break
    return h


def _betainc(a: float, b: float, x: float) -> float:
    """The regularized incomplete beta function I_x(a, b)."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    front = math.exp(math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x))
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _betacf(a, b, x) / a
    return 1.0 - front * _betacf(b, a, 1.0 - x) / b


def binomial_sf(k: int, n: int, p: float) -> float:
    """P(X >= k) for X ~ Binomial(n, p): the one-sided p-value of k cases in n against a
    share p (exact; P(X >= k) = I_p(k, n - k + 1))."""
    if k <= 0:
        return 1.0
    if k > n:
        return 0.0
    return min(1.0, max(0.0, _betainc(k, n - k + 1, p)))


def threshold(rule: Rule, settings: Alerts) -> float:
    return getattr(settings, rule.name)


def _params(settings: Alerts, period: Period | None = None) -> dict:
    p = settings.model_dump()
    if period is not None:
        p.update(start=period.start, end=period.end)
    return p


def _facts_sql(parts: list[str]) -> str:
    """alert_facts for the cases that pass any of `parts`, each a test of the period on one
    stored timestamp (with further conditions).

    The period on the raw timestamps first, before the calendar lookups of case_facts: DuckDB
    can skip the row groups outside it by their min/max, but not with an OR of tests on two
    columns (it read all 828 row groups of a 100M store, 4.9 s, for a quarter's ratings). So
    each part is read on its own and the parts joined by UNION ALL, every part excluding the
    cases an earlier one holds. Each rule then applies its own day."""
    facts = sql("alert_facts").strip().removesuffix(";")
    body = "\n".join(line for line in facts.splitlines() if not line.startswith("--"))
    parts = list(dict.fromkeys(parts))
    selects = []
    for i, part in enumerate(parts):
        earlier = " OR ".join(f"({q})" for q in parts[:i])
        selects.append(f"{body}\nWHERE {part}" + (f" AND NOT coalesce({earlier}, false)" if earlier else ""))
    return "\nUNION ALL\n".join(selects)


def _within(stamp: str) -> str:
    return f"{stamp} >= $start AND {stamp} < $end + INTERVAL 1 DAY"


def _in_window(stamp: str) -> str:
    return f"{stamp} >= $lo AND {stamp} < $hi"


def _stamp_parts(rule: Rule, until: bool = False, within=_within) -> list[str]:
    """The rule's period on the stored timestamps, as parts of one column each (a rating's
    time is a coalesce: rated in the period, or not rated and completed in it); with
    `until`, also before $until on the same column. `within(column)`: the period's test."""
    if rule.time == "rating_time":
        columns, extra = ["f.rated_at", "f.completed_at"], ["", "f.rated_at IS NULL AND "]
    else:
        columns, extra = [f"f.{rule.time}"], [""]
    return [f"{x}{within(c)}" + (f" AND {c} < $until" if until else "") for c, x in zip(columns, extra)]


def _marked_sql(rule: Rule, until: bool = False, window: bool = False) -> str:
    """The base cases of a rule in the period ($start, $end), each with `flagged`; with
    `until`, only those whose time is before $until (their facts alone are computed); with
    `window`, those whose time is in [$lo, $hi) instead of the period (timestamps)."""
    prepared = rule.prepare or "SELECT * FROM base"
    cut = f" AND {rule.time} < $until" if until else ""
    stamps = _stamp_parts(rule, until, _in_window if window else _within)
    inside = _in_window(rule.time) if window else f"{rule.day} BETWEEN $start AND $end"
    return (
        f"WITH facts AS (\n{_facts_sql(stamps)}\n),\n"
        f"base AS (SELECT * FROM facts WHERE {inside} AND {rule.base}{cut}),\n"
        f"prepared AS ({prepared}),\n"
        f"marked AS (SELECT *, coalesce({rule.flagged}, false) AS flagged FROM prepared)\n")


def _share_counts(con: duckdb.DuckDBPyConnection, period: Period, rules: list[Rule],
                  settings: Alerts) -> dict[str, pd.DataFrame]:
    """rule_counts of several rules without a `prepare` step in one pass over the period's
    case facts: each rule's base and flags are filters of the same rows. Six passes over a
    quarter of 100M cases computed the facts six times."""
    parts = []
    for i, r in enumerate(rules):
        inside = f"{r.day} BETWEEN $start AND $end AND {r.base}"
        flagged = f"{inside} AND coalesce({r.flagged}, false)"
        parts += [f"count(*) FILTER (WHERE {inside}) AS base_{i}",
                  f"count(*) FILTER (WHERE {flagged}) AS cases_{i}",
                  f"(list(case_id ORDER BY {r.time}, case_id) FILTER (WHERE {flagged}))[1:5] AS examples_{i}"]
    stamps = [part for r in rules for part in _stamp_parts(r)]
    query = (f"WITH facts AS (\n{_facts_sql(stamps)}\n)\nSELECT dept,\n    " + ",\n    ".join(parts)
             + "\nFROM facts GROUP BY dept ORDER BY dept")
    wide = _run(con, query, _params(settings, period))
    out = {}
    for i, r in enumerate(rules):
        one = wide[["dept", f"cases_{i}", f"base_{i}", f"examples_{i}"]]
        one = one[one[f"base_{i}"] > 0]  # a department without base cases has no row, as rule_counts gives
        out[r.name] = pd.DataFrame({"dept": one["dept"].to_numpy(), "cases": one[f"cases_{i}"].to_numpy(),
                                    "base": one[f"base_{i}"].to_numpy(),
                                    "examples": [x if x is not None else [] for x in one[f"examples_{i}"]]})
    return out


def _run(con: duckdb.DuckDBPyConnection, query: str, params: dict) -> pd.DataFrame:
    return con.cursor().execute(query, params_for(query, params)).df()


def rule_counts(con: duckdb.DuckDBPyConnection, period: Period, rule: Rule, settings: Alerts) -> pd.DataFrame:
    """Per department with base cases in the period: flagged cases, base, up to five examples."""
    query = _marked_sql(rule) + (
        f"SELECT dept, count(*) FILTER (WHERE flagged) AS cases, count(*) AS base,\n"
        f"    (list(case_id ORDER BY {rule.time}, case_id) FILTER (WHERE flagged))[1:5] AS examples\n"
        f"FROM marked GROUP BY dept ORDER BY dept")
    return _run(con, query, _params(settings, period))


def tallies(con: duckdb.DuckDBPyConnection, period: Period, settings: Alerts,
            rules: tuple[Rule, ...] = RULES) -> dict[str, pd.DataFrame]:
    """Per rule, per department with base cases in the period: flagged cases, base, up to
    five examples (rule_counts' frame), read from the period's cases."""
    together = _share_counts(con, period, [r for r in rules if r.prepare is None], settings) \
        if any(r.prepare is None for r in rules) else {}
    return {r.name: together[r.name] if r.name in together else rule_counts(con, period, r, settings)
            for r in rules}


def evaluate(con: duckdb.DuckDBPyConnection, period: Period, settings: Alerts | None = None,
             rules: tuple[Rule, ...] = RULES) -> pd.DataFrame:
    """Every rule for every department with base cases: counts, shares, the test, and whether
    it is flagged. One row per (rule, department)."""
    settings = settings or Alerts()
    return judge(period, tallies(con, period, settings, rules), settings, rules)


def judge(period: Period, counts_by_rule: dict[str, pd.DataFrame], settings: Alerts,
          rules: tuple[Rule, ...] = RULES) -> pd.DataFrame:
    """evaluate's frame from the rules' tallies (however they were counted)."""
    frames = []
    for rule in rules:
        counts = counts_by_rule[rule.name]
        cases = counts["cases"].to_numpy(dtype=float)
        base = counts["base"].to_numpy(dtype=float)
        total_base = base.sum()
        centre = cases.sum() / total_base if total_base else np.nan
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.where(base > 0, cases / np.where(base > 0, base, 1), np.nan)
        low, _ = wilson(cases, base, z=Z_ONE_SIDED_95)
        limit = threshold(rule, settings)
        if rule.kind == "share":
            p_value = np.array([binomial_sf(int(k), int(n), centre) if n else np.nan
                                for k, n in zip(cases, base)], dtype=float)
            significant = p_value < SIGNIFICANCE
            flagged = (share > limit) & significant
        else:  # a burst is an event: one is enough, whatever the share; no test applies
            p_value = np.full(len(counts), np.nan)
            significant = np.full(len(counts), False)
            flagged = cases > 0
        frames.append(pd.DataFrame({
            "period": period.label, "dept": counts["dept"], "rule": rule.name,
            "cases": counts["cases"].astype("int64"), "base": counts["base"].astype("int64"),
            "share": share, "centre_share": centre, "threshold": float(limit),
            "p_value": p_value, "share_low": low,
            "significant": significant, "flagged": flagged,
            "example_case_ids": [list(x) if isinstance(x, (list, np.ndarray)) else [] for x in counts["examples"]],
        }))
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(
        columns=FLAG_COLUMNS + ["significant", "flagged"])
    return out


def flags(con: duckdb.DuckDBPyConnection, period: Period, settings: Alerts | None = None,
          depts: list[str] | None = None, rules: tuple[Rule, ...] = RULES) -> pd.DataFrame:
    """The flags of a period: one row per flagged (department, rule), in rule order, then by
    share, highest first. The centre's share is always the whole centre's."""
    return flagged_rows(evaluate(con, period, settings, rules), depts, rules)


def flagged_rows(ev: pd.DataFrame, depts: list[str] | None = None, rules: tuple[Rule, ...] = RULES) -> pd.DataFrame:
    """`flags` from an evaluation however it was made (here, or summed from kept months)."""
    out = ev[ev["flagged"]]
    if depts:
        out = out[out["dept"].isin(depts)]
    order = {r.name: i for i, r in enumerate(rules)}
    out = out.assign(_o=out["rule"].map(order)).sort_values(["_o", "share", "dept"], ascending=[True, False, True])
    return out.drop(columns=["_o"]).reset_index(drop=True)


def machine_table(flag_rows: pd.DataFrame) -> pd.DataFrame:
    """The flags as the CLI and downloads write them (FLAG_COLUMNS)."""
    return flag_rows[FLAG_COLUMNS].reset_index(drop=True)


def alert_cases(con: duckdb.DuckDBPyConnection, period: Period, rule_name: str, dept: str,
                settings: Alerts | None = None, limit: int | None = 5000, total: int | None = None
                ) -> tuple[pd.DataFrame, int]:
    """(up to `limit` cases, total) behind a department's flag: the rule's evidence columns,
    then the case's own columns. `total`: the flag's count when the caller has it from
    `evaluate` (counting again costs a second pass over the period's cases)."""
    rule = BY_NAME[rule_name]
    settings = settings or Alerts()
    cols = list(dict.fromkeys([*CASE_COLUMNS[:2], *rule.evidence, *CASE_COLUMNS[2:]]))
    base = _marked_sql(rule) + "SELECT {} FROM marked WHERE flagged AND dept = $dept"
    params = {**_params(settings, period), "dept": dept}
    if total is None:
        total = int(_run(con, base.format("count(*) AS n"), params)["n"].iloc[0])
    lim = "" if limit is None else f" LIMIT {int(limit)}"
    order = f" ORDER BY {rule.time}, case_id{lim}"
    if rule.kind == "burst" and limit is not None and total > limit:
        rows = _first_burst_cases(con, period, rule, settings, params, cols, order, limit, total)
        if rows is not None:
            return rows, total
    rows = _run(con, base.format(", ".join(cols)) + order, params)
    return rows, total


def _first_burst_cases(con, period: Period, rule: Rule, settings: Alerts, params: dict, cols: list[str],
                       order: str, limit: int, total: int) -> pd.DataFrame | None:
    """The first `limit` cases of a large burst flag, from the start of the period only.

    Whether a rating lies in a burst depends only on the ratings within the window around it,
    so the flags of the ratings before a cut are exact when the ratings up to a window past
    the cut are read. A department with 930,000 flagged ratings a quarter (100M cases) took
    9 s for the whole quarter's windows; its first thousand lie in its first days. The cut is
    put where three times `limit` cases are expected and moved later while it holds too few;
    None when it reaches the period's end (the caller reads the whole period)."""
    days = (period.end - period.start).days + 1
    cut_days = max(1, math.ceil(days * 3 * limit / total))
    query = _marked_sql(rule, until=True) + f"SELECT {', '.join(cols)} FROM marked WHERE flagged AND dept = $dept " \
        f"AND {rule.time} < $cut" + order
    while cut_days < days:
        cut = datetime.combine(period.start + timedelta(days=cut_days), datetime.min.time())
        rows = _run(con, query, {**params, "cut": cut,
                                 "until": cut + timedelta(minutes=settings.rating_burst_minutes)})
        if len(rows) >= limit:
            return rows
        cut_days *= 4
    return None


def describe(rule: Rule, settings: Alerts, lang: str) -> str:
    """The rule's description with its parameters filled in."""
    values = {k: (v.strftime("%H:%M") if hasattr(v, "strftime") else v) for k, v in settings.model_dump().items()}
    return rule.description(lang).format(**values)
