"""A large file is staged and checked in a database file of its own beside the store, not in
temporary tables (metrics/ingest.py, LARGE_FILE_ROWS): DuckDB spills temporary tables
uncompressed, and a 100M-row file filled 30 GB of spill before its rows were checked; staged
in the store itself, its freed blocks stayed in the store's file. The outcome must be the
same, table for table, as an import through temporary tables; nothing may stay behind."""

from __future__ import annotations

import pytest

from metrics import ingest
from metrics.ingest import import_file
from metrics.store import connect, leftovers
from tests.test_ingest_killed import snapshot


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    from data.demo import write_demo_files
    d = tmp_path_factory.mktemp("large")
    first, catalogue = write_demo_files(d / "first", n_cases=4_000, seed=5)
    second, _ = write_demo_files(d / "second", n_cases=3_000, seed=9)
    return catalogue, first, second


def build(db, files, where_seen: list | None = None):
    catalogue, first, second = files
    con = connect(db)

    def progress(done, total, stage):
        if where_seen is not None and stage == "checked":
            where_seen.append(sorted(con.execute(  # the import's own connection: temporary tables are its own
                "SELECT database_name, table_name FROM duckdb_tables() "
                "WHERE table_name IN ('_import_staging', '_import_checked')").fetchall()))

    try:
        import_file(con, catalogue, kind="catalogue")
        first_ledger = import_file(con, first, progress=progress)    # a first import: everything built
        second_ledger = import_file(con, second, progress=progress)  # an update of the store
        assert leftovers(con) == ([], [])
    finally:
        con.close()
    return first_ledger, second_ledger


def test_a_large_file_imports_through_the_store_to_the_same_tables(files, tmp_path, monkeypatch):
    ledgers_small = build(tmp_path / "small.duckdb", files)
    monkeypatch.setattr(ingest, "LARGE_FILE_ROWS", 100)  # every file here is "large"
    seen: list = []
    ledgers_large = build(tmp_path / "large.duckdb", files, seen)
    # The rows were staged and checked in the staging file, which is gone afterwards.
    assert seen == [[("import_files", "_import_checked"), ("import_files", "_import_staging")]] * 2
    assert not (tmp_path / "large.duckdb.import.duckdb").exists()
    assert not (tmp_path / "large.duckdb.import.duckdb.wal").exists()
    assert [(l.rows_read, l.accepted, l.rejected, l.inserted, l.updated) for l in ledgers_large] == \
        [(l.rows_read, l.accepted, l.rejected, l.inserted, l.updated) for l in ledgers_small]
    assert ledgers_large[1].full_rebuild is None  # the second still updates
    large, small = snapshot(tmp_path / "large.duckdb"), snapshot(tmp_path / "small.duckdb")
    # The ledger rows differ in their time and the rejects file's path (the store's name).
    assert {k: v for k, v in large.items() if k != "imports"} == {k: v for k, v in small.items() if k != "imports"}
    assert ledger_rows(tmp_path / "large.duckdb") == ledger_rows(tmp_path / "small.duckdb")


def ledger_rows(db) -> list:
    con = connect(db, read_only=True)
    try:
        return con.execute("SELECT * EXCLUDE (imported_at, rejects_file) FROM imports ORDER BY import_id").fetchall()
    finally:
        con.close()


def test_small_files_stay_in_temporary_tables(files, tmp_path):
    seen: list = []
    build(tmp_path / "store.duckdb", files, seen)
    assert seen == [[("temp", "_import_checked"), ("temp", "_import_staging")]] * 2


def test_a_csv_is_judged_by_its_size(files, monkeypatch):
    from metrics.readers import open_source
    _, first, _ = files
    source = open_source(first)
    assert source.total_rows is None  # a CSV does not say
    size_rows = first.stat().st_size // ingest._CSV_ROW_BYTES_MIN
    monkeypatch.setattr(ingest, "LARGE_FILE_ROWS", size_rows - 1)
    assert ingest._is_large(source, first)
    monkeypatch.setattr(ingest, "LARGE_FILE_ROWS", size_rows)
    assert not ingest._is_large(source, first)


def test_a_killed_large_import_leaves_its_staging_file_until_the_store_is_opened_for_writing(files, tmp_path,
                                                                                              monkeypatch):
    import os
    import signal
    import subprocess
    import sys
    catalogue, first, second = files
    db = tmp_path / "store.duckdb"
    con = connect(db)
    import_file(con, catalogue, kind="catalogue")
    import_file(con, first)
    con.close()
    before = snapshot(db)
    child = subprocess.Popen([sys.executable, "-c", f"""
import sys, time
sys.path.insert(0, {str(ingest.Path(__file__).resolve().parent.parent)!r})
from metrics import ingest
from metrics.store import connect
ingest.LARGE_FILE_ROWS = 100
con = connect({str(db)!r})
def progress(done, total, stage):
    if stage == "checked":
        print("HELD", flush=True)
        time.sleep(60)
ingest.import_file(con, {str(second)!r}, progress=progress)
"""], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "HELD"
        staging = tmp_path / "store.duckdb.import.duckdb"
        assert staging.exists()
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
    assert snapshot(db) == before
    assert staging.exists()  # a read-only open leaves it
    monkeypatch.setattr(ingest, "LARGE_FILE_ROWS", 100)
    con = connect(db)  # as the dashboard opens the store: the leftover goes at once
    try:
        assert not staging.exists()
        ledger = import_file(con, second)
    finally:
        con.close()
    assert ledger.accepted > 0 and not staging.exists()


def test_opening_the_store_leaves_the_staging_file_of_an_import_running_in_this_process(tmp_path):
    db = tmp_path / "store.duckdb"
    connect(db).close()
    staging = ingest.staging_file(str(db))
    staging.write_bytes(b"in use")
    with ingest._IMPORT_LOCK:  # an import of this process holds it
        connect(db).close()
        assert staging.exists()
    connect(db).close()
    assert not staging.exists()


@pytest.mark.parametrize("name", ["default.duckdb", "select.duckdb", "my store.duckdb"])
def test_a_store_named_like_a_keyword_imports_and_updates(files, tmp_path, name):
    # The import names the store's catalog (its file's stem) when it switches schemas: a
    # keyword or a space in it must not break the first import or an update.
    catalogue, first, second = files
    con = connect(tmp_path / name)
    try:
        import_file(con, catalogue, kind="catalogue")
        import_file(con, first)
        ledger = import_file(con, second)
        assert ledger.full_rebuild is None and ledger.accepted > 0
        assert leftovers(con) == ([], [])
    finally:
        con.close()
