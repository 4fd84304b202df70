"""Definitions 指标说明: every registry metric is documented on the page, with its SQL."""

from __future__ import annotations

import pytest

from conftest_app import LANG, goto, no_exception, open_app


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_metric_is_documented_with_its_sql(app_db, monkeypatch, lang):
    from metrics.render import case_predicate
    from metrics.registry import METRICS
    from metrics.store import sql
    from pages.screens.definitions import SQL_FILES
    at = open_app(app_db, monkeypatch, query={"lang": LANG[lang]})
    goto(at, "glossary")
    no_exception(at)
    assert at.title[0].value == ("指标说明" if lang == "zh" else "Metric definitions")

    summary = at.table[0].value
    assert list(summary.index) == [m.label(lang) for m in METRICS]
    assert list(summary.iloc[:, 0]) == [m.name for m in METRICS]

    expanders = {e.label: e for e in at.expander}
    codes = [c.value.strip() for c in at.code]
    for m in METRICS:
        box = expanders[f"{m.label(lang)} · `{m.name}`"]
        text = "\n".join(md.value for md in box.markdown)
        assert m.description(lang) in text and m.formula(lang) in text
        assert f"`{m.numerator.name}`" in text and (m.denominator is None or f"`{m.denominator.name}`" in text)
        if m.target is not None:
            assert ("≥" if m.better == "higher" else "≤") in text
        if m.period_date != "catalogue":
            assert case_predicate(m.name, "numerator") in [c.value for c in box.code]
    for name in SQL_FILES:
        assert sql(name).strip() in codes, name
