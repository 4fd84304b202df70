"""Sign-in and roles on every page (issue 11, part 1), through Streamlit's AppTest on the demo
store: in accounts mode an anonymous visitor sees the sign-in only, whatever the address; a
viewer has no Data page; a department user's case lists hold its own department only; the
audit trail records sign-ins; open mode says there is no sign-in."""

from __future__ import annotations

import pytest

from metrics import audit, auth
from metrics.store import connect
from tests.conftest_app import open_app

PASSWORD = "correct horse battery"
PAGES = ["overview", "rankings", "department", "timeliness", "satisfaction", "data", "glossary"]


@pytest.fixture(scope="module")
def users(app_db, tmp_path_factory):
    """Accounts-mode settings on the demo store, with one user of each role."""
    config = tmp_path_factory.mktemp("accounts") / "dashboard.toml"
    config.write_text('[auth]\nmode = "accounts"\n', encoding="utf-8")
    con = connect(app_db)
    depts = [d for (d,) in con.execute("SELECT dept FROM cases GROUP BY dept ORDER BY count(*) DESC LIMIT 2").fetchall()]
    con.close()
    access = audit.open_access(app_db)
    for name, role, dept in [("vera", "viewer", None), ("dora", "department", depts[0]), ("carl", "clerk", None)]:
        if name not in {u.name for u in auth.list_users(access)}:
            auth.add_user(access, name, role, PASSWORD, dept, actor="test")
    access.close()
    return {"config": config, "own": depts[0], "other": depts[1]}


def accounts_app(app_db, users, monkeypatch, **kw):
    monkeypatch.setenv("METRICS_CONFIG", str(users["config"]))
    return open_app(app_db, monkeypatch, **kw)


def sign_in(at, name, password=PASSWORD):
    at.text_input(key="sign_in_name").input(name)
    at.text_input(key="sign_in_password").input(password)
    at.button[0].click().run()
    return at


def shown_text(at) -> str:
    parts = [e.value for e in [*at.title, *at.markdown, *at.caption, *at.info, *at.error, *at.warning]]
    return "\n".join(str(p) for p in parts)


@pytest.mark.parametrize("url_path", ["", "rankings", "data", "department", "timeliness"])
def test_an_anonymous_visitor_sees_the_sign_in_only(app_db, users, monkeypatch, url_path):
    from streamlit.testing.v1 import AppTest
    from tests.conftest_app import DASHBOARD
    from streamlit.util import calc_hash
    monkeypatch.setenv("METRICS_CONFIG", str(users["config"]))
    monkeypatch.setenv("METRICS_DB", str(app_db))
    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    if url_path:
        at._page_hash = calc_hash(url_path)  # the address asked for, as the browser asks
    at.run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Sign in · Service-centre performance dashboard"] or \
        [t.value for t in at.title] == ["登录 · 政务服务中心绩效看板"]
    assert [w.key for w in at.text_input] == ["sign_in_name", "sign_in_password"]
    # Nothing of the data: no tile, table, chart, filter or page link.
    assert not at.metric and not at.dataframe and not at.get("plotly_chart")
    assert not at.selectbox and not at.multiselect and not at.sidebar.selectbox


def test_a_wrong_password_is_refused_and_recorded(app_db, users, monkeypatch):
    at = accounts_app(app_db, users, monkeypatch, query={"lang": "English"})
    sign_in(at, "vera", "not the password")
    assert [e.value for e in at.error] == ["wrong user name or password"]
    assert not at.metric
    con = audit.open_access(app_db)
    last = audit.entries(con, limit=1)[0]
    con.close()
    assert (last.actor, last.action, last.detail["name"]) == ("anonymous", "sign_in_refused", "vera")


def test_a_viewer_reads_the_pages_but_has_no_data_page(app_db, users, monkeypatch):
    at = accounts_app(app_db, users, monkeypatch, query={"lang": "English"})
    sign_in(at, "vera")
    assert not at.exception
    assert at.metric  # the Overview's tiles
    assert any("Signed in: vera (viewer)" in c.value for c in at.sidebar.caption)
    registered = {info.get("url_pathname") for info in at._registered_pages.values()}
    assert "data" not in registered and "rankings" in registered
    con = audit.open_access(app_db)
    assert any(e.actor == "vera" and e.action == "sign_in" for e in audit.entries(con, limit=5))
    con.close()


def test_the_data_page_itself_refuses_a_viewer(app_db, users, monkeypatch):
    # However it is reached (a slideshow's slide, a link): the page checks the role itself.
    from pages.screens import data_admin
    from streamlit.testing.v1 import AppTest
    monkeypatch.setenv("METRICS_CONFIG", str(users["config"]))
    monkeypatch.setenv("METRICS_DB", str(app_db))

    def script():
        import streamlit as st
        from metrics.auth import User
        from pages import view as views
        from pages.screens import data_admin
        st.session_state["_signed_in_user"] = User("vera", "viewer")
        views.set_view(views.sidebar_view())
        data_admin.render()

    at = AppTest.from_function(script, default_timeout=60).run()
    assert not at.exception
    assert [e.value for e in at.error] == ["您的角色（查看者）不能使用此页面或操作：请联系管理员。"]
    assert not at.get("file_uploader") and data_admin  # nothing of the page after the refusal


def test_a_department_user_lists_only_its_own_cases(app_db, users, monkeypatch):
    # A whole year, all departments in the view: the lists would hold every department's cases.
    at = accounts_app(app_db, users, monkeypatch, query={"lang": "English", "period": "2025"})
    sign_in(at, "dora")
    from tests.conftest_app import goto
    goto(at, "timeliness")
    assert not at.exception
    frames = [df.value for df in at.dataframe]
    case_lists = [df for df in frames if "Case no." in df.columns]
    assert case_lists, [list(df.columns) for df in frames]
    for df in case_lists:
        assert set(df["Department"]) == {users["own"]}, set(df["Department"])
    # The per-department table (figures, not cases) still names every department.
    assert len(set(frames[0]["Department"])) > 2


def test_a_department_user_asking_for_another_department_gets_no_cases(app_db, users, monkeypatch):
    from streamlit.testing.v1 import AppTest
    monkeypatch.setenv("METRICS_CONFIG", str(users["config"]))
    monkeypatch.setenv("METRICS_DB", str(app_db))
    other, own = users["other"], users["own"]

    def script(own, other):
        import streamlit as st
        from metrics.auth import User
        from metrics.periods import parse_period
        from pages import queries
        st.session_state["_signed_in_user"] = User("dora", "department", own)
        p = parse_period("2025")
        theirs, n_theirs = queries.cases_behind(p, "overdue_cases", "denominator", (other,))
        mine, n_mine = queries.cases_behind(p, "overdue_cases", "denominator", ())
        st.write(f"theirs={n_theirs} mine={n_mine} depts={sorted(set(mine['dept']))}")

    at = AppTest.from_function(script, default_timeout=60, args=(own, other)).run()
    assert not at.exception, at.exception
    text = at.markdown[0].value
    assert text.startswith("theirs=0 mine=") and f"depts=['{own}']" in text, text
    assert int(text.split("mine=")[1].split()[0]) > 0


def test_open_mode_says_there_is_no_sign_in(app_db, monkeypatch):
    monkeypatch.delenv("METRICS_CONFIG", raising=False)
    at = open_app(app_db, monkeypatch, query={"lang": "English"})
    assert not at.exception
    assert any("No sign-in" in c.value for c in at.sidebar.caption)
