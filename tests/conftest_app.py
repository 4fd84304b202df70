"""Fixtures and helpers for the dashboard's AppTest tests (imported by conftest.py).

Stores are built once per session through the real demo generator and importer; every
app run points METRICS_DB at one of them. Pages are callables of `st.navigation`, which
`AppTest.switch_page` (file pages only) cannot reach: `goto` requests a page by its url
path the way the browser does.
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DASHBOARD = str(ROOT / "dashboard.py")
DEMO_CASES = 30_000
DEMO_SEED = 11
LANG = {"zh": "中文", "en": "English"}  # the language picker's labels, as the URL carries them


def build_demo_store(path: Path, cases: int = DEMO_CASES, seed: int = DEMO_SEED) -> Path:
    from metrics.cli import build_demo
    build_demo(path, cases, seed)
    return path


@pytest.fixture(scope="session")
def app_db(tmp_path_factory) -> Path:
    """A demo store (catalogue and cases, through the real importer) for the page tests."""
    return build_demo_store(tmp_path_factory.mktemp("app") / "demo.duckdb")


@pytest.fixture(scope="session")
def empty_db(tmp_path_factory) -> Path:
    """A store with its schema and nothing imported."""
    from metrics.store import connect
    path = tmp_path_factory.mktemp("empty") / "empty.duckdb"
    connect(path).close()
    return path


GAP_CSV = """办件编号,办理部门,事项编码,事项名称,办件类型,申报方式,受理时间,办结时间,法定时限,承诺时限,窗口签批,评价等级,评价时间,办件状态
G1,=HYPERLINK("x"),I1,事项一,承诺件,网上申报,2025-01-06 09:00:00,2025-01-07 10:00:00,10,3,是,满意,2025-01-08 10:00:00,办结
G2,乙局,I2,事项二,即办件,窗口受理,2025-01-06 10:00:00,2025-01-06 11:00:00,1,0,是,,,办结
G3,乙局,I2,事项二,即办件,窗口受理,2025-07-07 10:00:00,2025-07-07 11:00:00,1,0,否,非常满意,2025-07-07 12:00:00,办结
G4,=HYPERLINK("x"),I1,事项一,承诺件,窗口受理,2025-07-08 09:00:00,2025-07-10 10:00:00,10,3,是,,,办结
"""


@pytest.fixture(scope="session")
def gap_db(tmp_path_factory):
    """Cases in 2025Q1 and 2025Q3, none in 2025Q2; a department named like a formula."""
    from metrics.ingest import import_file
    from metrics.store import connect
    d = tmp_path_factory.mktemp("gap")
    (d / "gap.csv").write_text(GAP_CSV, encoding="utf-8")
    con = connect(d / "gap.duckdb")
    import_file(con, d / "gap.csv", kind="cases")
    con.close()
    return d / "gap.duckdb"


class Downloads:
    """Every file the app handed to a download button, by media file id. A button whose
    file is built when clicked (a callable) is clicked here: its callable runs."""

    def __init__(self):
        self.files: dict[str, bytes] = {}
        self.managers: list = []

    def of(self, button) -> bytes:
        deferred = button.proto.deferred_file_id
        if deferred:
            mgr = next(m for m in self.managers if deferred in m._deferred_callables)
            url = mgr.execute_deferred(deferred)
        else:
            url = button.proto.url
        file_id = url.rsplit("/", 1)[-1].split(".")[0]
        return self.files[file_id]


@pytest.fixture
def downloads(monkeypatch) -> Downloads:
    """Capture download contents: AppTest keeps them in an in-memory media store."""
    from streamlit.runtime import media_file_manager as mfm
    from streamlit.runtime import memory_media_file_storage as mmfs
    from streamlit.testing.v1 import app_test

    seen = Downloads()

    class Recording(mmfs.MemoryMediaFileStorage):
        def load_and_get_id(self, path_or_data, mimetype, kind, filename=None):
            file_id = super().load_and_get_id(path_or_data, mimetype, kind, filename)
            seen.files[file_id] = self._files_by_id[file_id].content
            return file_id

    class Manager(mfm.MediaFileManager):
        def __init__(self, storage):
            super().__init__(storage)
            seen.managers.append(self)

    monkeypatch.setattr(app_test, "MemoryMediaFileStorage", Recording)
    monkeypatch.setattr(app_test, "MediaFileManager", Manager)
    return seen


def open_app(db: Path, monkeypatch, query: dict | None = None, page: str | None = None, timeout: float = 60):
    """Run the dashboard on store `db`, with URL query parameters, on page `page` (url path)."""
    from streamlit.testing.v1 import AppTest
    monkeypatch.setenv("METRICS_DB", str(db))
    at = AppTest.from_file(DASHBOARD, default_timeout=timeout)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    at.run()
    if page is not None:
        goto(at, page)
    return at


def goto(at, url_path: str):
    """Switch to the page registered under `url_path` and run it."""
    from streamlit.util import calc_hash
    registered = {info.get("url_pathname") for info in at._registered_pages.values()}
    # The default page registers under "" but is hashed by its own url path.
    if url_path not in registered and url_path != _default_url_path():
        raise AssertionError(f"no page {url_path!r}; registered: {sorted(registered)}")
    at._page_hash = calc_hash(url_path)
    at.run()
    assert at._finished_page_script_hash == calc_hash(url_path), f"did not reach {url_path}"
    return at


def _default_url_path() -> str:
    from pages.navigation import PAGE_SPECS
    return PAGE_SPECS[0].url_path


def no_exception(at) -> None:
    assert not at.exception, [e.value for e in at.exception]
