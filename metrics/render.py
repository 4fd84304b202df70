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

from metrics.registry import BY_NAME, FOUR_RATES, METRICS, PERIOD_DATES, Metric, Part, parts_by_period_date

ROOT = Path(__file__).resolve().parent.parent
SQL_DIR = ROOT / "metrics" / "sql"
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


def daily_aggregates_sql() -> str:
    """`dept_daily`: every case part per department and day, each counted on its own day."""
    parts = parts_by_period_date()
    ctes = []
    for name in _CASE_DATES:
        pd_ = PERIOD_DATES[name]
        where = _where(pd_.cases)
        ctes.append(
            f"{name} AS (\n"
            f"    -- cases by {pd_.label_en}\n"
            f"    SELECT dept, {pd_.day} AS day,\n{_part_lines(parts[name])}\n"
            f"    FROM case_facts\n"
            + (f"    WHERE {where}\n" if where else "")
            + "    GROUP BY ALL\n)")
    span = PERIOD_DATES["period_end"]
    (open_part,) = parts["period_end"]
    ctes.append(
        f"-- {open_part.name}: open and past the deadline at the end of day D when\n"
        f"--   {span.day} <= D\n"
        f"--   and not {span.until} <= D.\n"
        f"-- +1 on the first such day, -1 on the day it ends (one scan emits both);\n"
        f"-- dept_period.sql adds up the events to each period's last day.\n"
        f"period_end_events AS (\n"
        f"    SELECT dept, day, sum(delta) AS {open_part.name}_delta\n"
        f"    FROM (\n"
        f"        SELECT dept,\n"
        f"            unnest([{span.day}, {span.until}]) AS day,\n"
        f"            unnest([1, -1]) AS delta\n"
        f"        FROM case_facts\n"
        f"        WHERE {_where(span.cases, open_part.where)}\n"
        f"          AND ({span.until} IS NULL OR {span.until} > {span.day})\n"
        f"    )\n"
        f"    WHERE day IS NOT NULL\n"
        f"    GROUP BY ALL\n)")
    unions = "\n        UNION ALL BY NAME ".join(f"SELECT * FROM {n}" for n in (*_CASE_DATES, "period_end_events"))
    return (
        "-- Rendered from metrics/registry.py by metrics/render.py: do not edit by hand.\n"
        "-- Additive numerators and denominators per department and day, rebuilt inside each import.\n"
        "-- Any period's figure is then a sum over days: the date that puts a case into a period\n"
        "-- differs by measure (spec 3), so each part is counted on its own day. Each line names\n"
        "-- the measures that use it.\n"
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
    """One department's items in a period: every case part of the period dates whose cases
    fall in the period, grouped by item (the open-overdue span is not per item)."""
    parts = parts_by_period_date()
    ctes = []
    for name in _CASE_DATES:
        pd_ = PERIOD_DATES[name]
        ctes.append(
            f"{name} AS (\n"
            f"    -- cases by {pd_.label_en}\n"
            f"    SELECT coalesce(item_code, '') AS item_code, any_value(item_name) AS item_name,\n"
            f"{_part_lines(parts[name])}\n"
            f"    FROM case_facts\n"
            f"    WHERE dept = $dept AND {_where(pd_.cases, f'{pd_.day} BETWEEN $start AND $end')}\n"
            f"    GROUP BY ALL\n)")
    unions = "\n        UNION ALL BY NAME ".join(f"SELECT * FROM {n}" for n in _CASE_DATES)
    return (
        "-- Rendered from metrics/registry.py by metrics/render.py: do not edit by hand.\n"
        "-- The parts of every case measure for one department's items in a period; the page\n"
        "-- computes each item's figures from them as it does a department's.\n"
        "-- Parameters: $start, $end (dates), $dept.\n"
        f"WITH {_joined(ctes)}\n"
        "SELECT nullif(item_code, '') AS item_code, item_name,\n"
        "    coalesce(COLUMNS(* EXCLUDE (item_code, item_name)), 0)::BIGINT\n"
        "FROM (\n"
        "    SELECT item_code, any_value(item_name) AS item_name, sum(COLUMNS(* EXCLUDE (item_code, item_name)))\n"
        "    FROM (\n"
        f"        {unions}\n"
        "    )\n"
        "    GROUP BY item_code\n"
        ")\n"
        "ORDER BY accepted_cases DESC, completed_cases DESC, item_code;\n")


def period_predicate(period_date: str) -> str:
    """The cases a period holds for a period date, over `case_facts` ($start, $end)."""
    pd_ = PERIOD_DATES[period_date]
    if pd_.until:  # still open at the period's last day
        return _where(pd_.cases, f"{pd_.day} <= $end", f"{pd_.until} IS NULL OR {pd_.until} > $end")
    return _where(pd_.cases, f"{pd_.day} BETWEEN $start AND $end")


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
    SQL_DIR / "dept_period.sql": dept_period_sql,
    SQL_DIR / "catalogue_period.sql": catalogue_period_sql,
    SQL_DIR / "item_parts.sql": item_parts_sql,
    DOC: metrics_doc,
}


def main() -> int:
    """Write the rendered files; print which changed, for review in `git diff`."""
    for path, render in RENDERED.items():
        text = render()
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            print(f"rendered {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
