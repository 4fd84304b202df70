"""The upload limit is the server's own (issue 11: direct uploads of 6 MB and 150 MB were
accepted while the page allowed 5). `serve.py` passes `upload_limit_mb` as
`server.maxUploadSize`; here a real `serve.py` server with a 1 MB limit is sent files
straight to Streamlit's upload endpoint, past the page and its browser-side check: a file
over the limit is refused with HTTP 413, with and without a Content-Length, and one under
it is accepted. The endpoint wants a live session and its XSRF token: a real browser opens
the Data page and uploads a tiny file through its uploader, which gives both."""

from __future__ import annotations

import http.client
import json
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.browser_util import CHROMIUM, VIEWPORT, browser, dashboard_server, goto, page_url

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium")

LIMIT_MB = 1
MB = 1024 * 1024


def multipart(name: str, data: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
            f"Content-Type: text/csv\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def put(base: str, session_id: str, xsrf: str, data: bytes, chunked: bool = False) -> int:
    """PUT one file to /_stcore/upload_file/<session>/<new file id>; the HTTP status."""
    body, content_type = multipart("cases.csv", data)
    host = urlsplit(base)
    conn = http.client.HTTPConnection(host.hostname, host.port, timeout=60)
    headers = {"Content-Type": content_type, "X-Xsrftoken": xsrf, "Cookie": f"_streamlit_xsrf={xsrf}"}
    path = f"/_stcore/upload_file/{session_id}/{uuid.uuid4()}"
    try:
        if chunked:  # no Content-Length: the server must count the bytes as they come
            conn.putrequest("PUT", path)
            for k, v in {**headers, "Transfer-Encoding": "chunked"}.items():
                conn.putheader(k, v)
            conn.endheaders()
            for i in range(0, len(body), 256 * 1024):
                piece = body[i:i + 256 * 1024]
                conn.send(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
            conn.send(b"0\r\n\r\n")
        else:
            conn.request("PUT", path, body=body, headers=headers)
        return conn.getresponse().status
    except (BrokenPipeError, ConnectionResetError):
        return 413  # the server answered 413 and closed while the body was still being sent
    finally:
        conn.close()


def test_the_server_refuses_a_file_over_upload_limit_mb(tmp_path, monkeypatch):
    (tmp_path / "dashboard.toml").write_text(f"upload_limit_mb = {LIMIT_MB}\n", encoding="utf-8")
    monkeypatch.setenv("METRICS_CONFIG", str(tmp_path / "dashboard.toml"))  # the server inherits it
    tiny = tmp_path / "tiny.csv"
    tiny.write_text("办件编号,办理部门,受理时间\n", encoding="utf-8")
    with dashboard_server(tmp_path / "store.duckdb", timeout=120) as base, browser() as b:
        context = b.new_context(viewport=VIEWPORT)
        page = context.new_page()
        goto(page, page_url(base, "data", "?lang=English"))
        # The page's own uploader sends a file: its request names the live session.
        with page.expect_request(lambda r: "/_stcore/upload_file/" in r.url and r.method == "PUT") as sent:
            page.locator(".st-key-data_upload input[type=file]").set_input_files(str(tiny))
        session_id = sent.value.url.split("/_stcore/upload_file/", 1)[1].split("/")[0]
        xsrf = next(c["value"] for c in context.cookies() if c["name"] == "_streamlit_xsrf")
        under = put(base, session_id, xsrf, b"a" * (LIMIT_MB * MB - 4096))
        over = put(base, session_id, xsrf, b"a" * (LIMIT_MB * MB + 64 * 1024))
        over_chunked = put(base, session_id, xsrf, b"a" * (LIMIT_MB * MB + 64 * 1024), chunked=True)
        far_over = put(base, session_id, xsrf, b"a" * (6 * MB))
        far_over_chunked = put(base, session_id, xsrf, b"a" * (6 * MB), chunked=True)
        no_token = put(base, session_id, "2|00|00|0", b"a" * 1024)
        context.close()
    assert (under, over, over_chunked, far_over, far_over_chunked) == (204, 413, 413, 413, 413), json.dumps(
        {"under": under, "over": over, "over_chunked": over_chunked, "far_over": far_over,
         "far_over_chunked": far_over_chunked})
    assert no_token == 403  # and a request without the session's XSRF token is refused outright
    log = (tmp_path / "store.server.log").read_text(encoding="utf-8", errors="replace")
    assert "Traceback" not in log, log[-3000:]
