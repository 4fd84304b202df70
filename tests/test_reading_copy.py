"""The store's reading copy (metrics/reading_copy.py): the command line reads while another
process (the dashboard) holds the store.

DuckDB refuses every other process while one holds a store for writing; `rank`, `published`,
`bulletin` and `export-public` then read `<store>.reading.duckdb`, written after every
committed write, and say so in one line on stderr. Commands that need the cases, and every
write, keep refusing with what to do instead. Tested with a real second process holding the
store, on the hand-computed fixture and on a demo store.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from metrics import reading_copy
from metrics.cli import _no_cases_in
from metrics.ingest import import_file
from metrics.periods import parse_period
from metrics.publication import publish
from metrics.settings import Settings
from metrics.store import connect

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
FIXTURES = Path(__file__).resolve().parent / "fixtures"

HOLDER = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])   # read-write, as the dashboard holds its store
print("HOLDING", flush=True)
time.sleep(300)
"""

# Three cases whose days are known: X3 is accepted a minute before midnight and completed a
# minute after it; X1 is rated two days after its completion; X2 is still open.
CASES_CSV = """办件编号,办理部门,事项编码,受理时间,办结时间,评价等级,评价时间,办件状态
X1,甲局,I1,2025-07-01 09:00:00,2025-07-03 10:00:00,满意,2025-07-05 08:00:00,办结
X2,乙局,I1,2025-08-10 09:00:00,,,,在办
X3,甲局,I1,2025-06-30 23:59:00,2025-07-01 00:01:00,,,办结
"""


def cli(*args, tmp: Path):
    env = {**os.environ, "METRICS_DB": str(tmp / "default.duckdb")}
    return subprocess.run([PY, "-m", "metrics", *map(str, args)], cwd=ROOT, env=env, capture_output=True,
                          timeout=300)


class Held:
    """A second process holding `db` open for writing, as the running dashboard does."""

    def __init__(self, db: Path):
        self.db = db

    def __enter__(self):
        self.proc = subprocess.Popen([PY, "-c", HOLDER, str(self.db)], stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout.readline().strip() == "HOLDING"
        return self

    def __exit__(self, *exc):
        self.proc.kill()
        self.proc.wait()
        self.proc.stdout.close()


def copy_line(command: str, db: Path) -> str:
    con = duckdb.connect(str(reading_copy.path_of(db)), read_only=True)
    made_at = con.execute("SELECT made_at FROM reading_copy").fetchone()[0]
    con.close()
    return (f"python -m metrics {command}: the store is in use (the dashboard?): "
            f"reading its copy of {made_at:%Y-%m-%d %H:%M:%S}")


def one_line(p) -> str:
    assert p.returncode == 2, (p.returncode, p.stderr)
    assert p.stdout == b""
    lines = p.stderr.decode().splitlines()
    assert len(lines) == 1 and "Traceback" not in p.stderr.decode(), p.stderr
    return lines[0]


def tables_of(con, with_views: bool = False) -> set[str]:
    names = {t for (t,) in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database()").fetchall()}
    if with_views:
        names |= {v for (v,) in con.execute(
            "SELECT view_name FROM duckdb_views() WHERE NOT internal AND database_name = current_database()"
        ).fetchall()}
    return names


# ---------------------------------------------------------------- what the copy holds

@pytest.fixture
def three(tmp_path) -> Path:
    (tmp_path / "three.csv").write_text(CASES_CSV, encoding="utf-8")
    db = tmp_path / "three.duckdb"
    con = connect(db)
    import_file(con, tmp_path / "three.csv", kind="cases")
    con.close()
    return db


def test_every_table_but_the_cases_with_the_same_rows(small_db, tmp_path):
    db = tmp_path / "small.duckdb"
    shutil.copy(small_db, db)
    reading_copy.write_for(db)
    store = connect(db, read_only=True)
    copy = duckdb.connect(str(reading_copy.path_of(db)), read_only=True)
    try:
        assert {"cases", "item_daily", "case_keys", "case_keys_meta"} <= tables_of(store)
        copied = tables_of(store) - {"cases", "item_daily", "case_keys", "case_keys_meta"}
        assert {"dept_daily", "case_days", "calendar", "workdays", "catalogue", "imports", "rejects", "departments",
                "publications", "published_rankings"} <= copied   # what rank and published read
        # Every table but cases, the pages' item_daily and the imports' case keys, no view (case_facts reads cases), and its own record.
        assert tables_of(copy, with_views=True) == copied | {"reading_copy"}
        assert "case_facts" in tables_of(store, with_views=True)
        for t in sorted(copied):
            q = f'SELECT * FROM "{t}" ORDER BY ALL'
            assert store.execute(q).fetchall() == copy.execute(q).fetchall(), t
        made_at, path, inode = copy.execute("SELECT made_at, store, store_inode FROM reading_copy").fetchone()
        assert (path, inode) == (str(db), db.stat().st_ino)
        assert abs((datetime.now() - made_at).total_seconds()) < 120
    finally:
        store.close()
        copy.close()
    # Written to a temporary file and renamed: nothing else is left in the folder.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["small.duckdb", "small.duckdb.reading.duckdb"]


def test_the_days_with_cases_answer_as_the_cases_do(three):
    copy = duckdb.connect(str(reading_copy.path_of(three)), read_only=True)
    store = connect(three, read_only=True)
    try:
        # Accepted 06-30, 07-01, 08-10; completed 07-01, 07-03; rated 07-05.
        assert copy.execute("SELECT day FROM case_days ORDER BY day").fetchall() == [
            (date(2025, 6, 30),), (date(2025, 7, 1),), (date(2025, 7, 3),), (date(2025, 7, 5),),
            (date(2025, 8, 10),)]
        # The store without case_days (one from before it, opened read-only) answers from its cases.
        bare = duckdb.connect(":memory:")
        bare.execute(f"ATTACH '{three}' AS s (READ_ONLY)")
        bare.execute("CREATE TABLE cases AS SELECT * FROM s.cases")
        bare.execute("DETACH s")
        answers = {}
        for text in ("2025-07-05..2025-07-05", "2025-07-04..2025-07-04", "2025-07-02..2025-07-04", "2025-06", "2025-09", "2025Q3",
                     "2025-07-06..2025-08-09", "2024"):
            period = parse_period(text)
            answers[text] = _no_cases_in(store, period, three)
            assert _no_cases_in(copy, period, three) == answers[text], text
            assert _no_cases_in(bare, period, three) == answers[text], text
    finally:
        bare.close()
        copy.close()
        store.close()
    assert [t for t, why in answers.items() if why is None] == [
        "2025-07-05..2025-07-05", "2025-07-02..2025-07-04", "2025-06", "2025Q3"]
    assert answers["2025-09"] == (f"no case was accepted, completed or rated in 2025-09 (2025-09-01 to "
                                  f"2025-09-30); the cases in {three} run from 2025-06-30 to 2025-08-10")


def test_an_import_and_a_publication_write_it_and_a_reader_keeps_the_old_one(small_db, tmp_path):
    db = tmp_path / "small.duckdb"
    shutil.copy(small_db, db)
    con = connect(db)
    try:
        import_file(con, FIXTURES / "small_catalogue.csv", kind="catalogue")
        old = duckdb.connect(str(reading_copy.path_of(db)), read_only=True)
        assert old.execute("SELECT count(*) FROM imports").fetchone()[0] == 3
        publish(con, parse_period("2025Q3"), Settings())
        # The new copy was renamed over the old one: an open reader still reads the old file.
        assert old.execute("SELECT count(*) FROM imports").fetchone()[0] == 3
        assert old.execute("SELECT count(*) FROM publications").fetchone()[0] == 0
        old.close()
        new = duckdb.connect(str(reading_copy.path_of(db)), read_only=True)
        assert new.execute("SELECT count(*) FROM publications").fetchone()[0] == 1
        assert new.execute("SELECT count(*) FROM published_rankings").fetchone()[0] == \
            con.execute("SELECT count(*) FROM published_rankings").fetchone()[0] > 0
        new.close()
    finally:
        con.close()


def test_a_copy_of_a_store_since_replaced_is_not_read(three, tmp_path):
    # As the Data page sets a damaged store aside: the file is renamed and an empty one started.
    three.rename(three.with_name("three.duckdb.damaged-20260101-000000"))
    connect(three).close()
    with pytest.raises(reading_copy.NoCopy, match="since replaced"):
        reading_copy.open_copy(three)
    with Held(three):
        line = one_line(cli("rank", "--db", three, "--period", "2025Q3", tmp=tmp_path))
    assert line == (f"python -m metrics rank: {three}: the store is in use (the dashboard?), and its reading "
                    f"copy three.duckdb.reading.duckdb is of a store file since replaced: stop it and run this "
                    f"again, or use its pages.")


def test_a_copy_left_by_a_killed_writer_is_removed_by_the_next(three):
    final = reading_copy.path_of(three)
    dead = subprocess.run([PY, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    pid = int(dead.stdout)   # a process that has ended
    orphans = [final.with_name(f"three.duckdb.reading.tmp-{pid}-0123abcd.duckdb{end}") for end in ("", ".wal")]
    alive = final.with_name(f"three.duckdb.reading.tmp-{os.getppid()}-0123abcd.duckdb")  # still writing
    for f in (*orphans, alive):
        f.write_bytes(b"half a copy")
    con = connect(three)
    reading_copy.write(con)
    con.close()
    assert not any(f.exists() for f in orphans) and alive.exists()


def test_the_dashboard_writes_a_missing_or_stale_copy_when_it_opens_the_store(small_db, tmp_path, monkeypatch):
    # A store last written before reading copies were made has none until the dashboard opens it.
    from conftest_app import no_exception, open_app
    db = tmp_path / "small.duckdb"
    shutil.copy(small_db, db)
    assert not reading_copy.path_of(db).exists()
    no_exception(open_app(db, monkeypatch, query={"lang": "English"}))
    con, info = reading_copy.open_copy(db)
    con.close()
    assert info.path == reading_copy.path_of(db)
    # A copy of a file since replaced is written again too.
    (tmp_path / "other").mkdir()
    shutil.copy(small_db, tmp_path / "other" / "small.duckdb")
    reading_copy.write_for(tmp_path / "other" / "small.duckdb")
    shutil.copy(reading_copy.path_of(tmp_path / "other" / "small.duckdb"), reading_copy.path_of(db))
    with pytest.raises(reading_copy.NoCopy, match="since replaced"):
        reading_copy.open_copy(db)
    from pages import queries
    queries._connection.clear()  # a server started again on the store
    no_exception(open_app(db, monkeypatch, query={"lang": "English"}))
    reading_copy.open_copy(db)[0].close()


def test_an_in_memory_store_has_no_copy():
    con = connect(":memory:")
    assert reading_copy.write(con) is None
    con.close()


def test_the_copy_is_ignored_by_git():
    from metrics.settings import DEFAULT_DB
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    final = reading_copy.path_of(DEFAULT_DB)
    written = [final, final.with_name(final.name.removesuffix(".duckdb") + ".tmp-123-abcdef01.duckdb"),
               final.with_name(final.name.removesuffix(".duckdb") + ".tmp-123-abcdef01.duckdb.wal")]
    rel = [str(p.relative_to(ROOT)) for p in written]
    assert rel[0] == "data/dashboard.duckdb.reading.duckdb"
    p = subprocess.run(["git", "check-ignore", "--no-index", *rel], cwd=ROOT, capture_output=True, text=True)
    assert sorted(p.stdout.split()) == sorted(rel), p.stdout + p.stderr


# ---------------------------------------------------------------- the command line beside a holder

def test_the_cli_reads_the_copy_while_another_process_holds_the_store(tmp_path):
    db = tmp_path / "store.duckdb"
    for option, f in (("--catalogue", FIXTURES / "small_catalogue.csv"), ("--cases", FIXTURES / "small_cases.csv")):
        assert cli("ingest", "--db", db, option, f, tmp=tmp_path).returncode == 0
    assert cli("publish", "--db", db, "--period", "2025Q3", "--note", "首次发布", tmp=tmp_path).returncode == 0
    reads = {
        "rank_csv": ["rank", "--db", db, "--period", "2025Q3"],
        "rank_json": ["rank", "--db", db, "--period", "2025-07", "--format", "json"],
        "published": ["published", "--db", db],
        "published_json": ["published", "--db", db, "--period", "2025Q3", "--format", "json"],
        "empty": ["rank", "--db", db, "--period", "2023"],
    }
    free = {k: cli(*args, tmp=tmp_path) for k, args in reads.items()}
    assert all(p.returncode == 0 and p.stderr == b"" for k, p in free.items() if k != "empty")
    assert b"\xe7\x94\xb2\xe5\xb1\x80" in free["rank_csv"].stdout  # 甲局: a real table, not an empty one
    assert b"revision 1" in free["published"].stdout
    with Held(db):
        held = {k: cli(*args, tmp=tmp_path) for k, args in reads.items()}
        ingest = cli("ingest", "--db", db, "--cases", FIXTURES / "small_cases.csv", tmp=tmp_path)
        publish_ = cli("publish", "--db", db, "--period", "2025Q3", tmp=tmp_path)
        alerts = cli("alerts", "--db", db, "--period", "2025Q3", tmp=tmp_path)
        export = cli("export-cases", "--db", db, "--out", tmp_path / "lake", tmp=tmp_path)
    for k, p in held.items():
        assert p.returncode == free[k].returncode, (k, p.stderr)
        assert p.stdout == free[k].stdout, k   # byte for byte
        command = reads[k][0]
        assert p.stderr.decode().splitlines() == [copy_line(command, db), *free[k].stderr.decode().splitlines()], k
    assert held["empty"].returncode == 2 and "no case was accepted, completed or rated in 2023" in \
        held["empty"].stderr.decode()
    # Writes and what needs the cases keep refusing, saying what to do instead.
    line = one_line(ingest)
    assert str(db) in line and "lock" in line and "most likely the dashboard" in line, line
    assert line.endswith("import through its Data page (数据管理), or stop it and run this again."), line
    assert one_line(publish_).endswith("publish on its Data page (数据管理 → 发布考核结果), or stop it and run "
                                       "this again.")
    assert one_line(alerts) == (f"python -m metrics alerts: {db}: the store is in use (the dashboard?) and this "
                                f"command reads its cases, which only the store holds: stop it and run this "
                                f"again, or use its pages.")
    assert one_line(export).endswith("most likely the dashboard: stop it and run this again, or use its pages.")
    assert not (tmp_path / "lake").exists()
    con = connect(db, read_only=True)   # nothing was written while it was held
    assert con.execute("SELECT count(*) FROM imports").fetchone()[0] == 2
    assert con.execute("SELECT count(*) FROM publications").fetchone()[0] == 1
    con.close()


def test_the_bulletin_of_a_revision_from_the_copy_and_live_figures_refused(tmp_path, small_db):
    db = tmp_path / "small.duckdb"
    shutil.copy(small_db, db)
    con = connect(db)
    publish(con, parse_period("2025Q3"), Settings())
    con.close()
    with Held(db):
        published = cli("bulletin", "--db", db, "--period", "2025Q3", "--out", tmp_path / "b.docx", tmp=tmp_path)
        live = cli("bulletin", "--db", db, "--period", "2025Q4", "--out", tmp_path / "l.docx", tmp=tmp_path)
    assert published.returncode == 0, published.stderr
    assert published.stderr.decode().splitlines() == [
        copy_line("bulletin", db), f"{tmp_path / 'b.docx'}: bulletin of 2025Q3, revision 1"]
    assert (tmp_path / "b.docx").stat().st_size > 10_000
    # An unpublished period's bulletin is computed from the cases, which the copy lacks.
    assert live.returncode == 2 and not (tmp_path / "l.docx").exists()
    assert live.stderr.decode().splitlines() == [
        copy_line("bulletin", db),
        f"python -m metrics bulletin: {db}: the store is in use (the dashboard?) and this needs its cases, which "
        f"its reading copy does not hold: stop it and run this again, or use its pages."]


def test_rank_of_a_demo_store_equal_from_the_copy(app_db, tmp_path):
    db = tmp_path / "demo.duckdb"
    shutil.copy(app_db, db)
    reading_copy.write_for(db)
    periods = ["2025Q3", "2026-09", "2025"]
    free = [cli("rank", "--db", db, "--period", p, tmp=tmp_path) for p in periods]
    with Held(db):
        held = [cli("rank", "--db", db, "--period", p, tmp=tmp_path) for p in periods]
    for p, f, h in zip(periods, free, held):
        assert f.returncode == h.returncode == 0, (p, h.stderr)
        assert f.stdout.count(b"\n") > 30, p   # the demo's 40 departments
        assert h.stdout == f.stdout, p
        assert h.stderr.decode().splitlines() == [copy_line("rank", db)]


def test_beside_a_running_dashboard(small_db, tmp_path):
    """serve.py as `./run.sh dashboard` runs it, a browser on its Rankings page: the server holds
    the store (and wrote its copy on opening it), and `rank` answers as it does without it."""
    from tests.browser_util import CHROMIUM, VIEWPORT, browser, dashboard_server, goto, page_url
    if not Path(CHROMIUM).exists():
        pytest.skip("no Chromium")
    db = tmp_path / "small.duckdb"
    shutil.copy(small_db, db)   # no copy beside it yet
    alone = cli("rank", "--db", db, "--period", "2025Q3", tmp=tmp_path)
    assert alone.returncode == 0 and alone.stderr == b""
    with dashboard_server(db, timeout=120) as base, browser() as b:
        page = b.new_page(viewport=VIEWPORT)
        goto(page, page_url(base, "rankings", "?lang=English&period=2025Q3"))
        beside = cli("rank", "--db", db, "--period", "2025Q3", tmp=tmp_path)
        ingest = cli("ingest", "--db", db, "--cases", FIXTURES / "small_cases.csv", tmp=tmp_path)
    assert beside.returncode == 0 and beside.stdout == alone.stdout
    assert beside.stderr.decode().splitlines() == [copy_line("rank", db)]
    assert one_line(ingest).endswith("import through its Data page (数据管理), or stop it and run this again.")
