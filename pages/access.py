"""Who is using this session, what they may do, and the sign-in page (issue 11, part 1).

`dashboard.py` calls `gate()` before anything else: a visitor who is not signed in sees the
sign-in and nothing of the data, whatever address was asked for. In `open` mode the one local
user is an admin and every page says that there is no sign-in. `require()` guards what a role
may not do inside a page (the Data page also checks it itself, so no address, slide or link
reaches it), and `case_depts()` narrows the case lists of a department user to its own.

The texts here are this module's own (both languages side by side): the sign-in page runs
before the view, and so before the language of `pages.labels` is known.
"""

from __future__ import annotations

import logging

import streamlit as st

from metrics import audit, auth
from metrics.auth import AuthError, User

USER_KEY = "_signed_in_user"
LOG = logging.getLogger("dashboard.access")

TEXT: dict[str, tuple[str, str]] = {
    "title": ("登录 · 政务服务中心绩效看板", "Sign in · Service-centre performance dashboard"),
    "intro": ("本看板需要登录。账号由管理员用 `python -m metrics users add` 创建。",
              "This dashboard needs a sign-in. An administrator creates accounts with "
              "`python -m metrics users add`."),
    "name": ("用户名", "User name"),
    "password": ("密码", "Password"),
    "submit": ("登录", "Sign in"),
    "oidc_intro": ("本看板通过单位的统一身份认证登录。", "This dashboard signs you in through your organisation's "
                   "identity provider."),
    "oidc_button": ("通过统一身份认证登录", "Sign in with the identity provider"),
    "oidc_no_role": ("身份认证未给出角色，且用户表中没有此邮箱（{email}）：请管理员添加此用户。",
                     "The identity provider gave no role and no user has the e-mail {email}: ask an "
                     "administrator to add you."),
    "signed_in_as": ("已登录：{name}（{role}）", "Signed in: {name} ({role})"),
    "sign_out": ("退出登录", "Sign out"),
    "open_mode": ("无需登录：本看板只在本机（127.0.0.1）提供。", "No sign-in: this dashboard is served to this "
                  "machine only (127.0.0.1)."),
    "not_allowed": ("您的角色（{role}）不能使用此页面或操作：请联系管理员。",
                    "Your role ({role}) may not use this page or action: ask an administrator."),
    "own_dept_only": ("您只能查看本部门（{dept}）的办件清单。", "You may read the case lists of your own department "
                      "({dept}) only."),
    "access_unavailable": ("无法读取用户表（{path}）：请管理员检查该文件。详细信息已写入服务器日志。",
                           "The users file ({path}) cannot be read: ask the administrator to check it. The "
                           "details are in the server's log."),
    "role_viewer": ("查看者", "viewer"),
    "role_department": ("部门用户", "department"),
    "role_clerk": ("数据管理员", "clerk"),
    "role_admin": ("系统管理员", "admin"),
}


def say(key: str, lang: str, **fmt) -> str:
    zh, en = TEXT[key]
    text = zh if lang == "zh" else en
    return text.format(**fmt) if fmt else text


def _settings():
    from pages import queries
    return queries.settings()


def mode() -> str:
    return _settings().auth.mode


def url_lang() -> str:
    """The language asked for in the address (`?lang=English`), else the configured one."""
    from pages.view import LANG_CODES
    asked = st.query_params.get("lang")
    return LANG_CODES.get(asked, asked if asked in ("zh", "en") else _settings().language)


def current_user() -> User | None:
    """The user of this session; None while nobody is signed in."""
    m = mode()
    if m == "open":
        return auth.LOCAL_ADMIN
    if m == "accounts":
        return st.session_state.get(USER_KEY)
    return _oidc_user()


def _oidc_user() -> User | None:
    if not st.user.is_logged_in:
        return None
    user = st.session_state.get(USER_KEY)
    if user is not None:
        return user
    claims = st.user.to_dict()
    cfg = _settings().auth
    email = claims.get("email")
    role, dept = claims.get(cfg.role_claim), claims.get(cfg.dept_claim)
    known = None
    if email:
        con = audit.open_access(_settings().db_path)
        try:
            known = auth.user_by_email(con, email)
        finally:
            con.close()
    if role in auth.ROLES and (role != "department" or dept):
        user = User(str(claims.get("name") or email or claims.get("sub")), role,
                    dept if role == "department" else None, email)
    elif known is not None:
        user = known
    else:
        return None
    st.session_state[USER_KEY] = user
    record("sign_in", actor=user.name, method="oidc", role=user.role)
    return user


def gate() -> User:
    """The signed-in user; otherwise the sign-in page, and the run stops there."""
    try:
        user = current_user()
    except Exception:  # noqa: BLE001 - an unreadable users file: say so, log the details
        LOG.exception("reading the users file")
        lang = url_lang()
        from metrics.audit import access_path
        st.error(say("access_unavailable", lang, path=access_path(_settings().db_path).name))
        st.stop()
    if user is not None:
        return user
    # The pages are declared, hidden and not run: the address asked for stays in the browser,
    # so the signed-in rerun opens that page rather than the first one.
    from pages import navigation
    st.navigation(navigation.all_pages(url_lang()), position="hidden")
    _sign_in_page(url_lang())
    st.stop()


def _sign_in_page(lang: str) -> None:
    st.title(say("title", lang))
    if mode() == "oidc":
        st.write(say("oidc_intro", lang))
        if st.user.is_logged_in:  # signed in at the provider, but no role for this dashboard
            from pages.formats import md_escape  # the provider's words are data, not markdown
            st.warning(say("oidc_no_role", lang, email=md_escape(str(st.user.to_dict().get("email", "?")))))
            st.button(say("sign_out", lang), on_click=st.logout)
            return
        st.button(say("oidc_button", lang), on_click=st.login, type="primary")
        return
    st.write(say("intro", lang))
    with st.form("sign_in", enter_to_submit=True):
        name = st.text_input(say("name", lang), key="sign_in_name", autocomplete="username")
        password = st.text_input(say("password", lang), type="password", key="sign_in_password",
                                 autocomplete="current-password")
        submitted = st.form_submit_button(say("submit", lang), type="primary")
    if submitted:
        con = audit.open_access(_settings().db_path)
        try:
            st.session_state[USER_KEY] = auth.authenticate(con, name, password)
        except AuthError as e:
            st.error(str(e) if lang == "en" else _zh_refusal(str(e)))
            return
        finally:
            con.close()
        st.session_state.pop("sign_in_password", None)
        st.rerun()


def _zh_refusal(message: str) -> str:
    if message.startswith("too many"):
        return "该用户名登录失败次数过多：请 15 分钟后再试。"
    return "用户名或密码错误。"


def sidebar(user: User, lang: str) -> None:
    """Who is signed in, and the way out; in open mode, that there is no sign-in."""
    with st.sidebar:
        if mode() == "open":
            st.caption(say("open_mode", lang))
            return
        from pages.formats import md_escape  # names and departments are data, not markdown
        role = say(f"role_{user.role}", lang) + (f" · {md_escape(user.dept)}" if user.dept else "")
        st.caption(say("signed_in_as", lang, name=md_escape(user.name), role=role))
        if st.button(say("sign_out", lang), key="sign_out", icon=":material/logout:"):
            sign_out(user)


def sign_out(user: User) -> None:
    record("sign_out", actor=user.name)
    st.session_state.pop(USER_KEY, None)
    if mode() == "oidc":
        st.logout()
    st.rerun()


def open_mode_notice(lang: str) -> None:
    """Above every page in open mode: anyone at this machine is an admin."""
    if mode() == "open":
        st.caption(say("open_mode", lang))


def user() -> User:
    """The user of this run (the gate has passed)."""
    u = current_user()
    if u is None:  # a page run outside dashboard.py's gate: nothing is allowed
        st.stop()
    return u


def can(action: str) -> bool:
    return user().can(action)


def require(action: str, lang: str) -> None:
    """Stop the page when the user may not do `action`."""
    u = user()
    if not u.can(action):
        st.error(say("not_allowed", lang, role=say(f"role_{u.role}", lang)), icon=":material/block:")
        st.stop()


# A department no stored case can have: a case list asked for none of the user's departments
# is asked for this one and comes back empty, with its columns (imports reject control characters).
NO_DEPT = "\x00"


def case_depts(depts) -> tuple[str, ...]:
    """The departments of a case list: the view's, narrowed to a department user's own."""
    own = user().case_depts()
    depts = tuple(depts or ())
    if own is None:
        return depts
    if not depts:
        return tuple(own)
    return tuple(d for d in depts if d in own) or (NO_DEPT,)


def may_list_cases_of(dept: str) -> bool:
    own = user().case_depts()
    return own is None or dept in own


def record(action: str, actor: str | None = None, **detail) -> None:
    """One audit row for this session's user; a failure is logged, never shown as a traceback."""
    try:
        con = audit.open_access(_settings().db_path)
        try:
            audit.record(con, actor or user().name, action, **detail)
        finally:
            con.close()
    except Exception:  # noqa: BLE001 - the action itself succeeded; the log keeps the failure
        LOG.exception("writing the audit trail (%s)", action)
