"""The frame every page shares: filters bound to the URL that survive page switches,
the data's freshness, the guide on an empty store, a period without cases, labels in two
languages, presentation mode."""

from __future__ import annotations

from pathlib import Path


from conftest_app import GAP_CSV, ROOT, goto, no_exception, open_app

SOURCES = ["dashboard.py", *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "pages").rglob("*.py"))]


def _engine(db: Path):
    from metrics.store import connect
    return connect(db)


# ---- the view ---------------------------------------------------------------------------

def test_default_view_is_latest_complete_quarter_and_freshness_is_shown(app_db, monkeypatch):
    from metrics.drilldown import data_freshness
    from metrics.periods import latest_complete_quarter
    con = _engine(app_db)
    fresh = data_freshness(con)
    at = open_app(app_db, monkeypatch)
    no_exception(at)
    q = latest_complete_quarter(fresh["data_through"])
    assert at.selectbox(key="quarter").value == q.label
    assert at.selectbox(key="lang").value == "中文"
    assert at.session_state["view"].period == q
    top = at.main.caption[0].value
    assert f"数据截至 {fresh['data_through'].isoformat()}" in top
    assert fresh["last_import_at"].strftime("%Y-%m-%d %H:%M") in top
    assert q.label in top


def test_filters_survive_page_switches(app_db, monkeypatch):
    at = open_app(app_db, monkeypatch)
    quarters = at.selectbox(key="quarter").options
    older = quarters[2]
    depts = at.multiselect(key="depts").options[:2]
    at.selectbox(key="quarter").select(older).run()
    at.multiselect(key="depts").set_value(depts).run()
    at.selectbox(key="lang").select("English").run()
    no_exception(at)
    for page in ("rankings", "glossary", "data", "overview", "rankings"):
        goto(at, page)
        no_exception(at)
        assert at.selectbox(key="quarter").value == older, page
        assert at.multiselect(key="depts").value == depts, page
        assert at.selectbox(key="lang").value == "English", page
        view = at.session_state["view"]
        assert (view.period.label, list(view.depts), view.lang) == (older, depts, "en"), page
    # The ranking lists the chosen departments only.
    assert sorted(at.dataframe[0].value["Department"]) == sorted(depts)


def test_language_change_keeps_the_period_and_relabels(app_db, monkeypatch):
    at = open_app(app_db, monkeypatch)
    older = at.selectbox(key="quarter").options[1]
    at.selectbox(key="quarter").select(older).run()
    at.selectbox(key="lang").select("English").run()
    assert at.selectbox(key="quarter").value == older
    assert at.title[0].value == "Overview"
    assert "Data through" in at.main.caption[0].value
    at.selectbox(key="lang").select("中文").run()
    assert at.title[0].value == "总览"


def test_language_change_keeps_the_period_kind(app_db, monkeypatch):
    # The kind's label changes with the language; the chosen kind must not.
    at = open_app(app_db, monkeypatch)
    at.selectbox(key="kind").select("month").run()
    month = at.selectbox(key="month").options[1]
    at.selectbox(key="month").select(month).run()
    at.selectbox(key="lang").select("English").run()
    no_exception(at)
    assert at.session_state["view"].period.label == month
    assert at.selectbox(key="kind").value == "month"


def test_period_kinds_month_year_range(app_db, monkeypatch):
    from metrics.drilldown import data_freshness
    from pages.view import default_period
    last = data_freshness(_engine(app_db))["data_through"]
    at = open_app(app_db, monkeypatch)
    at.selectbox(key="kind").select("month").run()
    assert at.session_state["view"].period == default_period("month", last)
    at.selectbox(key="kind").select("year").run()
    assert at.session_state["view"].period == default_period("year", last)
    at.selectbox(key="kind").select("range").run()
    no_exception(at)
    p = at.session_state["view"].period
    assert p.kind == "range" and (p.start, p.end) == (default_period("quarter", last).start,
                                                     default_period("quarter", last).end)
    assert f"{p.start.isoformat()} 至 {p.end.isoformat()}" in at.main.caption[0].value


def test_url_parameters_reproduce_a_view(app_db, monkeypatch):
    at = open_app(app_db, monkeypatch)
    older = at.selectbox(key="quarter").options[3]
    dept = at.multiselect(key="depts").options[0]
    link = open_app(app_db, monkeypatch, query={"lang": "English", "quarter": older, "depts": [dept]})
    no_exception(link)
    view = link.session_state["view"]
    assert (view.lang, view.period.label, view.depts) == ("en", older, (dept,))


# ---- empty store, empty period --------------------------------------------------------------

def test_empty_store_guides_every_page_but_data_to_the_data_page(empty_db, monkeypatch):
    from pages.navigation import PAGE_SPECS
    at = open_app(empty_db, monkeypatch)
    no_exception(at)
    for spec in PAGE_SPECS:
        goto(at, spec.url_path)
        no_exception(at)
        guide = [i.value for i in at.info if "数据管理" in i.value]
        if spec.url_path == "data":  # the Data page itself, not the guide
            assert at.title[0].value != "政务服务中心绩效看板"
            continue
        assert guide == ["还没有数据：请到“数据管理”页导入办件日志。"], spec.url_path
        assert [p.proto.page for p in at.main.get("page_link")] != [], spec.url_path
        assert "数据截至 —" in at.main.caption[0].value


def test_a_period_without_cases_says_so(gap_db, monkeypatch):
    at = open_app(gap_db, monkeypatch)
    assert at.selectbox(key="quarter").options == ["2025Q3", "2025Q2", "2025Q1"]
    assert at.selectbox(key="quarter").value == "2025Q2"  # the latest complete quarter, though empty
    no_exception(at)
    assert [i.value for i in at.info] == ["2025Q2 没有办件。"]
    assert not at.main.metric  # no tiles of dashes
    goto(at, "rankings")
    assert [i.value for i in at.info] == ["2025Q2 没有办件。"]
    at.selectbox(key="quarter").select("2025Q3").run()
    assert not at.info
    assert len(at.dataframe[0].value) == 2
    goto(at, "overview")  # no catalogue in this store: the entry rate says why it is missing
    assert at.main.metric[0].value == "—"
    assert "需要事项目录：尚未导入，故无法计算。" in [c.value for c in at.main.caption]


def test_years_the_holiday_calendar_does_not_cover_are_named(tmp_path, monkeypatch):
    from metrics.ingest import import_file
    from metrics.store import connect
    csv = GAP_CSV.replace("2025-07-07", "2031-07-07").replace("2025-07-08", "2031-07-08") \
                 .replace("2025-07-10", "2031-07-10")
    (tmp_path / "future.csv").write_text(csv, encoding="utf-8")
    con = connect(tmp_path / "future.duckdb")
    import_file(con, tmp_path / "future.csv", kind="cases")
    con.close()
    at = open_app(tmp_path / "future.duckdb", monkeypatch, query={"kind": "年度", "year": "2031"})
    no_exception(at)
    assert at.session_state["view"].period.label == "2031"
    assert any("2031 年不在节假日日历覆盖范围内" in w.value for w in at.warning)
    at.selectbox(key="year").select("2025").run()
    assert not any("日历覆盖" in w.value for w in at.warning)


# ---- presentation mode --------------------------------------------------------------------

def _has_presentation_css(at) -> bool:
    return any(m.value.startswith("<style>") and "stSidebar" in m.value for m in at.markdown)


def test_presentation_mode_from_url_and_toggle_and_way_out(app_db, monkeypatch):
    at = open_app(app_db, monkeypatch, query={"present": "true"})
    no_exception(at)
    assert at.session_state["view"].presentation
    assert _has_presentation_css(at)
    assert at.button(key="exit_present").label == "退出演示"
    assert "数据截至" in at.main.caption[0].value  # freshness stays visible

    at = open_app(app_db, monkeypatch)
    assert not _has_presentation_css(at)
    at.toggle(key="present").set_value(True).run()
    assert _has_presentation_css(at)
    goto(at, "rankings")
    assert _has_presentation_css(at) and not at.download_button  # the wall shows no downloads
    at.button(key="exit_present").click().run()
    no_exception(at)
    assert not at.session_state["view"].presentation and not _has_presentation_css(at)
    assert at.download_button


def test_presentation_css_is_static():
    # Only fixed text goes into the one unsafe_allow_html call: no value is formatted into it.
    src = (ROOT / "pages" / "presentation.py").read_text(encoding="utf-8")
    assert src.count("unsafe_allow_html=True") == 1
    assert "st.markdown(_CSS, unsafe_allow_html=True)" in src
    others = [s for s in SOURCES if s != "pages/presentation.py"]
    assert not any("unsafe_allow_html" in (ROOT / s).read_text(encoding="utf-8") for s in others)


def test_slideshow_shows_the_slides_on_one_address(app_db, monkeypatch):
    at = open_app(app_db, monkeypatch, query={"present": "true", "advance": "30"})
    no_exception(at)
    assert at.session_state["view"].slides == ("overview", "rankings")
    assert at.title[0].value == "总览"
    opened = at._finished_page_script_hash
    at.session_state["_slide"] = 1  # what the timer does when the slide's time is up
    at.run()
    no_exception(at)
    assert at.title[0].value == "部门排名"
    assert at._finished_page_script_hash == opened  # still the address that was opened
    at.session_state["_slide"] = 2
    at.run()
    assert at.title[0].value == "总览"


# ---- caches -------------------------------------------------------------------------------

def test_a_rebuilt_store_gets_a_new_data_version(tmp_path, monkeypatch, app_db, gap_db):
    # Both stores were filled by their own imports 1, 2…: the version must still differ,
    # or one store's cached figures would be served for the other.
    from pages import queries
    monkeypatch.setenv("METRICS_DB", str(app_db))
    queries.begin_run()  # the version is read once per run of the script
    v1 = queries.data_version()
    assert queries.data_version() == v1
    monkeypatch.setenv("METRICS_DB", str(gap_db))
    queries.begin_run()
    v2 = queries.data_version()
    assert v1 != v2
