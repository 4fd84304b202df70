"""A killed import leaves no lasting growth (issue 11, part 5).

Ten imports are killed with SIGKILL at each stage in turn (rows staged, rows checked, next
tables built). An import that rebuilds everything (here: it switches the working-day calendar)
builds its next tables in the store, so a kill leaves them and their blocks there; opening
the store for writing (the next import, the dashboard starting) drops them and checkpoints.
After the ten kills, the store file with its write-ahead log is within 10% of its size before
them, and its data is exactly what it was. An import that updates builds everything in
memory (a temporary table, an attached in-memory database): killed at any stage it leaves
nothing in the store at all.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from metrics.ingest import import_file
from metrics.store import connect, leftovers
from tests.test_ingest_killed import snapshot

ROOT = Path(__file__).resolve().parent.parent
PY = ROOT / ".venv" / "bin" / "python"

CHILD = """
import sys, time
sys.path.insert(0, {root!r})
from metrics.store import connect
from metrics.ingest import import_file
con = connect({db!r})
def progress(done, total, stage):
    print("PROGRESS", stage, done, flush=True)
    if stage == {hold!r}:
        time.sleep(60)
import_file(con, {big!r}, progress=progress, calendar_kind={calendar!r})
print("COMMITTED", flush=True)
"""


def on_disk(db: Path) -> int:
    wal = db.with_name(db.name + ".wal")
    return db.stat().st_size + (wal.stat().st_size if wal.exists() else 0)


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    from data.demo import write_demo_files
    d = tmp_path_factory.mktemp("reclaim")
    small, catalogue = write_demo_files(d / "small", n_cases=20_000, seed=5)
    big, _ = write_demo_files(d / "big", n_cases=100_000, seed=11)
    base = d / "base.duckdb"
    con = connect(base)
    import_file(con, catalogue, kind="catalogue")
    import_file(con, small)
    con.close()
    return {"base": base, "big": big}


def kill_import(db: Path, big: Path, hold: str, calendar: str | None = "weekdays") -> None:
    """Kill an import into `db` at stage `hold`; by default one that rebuilds everything (the
    store's calendar is "cn"), the kind that leaves tables in the store."""
    code = CHILD.format(root=str(ROOT), db=str(db), big=str(big), hold=hold, calendar=calendar)
    child = subprocess.Popen([str(PY), "-c", code], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        for line in child.stdout:
            if line.startswith(f"PROGRESS {hold}"):
                break
            assert time.monotonic() < deadline
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            os.kill(child.pid, signal.SIGKILL)
            child.wait()
    assert child.returncode == -signal.SIGKILL


def test_ten_killed_imports_leave_the_store_within_ten_percent(files, tmp_path):
    db = tmp_path / "store.duckdb"
    shutil.copy(files["base"], db)
    before_size, before_data = on_disk(db), snapshot(db)
    stages = ["aggregated", "read", "checked"]  # the tenth kill comes after the next tables are built
    for i in range(10):
        kill_import(db, files["big"], stages[i % 3])
    # The last kill left its tables behind and grew the store: there is something to reclaim.
    ro = connect(db, read_only=True)
    assert any(leftovers(ro)), "the kill left nothing behind: the test would prove nothing"
    ro.close()
    assert on_disk(db) > before_size * 1.10
    con = connect(db)  # what the next import or the dashboard does first
    try:
        assert leftovers(con) == ([], [])
        assert on_disk(db) <= before_size * 1.10, (on_disk(db), before_size)
    finally:
        con.close()
    assert on_disk(db) <= before_size * 1.10
    assert snapshot(db) == before_data


def test_growth_after_a_late_kill_is_reclaimed_at_the_next_connect(files, tmp_path):
    # Killed with the next cases and aggregates built: the largest leftover an import makes.
    db = tmp_path / "store.duckdb"
    shutil.copy(files["base"], db)
    before_size = on_disk(db)
    kill_import(db, files["big"], "aggregated")
    grown = on_disk(db)
    assert grown > before_size * 1.10, "the kill did not grow the store: nothing to show"
    con = connect(db)
    try:
        assert on_disk(db) <= before_size * 1.10, (grown, on_disk(db), before_size)
    finally:
        con.close()


@pytest.mark.parametrize("stage", ["read", "checked", "aggregated"])
def test_an_update_killed_at_any_stage_leaves_nothing_in_the_store(files, tmp_path, stage):
    # The month-by-month import of a clerk: it keeps the calendar, so it updates.
    db = tmp_path / "store.duckdb"
    shutil.copy(files["base"], db)
    before_size, before_data = on_disk(db), snapshot(db)
    kill_import(db, files["big"], stage, calendar=None)
    ro = connect(db, read_only=True)
    try:
        assert leftovers(ro) == ([], [])
    finally:
        ro.close()
    assert on_disk(db) <= before_size * 1.10, (on_disk(db), before_size)
    assert snapshot(db) == before_data


def test_has_table_sees_the_store_not_a_database_attached_beside_it(tmp_path):
    from metrics.store import has_table
    con = connect(tmp_path / "store.duckdb")
    try:
        con.execute(f"ATTACH '{tmp_path / 'other.duckdb'}' AS other")
        con.execute("CREATE TABLE other.main.dept_daily (x INTEGER)")
        assert not has_table(con, "dept_daily")
        con.execute("CREATE TABLE main.dept_daily (x INTEGER)")
        assert has_table(con, "dept_daily")
    finally:
        con.close()
