"""The wall forms of Supervision, Data and Definitions (presentation mode), and a slideshow's
arrows, which step through every slide of every page: run through dashboard.py with AppTest.
Whether each slide fits its screen is tests/test_presentation_fit.py's, in a browser."""

from __future__ import annotations

import json
import math

import pytest

from conftest_app import goto, no_exception, open_app
from tests import alerts_data
from tests.test_alerts import EXPECTED  # the six flags' counts, worked out by hand


def _position(at) -> str:
    return " ".join(m.value for m in at.main.markdown if "/" in m.value and len(m.value) <= 7)


def _next(at, times: int = 1):
    for _ in range(times):
        at.button(key="slide_next").click().run()
        no_exception(at)
    return at


@pytest.fixture(scope="module")
def planted_db(tmp_path_factory):
    """Six integrity flags in 2025Q3, one per rule, each in a department of its own
    (tests/alerts_data.py; the hand counts are tests/test_alerts.py's EXPECTED)."""
    return alerts_data.build_store(tmp_path_factory.mktemp("wall_supervision"))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_supervision_on_the_wall_tiles_rules_chart_and_flags(planted_db, monkeypatch, lang):
    from metrics import alerts
    from pages.labels import t
    from pages.view import LANG_NAMES
    at = open_app(planted_db, monkeypatch, {"present": "true", "lang": LANG_NAMES[lang], "quarter": "2025Q3"},
                  page="supervision")
    no_exception(at)
    assert _position(at) == "1/2"  # the tiles and the chart, then six flags on one slide
    assert {m.label: m.value for m in at.main.metric} == {
        t("sv_flags", lang): "6", t("sv_depts_flagged", lang): "6", t("sv_cases_flagged", lang): "266"}
    spec = json.loads(at.main.get("plotly_chart")[0].proto.spec)
    bars = spec["data"][0]
    assert bars["y"] == [r.label(lang) for r in alerts.RULES] and bars["x"] == [1] * 6  # one department each
    assert not at.main.dataframe and not at.main.table and not at.main.get("download_button")

    _next(at)
    assert _position(at) == "2/2" and not at.main.metric and not at.main.get("plotly_chart")
    table = at.main.table[0].value
    rule = {r.name: r.label(lang) for r in alerts.RULES}
    rows = {(d, r): (c, b) for d, r, c, b in zip(table[t("col_dept", lang)], table[t("sv_col_rule", lang)],
                                                table[t("sv_col_cases", lang)], table[t("sv_col_base", lang)])}
    assert rows == {(d, rule[r]): (str(c), str(b)) for (d, r), (c, b) in EXPECTED.items()}
    jia = table[table[t("col_dept", lang)] == "甲局"].iloc[0]
    # 20 of 甲局's 195 committed completions closed within a minute; 20 of the centre's 1,543.
    assert (jia[t("sv_col_share", lang)], jia[t("sv_col_centre_share", lang)]) == ("10.3%", "1.3%")
    assert jia[t("sv_col_test", lang)] == "p < 0.0001"
    assert t("sv_col_examples", lang) not in table.columns  # case numbers are for reading up close
    _next(at)
    assert _position(at) == "1/2"


def test_supervision_on_the_wall_without_flags_is_one_slide(planted_db, monkeypatch):
    from pages.labels import t
    at = open_app(planted_db, monkeypatch, {"present": "true", "lang": "English", "quarter": "2025Q3",
                                            "depts": ["辛局"]}, page="supervision")
    no_exception(at)
    assert not _position(at)
    assert {m.label: m.value for m in at.main.metric}[t("sv_flags", "en")] == "0"
    assert [s.value for s in at.main.success] == [t("sv_none", "en", period="2025Q3")]


def test_data_page_on_the_wall_freshness_and_the_latest_imports(app_db, monkeypatch):
    from metrics.ingest import import_history
    from pages import queries
    from pages.formats import md_escape
    from pages.labels import t
    from pages.screens.data_admin import WALL_FIRST
    at = open_app(app_db, monkeypatch, {"present": "true", "lang": "English"}, page="data")
    no_exception(at)
    history = import_history(queries.con().cursor())  # the app's own connection: the store's ledger
    # The demo store: the catalogue, then the case log; both beside the tiles, on one slide.
    assert list(history["kind"]) == ["cases", "catalogue"] and WALL_FIRST >= 2
    assert not _position(at)
    tiles = {m.label: m.value for m in at.main.metric}
    # From the store itself: queries.freshness() outside a run of the app would answer from
    # the cache key of whatever run came last in this process (another test's store).
    from metrics.drilldown import data_freshness
    fresh = data_freshness(queries.con())
    assert tiles[t("data_cases_stored", "en")] == f"{fresh['cases']:,}"
    assert tiles[t("data_through_label", "en")] == fresh["data_through"].isoformat()
    assert tiles[t("data_last_import", "en")] == fresh["last_import_at"].strftime("%Y-%m-%d %H:%M")
    # Nothing to upload, publish or click on a wall.
    assert not at.main.get("file_uploader") and not at.main.get("segmented_control") and not at.main.expander
    assert [h.value for h in at.main.subheader] == [t("data_history_title", "en")]
    table = at.main.table[0].value
    assert list(table[t("hist_import_id", "en")]) == [f"#{i}" for i in history["import_id"]]  # newest first
    for (_, shown), (_, stored) in zip(table.iterrows(), history.iterrows()):
        assert shown[t("hist_file_name", "en")] == md_escape(stored["file_name"])  # a table cell is markdown
        assert shown[t("hist_kind", "en")] == t(f"data_kind_{stored['kind']}", "en")
        assert shown[t("hist_rows_read", "en")] == f"{stored['rows_read']:,}"
        assert shown[t("hist_accepted", "en")] == f"{stored['accepted']:,}"
        assert shown[t("hist_rejected", "en")] == f"{stored['rejected']:,}"
    cases = history.iloc[0]  # every row read is accepted, rejected or a repeat
    assert cases["rows_read"] == cases["accepted"] + cases["rejected"] + cases["repeats"]


def test_data_page_on_the_wall_older_imports_on_slides_of_their_own(tmp_path, monkeypatch):
    # Eleven imports: four beside the tiles, then seven on a second slide.
    from metrics.ingest import import_file
    from metrics.store import connect
    from pages.labels import t
    from tests.conftest import FIXTURES
    con = connect(tmp_path / "many.duckdb")
    import_file(con, FIXTURES / "small_catalogue.csv", kind="catalogue")
    for _ in range(10):
        import_file(con, FIXTURES / "small_cases.csv", kind="cases")  # the same file again: updated, not doubled
    con.close()
    at = open_app(tmp_path / "many.duckdb", monkeypatch, {"present": "true", "lang": "English"}, page="data")
    no_exception(at)
    assert _position(at) == "1/2" and len(at.main.metric) == 3
    assert list(at.main.table[0].value[t("hist_import_id", "en")]) == ["#11", "#10", "#9", "#8"]
    _next(at)
    assert _position(at) == "2/2" and not at.main.metric
    assert list(at.main.table[0].value[t("hist_import_id", "en")]) == [f"#{i}" for i in range(7, 0, -1)]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_definitions_on_the_wall_four_measures_a_slide_then_the_ranking_rules(app_db, monkeypatch, lang):
    from metrics.registry import FOUR_RATES, METRICS
    from pages.labels import t
    from pages.screens.definitions import WALL_MEASURES
    from pages.view import LANG_NAMES
    at = open_app(app_db, monkeypatch, {"present": "true", "lang": LANG_NAMES[lang]}, page="glossary")
    no_exception(at)
    slides = math.ceil(len(METRICS) / WALL_MEASURES) + 1
    assert WALL_MEASURES == 4 and slides == 6  # 19 measures: 4, 4, 4, 4, 3; then the rules
    assert _position(at) == f"1/{slides}"
    assert not at.main.code and not at.main.expander and not at.main.table  # SQL and summary: for the desk
    for index in range(slides - 1):
        text = "\n".join(m.value for m in at.main.markdown)
        measures = METRICS[index * WALL_MEASURES:(index + 1) * WALL_MEASURES]
        if index == 0:
            assert [m.name for m in measures] == [m.name for m in FOUR_RATES]  # the four rates first
        for m in METRICS:
            assert (f"**{m.label(lang)}**" in text) == (m in measures), (index, m.name)
        for m in measures:
            assert m.description(lang) in text and m.formula(lang) in text
        _next(at)
    assert _position(at) == f"{slides}/{slides}"
    assert [h.value for h in at.main.subheader] == [t("df_ranking_rules", lang)]
    weights = "，".join(f"{m.label(lang)} 25" for m in FOUR_RATES) if lang == "zh" else \
        ", ".join(f"{m.label(lang)} 25" for m in FOUR_RATES)
    assert weights in "\n".join(m.value for m in at.main.markdown)


def test_the_slideshows_arrows_step_from_page_to_page(app_db, monkeypatch):
    at = open_app(app_db, monkeypatch, {"present": "true", "advance": "3600",
                                        "slides": ["overview", "glossary"]})
    no_exception(at)
    seen = [(at.title[0].value, _position(at))]
    for _ in range(8):
        _next(at)
        seen.append((at.title[0].value, _position(at)))
    assert seen == [("总览", "1/2"), ("总览", "2/2"), *(("指标说明", f"{i}/6") for i in range(1, 7)), ("总览", "1/2")]
    at.button(key="slide_prev").click().run()  # back from a page's first slide: the last of the page before
    assert (at.title[0].value, _position(at)) == ("指标说明", "6/6")
    at.button(key="slide_prev").click().run()
    assert (at.title[0].value, _position(at)) == ("指标说明", "5/6")


def test_a_page_with_one_slide_shows_the_arrows_in_a_slideshow_only(planted_db, monkeypatch):
    query = {"present": "true", "quarter": "2025Q3", "depts": ["辛局"]}  # Supervision without flags: one slide
    at = open_app(planted_db, monkeypatch, query, page="supervision")
    assert at.title[0].value == "电子监察" and not _position(at)
    at = open_app(planted_db, monkeypatch, {**query, "advance": "3600", "slides": ["overview", "supervision"]})
    no_exception(at)
    assert _position(at) == "1/2"
    _next(at, 2)
    assert at.title[0].value == "电子监察" and _position(at) == "1/1"  # the arrows, to go on by hand
    _next(at)
    assert at.title[0].value == "总览" and _position(at) == "1/2"


def test_off_the_wall_the_three_pages_show_everything(app_db, monkeypatch):
    at = open_app(app_db, monkeypatch, page="glossary")
    assert not _position(at) and at.main.code and at.main.expander
    goto(at, "data")
    assert not _position(at) and at.main.get("file_uploader")
