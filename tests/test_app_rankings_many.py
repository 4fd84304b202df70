"""Rankings with many departments: the top and bottom N in the chart, a search that finds
any department with its rank, and the table a page at a time (issue 11: 50,000 departments
drew 50,000 bars). A real store of 2,000 departments, imported by the real importer; the
page run by AppTest and compared with the engine's ranking."""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest

from conftest_app import goto, no_exception, open_app

N_DEPTS = 2000


def dept(i: int) -> str:
    return f"部门{i:04d}"


@pytest.fixture(scope="module")
def many_db(tmp_path_factory):
    """2,000 departments, 3 to 12 cases each in 2025Q3 (ranked from 3 cases: dashboard.toml
    says so). Department i has n = 3 + i % 10 cases, i % (n + 1) of them online and
    (i // 7) % (n + 1) rated 5 (the others 1), so the scores spread over some hundreds of
    values, with ties, as real ones do."""
    from metrics.ingest import import_file
    from metrics.store import connect
    d = tmp_path_factory.mktemp("many")
    lines = ["办件编号,办理部门,事项编码,办件类型,申报方式,受理时间,办结时间,承诺时限,评价等级,评价时间,办件状态"]
    for i in range(1, N_DEPTS + 1):
        n = 3 + i % 10
        for k in range(n):
            channel = "网上申报" if k < i % (n + 1) else "窗口受理"
            rating = "5" if k < (i // 7) % (n + 1) else "1"
            lines.append(f"C{i}-{k},{dept(i)},I1,承诺件,{channel},2025-07-{k + 1:02d} 09:00,2025-07-{k + 2:02d} 09:00,"
                         f"3,{rating},2025-07-{k + 3:02d} 09:00,办结")
    (d / "cases.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (d / "dashboard.toml").write_text("min_cases = 3\n", encoding="utf-8")
    con = connect(d / "many.duckdb")
    ledger = import_file(con, d / "cases.csv", kind="cases")
    con.close()
    assert ledger.accepted == sum(3 + i % 10 for i in range(1, N_DEPTS + 1))
    return d


@pytest.fixture(scope="module")
def engine(many_db):
    from metrics.periods import parse_period
    from metrics.ranking import ranking
    from metrics.store import connect
    con = connect(many_db / "many.duckdb")   # closed before the app opens the store
    try:
        return ranking(con, parse_period("2025Q3"), min_cases=3)
    finally:
        con.close()


def page(many_db, monkeypatch):
    monkeypatch.setenv("METRICS_CONFIG", str(many_db / "dashboard.toml"))
    at = open_app(many_db / "many.duckdb", monkeypatch, query={"lang": "English", "period": "2025Q3"},
                  timeout=120)
    goto(at, "rankings")
    no_exception(at)
    return at


def chart(at) -> dict:
    spec = json.loads(next(c for c in at.main.get("plotly_chart") if "ranking_chart" in c.proto.id).proto.spec)
    bar = spec["data"][0]
    return {"y": list(bar["y"]), "colour": list(bar["marker"]["color"])}


def labels(rows: pd.DataFrame) -> list[str]:
    return [f"{r}. {d}" for r, d in zip(rows["rank"], rows["dept"])]


def table(at) -> pd.DataFrame:
    return at.dataframe[0].value


def test_the_chart_shows_the_top_and_bottom_n_and_the_table_a_page(many_db, engine, monkeypatch):
    assert len(engine) == N_DEPTS and engine["ranked"].all()
    at = page(many_db, monkeypatch)
    assert at.number_input(key="rk_focus_n").value == 20
    bars = chart(at)
    # 20 + the gap + 20, not 2,000 bars; the gap names the ranks left out.
    top, bottom = engine.iloc[:20], engine.iloc[-20:]
    gap = f"⋯ ranks {engine['rank'].iloc[20]:,}–{engine['rank'].iloc[-21]:,} ⋯"
    assert bars["y"] == [*labels(top), gap, *labels(bottom)]
    assert "2,000 departments are ranked: the chart shows the top 20 and the bottom 20" in \
        " ".join(c.value for c in at.caption)
    # The table: 100 rows at a time, in the engine's order, with their ranks.
    shown = table(at)
    assert list(shown["Department"]) == list(engine["dept"].iloc[:100])
    assert list(shown["Rank"]) == list(engine["rank"].iloc[:100])
    assert "Rows 1–100 of 2,000. Turn the page, or find a department above." in [c.value for c in at.caption]
    at.number_input(key="rk_page").set_value(20).run()
    no_exception(at)
    assert list(table(at)["Department"]) == list(engine["dept"].iloc[1900:])
    assert "Rows 1,901–2,000 of 2,000. Turn the page, or find a department above." in [c.value for c in at.caption]
    at.number_input(key="rk_focus_n").set_value(5).run()
    no_exception(at)
    assert chart(at)["y"] == [*labels(engine.iloc[:5]), f"⋯ ranks {engine['rank'].iloc[5]:,}–"
                              f"{engine['rank'].iloc[-6]:,} ⋯", *labels(engine.iloc[-5:])]


def test_a_search_finds_any_department_with_its_rank(many_db, engine, monkeypatch):
    at = page(many_db, monkeypatch)
    wanted = engine.set_index("dept").loc[dept(1234)]
    at.text_input(key="rk_search").set_value("1234").run()
    no_exception(at)
    shown = table(at)
    assert list(shown["Department"]) == [dept(1234)] and list(shown["Rank"]) == [wanted["rank"]]
    assert shown["Cases"].tolist() == [3 + 1234 % 10]
    # In the chart too, in the found colour, between the top and the bottom 20 with a gap each side.
    bars = chart(at)
    label = f"{wanted['rank']}. {dept(1234)}"
    assert bars["y"][21] == label and len(bars["y"]) == 43
    assert bars["y"][20].startswith("⋯ ranks") and bars["y"][22].startswith("⋯ ranks")
    assert bars["colour"][21] == "#ef8f00" and "#ef8f00" not in bars["colour"][:21]
    assert "Departments whose name contains “1234”: 1, in the table below and orange in the chart." in \
        [c.value for c in at.caption]

    at.text_input(key="rk_search").set_value("部门1").run()   # 部门1000 … 部门1999
    no_exception(at)
    found = engine[engine["dept"].str.startswith("部门1")]
    assert len(found) == 1000 and list(table(at)["Department"]) == list(found["dept"].iloc[:100])
    assert ("Departments whose name contains “部门1”: 1,000, in the table below and orange in the chart. "
            "The table lists the first 100: type more of the name.") in [c.value for c in at.caption]

    at.text_input(key="rk_search").set_value("no such office").run()
    no_exception(at)
    assert [i.value for i in at.info] == ["No department's name contains “no such office”."]
    assert table(at).empty


def test_the_wall_shows_the_top_and_bottom_20_on_two_slides(many_db, engine, monkeypatch):
    monkeypatch.setenv("METRICS_CONFIG", str(many_db / "dashboard.toml"))
    at = open_app(many_db / "many.duckdb", monkeypatch, timeout=120,
                  query={"lang": "English", "period": "2025Q3", "present": "true", "advance": "0"})
    goto(at, "rankings")
    shown = []
    for _ in range(2):
        no_exception(at)
        assert "2" in [m.value.split("/")[-1] for m in at.markdown if "/" in m.value]   # "1/2", "2/2"
        for c in at.main.get("plotly_chart"):
            shown += json.loads(c.proto.spec)["data"][0]["y"]
        at.button(key="slide_next").click().run()
    assert shown == [*labels(engine.iloc[:20]), *labels(engine.iloc[-20:])]


def test_few_departments_keep_every_bar_and_the_whole_table(app_db, monkeypatch):
    at = open_app(app_db, monkeypatch, query={"lang": "English"})
    goto(at, "rankings")
    no_exception(at)
    assert not at.main.text_input and not at.main.number_input   # 40 departments: no search, no pages
    ranked = table(at)[table(at)["Rank"].notna()]
    assert len(chart(at)["y"]) == len(ranked) > 20


def test_in_a_browser_the_search_finds_a_department_at_1920x1080(many_db, engine, monkeypatch, tmp_path):
    from pathlib import Path

    from tests.browser_util import CHROMIUM, VIEWPORT, browser, dashboard_server, goto as visit, main_text, \
        page_url, shoot, wait_ready
    if not Path(CHROMIUM).exists():
        pytest.skip("no Chromium")
    monkeypatch.setenv("METRICS_CONFIG", str(many_db / "dashboard.toml"))   # the server inherits it
    wanted = engine.set_index("dept").loc[dept(1234)]
    # A store of its own: the AppTest sessions above hold theirs open in this process.
    db = tmp_path / "many.duckdb"
    shutil.copy(many_db / "many.duckdb", db)
    with dashboard_server(db, timeout=120) as base, browser() as b:
        page = b.new_page(viewport=VIEWPORT)
        visit(page, page_url(base, "rankings", "?lang=English&period=2025Q3"))
        box = page.locator(".st-key-rk_search input")
        box.fill("1234")
        box.press("Enter")
        page.wait_for_timeout(300)
        wait_ready(page)
        text = main_text(page)
        assert "Departments whose name contains “1234”: 1" in text
        # Its bar is in the chart: its rank and name on the axis (SVG text).
        assert page.locator("[data-testid='stPlotlyChart'] .ytick text",
                            has_text=f"{wanted['rank']}. {dept(1234)}").count() == 1
        assert page.locator("[data-testid='stPlotlyChart'] .ytick text").count() == 43
        shoot(page, "rankings_many_search_1920x1080")


@pytest.mark.parametrize("page_name, sort_by, ascending, charts_of", [
    ("timeliness", "time_compression", True, ("tl_days_chart", "tl_compression_chart")),
    ("satisfaction", "satisfaction_rate", True, ("sat_distribution_chart",)),
])
def test_other_pages_chart_the_first_60_and_table_every_department(many_db, monkeypatch, page_name, sort_by,
                                                                    ascending, charts_of):
    """Timeliness and Satisfaction with 2,000 departments: their charts draw the 60 that need
    attention most (the page's own order) and say so; their tables keep all 2,000."""
    from pages.charts import CHART_DEPTS
    at = page(many_db, monkeypatch)
    goto(at, page_name)
    no_exception(at)
    assert CHART_DEPTS == 60
    assert ("The chart shows the 60 departments most in need of attention (2,000 in all); the table below has "
            "every department, or choose departments in the sidebar.") in [c.value for c in at.caption]
    for key in charts_of:
        spec = json.loads(next(c for c in at.main.get("plotly_chart") if key in c.proto.id).proto.spec)
        names = {v for trace in spec["data"] for v in (trace.get("y") or []) if str(v).startswith("部门")}
        assert len(names) == 60, (key, len(names))
    full = max((d.value for d in at.main.dataframe), key=len)
    assert len(full) == N_DEPTS
