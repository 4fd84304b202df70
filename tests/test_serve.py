"""serve.py under each `[auth]` mode (issue 11, part 1): open listens on 127.0.0.1 only and
refuses another address; accounts refuses to start with no user; oidc refuses without its
provider's client; the upload limit becomes the server's own; no error details for visitors."""

from __future__ import annotations

import os
import socket
import subprocess
import time
import tomllib
import urllib.request

import pytest

import serve
from metrics import audit, auth
from metrics.settings import AuthSettings, Settings
from tests.conftest import ROOT

PY = str(ROOT / ".venv" / "bin" / "python")


def settings(tmp_path, mode="open", upload=200) -> Settings:
    return Settings(db_path=tmp_path / "s.duckdb", auth=AuthSettings(mode=mode), upload_limit_mb=upload)


def test_open_mode_listens_on_loopback_only(tmp_path, monkeypatch):
    monkeypatch.delenv("STREAMLIT_SERVER_ADDRESS", raising=False)
    s = settings(tmp_path, upload=7)
    assert serve.server_options([], s) == ["--server.address", "127.0.0.1", "--server.maxUploadSize", "7"]
    assert serve.server_options(["--server.address", "localhost"], s) == ["--server.maxUploadSize", "7"]
    assert serve.server_options(["--server.maxUploadSize=3"], s) == ["--server.address", "127.0.0.1"]


@pytest.mark.parametrize("argv, env", [
    (["--server.address", "0.0.0.0"], None),
    (["--server.address=192.168.1.20"], None),
    ([], "0.0.0.0"),
])
def test_open_mode_refuses_another_address(tmp_path, monkeypatch, argv, env):
    if env:
        monkeypatch.setenv("STREAMLIT_SERVER_ADDRESS", env)
    else:
        monkeypatch.delenv("STREAMLIT_SERVER_ADDRESS", raising=False)
    with pytest.raises(serve.ServeError, match='mode = "open" has no sign-in.*set mode = "accounts" or "oidc"'):
        serve.server_options(argv, settings(tmp_path))


def test_accounts_mode_needs_a_user_and_may_listen_anywhere(tmp_path):
    s = settings(tmp_path, mode="accounts")
    with pytest.raises(serve.ServeError, match="holds no user: add one with `python -m metrics users add"):
        serve.server_options(["--server.address", "0.0.0.0"], s)
    con = audit.open_access(s.db_path)
    auth.add_user(con, "alice", "admin", "correct horse battery", actor="test")
    con.close()
    assert serve.server_options(["--server.address", "0.0.0.0"], s) == ["--server.maxUploadSize", "200"]


def test_oidc_mode_needs_its_provider_client(tmp_path, monkeypatch):
    monkeypatch.setattr(serve, "_has_oidc_client", lambda secrets: False)
    with pytest.raises(serve.ServeError, match="needs the identity provider's client under \\[auth\\]"):
        serve.server_options([], settings(tmp_path, mode="oidc"))


def test_oidc_client_check_reads_the_secrets_file(tmp_path):
    secrets = tmp_path / "secrets.toml"
    assert not serve._has_oidc_client(secrets)
    secrets.write_text('[auth]\nredirect_uri = "http://localhost:8501/oauth2callback"\ncookie_secret = "x"\n'
                       'client_id = "c"\nclient_secret = "s"\n', encoding="utf-8")
    assert not serve._has_oidc_client(secrets)  # no server_metadata_url
    with secrets.open("a", encoding="utf-8") as fh:
        fh.write('server_metadata_url = "http://127.0.0.1:9400/.well-known/openid-configuration"\n')
    assert serve._has_oidc_client(secrets)


def test_visitors_get_no_error_details():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["showErrorDetails"] == "none"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def outside_address() -> str | None:
    """An address of this machine that is not loopback (None on a machine without one)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("192.0.2.1", 9))  # TEST-NET: no packet is sent by a UDP connect
            ip = s.getsockname()[0]
        except OSError:
            return None
    return None if ip.startswith("127.") else ip


def test_the_server_refuses_to_start_open_on_all_interfaces(tmp_path):
    env = {**os.environ, "METRICS_DB": str(tmp_path / "s.duckdb")}
    env.pop("STREAMLIT_SERVER_ADDRESS", None)
    p = subprocess.run([PY, "serve.py", "--server.address", "0.0.0.0", "--server.headless", "true"], cwd=ROOT,
                       env=env, capture_output=True, text=True, timeout=60)
    assert p.returncode == 2
    assert p.stderr.count("\n") == 1 and 'mode = "open" has no sign-in' in p.stderr


def test_the_open_server_answers_on_loopback_and_not_outside(tmp_path):
    outside = outside_address()
    if outside is None:
        pytest.skip("this machine has no address but loopback")
    port = free_port()
    env = {**os.environ, "METRICS_DB": str(tmp_path / "s.duckdb")}
    env.pop("STREAMLIT_SERVER_ADDRESS", None)
    server = subprocess.Popen([PY, "serve.py", "--server.port", str(port), "--server.headless", "true"], cwd=ROOT,
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                    assert r.read() == b"ok"
                    break
            except OSError:
                assert time.monotonic() < deadline, "the dashboard did not start"
                time.sleep(0.5)
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection((outside, port), timeout=5).close()
    finally:
        server.terminate()
        server.wait(timeout=30)
