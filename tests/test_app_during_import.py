"""A page of another session while an import runs (issue 11, part 3): the import holds the
server's store and its import lock, and another visitor's page still renders, with the
figures committed before the import, and without an error; after the import the same page
shows the new figures.

The import runs as the Data page runs it (`import_file` on a cursor of the server's one
connection) on a thread of its own, and is held part-way by its progress callback: while it
streams the file into DuckDB ("read"), and after it has built the new derived tables beside
the live ones, just before its one swap transaction ("aggregated"). A real demo store, the
real importer, the page run by AppTest in the same process, as a second session of the same
server would be."""

from __future__ import annotations

import shutil
import threading

import pandas as pd
import pytest

from conftest_app import no_exception, open_app

PERIOD = "2026Q3"
NEW_CASES = 300


def ranks(table: pd.DataFrame, dept: str, rank: str) -> list[tuple[str, int | None]]:
    return [(d, None if pd.isna(r) else int(r)) for d, r in zip(table[dept], table[rank])]


@pytest.mark.parametrize("stage", ["read", "aggregated"])
def test_a_page_renders_the_committed_figures_while_another_session_imports(app_db, tmp_path, monkeypatch, stage):
    import streamlit as st

    from metrics import ingest
    from metrics.periods import parse_period
    from metrics.ranking import ranking
    from pages import queries

    db = tmp_path / "demo.duckdb"
    shutil.copy(app_db, db)
    monkeypatch.setenv("METRICS_DB", str(db))
    monkeypatch.delenv("METRICS_CONFIG", raising=False)
    con = queries._connection(str(db))  # the server's one connection, which every session shares
    s = queries.settings()
    before = ranking(con.cursor(), parse_period(PERIOD), s.weights, s.min_cases, grades=s.grades)
    before = ranks(before, "dept", "rank")
    top = before[0][0]
    # 300 window cases of the top department in the quarter, every one rated very dissatisfied:
    # committed, they move it down the ranking.
    lines = ["办件编号,办理部门,事项编码,办件类型,申报方式,受理时间,办结时间,承诺时限,评价等级,评价时间,办件状态"]
    lines += [f"LATE{i:04d},{top},X1,承诺件,窗口受理,2026-08-{3 + i % 20:02d} 09:00,2026-08-{4 + i % 20:02d} 16:00,"
              f"1,非常不满意,2026-08-{5 + i % 20:02d} 09:00,办结" for i in range(NEW_CASES)]
    late = tmp_path / "late.csv"
    late.write_text("\n".join(lines) + "\n", encoding="utf-8")

    held, release = threading.Event(), threading.Event()
    outcome: dict = {}

    def progress(done, total, at_stage):
        if at_stage == stage and not held.is_set():
            held.set()
            release.wait(300)

    def run_import():
        try:
            outcome["ledger"] = ingest.import_file(con.cursor(), late, "cases", progress=progress)
        except BaseException as e:  # noqa: BLE001 - reported by the test below
            outcome["error"] = e

    importer = threading.Thread(target=run_import, daemon=True)
    importer.start()
    try:
        assert held.wait(300), outcome
        st.cache_data.clear()  # the page must read the store now, not the figures cached before
        at = open_app(db, monkeypatch, query={"lang": "English", "period": PERIOD}, page="rankings", timeout=180)
        assert ingest._IMPORT_LOCK.locked() and importer.is_alive()  # rendered while the import was held
        no_exception(at)
        assert not at.error
        assert ranks(at.dataframe[0].value, "Department", "Rank") == before
        overview = open_app(db, monkeypatch, query={"lang": "English", "period": PERIOD}, timeout=180)
        no_exception(overview)
        assert not overview.error and overview.metric
        assert importer.is_alive()
    finally:
        release.set()
        importer.join(300)
    assert "error" not in outcome, outcome.get("error")
    assert outcome["ledger"].accepted == NEW_CASES
    at.run()  # the same session after the import: the new figures
    no_exception(at)
    after = ranks(at.dataframe[0].value, "Department", "Rank")
    assert after != before and after.index(next(r for r in after if r[0] == top)) > 0
