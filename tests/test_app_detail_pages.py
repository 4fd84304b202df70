"""The Department, Timeliness and Satisfaction pages, run through dashboard.py on the
hand-computed fixture (tests/fixtures/small_*.csv), in both languages.

Every figure a test reads off a page is compared with the engine's own number on the same
store, and the key ones with the hand-computed values of tests/test_metrics_fixture.py.
"""

from __future__ import annotations

import io
import json
from datetime import date

import pandas as pd
import pytest

from conftest import build_small_store
from conftest_app import no_exception, open_app

Q3 = "2025Q3"


@pytest.fixture(scope="module")
def detail_db(tmp_path_factory):
    """The fixture store, its own copy: the pages keep a read-write connection open."""
    return build_small_store(tmp_path_factory.mktemp("detail") / "detail.duckdb")


@pytest.fixture(scope="module")
def engine(detail_db):
    """The engine's figures for the fixture, computed before any page opens the store."""
    from metrics import drilldown, rates
    from metrics.periods import parse_period
    from metrics.store import connect
    con = connect(detail_db, read_only=True)
    q3 = parse_period(Q3)
    out = {
        "dept": rates.dept_metrics(con, q3).set_index("dept"),
        "centre": rates.centre_metrics(con, q3),
        "trend_a": {q.label: rates.dept_metrics(con, q, ["甲局"]).set_index("dept")
                    for q in (parse_period("2025Q2"), q3)},
        "items_a": drilldown.dept_items(con, q3, "甲局"),
    }
    con.close()
    return out


def url(module: str) -> str:
    from pages.navigation import PAGE_SPECS
    return {p.module: p.url_path for p in PAGE_SPECS}[f"pages.screens.{module}"]


def page(db, monkeypatch, module: str, lang: str, **query):
    from pages.view import LANG_NAMES
    q = {"lang": LANG_NAMES[lang], "kind": "quarter", "quarter": Q3, **query}
    at = open_app(db, monkeypatch, q, page=url(module))
    no_exception(at)
    return at


def label(name: str, lang: str) -> str:
    from metrics.registry import BY_NAME
    return BY_NAME[name].label(lang)


def text(key: str, lang: str, **fmt) -> str:
    from pages.labels import t
    return t(key, lang, **fmt)


def tiles(at) -> dict[str, str]:
    return {m.label: m.value for m in at.main.metric}


def fmt(name: str, value, lang: str) -> str:
    from pages.formats import fmt_metric
    return fmt_metric(name, None if pd.isna(value) else value, lang)


def table(at, *columns: str) -> pd.DataFrame:
    """The one table on the page that has all these column headers."""
    found = [d.value for d in at.main.dataframe if set(columns) <= set(d.value.columns)]
    assert len(found) == 1, [list(d.value.columns) for d in at.main.dataframe]
    return found[0]


def csv_of(downloads, at, key: str) -> pd.DataFrame:
    button = next(b for b in at.main.get("download_button") if b.key == key)
    raw = downloads.of(button)
    assert raw.startswith(b"\xef\xbb\xbf"), "CSV downloads carry a UTF-8 BOM for Excel and WPS"
    return pd.read_csv(io.BytesIO(raw), encoding="utf-8-sig", dtype=str, keep_default_na=False)


def same_rows(shown: pd.DataFrame, csv: pd.DataFrame, columns: list[str]) -> None:
    """The downloaded CSV has the table's headers, its rows in its order, and its values."""
    assert list(csv.columns) == list(shown.columns)
    assert len(csv) == len(shown)
    for c in columns:
        assert list(csv[c]) == [str(v) for v in shown[c]], c


# ---- Department ---------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["zh", "en"])
def test_department_figures_equal_the_engine(detail_db, engine, monkeypatch, lang):
    at = page(detail_db, monkeypatch, "department", lang)
    assert at.title[0].value == text("nav_department", lang)
    # No department chosen in the sidebar: the first overall.
    assert at.selectbox(key="dept_detail").value == "丁局"
    at.selectbox(key="dept_detail").set_value("甲局").run()
    no_exception(at)
    shown = tiles(at)
    a = engine["dept"].loc["甲局"]
    for name in ("entry_rate", "online_rate", "early_completion_rate", "satisfaction_rate", "on_time_rate",
                 "time_compression", "avg_actual_days", "open_overdue_cases"):
        assert shown[label(name, lang)] == fmt(name, a[name], lang), name
    # The hand-computed values (tests/test_metrics_fixture.py).
    assert shown[label("on_time_rate", lang)] == "75.0%"
    assert shown[label("satisfaction_rate", lang)] == "66.7%"
    assert shown[label("open_overdue_cases", lang)] == "1"
    assert shown[label("entry_rate", lang)] == "66.7%"
    # Each tile says the centre's value and whether the target is met.
    notes = " ".join(m.value for m in at.main.markdown)
    assert f"{text('centre', lang)} {fmt('on_time_rate', engine['centre']['on_time_rate'], lang)}" in notes
    assert text("target_missed", lang) in notes


def test_department_trend_and_items_tables(detail_db, engine, monkeypatch):
    at = page(detail_db, monkeypatch, "department", "zh")
    at.selectbox(key="dept_detail").set_value("甲局").run()
    trend = table(at, text("col_period", "zh")).set_index(text("col_period", "zh"))
    assert len(trend) == 8 and trend.index[-1] == Q3 and trend.index[-2] == "2025Q2"
    for q, figures in engine["trend_a"].items():
        a = figures.loc["甲局"]
        assert trend.loc[q, f"{label('on_time_rate', 'zh')} %"] == pytest.approx(a["on_time_rate"] * 100)
        assert trend.loc[q, f"{label('satisfaction_rate', 'zh')} %"] == pytest.approx(a["satisfaction_rate"] * 100)
        assert trend.loc[q, label("open_overdue_cases", "zh")] == a["open_overdue_cases"]
    assert trend.loc[Q3, f"{label('on_time_rate', 'zh')} %"] == pytest.approx(75.0)
    # A quarter with nothing in it is empty (shown "—"), never 0.
    assert pd.isna(trend.loc["2024Q4", f"{label('on_time_rate', 'zh')} %"])

    items = table(at, text("col_item_code", "zh"), text("col_early_cases", "zh")).set_index(text("col_item_code", "zh"))
    expected = engine["items_a"].set_index("item_code")
    assert list(items.index) == list(expected.index)
    assert items.loc["I1", label("cases", "zh")] == 3
    assert items.loc["I1", text("col_early_cases", "zh")] == 1
    assert items.loc["I2", label("overdue_cases", "zh")] == 1
    assert items.loc["I1", f"{label('time_compression', 'zh')} %"] == pytest.approx(80.0)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_department_cases_behind_a_figure(detail_db, monkeypatch, downloads, lang):
    at = page(detail_db, monkeypatch, "department", lang)
    at.selectbox(key="dept_detail").set_value("甲局").run()
    at.selectbox(key="dept_cases_metric").set_value("on_time_rate").run()
    case_col = text("col_case_id", lang)
    count = text("cases_behind_count", lang)
    # Numerator: completed on time in Q3 (A1, A2, A4); denominator: with a deadline (+ A3).
    assert tiles(at)[count] == "3"
    assert list(table(at, case_col)[case_col]) == ["A1", "A2", "A4"]
    at.button_group(key="dept_cases_part_on_time_rate").set_value("denominator").run()
    no_exception(at)
    assert tiles(at)[count] == "4"
    cases = table(at, case_col)
    assert list(cases[case_col]) == ["A1", "A2", "A3", "A4"]
    # Codes are shown as words, and personal data never appears.
    assert set(cases[text("col_status", lang)]) == {text("val_status_completed", lang)}
    assert not any("申请人" in c or "电话" in c for c in cases.columns)
    same_rows(cases, csv_of(downloads, at, "dept_cases_csv"), [case_col, text("col_status", lang)])

    at.selectbox(key="dept_cases_metric").set_value("overdue_cases").run()
    assert tiles(at)[count] == "1"
    assert list(table(at, case_col)[case_col]) == ["A3"]


def test_a_long_case_list_shows_its_first_rows_and_downloads_every_case(detail_db, monkeypatch, downloads):
    """A page fetches only the rows it shows (a quarter of a large store holds millions of
    cases); the download fetches every case when it is clicked."""
    import pages.tables
    monkeypatch.setattr(pages.tables, "TABLE_ROWS", 2)
    at = page(detail_db, monkeypatch, "department", "en")
    at.selectbox(key="dept_detail").set_value("甲局").run()
    at.selectbox(key="dept_cases_metric").set_value("on_time_rate").run()
    at.button_group(key="dept_cases_part_on_time_rate").set_value("denominator").run()
    no_exception(at)
    case_col = text("col_case_id", "en")
    assert tiles(at)[text("cases_behind_count", "en")] == "4"
    assert list(table(at, case_col)[case_col]) == ["A1", "A2"]
    assert text("table_first_rows", "en", n="2", total="4") in [c.value for c in at.main.caption]
    assert list(csv_of(downloads, at, "dept_cases_csv")[case_col]) == ["A1", "A2", "A3", "A4"]


def test_a_case_list_that_counts_cases_takes_its_count_from_the_figures(detail_db, monkeypatch):
    """The overdue list's count is the figure's own (the per-day sums), not a second pass
    over the period's cases; the poor-ratings list, narrower than any figure, counts."""
    import streamlit as st
    from metrics import drilldown
    st.cache_data.clear()  # other tests of this process may have listed these cases already
    real, given = drilldown.cases_behind, []

    def spy(*args, **kwargs):
        given.append((args[2], kwargs.get("total")))
        return real(*args, **kwargs)

    monkeypatch.setattr(drilldown, "cases_behind", spy)
    page(detail_db, monkeypatch, "timeliness", "en")
    assert ("overdue_cases", 1) in given
    page(detail_db, monkeypatch, "satisfaction", "en")
    assert ("satisfaction_rate", None) in given


def test_department_default_is_the_first_selected(detail_db, monkeypatch):
    at = page(detail_db, monkeypatch, "department", "zh", depts=["乙局"])
    assert at.selectbox(key="dept_detail").value == "乙局"
    shown = tiles(at)
    assert shown[label("satisfaction_rate", "zh")] == "100.0%"
    # 乙局 has no catalogue item: its entry rate is undefined, and the page says why.
    assert shown[label("entry_rate", "zh")] == "—"
    assert any(text("dept_no_catalogue", "zh") in c.value for c in at.main.caption)


# ---- Timeliness -----------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["zh", "en"])
def test_timeliness_figures_and_overdue_list(detail_db, engine, monkeypatch, downloads, lang):
    at = page(detail_db, monkeypatch, "timeliness", lang)
    assert at.title[0].value == text("nav_timeliness", lang)
    shown = tiles(at)
    c = engine["centre"]
    for name in ("time_compression", "avg_actual_days", "avg_promised_days", "on_time_rate", "overdue_cases",
                 "open_overdue_cases"):
        assert shown[label(name, lang)] == fmt(name, c[name], lang), name
    assert shown[label("overdue_cases", lang)] == "1" and shown[label("open_overdue_cases", lang)] == "1"

    by_dept = table(at, text("col_dept", lang), f"{label('promise_compression', lang)} %").set_index(text("col_dept", lang))
    for dept in ("甲局", "乙局", "丙局", "丁局"):
        d = engine["dept"].loc[dept]
        assert by_dept.loc[dept, f"{label('time_compression', lang)} %"] == pytest.approx(d["time_compression"] * 100)
        assert by_dept.loc[dept, label("overdue_cases", lang)] == d["overdue_cases"]
    assert by_dept.loc["甲局", f"{label('on_time_rate', lang)} %"] == pytest.approx(75.0)

    # The days chart: a dashed line at each target, named in the legend in the line's colour,
    # and no label on the plot that could run into the department names.
    chart = next(c for c in at.main.get("plotly_chart") if "tl_days_chart" in c.proto.id)
    spec = json.loads(chart.proto.spec)
    lines = {s["x0"]: s["line"]["color"] for s in spec["layout"]["shapes"]}
    assert set(lines) == {1.5, 5}
    named = {tr["name"]: tr["line"]["color"] for tr in spec["data"] if tr.get("mode") == "lines"}
    assert named == {f"{text('target', lang)} ≤ 1.5": lines[1.5], f"{text('target', lang)} ≤ 5": lines[5]}
    assert not spec["layout"].get("annotations")

    overdue = table(at, text("col_elapsed_workdays", lang))
    case_col = text("col_case_id", lang)
    assert list(overdue[case_col]) == ["A3"]
    # The list's heading gives its count, which is the figure's.
    assert text("list_title", lang, title=text("tl_overdue_title", lang), n="1") in [h.value for h in at.subheader]
    assert overdue[text("col_due_date", lang)].iloc[0] == date(2025, 7, 7)
    same_rows(overdue, csv_of(downloads, at, "tl_overdue_csv"), [case_col])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_timeliness_supervision_board(detail_db, monkeypatch, downloads, lang):
    at = page(detail_db, monkeypatch, "timeliness", lang)
    # Default: the earlier of today and the last day of data (2025-10-09).
    assert at.date_input(key="as_of").value == date(2025, 10, 9)
    red, yellow = f":red[:material/error: {text('tl_red', lang)}]", \
        f":orange[:material/warning: {text('tl_yellow', lang)}]"

    at.date_input(key="as_of").set_value(date(2025, 9, 9)).run()
    no_exception(at)
    shown = tiles(at)
    assert (shown[red], shown[yellow]) == ("1", "0")
    warned = table(at, text("col_workdays_left", lang))
    assert list(warned[text("col_case_id", lang)]) == ["A6"]
    # The level is a red label on screen, its word in the download.
    assert [list(v) for v in warned[text("col_level", lang)]] == [[text("val_level_red", lang)]]
    # 甲局's card on the board: one red, no yellow.
    marks = [m.value for m in at.main.markdown]
    card = marks.index("**甲局**")
    assert marks[card + 1:card + 3] == ["## :red[1]", "## :gray[0]"]
    csv = csv_of(downloads, at, "tl_warning_csv")
    same_rows(warned, csv, [text("col_case_id", lang)])
    assert list(csv[text("col_level", lang)]) == [text("val_level_red", lang)]

    at.date_input(key="as_of").set_value(date(2025, 9, 5)).run()
    shown = tiles(at)
    assert (shown[red], shown[yellow]) == ("0", "1")
    warned = table(at, text("col_workdays_left", lang))
    assert [list(v) for v in warned[text("col_level", lang)]] == [[text("val_level_yellow", lang)]]
    assert list(warned[text("col_workdays_left", lang)]) == [1]

    at.date_input(key="as_of").set_value(date(2025, 9, 3)).run()
    assert (tiles(at)[red], tiles(at)[yellow]) == ("0", "0")
    assert [s.value for s in at.main.success] == [text("tl_no_warnings", lang, date="2025-09-03")]


def test_a_long_warning_list_shows_its_first_rows_counts_all_and_downloads_all(app_db, monkeypatch, downloads,
                                                                                tmp_path):
    """The board counts every open warning of the day and the list fetches the rows it shows;
    the download fetches every warning when clicked (the demo: ten warnings on 2025-06-30)."""
    import pages.tables
    from metrics import drilldown
    import shutil
    import duckdb
    shutil.copy(app_db, tmp_path / "copy.duckdb")  # app_db is open in this process under another configuration
    con = duckdb.connect(str(tmp_path / "copy.duckdb"), read_only=True)
    every = drilldown.open_warnings(con, date(2025, 6, 30))
    con.close()
    assert len(every) >= 8
    monkeypatch.setattr(pages.tables, "TABLE_ROWS", 2)
    at = page(app_db, monkeypatch, "timeliness", "en", quarter="2025Q2", as_of="2025-06-30")
    assert at.date_input(key="as_of").value == date(2025, 6, 30)
    red, yellow = f":red[:material/error: {text('tl_red', 'en')}]", f":orange[:material/warning: {text('tl_yellow', 'en')}]"
    shown = tiles(at)
    assert (int(shown[red]), int(shown[yellow])) == ((every["level"] == "red").sum(), (every["level"] == "yellow").sum())
    case_col = text("col_case_id", "en")
    assert list(table(at, text("col_workdays_left", "en"))[case_col]) == list(every["case_id"][:2])
    assert text("table_first_rows", "en", n="2", total=str(len(every))) in [c.value for c in at.main.caption]
    assert list(csv_of(downloads, at, "tl_warning_csv")[case_col]) == list(every["case_id"])


# ---- Satisfaction ---------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["zh", "en"])
def test_satisfaction_figures_and_poor_ratings(detail_db, engine, monkeypatch, downloads, lang):
    at = page(detail_db, monkeypatch, "satisfaction", lang)
    assert at.title[0].value == text("nav_satisfaction", lang)
    shown = tiles(at)
    c = engine["centre"]
    assert shown[label("satisfaction_rate", lang)] == fmt("satisfaction_rate", c["satisfaction_rate"], lang)
    assert shown[label("rating_coverage", lang)] == fmt("rating_coverage", c["rating_coverage"], lang)
    assert shown[text("col_ratings", lang)] == str(c.sums["ratings"]) == "11"
    assert shown[text("sat_poor_count", lang)] == "1"

    by_dept = table(at, text("col_ratings", lang)).set_index(text("col_dept", lang))
    a = engine["dept"].loc["甲局"]
    assert by_dept.loc["甲局", f"{label('satisfaction_rate', lang)} %"] == pytest.approx(200 / 3)
    assert by_dept.loc["甲局", f"{label('rating_coverage', lang)} %"] == pytest.approx(a["rating_coverage"] * 100)
    for r in range(1, 6):
        assert by_dept.loc["甲局", text(f"col_rating_{r}", lang)] == a[f"rating_{r}"]
    assert pd.isna(by_dept.loc["丁局", f"{label('satisfaction_rate', lang)} %"])  # no ratings: "—", not 0

    poor = table(at, text("col_rated_at", lang))
    assert list(poor[text("col_case_id", lang)]) == ["A3"]
    assert text("list_title", lang, title=text("sat_poor_title", lang), n="1") in [h.value for h in at.subheader]
    assert list(poor[text("col_rating", lang)]) == [f"2 · {text('val_rating_2', lang)}"]
    same_rows(poor, csv_of(downloads, at, "sat_poor_csv"), [text("col_case_id", lang), text("col_rating", lang)])


def plotly_array(a) -> list:
    """A trace's array as Plotly's JSON has it: a list, or a typed array ({dtype, bdata})."""
    if isinstance(a, dict) and "bdata" in a:
        import base64
        import numpy as np
        return np.frombuffer(base64.b64decode(a["bdata"]), dtype=a["dtype"]).tolist()
    return list(a)


def test_satisfaction_distribution_chart_draws_the_engine_counts(detail_db, engine, monkeypatch):
    at = page(detail_db, monkeypatch, "satisfaction", "zh")

    def bars():
        chart = next(c for c in at.main.get("plotly_chart") if "sat_distribution_chart" in c.proto.id)
        spec = json.loads(chart.proto.spec)
        return spec["layout"].get("barnorm"), {
            tr["name"]: dict(zip(plotly_array(tr["y"]), plotly_array(tr["x"]))) for tr in spec["data"]}

    norm, traces = bars()
    assert norm == "percent"
    for r in range(1, 6):
        counts = traces[f"{r} {text(f'val_rating_{r}', 'zh')}"]
        for dept, n in counts.items():
            assert n == engine["dept"].loc[dept, f"rating_{r}"], (r, dept)
    at.button_group(key="sat_scale").set_value("count").run()
    no_exception(at)
    assert bars()[0] in (None, "")


def test_pages_in_presentation_mode(detail_db, monkeypatch):
    for module in ("department", "timeliness", "satisfaction"):
        at = page(detail_db, monkeypatch, module, "zh", present="true")
        assert at.main.metric, module
        assert not at.main.get("download_button"), module  # no tables or downloads on the big screen
