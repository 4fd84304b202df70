"""SQL and docs rendered from the metric declarations of `metrics/registry.py`.

Nothing here names a measure: each query is assembled from the declared parts, their case
filters and their period dates, so the figures, the cases behind them and the per-item
table cannot disagree. The rendered text is checked in (`metrics/sql/daily_aggregates.sql`,
`dept_period.sql`, `catalogue_period.sql`, `item_parts.sql`, `docs/metrics.md`) so that an analyst can read it
and a reviewer sees every change; `tests/test_rendered.py` fails when it changes unreviewed,
and `python -m metrics.render` writes it anew.
"""

from __future__ import annotations

import sys
from pathlib import Path

from metrics.engines.dialects import DUCKDB, SPARK, Dialect
from metrics.registry import (BY_NAME, FOUR_RATES, METRICS, PERIOD_DATES, Metric, Part, PeriodDate,
                              parts_by_period_date)

ROOT = Path(__file__).resolve().parent.parent
SQL_DIR = ROOT / "metrics" / "sql"
# The same per-case rules and per-day parts for Apache Spark (metrics/engines/spark.py).
SPARK_SQL_DIR = SQL_DIR / "spark"
DOC = ROOT / "docs" / "metrics.md"

_INDENT = " " * 8
# The case period dates, in the order their passes appear in the aggregates.
_CASE_DATES = ("accepted", "completed", "rated")


def _users(part: Part) -> str:
    return ", ".join(m.name for m in METRICS if part in m.parts())


def _part_lines(parts: tuple[Part, ...], indent: str = _INDENT) -> str:
    """`agg AS name,` lines, aligned, each followed by the measures that use the part."""
    cols = [f"{indent}{p.aggregate_sql()} AS {p.name}" + ("," if i < len(parts) - 1 else "")
            for i, p in enumerate(parts)]
    # Aligned comments, except after the few long lines (they would push every comment far right).
    width = min(max(len(c) for c in cols), 64)
    return "\n".join(f"{c.ljust(width)}  -- {_users(p)}" for c, p in zip(cols, parts))


def _joined(ctes: list[str]) -> str:
    return ",\n".join(ctes)


def _where(*predicates: str) -> str:
    kept = [p for p in predicates if p and p != "true"]
    return " AND ".join(f"({p})" if " OR " in p else p for p in kept)


def case_facts_sql(dialect: Dialect = DUCKDB) -> str:
    """`case_facts`: each case with its working-day facts and deadline (spec 2), one text of
    rules for both engines; only the array idioms of `dialect` differ."""
    d = dialect
    accepted, completed = "CAST(c.accepted_at AS DATE)", "CAST(c.completed_at AS DATE)"
    nl = "\n" + " " * 34 + "+ "  # the due date's index continues on the next line

    def workday_no_of(day: str) -> str:
        return d.at("cal.workday_no_of", f"{d.days_after(day, 'cal.first_day')} + 1")

    return (
        "-- Rendered by metrics/render.py (python -m metrics.render): do not edit by hand.\n"
        + ("-- DuckDB SQL; the same rules for Apache Spark: metrics/sql/spark/case_facts.sql.\n" if d is DUCKDB
           else "-- Spark SQL; the same rules for DuckDB: metrics/sql/case_facts.sql.\n")
        + "-- Each case with what the working-day calendar says about it (spec 2).\n"
        "-- A view, so drill-downs and the daily aggregates apply the same rules.\n"
        f"CREATE OR REPLACE {d.create_view} case_facts AS\n"
        "WITH cal AS (\n"
        "    -- The calendar as two arrays: a day's working-day number by the day's offset from the\n"
        "    -- first day, and the n-th working day by its number. Array lookups run several times\n"
        "    -- faster than joins over tens of millions of cases (bench/engine.py).\n"
        f"    SELECT {d.ordered_list('workday_no', 'day')} AS workday_no_of, min(day) AS first_day FROM calendar\n"
        "),\n"
        "wd AS (\n"
        f"    SELECT {d.ordered_list('day', 'workday_no')} AS workday_by_no FROM workdays\n"
        "),\n"
        "dated AS (\n"
        "    SELECT c.*,\n"
        f"        {accepted}  AS accepted_date,\n"
        f"        {completed} AS completed_date,\n"
        f"        {workday_no_of(accepted)}  AS accepted_workday_no,\n"
        f"        {workday_no_of(completed)} AS completed_workday_no,\n"
        "        -- due_at wins over promised_limit_days; a due_at at 00:00:00 means the end of that day.\n"
        "        CASE\n"
        "            WHEN c.due_at IS NOT NULL THEN CAST(c.due_at AS DATE)\n"
        "            WHEN c.promised_limit_days IS NULL THEN NULL\n"
        "            WHEN c.item_type = 'instant' OR c.promised_limit_days = 0 THEN CAST(c.accepted_at AS DATE)\n"
        "            -- the promised_limit_days-th working day after the acceptance date\n"
        f"            ELSE {d.at('wd.workday_by_no', workday_no_of(accepted) + nl + 'c.promised_limit_days')}\n"
        "        END AS due_date,\n"
        "        CASE\n"
        "            WHEN c.due_at IS NOT NULL AND c.due_at = date_trunc('day', c.due_at) THEN c.due_at + INTERVAL 1 DAY\n"
        "            WHEN c.due_at IS NOT NULL THEN c.due_at\n"
        "        END AS due_at_deadline\n"
        "    FROM cases c, cal, wd\n"
        ")\n"
        f"SELECT * {d.star_except} (due_at_deadline),\n"
        "    -- Working days d with accepted_date < d <= completed_date.\n"
        "    completed_workday_no - accepted_workday_no AS elapsed_workdays,\n"
        "    coalesce(due_at_deadline, CAST(due_date AS TIMESTAMP) + INTERVAL 1 DAY) AS deadline,\n"
        "    status = 'completed' AS is_completion,\n"
        "    status = 'completed' AND item_type = 'committed'\n"
        "        AND (promised_limit_days >= 1 OR due_at IS NOT NULL)                 AS in_early_base,\n"
        "    status = 'completed' AND completed_date < due_date                       AS is_early,\n"
        "    status = 'completed' AND completed_at <= coalesce(due_at_deadline, CAST(due_date AS TIMESTAMP)"
        " + INTERVAL 1 DAY) AS is_on_time\n"
        "FROM dated;\n")


def _case_passes(select_keys: str, where: str = "") -> list[str]:
    """One CTE per case period date (accepted, completed, rated): its parts, over the cases
    that have that date, grouped by `select_keys` (`{day}` there and in `where` is the pass's day)."""
    parts = parts_by_period_date()
    ctes = []
    for name in _CASE_DATES:
        pd_ = PERIOD_DATES[name]
        cond = _where(*(c.format(day=pd_.day) for c in (where, pd_.cases)))
        ctes.append(
            f"{name} AS (\n"
            f"    -- cases by {pd_.label_en}\n"
            f"    SELECT {select_keys.format(day=pd_.day)},\n{_part_lines(parts[name])}\n"
            f"    FROM case_facts\n"
            + (f"    WHERE {cond}\n" if cond else "")
            + "    GROUP BY ALL\n)")
    return ctes


def _span_events() -> tuple[Part, PeriodDate, str, list[str]]:
    """The open-overdue span: its part, its period date, the comment that explains its
    events, and which cases have events."""
    (open_part,) = parts_by_period_date()["period_end"]
    span = PERIOD_DATES["period_end"]
    comment = (f"-- {open_part.name}: open and past the deadline at the end of day D when\n"
               f"--   {span.day} <= D\n"
               f"--   and not {span.until} <= D.\n"
               f"-- +1 on the first such day, -1 on the day it ends (one scan emits both).\n")
    cases = [_where(span.cases, open_part.where), f"({span.until} IS NULL OR {span.until} > {span.day})"]
    return open_part, span, comment, cases


def _period_end_events_cte() -> str:
    """The open-overdue span's +1/-1 events per department and day (one CTE)."""
    open_part, span, comment, cases = _span_events()
    return (
        comment
        + "-- dept_period.sql adds up the events to each period's last day.\n"
        f"period_end_events AS (\n"
        f"    SELECT dept, day, sum(delta) AS {open_part.name}_delta\n"
        f"    FROM (\n"
        f"        SELECT dept,\n"
        f"            unnest([{span.day}, {span.until}]) AS day,\n"
        f"            unnest([1, -1]) AS delta\n"
        f"        FROM case_facts\n"
        f"        WHERE {cases[0]}\n"
        f"          AND {cases[1]}\n"
        f"    )\n"
        f"    WHERE day IS NOT NULL\n"
        f"    GROUP BY ALL\n"
        # A day where as many cases fall overdue as end counts nothing: no row, so a table
        # updated by an import (daily_merge_sql) and one rebuilt from all cases agree.
        f"    HAVING sum(delta) <> 0\n)")


def _dept_day_totals(ctes: list[str], parts: tuple[str, ...]) -> str:
    """The end of a dept_daily build: the CTEs' parts summed per department and day."""
    unions = "\n        UNION ALL BY NAME ".join(f"SELECT * FROM {n}" for n in parts)
    return (
        "CREATE OR REPLACE TABLE dept_daily AS\n"
        f"WITH {_joined(ctes)}\n"
        "SELECT dept, day, coalesce(COLUMNS(* EXCLUDE (dept, day)), 0)::BIGINT\n"
        "FROM (\n"
        "    SELECT dept, day, sum(COLUMNS(* EXCLUDE (dept, day)))\n"
        "    FROM (\n"
        f"        {unions}\n"
        "    )\n"
        "    GROUP BY dept, day\n"
        ")\n"
        "ORDER BY day, dept;\n")


def daily_aggregates_sql() -> str:
    """`dept_daily`: every case part per department and day, each counted on its own day."""
    ctes = [*_case_passes("dept, {day} AS day"), _period_end_events_cte()]
    return (
        "-- Rendered from metrics/registry.py by metrics/render.py: do not edit by hand.\n"
        "-- Additive numerators and denominators per department and day. A calendar change or a\n"
        "-- first import runs this over every case; any other import runs it over its own cases and\n"
        "-- the cases they replace, and daily_merge.sql adds the difference to the live table.\n"
        "-- Any period's figure is then a sum over days: the date that puts a case into a period\n"
        "-- differs by measure (spec 3), so each part is counted on its own day. Each line names\n"
        "-- the measures that use it.\n"
        + _dept_day_totals(ctes, (*_CASE_DATES, "period_end_events")))


def daily_from_items_sql() -> str:
    """`dept_daily` of an import's cases from their `item_daily`, built just before over the
    same cases: the case parts summed over items, the open-overdue span from the cases."""
    items = ("items AS (\n"
             "    -- the case parts of item_daily, summed over the items of each department\n"
             f"    SELECT dept, day, sum(COLUMNS(* EXCLUDE ({ITEM_KEYS})))\n"
             "    FROM item_daily\n"
             "    GROUP BY dept, day\n)")
    return (
        "-- Rendered from metrics/registry.py by metrics/render.py: do not edit by hand.\n"
        "-- dept_daily over an import's cases (and over the versions they replace), from the\n"
        "-- item_daily of the same cases: every case part is counted per item on the same day, so\n"
        "-- the sum over a department's items is its part; only the open-overdue span, which is not\n"
        "-- per item, reads the cases. daily_aggregates.sql builds the same table from the cases\n"
        "-- (a rebuild); this saves an import one pass over its cases' facts.\n"
        + _dept_day_totals([items, _period_end_events_cte()], ("items", "period_end_events")))


def daily_columns() -> list[str]:
    """The columns of `dept_daily` after dept and day, as daily_aggregates_sql writes them."""
    parts = parts_by_period_date()
    (open_part,) = parts["period_end"]
    return [p.name for name in _CASE_DATES for p in parts[name]] + [f"{open_part.name}_delta"]


def touch_match(touch: str, outer: str = "m", inner: str = "t") -> str:
    """Whether row `outer` has a key `inner` touched by the import (NULL matches NULL)."""
    return " AND ".join(f"{inner}.{k} IS NOT DISTINCT FROM {outer}.{k}" for k in touch.split(", "))


def _merge_sql(table: str, keys: str, columns: list[str], touch: str) -> str:
    """The rows of `table` an incremental import changes: for every `touch` key its cases (the
    imported ones and the versions they replace) fall on, the live rows plus the imported
    cases' parts minus the replaced versions' parts, grouped by `keys`. metrics/aggregates.py
    then deletes the live rows of those keys and inserts these: an import rewrites the days it
    touches, not the whole table."""
    keep = "\n   OR ".join(f"{c} <> 0" for c in columns)
    return (
        f"CREATE OR REPLACE TABLE import_next.{table}_touched AS\n"
        f"SELECT DISTINCT {touch} FROM import_removed.{table}\n"
        f"UNION SELECT DISTINCT {touch} FROM import_added.{table};\n"
        f"CREATE OR REPLACE TABLE import_next.{table} AS\n"
        "SELECT * FROM (\n"
        f"    SELECT {keys}, sum(COLUMNS(* EXCLUDE ({keys}, sign)) * sign)::BIGINT\n"
        "    FROM (\n"
        f"        SELECT m.*, 1 AS sign FROM main.{table} m\n"
        f"        WHERE EXISTS (SELECT 1 FROM import_next.{table}_touched t WHERE {touch_match(touch)})\n"
        f"        UNION ALL BY NAME SELECT *, -1 AS sign FROM import_removed.{table}\n"
        f"        UNION ALL BY NAME SELECT *, 1 AS sign FROM import_added.{table}\n"
        "    )\n"
        f"    GROUP BY {keys}\n"
        ")\n"
        f"WHERE {keep}\n"
        f"ORDER BY {keys};\n")


def _merge_header(table: str, built_by: str) -> str:
    return (
        "-- Rendered from metrics/registry.py by metrics/render.py: do not edit by hand.\n"
        f"-- {table} after an incremental import (metrics/aggregates.py): for the keys the import\n"
        "-- touches, the live rows, minus the parts the replaced versions of re-imported cases\n"
        "-- contributed (import_removed), plus the parts of the imported cases (import_added), each\n"
        f"-- computed by {built_by} over those cases alone. Every part is a count or a sum, so the\n"
        "-- result equals a rebuild from all cases; a key left with every part 0 holds no case any\n"
        "-- more and goes, as a rebuild would not write it.\n")


def daily_merge_sql() -> str:
    """`dept_daily`'s rows an incremental import changes."""
    keys, touch = SUMMED["dept_daily"]
    return _merge_header("dept_daily", "daily_aggregates.sql") + _merge_sql("dept_daily", keys, daily_columns(), touch)


def case_years_merge_sql() -> str:
    return _merge_header("case_years", "case_years.sql") + _merge_sql(
        "case_years", "year", ["first_cases", "last_cases"], "year")


def case_days_merge_sql() -> str:
    return _merge_header("case_days", "case_days.sql") + _merge_sql(
        "case_days", "day", ["accepted", "ended", "rated"], "day")


ITEM_KEYS = "dept, item_code, item_name, day"
# The per-day tables an import updates, each with its keys and the keys by which the rows
# its cases touch are found (department and day: a month's few thousand rows, not the table).
SUMMED = {
    "dept_daily": ("dept, day", "dept, day"),
    "item_daily": (ITEM_KEYS, "dept, day"),
    "case_years": ("year", "year"),
    "case_days": ("day", "day"),
}


def item_daily_sql() -> str:
    """`item_daily`: the case parts per department, item and day (the open-overdue span is
    not per item), so that an item table reads days, not cases."""
    ctes = _case_passes("dept, item_code, item_name, {day} AS day")
    unions = "\n        UNION ALL BY NAME ".join(f"SELECT * FROM {n}" for n in _CASE_DATES)
    return (
        "-- Rendered from metrics/registry.py by metrics/render.py: do not edit by hand.\n"
        "-- The parts of every case measure per department, item and day, built and updated as\n"
        "-- dept_daily is (item_merge.sql): the Department page's item table sums its days\n"
        "-- (item_parts.sql) instead of reading every case of the store.\n"
        "CREATE OR REPLACE TABLE item_daily AS\n"
        f"WITH {_joined(ctes)}\n"
        f"SELECT {ITEM_KEYS}, coalesce(COLUMNS(* EXCLUDE ({ITEM_KEYS})), 0)::BIGINT\n"
        "FROM (\n"
        f"    SELECT {ITEM_KEYS}, sum(COLUMNS(* EXCLUDE ({ITEM_KEYS})))\n"
        "    FROM (\n"
        f"        {unions}\n"
        "    )\n"
        f"    GROUP BY {ITEM_KEYS}\n"
        ")\n"
        "ORDER BY day, dept, item_code, item_name;\n")


def item_columns() -> list[str]:
    """The columns of `item_daily` after its keys."""
    parts = parts_by_period_date()
    return [p.name for name in _CASE_DATES for p in parts[name]]


def item_merge_sql() -> str:
    keys, touch = SUMMED["item_daily"]
    return _merge_header("item_daily", "item_daily.sql") + _merge_sql("item_daily", keys, item_columns(), touch)


def spark_daily_aggregates_sql() -> str:
    """`dept_daily` on Spark: the passes of `daily_aggregates_sql` from the same declarations,
    joined on department and day (Spark SQL has no UNION BY NAME), every column named."""
    ctes = _case_passes("dept, {day} AS day")
    open_part, span, comment, cases = _span_events()
    ctes.append(
        comment
        + f"period_end_events AS (\n"
        f"    SELECT dept, day, sum(delta) AS {open_part.name}_delta\n"
        f"    FROM case_facts\n"
        f"    LATERAL VIEW inline(array(named_struct('day', {span.day}, 'delta', 1),\n"
        f"                              named_struct('day', {span.until}, 'delta', -1))) AS day, delta\n"
        f"    WHERE {cases[0]}\n"
        f"      AND {cases[1]}\n"
        f"      AND day IS NOT NULL\n"
        f"    GROUP BY ALL\n"
        f"    HAVING sum(delta) <> 0\n)")
    cols = daily_columns()
    width = max(len(c) for c in cols)
    lines = ",\n".join(f"    CAST(coalesce({c}, 0) AS BIGINT){' ' * (width - len(c))} AS {c}" for c in cols)
    joins = "\n".join(f"FULL OUTER JOIN {n} USING (dept, day)" for n in (*_CASE_DATES[1:], "period_end_events"))
    return (
        "-- Rendered from metrics/registry.py by metrics/render.py: do not edit by hand.\n"
        "-- Spark SQL: the per-day parts of metrics/sql/daily_aggregates.sql from the same\n"
        "-- declarations, over the case_facts view of metrics/sql/spark/case_facts.sql.\n"
        "-- metrics/engines/spark.py runs it; the result becomes a store's dept_daily.\n"
        "-- Each line names the measures that use it.\n"
        f"WITH {_joined(ctes)}\n"
        "-- Each pass has one row per department and day: the joins line them up.\n"
        f"SELECT dept, day,\n{lines}\n"
        f"FROM {_CASE_DATES[0]}\n"
        f"{joins}\n"
        "ORDER BY day, dept\n")


def catalogue_period_sql() -> str:
    """Catalogue parts per department, as the catalogue stood on each period's last day."""
    cat = PERIOD_DATES["catalogue"]
    return (
        "-- Rendered from metrics/registry.py by metrics/render.py: do not edit by hand.\n"
        "-- Catalogue measures per department, as the catalogue stood on each period's last day.\n"
        "-- Parameters: $ends (list of dates): period i ends on $ends[i].\n"
        "WITH periods AS (\n"
        "    SELECT generate_subscripts($ends, 1) AS period_no, unnest($ends) AS last_day\n"
        ")\n"
        "SELECT\n"
        "    period_no,\n"
        "    dept,\n"
        f"{_part_lines(parts_by_period_date()['catalogue'], indent='    ')}\n"
        "FROM periods\n"
        "-- An item counts while it is not yet retired on the period's last day.\n"
        f"JOIN catalogue c ON {cat.cases}\n"
        "WHERE dept IS NOT NULL\n"
        "GROUP BY period_no, dept\n"
        "ORDER BY period_no, dept;\n")


def dept_period_sql() -> str:
    """Every case part per department for one or more periods, summed from `dept_daily`."""
    (open_part,) = parts_by_period_date()["period_end"]
    delta = f"{open_part.name}_delta"
    return (
        "-- Rendered from metrics/registry.py by metrics/render.py: do not edit by hand.\n"
        "-- Numerators and denominators of every case measure, per department, for one or more periods.\n"
        "-- Parameters: $starts, $ends (lists of dates, inclusive): period i runs from $starts[i] to $ends[i].\n"
        "-- Asking for several periods at once (a ranking and its previous period) costs one scan.\n"
        "WITH periods AS (\n"
        "    SELECT generate_subscripts($starts, 1) AS period_no, unnest($starts) AS first_day,"
        " unnest($ends) AS last_day\n"
        "),\n"
        "in_period AS (\n"
        f"    SELECT period_no, dept, sum(COLUMNS(d.* EXCLUDE (dept, day, {delta})))\n"
        "    FROM periods\n"
        "    JOIN dept_daily d ON d.day BETWEEN first_day AND last_day\n"
        "    GROUP BY period_no, dept\n"
        "),\n"
        "period_end AS (\n"
        "    -- A running count: every event up to the period's last day.\n"
        f"    SELECT period_no, dept, sum({delta}) AS {open_part.name}\n"
        "    FROM periods\n"
        "    JOIN dept_daily d ON d.day <= last_day\n"
        "    GROUP BY period_no, dept\n"
        ")\n"
        "-- A department with only old cases still open and overdue is kept: they count too.\n"
        "SELECT\n"
        "    period_no,\n"
        "    dept,\n"
        "    coalesce(COLUMNS(p.* EXCLUDE (period_no, dept)), 0),\n"
        f"    coalesce(e.{open_part.name}, 0) AS {open_part.name}\n"
        "FROM in_period p\n"
        "FULL OUTER JOIN period_end e USING (period_no, dept)\n"
        "ORDER BY period_no, dept;\n")


def item_parts_sql() -> str:
    """One department's items in a period: every case part, summed over the period's days of
    `item_daily` (the open-overdue span is not per item)."""
    return (
        "-- Rendered from metrics/registry.py by metrics/render.py: do not edit by hand.\n"
        "-- The parts of every case measure for one department's items in a period; the page\n"
        "-- computes each item's figures from them as it does a department's. An item is its\n"
        "-- code; where its cases carry more than one name, the name first in sort order is shown.\n"
        "-- Parameters: $start, $end (dates), $dept.\n"
        f"SELECT item_code, min(item_name) AS item_name,\n"
        f"    sum(COLUMNS(* EXCLUDE ({ITEM_KEYS})))::BIGINT\n"
        "FROM item_daily\n"
        "WHERE dept = $dept AND day BETWEEN $start AND $end\n"
        "GROUP BY item_code\n"
        "ORDER BY accepted_cases DESC, completed_cases DESC, item_code;\n")


def period_predicate(period_date: str) -> str:
    """The cases a period holds for a period date, over `case_facts` ($start, $end)."""
    pd_ = PERIOD_DATES[period_date]
    if pd_.until:  # still open at the period's last day
        return _where(pd_.stored, pd_.cases, f"{pd_.day} <= $end", f"{pd_.until} IS NULL OR {pd_.until} > $end")
    return _where(pd_.stored, pd_.cases, f"{pd_.day} BETWEEN $start AND $end")


def case_predicate(metric_name: str, part: str = "numerator") -> str:
    """The predicate selecting the cases behind a figure's numerator or denominator: the
    period's cases, then the part's own case filter."""
    m = BY_NAME[metric_name]
    if m.period_date == "catalogue":
        raise ValueError(f"{metric_name} is a catalogue measure: see catalogue_items()")
    chosen = m.numerator if part == "numerator" or m.denominator is None else m.denominator
    return " AND ".join(p for p in (period_predicate(m.period_date), _where(chosen.where)) if p)


# --- docs/metrics.md -------------------------------------------------------------------

def _target_text(m: Metric) -> str:
    if m.target is None:
        return "—"
    sign = "≥" if m.better == "higher" else "≤"
    shown = f"{m.target * 100:g}%" if m.format == "percent" else f"{m.target:g}"
    return f"{sign} {shown}"


def part_text(p: Part | None, lang: str = "en") -> str:
    """A part as the docs and the Definitions page state it: its column, aggregation and filter."""
    if p is None:
        return "—"
    if lang == "zh":
        agg = f"`{p.sums}` 之和" if p.sums else "办件数"
        return f"`{p.name}` = {agg}" + ("" if p.where == "true" else f"，条件 `{p.where}`")
    agg = f"sum of `{p.sums}`" if p.sums else "count of cases"
    return f"`{p.name}` = {agg}" + ("" if p.where == "true" else f" where `{p.where}`")


def metrics_doc() -> str:
    out = [
        "# Metrics",
        "",
        "Rendered from the declarations in `metrics/registry.py` by `metrics/render.py`"
        " (`python -m metrics.render`): do not edit by hand. The contract is"
        " `../shared/spec/METRICS.md`; where it is silent, `docs/rules.md` says what we decided."
        " The SQL rendered from the same declarations is in `metrics/sql/daily_aggregates.sql`,"
        " `catalogue_period.sql` and `item_parts.sql`, and on the Definitions page.",
        "",
        f"Default ranking weights (spec 7): "
        + ", ".join(f"`{m.name}` {m.weight:g}" for m in FOUR_RATES) + ".",
        "",
    ]
    for m in METRICS:
        pd_ = PERIOD_DATES[m.period_date]
        period_rule = pd_.label_en
        out += [
            f"## `{m.name}` — {m.label_zh} / {m.label_en}",
            "",
            m.description_en,
            "",
            m.description_zh,
            "",
            f"- formula: {m.formula_en} ({m.formula_zh})",
            f"- kind: {m.kind}; format: {m.format}; the date that puts a case into a period: {period_rule}"
            + ("" if pd_.cases == "true" or m.period_date == "catalogue" else f" (`{pd_.cases}`)"),
            f"- numerator: {part_text(m.numerator)}",
            f"- denominator: {part_text(m.denominator)}",
            f"- target: {_target_text(m)}"
            + (f" (one of the four rates 四率, default weight {m.weight:g})" if m.four_rate else ""),
            "",
        ]
    return "\n".join(out)


RENDERED = {
    SQL_DIR / "daily_aggregates.sql": daily_aggregates_sql,
    SQL_DIR / "daily_merge.sql": daily_merge_sql,
    SQL_DIR / "dept_period.sql": dept_period_sql,
    SQL_DIR / "catalogue_period.sql": catalogue_period_sql,
    SQL_DIR / "item_parts.sql": item_parts_sql,
    SQL_DIR / "item_daily.sql": item_daily_sql,
    SQL_DIR / "daily_from_items.sql": daily_from_items_sql,
    SQL_DIR / "item_merge.sql": item_merge_sql,
    SQL_DIR / "case_years_merge.sql": case_years_merge_sql,
    SQL_DIR / "case_days_merge.sql": case_days_merge_sql,
    DOC: metrics_doc,
    SQL_DIR / "case_facts.sql": case_facts_sql,
    SPARK_SQL_DIR / "case_facts.sql": lambda: case_facts_sql(SPARK),
    SPARK_SQL_DIR / "daily_aggregates.sql": spark_daily_aggregates_sql,
}


def main() -> int:
    """Write the rendered files; print which changed, for review in `git diff`."""
    for path, render in RENDERED.items():
        text = render()
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            print(f"rendered {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
