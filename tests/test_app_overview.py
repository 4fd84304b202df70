"""Overview 总览: every figure on the page equals the engine's number for the view."""

from __future__ import annotations

import base64
import json

import numpy as np
import pytest

from conftest_app import LANG, no_exception, open_app


@pytest.fixture(scope="module")
def engine(app_db):
    from metrics.store import connect
    con = connect(app_db)
    yield con
    con.close()


def _expected_tiles(con, period, lang="zh", depts=None) -> dict[str, tuple[str, object]]:
    """label -> (value text, delta text) as the page must show them, from the engine."""
    from metrics.rates import centre_metrics
    from metrics.registry import BY_NAME
    from pages.screens.overview import RATE_NAMES, TOTALS
    now = centre_metrics(con, period, depts)
    before = centre_metrics(con, period.previous(), depts)
    out = {}
    for name in RATE_NAMES + TOTALS[0] + TOTALS[1]:
        m = BY_NAME[name]
        v, p = now[name], before[name]
        if m.format == "percent":
            text = "—" if v is None else f"{v * 100:.1f}%"
            d = None if v is None or p is None else round((v - p) * 100, 1)
            delta = None if d is None else ("±0.0" if d == 0 else f"{d:+.1f}") + f" {'个百分点' if lang == 'zh' else 'pp'}"
        elif m.format == "count":
            text = f"{int(v):,}"
            d = int(v - p)
            delta = "±0" if d == 0 else f"{d:+,}"
        else:  # days: the unit sits in the label
            unit = "个工作日" if lang == "zh" else "working days"
            text = "—" if v is None else f"{v:.2f}"
            d = None if v is None or p is None else round(v - p, 2)
            delta = None if d is None else ("±0.00" if d == 0 else f"{d:+.2f}") + f" {unit}"
            out[f"{m.label(lang)}（{unit}）" if lang == "zh" else f"{m.label(lang)} ({unit})"] = (text, delta)
            continue
        out[m.label(lang)] = (text, delta)
    return out


def _shown(at) -> dict[str, tuple[str, object]]:
    return {m.label: (m.value, m.delta or None) for m in at.main.metric}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_tiles_equal_the_engine_in_both_languages(app_db, engine, monkeypatch, lang):
    at = open_app(app_db, monkeypatch, query={"lang": LANG[lang]})
    no_exception(at)
    assert at.title[0].value == ("总览" if lang == "zh" else "Overview")
    view = at.session_state["view"]
    assert _shown(at) == _expected_tiles(engine, view.period, lang)
    # Every tile explains itself: definition, formula, target, period date.
    from metrics.registry import FOUR_RATES
    helps = {m.label: m.help for m in at.main.metric}
    for m in FOUR_RATES:
        assert m.description(lang) in helps[m.label(lang)]
        assert m.formula(lang) in helps[m.label(lang)]


def test_changing_the_quarter_changes_the_figures_to_the_engines(app_db, engine, monkeypatch):
    from metrics.periods import parse_period
    at = open_app(app_db, monkeypatch)
    before = _shown(at)
    older = at.selectbox(key="quarter").options[2]
    at.selectbox(key="quarter").select(older).run()
    no_exception(at)
    after = _shown(at)
    assert after != before
    assert after == _expected_tiles(engine, parse_period(older))


def test_department_filter_gives_the_selected_departments_figures(app_db, engine, monkeypatch):
    at = open_app(app_db, monkeypatch)
    depts = at.multiselect(key="depts").options[3:6]
    at.multiselect(key="depts").set_value(depts).run()
    no_exception(at)
    assert _shown(at) == _expected_tiles(engine, at.session_state["view"].period, depts=depts)


def test_target_badges_follow_the_registry(app_db, engine, monkeypatch):
    from metrics.rates import centre_metrics
    from metrics.registry import FOUR_RATES
    at = open_app(app_db, monkeypatch)
    now = centre_metrics(engine, at.session_state["view"].period)
    badges = [m.value for m in at.main.markdown if "-badge[" in m.value]
    for m, badge in zip(FOUR_RATES, badges[:4]):
        met = m.meets(now[m.name])
        if m.target is None:
            assert badge == ":gray-badge[无目标]"
        elif met:
            assert badge.startswith(":green-badge[✓ 达标") and f"{m.target * 100:.1f}%" in badge
        else:
            assert badge.startswith(":red-badge[✗ 未达标") and f"{m.target * 100:.1f}%" in badge


def test_trend_chart_is_eight_quarters_of_the_engines_rates(app_db, engine, monkeypatch):
    from metrics.periods import quarters_back
    from metrics.rates import centre_metrics
    from metrics.registry import FOUR_RATES
    at = open_app(app_db, monkeypatch)
    view = at.session_state["view"]
    charts = at.main.get("plotly_chart")
    spec = json.loads(charts[0].proto.spec)
    quarters = quarters_back(view.period, 8)
    lines = [d for d in spec["data"] if d.get("mode") == "lines+markers"]
    assert len(lines) == 4
    for m, line in zip(FOUR_RATES, lines):
        assert line["x"] == [q.label for q in quarters]
        y = line["y"]
        y = np.frombuffer(base64.b64decode(y["bdata"]), dtype=y["dtype"]) if isinstance(y, dict) else np.array(y)
        want = [centre_metrics(engine, q)[m.name] for q in quarters]
        want = np.array([np.nan if w is None else w * 100 for w in want])
        np.testing.assert_allclose(y, want, rtol=1e-12)
    # One dashed target line per rate that has a target.
    targets = [s for s in spec["layout"].get("shapes", []) if s.get("line", {}).get("dash") == "dash"]
    assert len(targets) == sum(m.target is not None for m in FOUR_RATES)


def test_top_and_bottom_five_are_the_engines_ranking(app_db, engine, monkeypatch):
    from metrics.ranking import ranking
    at = open_app(app_db, monkeypatch)
    table = ranking(engine, at.session_state["view"].period)
    ranked = table[table["ranked"]].sort_values(["rank", "dept"])
    top, bottom = (t.value for t in at.main.table)
    assert list(top["部门"]) == list(ranked["dept"].head(5))
    assert list(bottom["部门"]) == list(ranked["dept"].tail(5))
    assert list(top["得分"]) == [f"{s:.1f}" for s in ranked["score"].head(5)]
    assert list(top["排名"].astype(int)) == list(ranked["rank"].head(5).astype(int))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_presentation_shows_the_rates_and_four_timeliness_tiles(app_db, engine, monkeypatch, lang):
    # On the wall the second row has four tiles as wide as the rates, so no label or target is
    # cut off; the days tile's label drops its unit, which its delta and its target still show.
    from metrics.rates import centre_metrics
    from metrics.registry import BY_NAME
    from pages.screens.overview import RATE_NAMES
    at = open_app(app_db, monkeypatch, query={"present": "true", "lang": LANG[lang]})
    no_exception(at)
    names = RATE_NAMES + ["on_time_rate", "open_overdue_cases", "time_compression", "avg_actual_days"]
    assert [m.label for m in at.main.metric] == [BY_NAME[n].label(lang) for n in names]
    expected = _expected_tiles(engine, at.session_state["view"].period, lang)
    unit = "个工作日" if lang == "zh" else "working days"
    days_label = BY_NAME["avg_actual_days"].label(lang)
    days = at.main.metric[-1]
    assert (days.value, days.delta) == next(v for k, v in expected.items() if k.startswith(days_label))
    assert days.delta.endswith(unit)
    value = centre_metrics(engine, at.session_state["view"].period)["avg_actual_days"]
    word = ("达标" if value <= 1.5 else "未达标") if lang == "zh" else ("met" if value <= 1.5 else "missed")
    target = "目标 ≤ 1.50 个工作日" if lang == "zh" else "Target ≤ 1.50 working days"
    assert f"{word} · {target}]" in [m.value for m in at.main.markdown if "-badge[" in m.value][-1]
