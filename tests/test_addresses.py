"""Every page's address and the view's parameters: aliases, `?period=`, `kind` and `slides` in
any form people write, and the one place Streamlit's private API is used (serve.py) with the
version it was checked against. An unknown address and a bare `streamlit run` are opened in
a browser: tests/test_browser_addresses.py."""

from __future__ import annotations

import inspect

import pytest

from conftest_app import ROOT, goto, no_exception, open_app


def test_no_address_is_the_name_of_a_file_in_pages():
    # Streamlit's folder-of-pages mode (every AppTest run, the first request of a bare
    # `streamlit run`) runs pages/<address>.py instead of dashboard.py: /definitions did, while
    # the Definitions page was pages/definitions.py. Every page module is in pages/screens/.
    from pages.navigation import ALIASES, PAGE_SPECS
    stems = {p.stem for p in (ROOT / "pages").glob("*.py")}
    assert "access" in stems and "screens" not in stems  # the glob still sees the package's files
    addresses = {s.url_path for s in PAGE_SPECS} | set(ALIASES)
    assert not addresses & stems, addresses & stems
    assert len(PAGE_SPECS) == 8 and not set(ALIASES) & {s.url_path for s in PAGE_SPECS}
    for spec in PAGE_SPECS:
        assert spec.module.startswith("pages.screens."), spec.module
        assert (ROOT / (spec.module.replace(".", "/") + ".py")).is_file(), spec.module


def test_canonical_names_every_address_and_nothing_else():
    from pages.navigation import canonical
    assert canonical("rankings") == canonical("/ranking") == canonical("ranking/") == "rankings"
    assert canonical("home") == canonical("overview") == "overview"
    assert canonical("definitions") == canonical("glossary") == "glossary"
    assert canonical("dept") == "department" and canonical("monitoring") == "timeliness"
    assert canonical("nonsense") is None and canonical("") is None


@pytest.mark.parametrize("url,unknown", [
    ("http://127.0.0.1:8501/no-such-page", "no-such-page"), ("http://h/Rankings/", "Rankings"),
    ("http://h/", None), ("http://h/rankings", None), ("http://h/home", None),  # Streamlit knows these
    ("http://h/start", None),          # the default page's own key: Streamlit's to answer
    ("http://h/a/b", None), ("http://h/%E6%80%BB%E8%A7%88", None), ("http://h/..", None),  # no page's path
    (None, None),                      # no browser (AppTest)
])
def test_the_address_of_a_request_that_names_no_page(monkeypatch, url, unknown):
    import types

    import streamlit as st

    from pages import navigation
    monkeypatch.setattr(st, "context", types.SimpleNamespace(url=url))
    assert navigation.unknown_address() == unknown
    if unknown:  # it opens the page it names in other capitals, else Overview, as a hidden page
        assert navigation.canonical(unknown) == ("rankings" if unknown == "Rankings" else None)


def test_the_address_behind_a_base_path(monkeypatch):
    import types

    import streamlit as st

    from pages import navigation
    monkeypatch.setattr(st, "context", types.SimpleNamespace(url="http://h/dash/board/nonsense"))
    monkeypatch.setattr(navigation.st, "get_option", lambda name: "dash/board")
    assert navigation.unknown_address() == "nonsense"


def test_serve_ends_folder_of_pages_mode_on_the_streamlit_it_was_checked_with(tmp_path, monkeypatch):
    import streamlit
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.runtime.scriptrunner import script_runner

    import serve
    assert streamlit.__version__ == serve.CHECKED_WITH, (
        f"Streamlit {streamlit.__version__}: serve.py sets PagesManager.uses_pages_directory, a private "
        f"attribute checked with {serve.CHECKED_WITH}. Check that a fresh server still opens /rankings?… "
        "(tests/test_browser.py) and that the attribute still decides the mode, then update CHECKED_WITH.")
    # The attribute still decides the mode: the script runner asks it before every run…
    assert "PagesManager.uses_pages_directory" in inspect.getsource(script_runner)
    # …and a pages manager, built for a script with a `pages/` folder beside it, keeps it False.
    monkeypatch.setattr(PagesManager, "uses_pages_directory", None)
    (tmp_path / "pages").mkdir()
    (tmp_path / "app.py").write_text("", encoding="utf-8")
    PagesManager(str(tmp_path / "app.py"))
    assert PagesManager.uses_pages_directory is True  # what happens without serve.py
    monkeypatch.setattr(PagesManager, "uses_pages_directory", None)
    serve.end_folder_of_pages_mode()
    PagesManager(str(tmp_path / "app.py"))
    assert PagesManager.uses_pages_directory is False


@pytest.mark.parametrize("alias,title", [("home", "总览"), ("overview", "总览"), ("ranking", "部门排名"),
                                         ("dept", "部门详情"), ("monitoring", "时效监察"), ("ratings", "好差评")])
def test_older_addresses_open_their_pages(app_db, monkeypatch, alias, title):
    at = open_app(app_db, monkeypatch)
    goto(at, alias)
    no_exception(at)
    assert at.title[0].value == title


@pytest.mark.parametrize("period,kind,label", [("2025Q4", "quarter", "2025Q4"), ("2025-11", "month", "2025-11"),
                                               ("2025", "year", "2025")])
def test_period_parameter_sets_the_view(app_db, monkeypatch, period, kind, label):
    at = open_app(app_db, monkeypatch, query={"period": period})
    no_exception(at)
    view = at.session_state["view"]
    assert (view.period.kind, view.period.label) == (kind, label)
    assert at.selectbox(key=kind).value == label
    assert "period" not in at.query_params  # the pickers' own parameters carry it from here
    assert at.query_params[kind] in (label, [label])  # the address keeps the period
    assert not at.warning


def test_period_parameter_as_a_range_and_a_bad_one(app_db, monkeypatch):
    at = open_app(app_db, monkeypatch, query={"period": "2025-07-01..2025-08-15", "lang": "English"})
    no_exception(at)
    view = at.session_state["view"]
    assert (view.period.kind, view.period.start.isoformat(), view.period.end.isoformat()) == \
        ("range", "2025-07-01", "2025-08-15")
    at = open_app(app_db, monkeypatch, query={"period": "2025Q5", "lang": "English"})
    no_exception(at)
    assert [w.value for w in at.sidebar.warning] == [
        'The period "2025Q5" in the address is not understood: write 2025Q3, 2025-07, 2025 or '
        "2025-07-01..2025-09-30."]
    assert at.session_state["view"].period.kind == "quarter"  # the default view instead


def test_the_address_in_the_view_docstring_is_honoured(app_db, monkeypatch):
    # pages/view.py's example: the period kind by its code.
    at = open_app(app_db, monkeypatch, query={"lang": "English", "kind": "month", "month": "2025-11"})
    no_exception(at)
    view = at.session_state["view"]
    assert (view.lang, view.period.kind, view.period.label) == ("en", "month", "2025-11")


def _values(at, key: str) -> list[str]:
    """A parameter of the app's address, as a list (AppTest gives one value as a string)."""
    if key not in at.query_params:
        return []
    value = at.query_params[key]
    return [value] if isinstance(value, str) else list(value)


@pytest.mark.parametrize("kind,lang", [("month", "中文"), ("MONTH", "中文"), ("Month", "中文"), ("月份", "English"),
                                       (" month ", "English")])
def test_kind_is_understood_as_a_code_or_a_label_in_any_case(app_db, monkeypatch, kind, lang):
    # `?kind=month` (the code) was dropped: the bound widget took only its shown label.
    at = open_app(app_db, monkeypatch, query={"kind": kind, "month": "2025-11", "lang": lang})
    no_exception(at)
    view = at.session_state["view"]
    assert (view.period.kind, view.period.label) == ("month", "2025-11")
    assert at.selectbox(key="kind").value == "month"
    assert _values(at, "kind") == ["month"]  # the page writes the code, whatever it was given


def test_an_unknown_kind_is_dropped_and_the_default_used(app_db, monkeypatch):
    at = open_app(app_db, monkeypatch, query={"kind": "weekly"})
    no_exception(at)
    assert at.session_state["view"].period.kind == "quarter"
    assert _values(at, "kind") == []


def test_the_kind_picked_in_the_sidebar_replaces_the_addresss(app_db, monkeypatch):
    at = open_app(app_db, monkeypatch, query={"kind": "Month", "month": "2025-11"})
    at.selectbox(key="kind").select("year").run()
    no_exception(at)
    assert at.session_state["view"].period.kind == "year" and _values(at, "kind") == ["year"]
    at.selectbox(key="kind").select("quarter").run()  # the default: left out of the address
    assert at.session_state["view"].period.kind == "quarter" and _values(at, "kind") == []
    at.run()
    assert at.session_state["view"].period.kind == "quarter"


def test_period_parameter_writes_the_kind_as_its_code(app_db, monkeypatch):
    at = open_app(app_db, monkeypatch, query={"period": "2025-11", "kind": "Year", "lang": "English"})
    no_exception(at)
    assert at.session_state["view"].period.label == "2025-11"  # `period` says more than `kind`
    assert _values(at, "kind") == ["month"] and _values(at, "month") == ["2025-11"]


@pytest.mark.parametrize("slides,shown", [
    (["home", "monitoring"], ("overview", "timeliness")),      # the names of earlier versions
    (["Rankings", "DEFINITIONS", "ratings"], ("rankings", "glossary", "satisfaction")),
    (["home", "overview", "nonsense", "supervision"], ("overview", "supervision")),  # once each; unknown left out
])
def test_old_slide_names_are_mapped_to_their_pages(app_db, monkeypatch, slides, shown):
    at = open_app(app_db, monkeypatch, query={"present": "true", "slides": slides})
    no_exception(at)
    assert at.session_state["view"].slides == shown
    assert _values(at, "slides") == list(shown)  # the address now says it with today's names


def test_slides_that_are_the_default_or_name_nothing_leave_the_address(app_db, monkeypatch):
    from pages.navigation import DEFAULT_SLIDES
    at = open_app(app_db, monkeypatch, query={"slides": ["home", "ranking"]})
    no_exception(at)
    assert at.session_state["view"].slides == DEFAULT_SLIDES and _values(at, "slides") == []
    at = open_app(app_db, monkeypatch, query={"slides": ["nonsense"]})
    assert at.session_state["view"].slides == DEFAULT_SLIDES and _values(at, "slides") == []
    at.multiselect(key="slides").select("data").run()
    assert at.session_state["view"].slides == (*DEFAULT_SLIDES, "data")
    assert _values(at, "slides") == [*DEFAULT_SLIDES, "data"]
