"""The command line (spec 9), run as a user runs it: `python -m metrics ...` in a subprocess."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
from pathlib import Path

import pytest

from metrics.periods import parse_period
from metrics.ranking import RANKING_COLUMNS, machine_table, ranking
from metrics.store import connect

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
FIXTURES = Path(__file__).resolve().parent / "fixtures"
LEDGER_KEYS = {"rows_read", "accepted", "rejected", "repeats", "inserted", "updated", "rejected_by_reason"}


def cli(*args, tmp: Path, timeout=120):
    # METRICS_DB points the default store into tmp, so a forgotten --db never touches data/.
    env = {**os.environ, "METRICS_DB": str(tmp / "default.duckdb")}
    return subprocess.run([PY, "-m", "metrics", *map(str, args)], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=timeout)


def one_line_error(p):
    assert p.returncode == 2, (p.returncode, p.stderr)
    assert p.stdout == ""
    lines = p.stderr.splitlines()
    assert len(lines) == 1 and lines[0].strip(), p.stderr
    assert "Traceback" not in p.stderr
    return lines[0]


def write_csv(path: Path, header, rows) -> Path:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows([header, *rows])
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


# ---------------------------------------------------------------- ingest

HEADER = ["办件编号", "承办单位", "事项编码", "受理时间", "办结时间", "办件状态", "联系电话"]
ROWS = [
    ["C1", "甲局", "I1", "2025-07-01 09:00", "2025-07-03 10:00", "办结", "13900000001"],   # 2 good
    ["C2", "甲局", "I1", "2025-07-01 09:00", "2025-07-33", "办结", "13900000002"],         # 3 bad completed_at
    ["C1", "甲局", "I1", "2025-07-01 09:00", "2025-07-03 10:00", "办结", "13900000009"],   # 4 repeat of 2
    ["C3", "", "I3", "2025-07-02 09:00", "", "在办", "13900000003"],                      # 5 no dept
    ["C4", "乙局", "I3", "2025-07-02 09:00", "", "", "13900000004"],                      # 6 good
]
CAT_HEADER = ["事项编码", "事项名称", "实施部门", "事项类型", "法定时限", "承诺时限"]


@pytest.fixture
def inputs(tmp_path):
    cases = write_csv(tmp_path / "cases.csv", HEADER, ROWS)
    cat = write_csv(tmp_path / "cat.csv", CAT_HEADER, [["I1", "事项一", "甲局", "承诺件", "10", "3"],
                                                       ["I3", "事项三", "乙局", "即办件", "1", "0"]])
    mapping = tmp_path / "m.toml"
    mapping.write_text('[columns]\ndept = "承办单位"\n', encoding="utf-8")
    return cases, cat, mapping


def test_ingest_prints_the_ledger(tmp_path, inputs):
    cases, cat, mapping = inputs
    db = tmp_path / "out" / "store.duckdb"
    # the catalogue first, so the cases can take their limits from it; then the cases with the mapping
    p = cli("ingest", "--db", db, "--catalogue", cat, tmp=tmp_path)
    assert p.returncode == 0, p.stderr
    assert {k: json.loads(p.stdout)[k] for k in LEDGER_KEYS} == {
        "rows_read": 2, "accepted": 2, "rejected": 0, "repeats": 0, "inserted": 2, "updated": 0,
        "rejected_by_reason": {}}
    p = cli("ingest", "--db", db, "--cases", cases, "--mapping", mapping, tmp=tmp_path)
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    assert LEDGER_KEYS <= set(out)
    # 5 rows: C1 and C4 accepted; row 4 repeats row 2; rows 3 and 5 rejected.
    assert {k: out[k] for k in LEDGER_KEYS} == {
        "rows_read": 5, "accepted": 2, "rejected": 2, "repeats": 1, "inserted": 2, "updated": 0,
        "rejected_by_reason": {"bad_timestamp": 1, "missing_required": 1}}
    # the rejected rows, with their reasons, beside the database
    rejects = Path(out["rejects_file"])
    assert rejects.parent == db.parent / "store-rejects" and rejects.is_file()
    rows = list(csv.DictReader(io.StringIO(rejects.read_text(encoding="utf-8-sig"))))
    assert [(r["row"], r["field"], r["reason"]) for r in rows] == [
        ("3", "completed_at", "bad_timestamp"), ("5", "dept", "missing_required")]
    # the store: C1 got I1's catalogue limits; C4 is I3's instant item
    con = connect(db, read_only=True)
    assert con.execute("SELECT case_id, dept, item_type, promised_limit_days FROM cases ORDER BY 1").fetchall() == [
        ("C1", "甲局", "committed", 3), ("C4", "乙局", "instant", 0)]
    con.close()


def test_ingest_cases_and_catalogue_with_a_case_mapping(tmp_path, inputs):
    # --mapping describes the case log; the catalogue keeps its own headers.
    # (was an engine bug: the case mapping was applied to the catalogue and failed on it)
    cases, cat, mapping = inputs
    db = tmp_path / "store.duckdb"
    p = cli("ingest", "--db", db, "--cases", cases, "--catalogue", cat, "--mapping", mapping, tmp=tmp_path)
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    assert (out["accepted"], out["catalogue"]["accepted"]) == (2, 2)


def test_ingest_cases_and_catalogue_together(tmp_path):
    p = cli("ingest", "--db", tmp_path / "s.duckdb", "--cases", FIXTURES / "small_cases.csv", "--catalogue",
            FIXTURES / "small_catalogue.csv", tmp=tmp_path)
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    assert LEDGER_KEYS <= set(out) and LEDGER_KEYS <= set(out["catalogue"])
    assert (out["rows_read"], out["accepted"], out["catalogue"]["rows_read"]) == (22, 22, 5)


def test_ingest_counts_the_alerts_of_every_month_when_asked_and_for_a_large_store(tmp_path):
    from metrics import alert_results
    from metrics.cli import ALERTS_NOW_FROM_CASES
    args = ["--cases", FIXTURES / "small_cases.csv", "--catalogue", FIXTURES / "small_catalogue.csv"]
    now = tmp_path / "now.duckdb"
    p = cli("ingest", "--db", now, *args, "--alerts", "now", tmp=tmp_path)
    assert p.returncode == 0, p.stderr
    assert "counting the integrity alerts" in p.stderr
    con = connect(now, read_only=True)
    months = ["m" + m.label for m in alert_results.data_months(con)]
    con.close()
    assert len(months) >= 2
    assert json.loads(p.stdout)["alert_months_kept"] == len(months)
    kept = sorted(f.name.split("-", 1)[1].rsplit("-", 1)[0] for f in alert_results.folder_of(now).glob("*.parquet"))
    assert kept == sorted(months)
    # 22 cases: far below the size from which counting pays (auto), and never with "later".
    assert ALERTS_NOW_FROM_CASES > 22
    for choice in ([], ["--alerts", "later"]):
        db = tmp_path / f"store{len(choice)}.duckdb"
        p = cli("ingest", "--db", db, *args, *choice, tmp=tmp_path)
        assert p.returncode == 0, p.stderr
        assert "alert_months_kept" not in json.loads(p.stdout) and "counting" not in p.stderr
        assert not alert_results.folder_of(db).exists()


def test_ingest_counts_the_alerts_by_itself_from_the_size_it_is_worth_it(tmp_path, monkeypatch, capsys):
    from metrics import cli as cli_module
    monkeypatch.setattr(cli_module, "ALERTS_NOW_FROM_CASES", 22)  # the store will hold 22 cases
    monkeypatch.setenv("METRICS_DB", str(tmp_path / "default.duckdb"))
    assert cli_module.main(["ingest", "--db", str(tmp_path / "s.duckdb"), "--cases",
                            str(FIXTURES / "small_cases.csv")]) == 0
    assert json.loads(capsys.readouterr().out)["alert_months_kept"] >= 2


def test_ingest_again_reports_updates(tmp_path, inputs):
    cases, _, mapping = inputs
    db = tmp_path / "store.duckdb"
    first = cli("ingest", "--db", db, "--cases", cases, "--mapping", mapping, tmp=tmp_path)
    assert first.returncode == 0
    # The first import computes every case's figures and says why; the next updates what it touches.
    assert json.loads(first.stdout)["full_rebuild"] == "the store holds no cases yet"
    p = cli("ingest", "--db", db, "--cases", cases, "--mapping", mapping, tmp=tmp_path)
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    assert (out["inserted"], out["updated"], out["full_rebuild"]) == (0, 2, None)


def test_ingest_catalogue_only(tmp_path, inputs):
    _, cat, _ = inputs
    p = cli("ingest", "--db", tmp_path / "s.duckdb", "--catalogue", cat, tmp=tmp_path)
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    assert (out["rows_read"], out["accepted"]) == (2, 2)


def test_ingest_default_db_is_the_settings_db(tmp_path):
    p = cli("ingest", "--cases", FIXTURES / "small_cases.csv", tmp=tmp_path)
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout)["accepted"] == 22
    assert (tmp_path / "default.duckdb").is_file()


# ---------------------------------------------------------------- rank

@pytest.fixture(scope="module")
def fixture_db(tmp_path_factory):
    """The hand-computed fixture store (tests/test_metrics_fixture.py), built through the CLI."""
    tmp = tmp_path_factory.mktemp("cli_rank")
    db = tmp / "small.duckdb"
    p = cli("ingest", "--db", db, "--cases", FIXTURES / "small_cases.csv", "--catalogue",
            FIXTURES / "small_catalogue.csv", tmp=tmp)
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    assert (out["rows_read"], out["accepted"], out["catalogue"]["accepted"]) == (22, 22, 5)
    return db


def in_process(db):
    con = connect(db, read_only=True)
    try:
        return machine_table(ranking(con, parse_period("2025Q3")))
    finally:
        con.close()


def test_rank_csv(tmp_path, fixture_db):
    out = tmp_path / "rank.csv"
    p = cli("rank", "--db", fixture_db, "--period", "2025Q3", "--format", "csv", "--out", out, tmp=tmp_path)
    assert p.returncode == 0, p.stderr
    assert p.stdout == ""
    raw = out.read_bytes()
    # a UTF-8 byte-order mark, so Excel shows the Chinese names; then spec 8's header as it is
    assert raw.startswith(b"\xef\xbb\xbfperiod,rank,dept,score,")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][: len(RANKING_COLUMNS)] == RANKING_COLUMNS
    table = [dict(zip(rows[0], r)) for r in rows[1:]]
    # min_cases 30 ranks nobody: all listed by score, ties by name. 丁局 丙局 乙局 score 100 (their defined
    # rates are all 1), 甲局 47/84 * 100; 丁 (U+4E01) < 丙 (U+4E19) < 乙 (U+4E59).
    assert [r["dept"] for r in table] == ["丁局", "丙局", "乙局", "甲局"]
    jia = next(r for r in table if r["dept"] == "甲局")
    assert jia["period"] == "2025Q3" and jia["cases"] == "7"
    # Full precision: the text is the float itself (repr), not a rounding of it.
    assert float(jia["online_rate"]) == 4 / 7 and jia["online_rate"] == repr(4 / 7)
    assert float(jia["score"]) == pytest.approx(47 / 84 * 100, rel=1e-15)
    assert jia["entry_rate"] == repr(2 / 3)
    # the default min_cases (30) ranks nobody in this small store: rank is empty, not 0
    assert all(r["rank"] == "" and r["ranked"] == "False" for r in table)
    assert next(r for r in table if r["dept"] == "乙局")["entry_rate"] == ""     # undefined, not 0
    # every number equals the in-process ranking exactly
    expected = in_process(fixture_db)
    for r, (_, e) in zip(table, expected.iterrows()):
        for c in ("score", "online_rate", "early_completion_rate", "satisfaction_rate", "score_low", "score_high"):
            assert (r[c] == "" and e[c] != e[c]) or float(r[c]) == e[c], (r["dept"], c)


def test_rank_json(tmp_path, fixture_db):
    out = tmp_path / "rank.json"
    p = cli("rank", "--db", fixture_db, "--period", "2025Q3", "--format", "json", "--out", out, tmp=tmp_path)
    assert p.returncode == 0, p.stderr
    records = json.loads(out.read_text(encoding="utf-8"))
    assert list(records[0])[: len(RANKING_COLUMNS)] == RANKING_COLUMNS
    jia = next(r for r in records if r["dept"] == "甲局")
    assert jia["online_rate"] == 4 / 7
    assert jia["early_completion_rate"] == 1 / 3
    assert jia["satisfaction_rate"] == 2 / 3
    assert jia["entry_rate"] == 2 / 3
    assert jia["score"] == pytest.approx(47 / 84 * 100, rel=1e-15)
    assert (jia["rank"], jia["rank_change"], jia["ranked"], jia["partial"]) == (None, None, False, False)
    assert (jia["overdue_cases"], jia["open_overdue_cases"]) == (1, 1)
    yi = next(r for r in records if r["dept"] == "乙局")
    assert yi["entry_rate"] is None and yi["partial"] is True         # undefined is null, never 0
    expected = in_process(fixture_db)
    assert [r["score"] for r in records] == list(expected["score"])


def test_rank_to_stdout(tmp_path, fixture_db):
    p = cli("rank", "--db", fixture_db, "--period", "2025-07-01..2025-09-30", tmp=tmp_path)
    assert p.returncode == 0, p.stderr
    assert p.stdout.startswith("\ufeffperiod,")       # `rank … > file.csv` opens in Excel too
    rows = list(csv.reader(io.StringIO(p.stdout.removeprefix("\ufeff"))))
    assert rows[0][: len(RANKING_COLUMNS)] == RANKING_COLUMNS
    assert {r[0] for r in rows[1:]} == {"2025-07-01..2025-09-30"}


def test_rank_json_has_no_byte_order_mark(tmp_path, fixture_db):
    p = cli("rank", "--db", fixture_db, "--period", "2025Q3", "--format", "json", tmp=tmp_path)
    assert p.returncode == 0, p.stderr
    assert p.stdout.startswith("[")                     # JSON forbids one (RFC 8259)


@pytest.mark.parametrize("period, span", [
    ("2031Q1", "2031Q1 (2031-01-01 to 2031-03-31)"),
    ("2025-05", "2025-05 (2025-05-01 to 2025-05-31)"),          # before the first acceptance
    ("2025-10-10..2025-12-31", "2025-10-10..2025-12-31"),       # after the last completion
])
def test_rank_of_a_period_without_cases_exits_2_naming_the_data_range(tmp_path, fixture_db, period, span):
    # The fixture's cases: first accepted 2025-06-02 (AQ1), last event A5's completion on
    # 2025-10-09. Before, such a period wrote every catalogue department with a score.
    line = one_line_error(cli("rank", "--db", fixture_db, "--period", period, tmp=tmp_path))
    assert line == (f"python -m metrics rank: no case was accepted, completed or rated in {span}; "
                    f"the cases in {fixture_db} run from 2025-06-02 to 2025-10-09")


def test_rank_of_a_period_with_only_a_completion_is_a_ranking(tmp_path, fixture_db):
    # 2025Q4: nothing accepted, but A5 (甲局) was completed on 2025-10-09: a real period.
    p = cli("rank", "--db", fixture_db, "--period", "2025Q4", "--format", "json", tmp=tmp_path)
    assert p.returncode == 0, p.stderr
    jia = next(r for r in json.loads(p.stdout) if r["dept"] == "甲局")
    assert (jia["cases"], jia["early_completion_rate"]) == (0, 0.0)   # A5: 6 working days against 1


def test_rank_of_a_store_without_cases_says_import_first(tmp_path, inputs):
    _, cat, _ = inputs
    db = tmp_path / "catalogue_only.duckdb"
    assert cli("ingest", "--db", db, "--catalogue", cat, tmp=tmp_path).returncode == 0
    line = one_line_error(cli("rank", "--db", db, "--period", "2025Q3", tmp=tmp_path))
    assert line == (f"python -m metrics rank: {db} holds no cases yet; import a case log first "
                    f"(python -m metrics ingest --cases FILE)")


@pytest.mark.parametrize("option", ["--cases", "--catalogue", "--mapping"])
def test_a_folder_given_as_a_file_is_named_a_folder(tmp_path, option):
    folder = tmp_path / "exports"
    folder.mkdir()
    args = ["ingest", "--db", tmp_path / "s.duckdb", option, folder]
    if option == "--mapping":
        args += ["--cases", FIXTURES / "small_cases.csv"]
    line = one_line_error(cli(*args, tmp=tmp_path))
    assert line == f"python -m metrics ingest: {option} {folder}: is a folder, not a file; name a file inside it"
    assert not (tmp_path / "s.duckdb").exists()


# ---------------------------------------------------------------- bad arguments: exit 2, one line

# name -> (arguments, text the one stderr line must contain); {db} is the fixture store, {t} a scratch dir.
BAD = {
    "unknown_period": (["rank", "--db", "{db}", "--period", "2025Q5"], "2025Q5"),
    "bad_month": (["rank", "--db", "{db}", "--period", "2025-13"], "2025-13"),
    "unknown_format": (["rank", "--db", "{db}", "--period", "2025Q3", "--format", "xml"], "xml"),
    "missing_period": (["rank", "--db", "{db}"], "--period"),
    "missing_database": (["rank", "--db", "{t}/none.duckdb", "--period", "2025Q3"], "none.duckdb"),
    "missing_cases_file": (["ingest", "--db", "{t}/s1.duckdb", "--cases", "{t}/nope.csv"], "nope.csv"),
    "rank_db_is_a_folder": (["rank", "--db", "{t}", "--period", "2025Q3"], "is a folder; name the store's file"),
    "ingest_db_is_a_folder": (["ingest", "--db", "{t}", "--cases", "{t}/cases.csv"], "is a folder"),
    "demo_db_is_a_folder": (["demo", "--db", "{t}", "--cases", "1000"], "is a folder"),
    "missing_mapping_file": (["ingest", "--db", "{t}/s2.duckdb", "--cases", "{t}/cases.csv", "--mapping",
                              "{t}/nope.toml"], "nope.toml"),
    "bad_mapping_file": (["ingest", "--db", "{t}/s3.duckdb", "--cases", "{t}/cases.csv", "--mapping",
                          "{t}/bad.toml"], "bad.toml"),
    "ingest_without_a_file": (["ingest", "--db", "{t}/s4.duckdb"], "--cases"),
    "unsupported_type": (["ingest", "--db", "{t}/s5.duckdb", "--cases", "{t}/cases.xls"], "cases.xls"),
    "missing_column": (["ingest", "--db", "{t}/s6.duckdb", "--cases", "{t}/nohead.csv"], "accepted_at"),
    "ragged_row": (["ingest", "--db", "{t}/s7.duckdb", "--cases", "{t}/ragged.csv"], "ragged.csv"),
    "bad_cases_count": (["demo", "--db", "{t}/d.duckdb", "--cases", "abc"], "abc"),
    "unknown_command": (["bogus"], "bogus"),
    "no_command": ([], "command"),
    "rank_db_not_a_database": (["rank", "--db", "{t}/notes.duckdb", "--period", "2025Q3"], "notes.duckdb"),
    "ingest_db_not_a_database": (["ingest", "--db", "{t}/notes.duckdb", "--cases", "{t}/cases.csv"],
                                 "notes.duckdb"),
    "rank_out_missing_dir": (["rank", "--db", "{db}", "--period", "2025Q3", "--out", "{t}/no/such/rank.csv"],
                             "rank.csv"),
    "bad_datetime_format": (["ingest", "--db", "{t}/s8.duckdb", "--cases", "{t}/cases.csv", "--mapping",
                             "{t}/badfmt.toml"], "badfmt.toml"),
}
# (rank_db_not_a_database, ingest_db_not_a_database and rank_out_missing_dir were engine bugs: a traceback)
MARKS: dict = {}  # bad_datetime_format was one too: the mapping is now refused when it is read


@pytest.fixture(scope="module")
def bad_runs(tmp_path_factory, fixture_db):
    """Every bad invocation, run at once (each is a fresh interpreter: startup dominates)."""
    t = tmp_path_factory.mktemp("bad_args")
    write_csv(t / "cases.csv", HEADER, ROWS)
    (t / "bad.toml").write_text('[columns]\nno_such_field = "x"\n', encoding="utf-8")
    (t / "cases.xls").write_text("not a workbook", encoding="utf-8")
    write_csv(t / "nohead.csv", ["办件编号", "办理部门"], [["A1", "甲局"]])
    (t / "ragged.csv").write_text("办件编号,办理部门,受理时间\nA1,甲局,2025-07-01,extra\n", encoding="utf-8")
    (t / "notes.duckdb").write_text("this is not a database\n", encoding="utf-8")
    (t / "badfmt.toml").write_text('[options]\ndatetime_format = "%d.%m.%Y %Q"\n', encoding="utf-8")
    env = {**os.environ, "METRICS_DB": str(t / "default.duckdb")}
    procs = {}
    for name, (args, _) in BAD.items():
        argv = [a.format(db=fixture_db, t=t) for a in args]
        procs[name] = subprocess.Popen([PY, "-m", "metrics", *argv], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                       stderr=subprocess.PIPE, text=True)
    out = {}
    for name, proc in procs.items():
        stdout, stderr = proc.communicate(timeout=180)
        out[name] = subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr)
    out["_dir"] = t
    return out


@pytest.mark.parametrize("name", [pytest.param(n, marks=MARKS.get(n, ())) for n in BAD])
def test_bad_arguments_exit_2_with_one_line(bad_runs, name):
    line = one_line_error(bad_runs[name])
    assert BAD[name][1] in line


def test_bad_arguments_change_nothing(bad_runs):
    t = bad_runs["_dir"]
    # a file that could not be imported leaves no store behind... or an empty one, never cases
    for n in range(1, 9):
        db = t / f"s{n}.duckdb"
        if db.exists():
            con = connect(db, read_only=True)
            assert con.execute("SELECT count(*) FROM cases").fetchone()[0] == 0
            assert con.execute("SELECT count(*) FROM imports").fetchone()[0] == 0
            con.close()
    assert not (t / "none.duckdb").exists()
    assert not (t / "default.duckdb").exists()


# ---------------------------------------------------------------- demo

def test_demo_builds_a_store(tmp_path):
    db = tmp_path / "demo" / "demo.duckdb"
    p = cli("demo", "--db", db, "--cases", "3000", "--seed", "1", tmp=tmp_path)
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    assert out["rows_read"] == 3000
    assert out["rows_read"] == out["accepted"] + out["rejected"] + out["repeats"]
    assert out["catalogue"]["accepted"] > 0
    con = connect(db, read_only=True)
    assert con.execute("SELECT count(*) FROM cases").fetchone()[0] == out["accepted"]
    assert con.execute("SELECT count(*) FROM imports").fetchone()[0] == 2
    con.close()
    # and rank reads it
    r = cli("rank", "--db", db, "--period", "2025Q3", "--format", "json", tmp=tmp_path)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)


def test_dashboard_toml_calendar_is_used_by_ingest(tmp_path):
    # (was an engine bug: Settings.calendar was never read)
    toml = tmp_path / "dashboard.toml"
    toml.write_text('calendar = "weekdays"\n', encoding="utf-8")
    cases = write_csv(tmp_path / "cases.csv", ["办件编号", "办理部门", "受理时间", "承诺时限"],
                      [["W1", "甲局", "2025-09-26 10:00", "1"]])
    db = tmp_path / "store.duckdb"
    # The CLI with its settings file pointed at tmp (dashboard.toml lives beside dashboard.py otherwise).
    code = ("import sys; from pathlib import Path; import metrics.settings as s; "
            f"s.CONFIG_FILE = Path({str(toml)!r}); from metrics.cli import main; "
            f"sys.exit(main(['ingest', '--db', {str(db)!r}, '--cases', {str(cases)!r}]))")
    p = subprocess.run([PY, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    con = connect(db, read_only=True)
    try:
        kind = con.execute("SELECT kind FROM calendar_meta").fetchone()[0]
        # weekdays: Fri 09-26 + 1 working day = Mon 09-29 (cn: the make-up Sunday 09-28)
        due = con.execute("SELECT due_date FROM case_facts WHERE case_id = 'W1'").fetchone()[0]
    finally:
        con.close()
    assert (kind, str(due)) == ("weekdays", "2025-09-29")


def test_store_held_by_another_program_says_so(tmp_path, inputs):
    # The dashboard keeps its store open for writing; DuckDB then refuses every other process.
    # The clerk is told what holds it and where to import instead, and the store is unharmed.
    cases, _, mapping = inputs
    db = tmp_path / "held.duckdb"
    assert cli("ingest", "--db", db, "--cases", cases, "--mapping", mapping, tmp=tmp_path).returncode == 0
    holder = subprocess.Popen([PY, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
                               "print('open', flush=True); time.sleep(60)", str(db)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        # (rank reads the store's reading copy meanwhile: tests/test_reading_copy.py)
        line = one_line_error(cli("ingest", "--db", db, "--cases", cases, "--mapping", mapping, tmp=tmp_path))
        assert str(db) in line and "lock" in line, line
        assert "most likely the dashboard" in line and "数据管理" in line, line
    finally:
        holder.kill()
        holder.wait()
    con = connect(db, read_only=True)
    assert con.execute("SELECT count(*) FROM cases").fetchone()[0] == 2
    assert con.execute("SELECT count(*) FROM imports").fetchone()[0] == 1
    con.close()


# ---------------------------------------------------------------- what a run leaves in the tree

def test_what_a_run_writes_is_ignored_by_git():
    """README, "What a run writes": a first `./run.sh dashboard` (the demo store, its WAL and
    its rejected rows), an import's audit trail (the access file), the browser test's
    screenshots and the benchmarks' output leave `git status` clean. The paths come from the
    code that writes them."""
    import shutil

    from metrics.alert_results import folder_of
    from metrics.audit import access_path
    from metrics.ingest import _rejects_path, staging_file
    from metrics.settings import DEFAULT_DB
    from tests.browser_util import SCREENSHOTS

    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    written = [DEFAULT_DB, DEFAULT_DB.with_name(DEFAULT_DB.name + ".wal"),
               _rejects_path(str(DEFAULT_DB), 2, "demo_cases.csv"),
               SCREENSHOTS / "overview_1920x1080.png", ROOT / "bench" / "out" / "results.json",
               access_path(DEFAULT_DB), access_path(DEFAULT_DB).with_name("dashboard.duckdb.access.sqlite-wal"),
               folder_of(DEFAULT_DB) / "0123456789-2025Q3-abcdef012345.parquet",
               staging_file(str(DEFAULT_DB)), staging_file(str(DEFAULT_DB)).with_name("dashboard.duckdb.import.duckdb.wal")]
    rel = [str(p.relative_to(ROOT)) for p in written]
    assert rel[2] == "data/dashboard-rejects/import-0002-demo_cases.csv"
    p = subprocess.run(["git", "check-ignore", "--no-index", *rel], cwd=ROOT, capture_output=True, text=True)
    assert sorted(p.stdout.split()) == sorted(rel), p.stdout + p.stderr
