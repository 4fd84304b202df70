"""`[auth] mode = "oidc"` end to end, offline (issue 11, part 1): Streamlit's st.login against
oidc-provider-mock on loopback, in Chromium. A user whose token names a role gets that role; a
user without one gets the role of the users table by e-mail; a user known to neither is told
to ask an administrator and sees no data."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.request

import pytest

from metrics import audit, auth
from tests.browser_util import ROOT, VIEWPORT, browser, free_port, main_text, shoot, wait_ready
from tests.conftest_app import build_demo_store


@pytest.fixture(scope="module")
def provider():
    port = free_port()
    users = [{"sub": "olga", "email": "olga@centre.example", "name": "Olga", "role": "viewer"},
             {"sub": "dan", "email": "dan@centre.example", "name": "Dan"},
             {"sub": "eve", "email": "eve@elsewhere.example", "name": "Eve"}]
    args = [sys.executable, "-W", "ignore", "-m", "oidc_provider_mock", "--port", str(port)]
    for u in users:
        args += ["--user-claims", json.dumps(u)]
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/.well-known/openid-configuration", timeout=2):
                    break
            except OSError:
                assert time.monotonic() < deadline, "the mock provider did not start"
                time.sleep(0.3)
        yield base
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.fixture(scope="module")
def oidc_server(provider, tmp_path_factory):
    d = tmp_path_factory.mktemp("oidc")
    db = build_demo_store(d / "demo.duckdb", cases=10_000)
    con = audit.open_access(db)
    auth.add_user(con, "dan", "department", None, "市公安局", email="dan@centre.example", actor="test")
    con.close()
    config = d / "dashboard.toml"
    config.write_text('[auth]\nmode = "oidc"\n', encoding="utf-8")
    port = free_port()
    secrets = d / "secrets.toml"
    secrets.write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        'cookie_secret = "a-test-cookie-secret-of-enough-length"\n'
        'client_id = "dashboard"\nclient_secret = "dashboard-secret"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n', encoding="utf-8")
    import os
    env = {**os.environ, "METRICS_DB": str(db), "METRICS_CONFIG": str(config)}
    log = open(d / "server.log", "w")
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "serve.py"), "--server.headless", "true", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.fileWatcherType", "none", "--secrets.files", str(secrets)],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            assert proc.poll() is None, (d / "server.log").read_text()
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2):
                    break
            except OSError:
                assert time.monotonic() < deadline, "the dashboard did not start"
                time.sleep(0.3)
        yield {"base": base, "db": db}
    finally:
        proc.terminate()
        proc.wait(10)
        log.close()


def sign_in_at_provider(page, base: str, sub: str) -> None:
    page.goto(f"{base}/?lang=English")
    wait_ready(page)
    assert "Sign in" in main_text(page)
    assert page.locator('[data-testid="stMetric"], [data-testid="stPlotlyChart"]').count() == 0
    page.get_by_role("button", name="Sign in with the identity provider").click()
    page.wait_for_url("**/oauth2/authorize**", timeout=60_000)
    page.get_by_role("button", name=sub, exact=True).click()  # the mock's predefined user
    page.wait_for_url(f"{base}/**", timeout=60_000)
    wait_ready(page)


def test_a_role_from_the_token(oidc_server):
    with browser() as b:
        page = b.new_page(viewport=VIEWPORT)
        sign_in_at_provider(page, oidc_server["base"], "olga")
        assert page.locator('[data-testid="stMetric"]').count() > 0
        sidebar = page.locator('[data-testid="stSidebar"]').inner_text()
        # Back from the provider at the root address, in the configured language (Chinese).
        assert "已登录：Olga（查看者）" in sidebar
        links = page.locator('[data-testid="stSidebarNav"] a').all_inner_texts()
        assert links and not any("数据管理" in link for link in links), links
        shoot(page, "oidc_viewer")
    con = audit.open_access(oidc_server["db"])
    assert any(e.action == "sign_in" and e.detail.get("method") == "oidc" and e.actor == "Olga"
               for e in audit.entries(con, limit=10))
    con.close()


def test_a_role_from_the_users_table_by_email(oidc_server):
    with browser() as b:
        page = b.new_page(viewport=VIEWPORT)
        sign_in_at_provider(page, oidc_server["base"], "dan")
        sidebar = page.locator('[data-testid="stSidebar"]').inner_text()
        assert "已登录：dan（部门用户 · 市公安局）" in sidebar


def test_a_stranger_sees_no_data(oidc_server):
    with browser() as b:
        page = b.new_page(viewport=VIEWPORT)
        sign_in_at_provider(page, oidc_server["base"], "eve")
        text = main_text(page)
        assert "用户表中没有此邮箱（eve@elsewhere.example）" in text
        assert page.locator('[data-testid="stMetric"], [data-testid="stPlotlyChart"]').count() == 0
        shoot(page, "oidc_stranger")
