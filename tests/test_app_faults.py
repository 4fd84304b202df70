"""No traceback reaches a visitor (issue 11, part 3): a damaged, truncated or locked store, and a
second import while one runs, each get one message saying what happened and what to do.
Real files and a real second process holding the store, through Streamlit's AppTest."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time

import pytest

from tests.conftest_app import open_app

ROOT_PY = sys.executable


def messages(at) -> list[str]:
    return [e.value for e in at.error]


def test_a_file_that_is_no_store_gets_a_message_not_a_traceback(tmp_path, monkeypatch):
    db = tmp_path / "store.duckdb"
    db.write_bytes(b"this is not a DuckDB store\n" * 5000)
    at = open_app(db, monkeypatch, query={"lang": "English"})
    assert not at.exception
    assert len(messages(at)) == 1
    assert messages(at)[0].startswith("The store file store.duckdb cannot be read: it is damaged or incomplete. "
                                      "Restore it from a backup")
    # In open mode the local user is an admin: the way back is offered on the page.
    assert [b.label for b in at.button] == ["Set the damaged file aside and start an empty store"]
    at.button[0].click().run()
    assert not at.exception
    assert not messages(at)
    aside = [p.name for p in tmp_path.iterdir() if p.name.startswith("store.duckdb.damaged-")]
    assert len(aside) == 1 and (tmp_path / aside[0]).read_bytes().startswith(b"this is not a DuckDB store")


def test_a_truncated_store_gets_a_message(app_db, tmp_path, monkeypatch):
    db = tmp_path / "store.duckdb"
    shutil.copy(app_db, db)
    with db.open("r+b") as fh:
        fh.truncate(db.stat().st_size // 3)
    at = open_app(db, monkeypatch, query={"lang": "English"})
    assert not at.exception
    assert len(messages(at)) == 1
    assert "cannot be read: it is damaged or incomplete" in messages(at)[0], messages(at)


HOLDER = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])
print("HOLDING", flush=True)
time.sleep(120)
"""


def test_a_store_locked_by_another_program_says_wait(app_db, tmp_path, monkeypatch):
    db = tmp_path / "store.duckdb"
    shutil.copy(app_db, db)
    holder = subprocess.Popen([ROOT_PY, "-c", HOLDER, str(db)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "HOLDING"
        at = open_app(db, monkeypatch, query={"lang": "English"})
        assert not at.exception
        assert messages(at) == ["The store is being written by another program (most likely a command-line "
                                "import): wait until it ends, then reload this page."]
    finally:
        holder.kill()
        holder.wait()
    time.sleep(0.5)
    at = open_app(db, monkeypatch, query={"lang": "English"})  # the import ended: the pages work again
    assert not at.exception and not messages(at) and at.metric


def test_a_second_import_while_one_runs_is_refused_with_a_message(app_db, monkeypatch):
    from streamlit.testing.v1 import AppTest
    monkeypatch.setenv("METRICS_DB", str(app_db))

    def script():
        import streamlit as st
        from metrics import ingest
        from pages import view as views
        from pages.screens import data_admin
        views.set_view(views.sidebar_view())
        if not st.session_state.get("tried"):
            st.session_state["tried"] = True
            with ingest._IMPORT_LOCK:  # another session's import, running
                data_admin._run_import("cases", data_admin.PROJECT_DIR / "tests" / "fixtures" / "small_cases.csv",
                                       data_admin.Mapping(), "small_cases.csv")
        data_admin._last_import(views.current_view())

    at = AppTest.from_function(script, default_timeout=60).run()
    assert not at.exception
    from pages.screens.data_admin import BUSY
    assert len(at.error) == 1
    assert BUSY[0] in at.error[0].value  # the configured language of the demo settings: Chinese


@pytest.fixture(autouse=True)
def _no_config(monkeypatch):
    monkeypatch.delenv("METRICS_CONFIG", raising=False)
