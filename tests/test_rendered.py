"""The SQL and docs rendered from the metric declarations are checked in and reviewed.

When a declaration changes, these fail until `.venv/bin/python -m metrics.render` writes
the new text and the diff is read and committed with the change.
"""

from __future__ import annotations

import pytest

from metrics import render
from metrics.registry import FOUR_RATES, METRICS, Metric, count, parts_by_period_date
from metrics.settings import Weights


@pytest.mark.parametrize("path", list(render.RENDERED), ids=lambda p: p.name)
def test_rendered_text_is_checked_in(path):
    want = render.RENDERED[path]()
    assert path.read_text(encoding="utf-8") == want, (
        f"{path.name} differs from what the registry renders: run `.venv/bin/python -m metrics.render`, "
        "read the diff, commit it with the declaration that changed it")


def test_every_part_is_rendered_once_into_the_aggregates():
    import re
    daily = render.daily_aggregates_sql()
    for period_date, parts in parts_by_period_date().items():
        for p in parts:
            if period_date == "catalogue":
                assert f" AS {p.name}" in render.catalogue_period_sql()
            elif period_date == "period_end":
                assert f" AS {p.name}_delta" in daily
            else:
                assert len(re.findall(rf" AS {p.name}\b", daily)) == 1, p.name
                assert len(re.findall(rf" AS {p.name}\b", render.item_daily_sql())) == 1, p.name


def test_one_name_means_one_part():
    a = Metric(name="a", label_zh="甲", label_en="A", kind="count", period_date="accepted",
               numerator=count("x", where="channel = 'online'"), denominator=None,
               description_zh="", description_en="", formula_zh="", formula_en="")
    b = Metric(name="b", label_zh="乙", label_en="B", kind="count", period_date="accepted",
               numerator=count("x", where="channel = 'window'"), denominator=None,
               description_zh="", description_en="", formula_zh="", formula_en="")
    with pytest.raises(ValueError, match="part 'x' of b is declared differently"):
        parts_by_period_date((a, b))
    # The same part on another period date is another column too.
    c = Metric(name="c", label_zh="丙", label_en="C", kind="count", period_date="completed",
               numerator=count("x", where="channel = 'online'"), denominator=None,
               description_zh="", description_en="", formula_zh="", formula_en="")
    with pytest.raises(ValueError, match="part 'x' of c"):
        parts_by_period_date((a, c))


def test_weights_are_the_four_rates_of_the_registry():
    assert list(Weights.model_fields) == [m.name for m in FOUR_RATES]
    assert Weights().model_dump() == {m.name: 25.0 for m in FOUR_RATES}
    assert [m.name for m in FOUR_RATES] == [
        "entry_rate", "online_rate", "early_completion_rate", "satisfaction_rate"]


def test_case_predicates_combine_period_and_part_filters():
    # Each starts with the period on the stored times (DuckDB skips row groups by it), then the
    # period's rule on case_facts' dates, then the part's own filter.
    completed = "completed_at >= $start AND completed_at < $end + INTERVAL 1 DAY"
    assert render.case_predicate("early_completion_rate", "denominator") == (
        f"{completed} AND is_completion AND completed_date BETWEEN $start AND $end AND in_early_base")
    assert render.case_predicate("early_completion_rate", "numerator") == (
        f"{completed} AND is_completion AND completed_date BETWEEN $start AND $end AND in_early_base AND is_early")
    assert render.case_predicate("online_rate", "denominator") == (
        "accepted_at >= $start AND accepted_at < $end + INTERVAL 1 DAY AND accepted_date BETWEEN $start AND $end")
    assert render.case_predicate("open_overdue_cases") == (
        "(accepted_at < $end + INTERVAL 1 DAY AND (completed_at IS NULL OR completed_at >= $end + INTERVAL 1 DAY))"
        " AND status NOT IN ('withdrawn', 'rejected') AND deadline IS NOT NULL"
        " AND greatest(CAST(deadline AS DATE), accepted_date) <= $end"
        " AND (completed_date IS NULL OR completed_date > $end)")
    with pytest.raises(ValueError, match="catalogue measure"):
        render.case_predicate("entry_rate")


def test_every_metric_names_its_period_date_and_parts_in_the_docs():
    doc = render.metrics_doc()
    for m in METRICS:
        body = doc.split(f"## `{m.name}`", 1)[1].split("\n## ", 1)[0]
        assert f"`{m.numerator.name}`" in body
        if m.denominator:
            assert f"`{m.denominator.name}`" in body
