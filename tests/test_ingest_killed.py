"""An import that fails part-way leaves the earlier data untouched (spec 1.4).

A first file is imported into an on-disk store. Then a second import of a large generated
case log (300,000 rows) is started in another process and killed with SIGKILL once its
progress callback reports staged rows, or fails inside this process when the progress
callback raises. Either way, reopening the store must show exactly the data of before:
the same row counts and the same checksums of cases, dept_daily, imports, rejects and the
calendar.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from metrics.ingest import STAGING_BATCH_ROWS, import_file
from metrics.store import connect

ROOT = Path(__file__).resolve().parent.parent
PY = ROOT / ".venv" / "bin" / "python"
BIG_ROWS = 300_000
TABLES = ("cases", "dept_daily", "imports", "rejects", "catalogue", "calendar")


def snapshot(db: Path) -> dict:
    """Row count and an order-independent checksum of every table that an import touches."""
    con = connect(db, read_only=True)
    try:
        return {t: con.execute(f"SELECT count(*), coalesce(sum(hash(x)), 0) FROM {t} x").fetchone() for t in TABLES}
    finally:
        con.close()


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    from data.demo import write_demo_files
    d = tmp_path_factory.mktemp("killed")
    small, catalogue = write_demo_files(d / "small", n_cases=3_000, seed=5)
    big, _ = write_demo_files(d / "big", n_cases=BIG_ROWS, seed=11)
    base = d / "base.duckdb"
    con = connect(base)
    import_file(con, catalogue, kind="catalogue")
    first = import_file(con, small)
    con.close()
    assert first.rows_read == 3_000 and first.balances()
    return {"base": base, "big": big, "small": small}


@pytest.fixture
def store(files, tmp_path):
    """A copy of the store holding the first import (closed, so the file is complete)."""
    db = tmp_path / "store.duckdb"
    shutil.copy(files["base"], db)
    before = snapshot(db)
    assert before["cases"][0] > 2_900 and before["imports"][0] == 2
    return db, before


CHILD = """
import sys, time
sys.path.insert(0, {root!r})
from metrics.store import connect
from metrics.ingest import STAGING_BATCH_ROWS, import_file
con = connect({db!r})
def progress(done, total, stage):
    print("PROGRESS", stage, done, flush=True)
    if stage == {hold!r}:
        time.sleep({sleep})
import_file(con, {big!r}, progress=progress)
print("COMMITTED", flush=True)
"""


@pytest.mark.parametrize("hold, sleep", [
    ("read", 0),          # all 300,000 rows staged; killed at once, while the checks run
    ("checked", 60),      # every row checked, held in the callback: killed before any case is replaced
    ("aggregated", 60),   # the new cases and aggregates built, held in the callback: killed before COMMIT
])
def test_killed_import_leaves_the_store_as_it_was(files, store, hold, sleep):
    db, before = store
    code = CHILD.format(root=str(ROOT), db=str(db), big=str(files["big"]), hold=hold, sleep=sleep)
    child = subprocess.Popen([str(PY), "-c", code], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True)
    seen = []
    try:
        deadline = time.monotonic() + 90
        for line in child.stdout:
            seen.append(line.strip())
            # Staging reports each batch read: for "read", wait for the last one.
            if line.startswith(f"PROGRESS {hold}") and (hold != "read" or line.split()[2] == str(BIG_ROWS)):
                break
            assert time.monotonic() < deadline, seen
        assert seen and seen[-1].startswith(f"PROGRESS {hold}"), (seen, child.stderr.read())
        if hold == "read":
            assert seen[-1] == f"PROGRESS read {BIG_ROWS}"      # every row staged before the kill
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            os.kill(child.pid, signal.SIGKILL)
            child.wait()
    assert child.returncode == -signal.SIGKILL
    assert "COMMITTED" not in child.stdout.read()
    assert snapshot(db) == before
    # The store is usable afterwards: the next import is number 3 and commits.
    con = connect(db)
    ledger = import_file(con, files["small"])
    assert (ledger.import_id, ledger.inserted) == (3, 0) and ledger.updated == ledger.accepted
    con.close()
    assert_no_scratch_tables(db)


class Boom(Exception):
    pass


@pytest.mark.parametrize("stage, exc", [
    ("read", Boom),
    ("read", KeyboardInterrupt),         # Ctrl-C in a scheduled job, while the file is read
    ("aggregated", Boom),                # the last callback before the swap (every stage: the test below)
])
def test_exception_in_progress_callback_rolls_back(files, store, stage, exc):
    db, before = store
    con = connect(db)
    calls = []

    def progress(done, total, s):
        calls.append((s, done))
        if s == stage:
            raise exc("stop here")

    with pytest.raises(exc, match="stop here"):      # the callback's own exception, not a wrapper
        import_file(con, files["big"], progress=progress)
    assert calls[-1][0] == stage
    if stage == "read":  # raised at the first batch staged: the file is not read on
        assert calls == [("read", STAGING_BATCH_ROWS)]
    else:
        assert ("read", BIG_ROWS) in calls
    # The same connection sees the old data, and can import again.
    for t in TABLES:
        assert con.execute(f"SELECT count(*), coalesce(sum(hash(x)), 0) FROM {t} x").fetchone() == before[t], t
    ledger = import_file(con, files["small"])
    assert ledger.import_id == 3
    con.close()
    after = snapshot(db)
    assert after["imports"][0] == 3
    assert after["cases"][0] == before["cases"][0]       # the small file again: updates only
    assert_no_scratch_tables(db)


def table_names(db) -> set[tuple[str, str]]:
    con = connect(db, read_only=True)
    try:
        return set(con.execute("SELECT schema_name, table_name FROM duckdb_tables() WHERE NOT internal").fetchall())
    finally:
        con.close()


def assert_no_scratch_tables(db):
    """Once a later import has run, nothing an interrupted import built is left in the store."""
    names = table_names(db)
    assert {s for s, _ in names} == {"main"}, names
    assert not {t for _, t in names if t.startswith("_")}, names


@pytest.mark.parametrize("stage", ["read", "checked", "aggregated"])
def test_callback_exception_reaches_the_caller_unchanged(tmp_path, stage):
    """A page can cancel an import by raising from its progress callback: it must get its own exception
    back, not a wrapper. (Was an engine bug for "read": DuckDB wrapped it in InvalidInputException.)"""
    path = tmp_path / "c.csv"
    path.write_text("办件编号,办理部门,受理时间\nA1,甲局,2025-07-01\n", encoding="utf-8")
    con = connect(tmp_path / "store.duckdb")

    def progress(done, total, s):
        if s == stage:
            raise Boom("cancelled")

    with pytest.raises(Boom):
        import_file(con, path, progress=progress)
    assert con.execute("SELECT count(*) FROM cases").fetchone()[0] == 0
    con.close()
