"""Spark computes the same numbers as DuckDB (issue 13): the same case facts case by case,
the same per-day parts, and the same ranking table byte for byte, on the hand-computed
fixture, on demo data and on the real Baltimore 311 export.

Each store is exported to a lake (`export-cases`) and rebuilt from the lake alone by
`aggregate`, once per engine; pyspark runs in local mode, one session for this module.
"""

from __future__ import annotations

import math
from pathlib import Path

import duckdb
import pytest

from conftest_app import no_exception, open_app
from metrics.cli import main
from metrics.engines import spark as spark_engine
from metrics.engines.aggregate import build_store
from metrics.lake import export_cases
from metrics.periods import parse_period
from metrics.rates import dept_metrics
from metrics.render import daily_columns
from metrics.store import connect
from tests.conftest import ROOT, SHARED, build_small_store

BALTIMORE_CSV = SHARED / "data" / "baltimore311" / "311_sample.csv"
BALTIMORE_MAPPING = ROOT / "data" / "mappings" / "baltimore311.toml"
DEMO_CASES = 20_000


@pytest.fixture(scope="module")
def spark():
    session = spark_engine.session("local[2]")
    yield session
    session.stop()


class Built:
    """A source store, its lake, and the stores rebuilt from the lake by each engine."""

    def __init__(self, source: Path, spark):
        self.source = source
        self.lake = source.parent / "lake"
        con = connect(source, read_only=True)
        try:
            self.exported = export_cases(con, self.lake)
        finally:
            con.close()
        self.duckdb = source.parent / "from_lake_duckdb.duckdb"
        self.spark = source.parent / "from_lake_spark.duckdb"
        build_store(self.lake, self.duckdb, "duckdb")
        # Through the command line, as a clerk runs it; it uses the module's session.
        assert main(["aggregate", "--engine", "spark", "--spark-master", "local[2]",
                     "--cases", str(self.lake), "--db", str(self.spark)]) == 0
        # Spark's case facts, for the case-by-case comparison.
        spark_engine.register_lake(spark, self.lake)
        spark.sql(spark_engine.spark_sql("case_facts"))
        self.spark_facts = spark.sql("SELECT * FROM case_facts").toArrow()


@pytest.fixture(scope="module")
def small(tmp_path_factory, spark):
    d = tmp_path_factory.mktemp("spark_small")
    return Built(build_small_store(d / "small.duckdb"), spark)


@pytest.fixture(scope="module")
def demo(tmp_path_factory, spark):
    from metrics.cli import build_demo
    d = tmp_path_factory.mktemp("spark_demo")
    build_demo(d / "demo.duckdb", DEMO_CASES, 5)
    return Built(d / "demo.duckdb", spark)


@pytest.fixture(scope="module")
def baltimore(tmp_path_factory, spark):
    from metrics.ingest import import_file
    from metrics.mapping import load_mapping
    if not BALTIMORE_CSV.exists():
        pytest.skip("../shared/data/baltimore311 is not beside the checkout")
    d = tmp_path_factory.mktemp("spark_baltimore")
    con = connect(d / "b.duckdb")
    import_file(con, BALTIMORE_CSV, "cases", load_mapping(BALTIMORE_MAPPING))
    con.close()
    return Built(d / "b.duckdb", spark)


def rank_bytes(db: Path, period: str, tmp: Path) -> bytes:
    out = tmp / f"rank-{db.stem}-{period.replace('..', '_')}.csv"
    assert main(["rank", "--db", str(db), "--period", period, "--out", str(out)]) == 0
    return out.read_bytes()


def daily_rows(db: Path) -> list[tuple]:
    """dept_daily, without rows where every part is 0 (such a row says nothing; whether an
    engine writes one is not a figure)."""
    cols = daily_columns()
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(f"SELECT dept, day, {', '.join(cols)} FROM dept_daily "
                           f"WHERE {' OR '.join(f'{c} <> 0' for c in cols)} ORDER BY day, dept").fetchall()
    finally:
        con.close()


def facts_differ(built: Built) -> tuple[int, int, int]:
    """Cases whose facts differ between DuckDB's case_facts (of the source store) and Spark's,
    each way, over every column Spark computed; and the number of cases compared."""
    cols = ", ".join(built.spark_facts.column_names)
    con = duckdb.connect(str(built.source), read_only=True)
    try:
        con.register("spark_facts", built.spark_facts)
        only_duckdb = con.execute(f"SELECT count(*) FROM (SELECT {cols} FROM case_facts EXCEPT ALL "
                                  f"SELECT {cols} FROM spark_facts)").fetchone()[0]
        only_spark = con.execute(f"SELECT count(*) FROM (SELECT {cols} FROM spark_facts EXCEPT ALL "
                                 f"SELECT {cols} FROM case_facts)").fetchone()[0]
        return only_duckdb, only_spark, built.spark_facts.num_rows
    finally:
        con.close()


def test_lake_layout(small):
    lake = small.lake
    months = sorted(p.name for p in (lake / "cases").iterdir())
    # The fixture's cases are accepted from June to September 2025.
    assert months == ["month=2025-06", "month=2025-07", "month=2025-08", "month=2025-09"]
    assert small.exported["rows"]["cases"] == 22
    assert small.exported["rows"]["catalogue"] == 5
    import pyarrow.parquet as pq
    schema = pq.read_schema(next((lake / "cases" / "month=2025-07").glob("*.parquet")))
    # Microseconds without a zone: what Spark reads (it refuses pandas' nanoseconds).
    assert str(schema.field("accepted_at").type) == "timestamp[us]"
    assert "import_id" not in schema.names and "source_row" not in schema.names


def test_small_case_facts_are_the_same_case_by_case(small):
    assert facts_differ(small) == (0, 0, 22)


def test_small_hand_computed_figures_on_the_spark_store(small):
    con = connect(small.spark, read_only=True)
    try:
        a = dept_metrics(con, parse_period("2025Q3")).set_index("dept").loc["甲局"]
        q4 = dept_metrics(con, parse_period("2025Q4")).set_index("dept").loc["甲局"]
    finally:
        con.close()
    # tests/test_metrics_fixture.py works these out by hand.
    assert a["cases"] == 7 and a["completed_cases"] == 4
    assert a["early_completion_rate"] == pytest.approx(1 / 3)
    assert a["on_time_rate"] == pytest.approx(3 / 4)
    assert a["time_compression"] == pytest.approx(1 - 7 / 26)
    assert a["open_overdue_cases"] == 1
    assert a["entry_rate"] == pytest.approx(2 / 3)
    # A5 crosses the 2025 National Day: due 10-09, done 10-09, 1 working day.
    assert q4["avg_actual_days"] == 1 and q4["on_time_rate"] == 1 and q4["early_completion_rate"] == 0
    assert not math.isnan(a["satisfaction_rate"])


def test_small_daily_parts_and_ranking_are_identical(small, tmp_path):
    assert daily_rows(small.spark) == daily_rows(small.source)
    assert daily_rows(small.duckdb) == daily_rows(small.source)
    for period in ("2025Q2", "2025Q3", "2025Q4", "2025", "2025-07", "2025-07-03..2025-09-08"):
        want = rank_bytes(small.source, period, tmp_path)
        assert rank_bytes(small.spark, period, tmp_path) == want, period
        assert rank_bytes(small.duckdb, period, tmp_path) == want, period


def test_demo_case_facts_daily_parts_and_ranking(demo, tmp_path):
    only_duckdb, only_spark, n = facts_differ(demo)
    assert (only_duckdb, only_spark) == (0, 0)
    assert n == demo.exported["rows"]["cases"] > 15_000  # a few demo rows are rejected on import
    assert daily_rows(demo.spark) == daily_rows(demo.source)
    periods = [f"{y}Q{q}" for y, q in ((2024, 4), (2025, 1), (2025, 2), (2025, 3), (2025, 4), (2026, 1),
                                        (2026, 2), (2026, 3))] + ["2025", "2026-02"]
    for period in periods:
        assert rank_bytes(demo.spark, period, tmp_path) == rank_bytes(demo.source, period, tmp_path), period


def test_baltimore_case_facts_daily_parts_and_ranking(baltimore, tmp_path):
    only_duckdb, only_spark, n = facts_differ(baltimore)
    assert (only_duckdb, only_spark) == (0, 0)
    assert n > 9_000
    assert daily_rows(baltimore.spark) == daily_rows(baltimore.source)
    for period in ("2014-01-01..2019-12-31", "2018", "2019", "2018Q3"):
        assert rank_bytes(baltimore.spark, period, tmp_path) == rank_bytes(baltimore.source, period, tmp_path), \
            period


def test_every_page_loads_on_the_store_spark_built(demo, monkeypatch):
    from metrics.ranking import ranking
    from pages.navigation import PAGE_SPECS
    for spec in PAGE_SPECS:
        at = open_app(demo.spark, monkeypatch, page=spec.url_path)
        no_exception(at)
    at = open_app(demo.spark, monkeypatch, page="rankings")
    shown = at.dataframe[0].value
    con = connect(demo.source, read_only=True)
    try:
        want = ranking(con, at.session_state["view"].period)
    finally:
        con.close()
    assert list(shown["部门"]) == list(want["dept"])


def test_ranking_downloads_are_the_same_bytes_from_the_spark_store(demo, monkeypatch, downloads):
    got = {}
    for name, db in (("source", demo.source), ("spark", demo.spark)):
        at = open_app(db, monkeypatch, page="rankings")
        no_exception(at)
        got[name] = {b.label: downloads.of(b) for b in at.download_button if b.label.startswith("CSV")}
    assert len(got["source"]) == 2  # as shown, and the machine table of spec 8
    assert got["spark"] == got["source"]


def test_aggregate_refuses_what_is_not_a_lake(tmp_path, capsys):
    (tmp_path / "lake").mkdir()
    assert main(["aggregate", "--cases", str(tmp_path / "lake"), "--db", str(tmp_path / "x.duckdb")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"{tmp_path / 'lake'}: not a case lake (missing cases, calendar.parquet")
    assert main(["aggregate", "--cases", str(tmp_path / "nowhere"), "--db", str(tmp_path / "x.duckdb")]) == 2
    assert capsys.readouterr().err.strip() == f"{tmp_path / 'nowhere'}: no such folder"
    assert not (tmp_path / "x.duckdb").exists()


def test_a_lake_with_nanosecond_timestamps_fails_on_spark_and_leaves_no_store(small, tmp_path, capsys):
    """pandas writes nanoseconds; DuckDB reads them, Spark does not: the clerk gets one line
    with Spark's reason, and no store."""
    import shutil
    import pyarrow as pa
    import pyarrow.parquet as pq
    lake = tmp_path / "lake"
    shutil.copytree(small.lake, lake)
    f = next((lake / "cases" / "month=2025-07").glob("*.parquet"))
    t = pq.read_table(f)
    pq.write_table(t.cast(pa.schema([pa.field(c.name, pa.timestamp("ns")) if pa.types.is_timestamp(c.type) else c
                                     for c in t.schema])), f)
    db = tmp_path / "x.duckdb"
    assert main(["aggregate", "--engine", "spark", "--cases", str(lake), "--db", str(db)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"Spark could not compute the aggregates of {lake}: ") and "\n" not in err
    # The column Spark could not convert: whichever of the timestamps its tasks read first
    # (accepted_at or completed_at, seen both ways in CI runs).
    nanosecond_columns = [f.name for f in t.schema if pa.types.is_timestamp(f.type)]
    assert any(f"[{c}]" in err for c in nanosecond_columns), err
    assert not db.exists() and not list(tmp_path.glob("tmp*"))


def test_a_lake_file_that_is_not_parquet_is_named(small, tmp_path, capsys):
    import shutil
    lake = tmp_path / "lake"
    shutil.copytree(small.lake, lake)
    bad = next((lake / "cases" / "month=2025-07").glob("*.parquet"))
    bad.write_bytes(b"not parquet at all")
    db = tmp_path / "x.duckdb"
    assert main(["aggregate", "--engine", "spark", "--cases", str(lake), "--db", str(db)]) == 2
    err = capsys.readouterr().err.strip()
    assert str(bad) in err and "\n" not in err
    assert not db.exists() and not list(tmp_path.glob("tmp*"))


def test_export_refuses_a_folder_in_use_and_an_empty_store(small, tmp_path, capsys):
    assert main(["export-cases", "--db", str(small.source), "--out", str(small.lake)]) == 2
    assert capsys.readouterr().err.strip() == f"{small.lake}: the folder is not empty; give a new one"
    empty = tmp_path / "empty.duckdb"
    connect(empty).close()
    assert main(["export-cases", "--db", str(empty), "--out", str(tmp_path / "l")]) == 2
    assert capsys.readouterr().err.strip() == "the store holds no imported cases: nothing to export"


def test_a_rebuild_keeps_the_published_revisions(small, tmp_path):
    import shutil
    from metrics.publication import load_revision, publish, revisions
    from metrics.settings import Settings
    store = tmp_path / "province.duckdb"
    shutil.copy(small.source, store)
    q3 = parse_period("2025Q3")
    con = connect(store)
    publish(con, q3, Settings(min_cases=3), note="first")
    frozen = load_revision(con, q3).ranking
    con.close()
    out = build_store(small.lake, store, "duckdb")
    assert out["rows"]["publications"] == 1
    con = connect(store, read_only=True)
    try:
        assert [(r.period, r.revision, r.note) for r in revisions(con)] == [("2025Q3", 1, "first")]
        again = load_revision(con, q3).ranking
        assert again.equals(frozen)
        assert list(again["dept"]) == ["丙局", "乙局", "甲局", "丁局"]
        # The rebuilt store is the lake's: its ledger has the lake's rows, not the old imports.
        assert con.execute("SELECT file_name, rows_read FROM imports ORDER BY import_id").fetchall() == [
            ("lake: catalogue.parquet", 5), ("lake: cases/", 22)]
    finally:
        con.close()


def test_a_lake_store_takes_the_next_import(small, tmp_path):
    """The clerk's next CSV goes into a store Spark built, as into any other."""
    import shutil
    from metrics.ingest import import_file
    from tests.conftest import FIXTURES
    store = tmp_path / "province.duckdb"
    shutil.copy(small.spark, store)
    con = connect(store)
    try:
        ledger = import_file(con, FIXTURES / "small_cases.csv", kind="cases")
    finally:
        con.close()
    # The same 22 cases again: every one an update of the lake's row, nothing new.
    assert (ledger.accepted, ledger.inserted, ledger.updated) == (22, 0, 22)
    # The lake store has every table an import updates, so nothing had to be rebuilt.
    assert ledger.full_rebuild is None
    assert daily_rows(store) == daily_rows(small.source)
    assert rank_bytes(store, "2025Q3", tmp_path) == rank_bytes(small.source, "2025Q3", tmp_path)


def test_spark_connect_without_its_client_packages_is_one_clear_line():
    # The Connect client's packages (grpcio …) are not pinned here (docs/spark.md): asking
    # for Spark Connect says what is missing instead of a traceback.
    import importlib.util
    if importlib.util.find_spec("grpc") is not None:
        pytest.skip("grpcio is installed here: the Connect client would try to connect")
    with pytest.raises(spark_engine.SparkError) as e:
        spark_engine.session("sc://127.0.0.1:15002")
    assert str(e.value).startswith("cannot start Spark on sc://127.0.0.1:15002: [PACKAGE_NOT_INSTALLED] grpcio")
