"""Every page's address and the view's parameters: aliases, `?period=`, and the one place
Streamlit's private API is used (serve.py) with the version it was checked against."""

from __future__ import annotations

import inspect

import pytest

from conftest_app import ROOT, goto, no_exception, open_app


def test_no_page_address_is_the_name_of_a_file_in_pages():
    # Streamlit's folder-of-pages mode (every AppTest run, the first request of a bare
    # `streamlit run`) runs pages/<address>.py instead of dashboard.py.
    from pages.navigation import ALIASES, FILE_NAMED, PAGE_SPECS
    stems = {p.stem for p in (ROOT / "pages").glob("*.py")}
    assert not [s.url_path for s in PAGE_SPECS if s.url_path in stems]
    assert {a for a in ALIASES if a in stems} == FILE_NAMED
    assert len(PAGE_SPECS) == 8 and not set(ALIASES) & {s.url_path for s in PAGE_SPECS}
    for spec in PAGE_SPECS:
        assert (ROOT / (spec.module.replace(".", "/") + ".py")).is_file(), spec.module


def test_canonical_names_every_address_and_nothing_else():
    from pages.navigation import canonical
    assert canonical("rankings") == canonical("/ranking") == canonical("ranking/") == "rankings"
    assert canonical("home") == canonical("overview") == "overview"
    assert canonical("definitions") == canonical("glossary") == "glossary"
    assert canonical("dept") == "department" and canonical("monitoring") == "timeliness"
    assert canonical("nonsense") is None and canonical("") is None


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
    # pages/view.py's example: the period kind by its label in the page's language.
    at = open_app(app_db, monkeypatch, query={"lang": "English", "kind": "Month", "month": "2025-11"})
    no_exception(at)
    view = at.session_state["view"]
    assert (view.lang, view.period.kind, view.period.label) == ("en", "month", "2025-11")
