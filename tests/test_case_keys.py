"""How an import finds the stored cases it replaces (metrics/aggregates.find_replaced): by the
stored ids' range, then by the case keys (hashes of every stored id), then exactly. The keys
may hold more than the stored ids, never fewer: a missing key would let a re-imported case in
twice. Each test re-imports a case whose id sorts between stored ones, so neither the range
nor luck answers for the keys."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from metrics import aggregates
from metrics.ingest import import_file
from metrics.store import connect

HEADER = ["办件编号", "办理部门", "办件类型", "受理时间", "办结时间", "承诺时限", "办件状态"]


def row(case_id: str, dept: str = "甲局", day: int = 1) -> list[str]:
    return [case_id, dept, "承诺件", f"2025-07-{day:02d} 09:00", f"2025-07-{day + 1:02d} 10:00", "3", "办结"]


def write_csv(path: Path, rows) -> Path:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows([HEADER, *rows])
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def cases(con) -> dict[str, str]:
    return dict(con.execute("SELECT case_id, dept FROM cases").fetchall())


def keys_cover_cases(con) -> bool:
    return con.execute("SELECT count(*) FROM cases c WHERE hash(c.case_id) NOT IN (SELECT key FROM case_keys)"
                       ).fetchone()[0] == 0


@pytest.fixture
def store(tmp_path):
    con = connect(tmp_path / "store.duckdb")
    ledger = import_file(con, write_csv(tmp_path / "first.csv", [row("A100"), row("A300"), row("A500")]))
    assert (ledger.inserted, ledger.updated) == (3, 0)
    yield con, tmp_path
    con.close()


def test_a_first_import_makes_the_keys_of_every_case(store):
    con, _ = store
    assert con.execute("SELECT count(*) FROM case_keys").fetchone()[0] == 3
    assert keys_cover_cases(con)


def test_a_case_added_between_stored_ids_is_found_when_imported_again(store):
    con, tmp = store
    # A200 sorts between stored ids: a new case, found by neither the range nor the keys.
    added = import_file(con, write_csv(tmp / "added.csv", [row("A200", "甲局")]))
    assert (added.inserted, added.updated) == (1, 0)
    assert keys_cover_cases(con)
    # Again, moved to another department and day: only its key (added by the last import) finds it.
    assert aggregates.ensure_case_keys(con) is False  # current: the import kept them so
    again = import_file(con, write_csv(tmp / "again.csv", [row("A200", "乙局", day=8)]))
    assert (again.inserted, again.updated) == (0, 1)
    assert cases(con) == {"A100": "甲局", "A200": "乙局", "A300": "甲局", "A500": "甲局"}
    assert con.execute("SELECT sum(accepted_cases) FROM dept_daily WHERE dept = '乙局'").fetchone()[0] == 1
    assert con.execute("SELECT sum(accepted_cases) FROM dept_daily WHERE dept = '甲局'").fetchone()[0] == 3
    assert con.execute("SELECT count(*) FROM case_keys").fetchone()[0] == 4  # a replaced case adds no key


SPOILED = {
    # a store from before them, or one that Spark built
    "no-keys": ["DROP TABLE case_keys"],
    # as a DuckDB release with another hash() would leave them: keys that match nothing
    "another-hash": ["UPDATE case_keys SET key = key + 1", "UPDATE case_keys_meta SET probe = probe + 1"],
}


@pytest.mark.parametrize("spoil", SPOILED.values(), ids=SPOILED.keys())
def test_keys_missing_or_from_another_hash_are_made_before_the_next_import(store, spoil):
    con, tmp = store
    for statement in spoil:
        con.execute(statement)
    again = import_file(con, write_csv(tmp / "again.csv", [row("A300", "乙局")]))
    assert (again.inserted, again.updated) == (0, 1)
    assert cases(con) == {"A100": "甲局", "A300": "乙局", "A500": "甲局"}
    assert keys_cover_cases(con)


def test_a_key_record_of_another_shape_is_made_again(store):
    con, _ = store
    con.execute("CREATE OR REPLACE TABLE case_keys_meta AS SELECT 1 AS probe")
    assert aggregates.ensure_case_keys(con) is True
    assert aggregates.ensure_case_keys(con) is False


def test_cases_imported_by_a_version_without_keys_are_found(store):
    con, tmp = store
    # What an earlier version of the dashboard leaves: a case and its import, and no key.
    con.execute("INSERT INTO cases SELECT * REPLACE ('A200' AS case_id) FROM cases WHERE case_id = 'A100'")
    con.execute("INSERT INTO imports SELECT * REPLACE (import_id + 1 AS import_id) FROM imports "
                "ORDER BY import_id DESC LIMIT 1")
    again = import_file(con, write_csv(tmp / "again.csv", [row("A200", "乙局")]))
    assert (again.inserted, again.updated) == (0, 1)
    assert cases(con) == {"A100": "甲局", "A200": "乙局", "A300": "甲局", "A500": "甲局"}
    assert keys_cover_cases(con)


def test_a_catalogue_import_leaves_the_keys_current(store):
    con, tmp = store
    (tmp / "catalogue.csv").write_text("事项编码,事项名称,办件类型,法定时限,承诺时限\nI1,事项一,承诺件,20,5\n",
                                       encoding="utf-8")
    import_file(con, tmp / "catalogue.csv", kind="catalogue")
    assert aggregates.ensure_case_keys(con) is False  # nothing to make again


def test_a_rebuild_makes_the_keys_again(store):
    con, tmp = store
    con.execute("DELETE FROM case_keys")
    ledger = import_file(con, write_csv(tmp / "weekdays.csv", [row("A200")]), calendar_kind="weekdays")
    assert ledger.full_rebuild and "calendar" in ledger.full_rebuild
    assert con.execute("SELECT count(*) FROM case_keys").fetchone()[0] == 4
    assert keys_cover_cases(con)


@pytest.mark.parametrize("ids, beside", [
    (["B1", "B2"], True),          # every new id above every stored one
    (["0001", "9"], True),         # below
    (["A200"], False),             # between
    (["A500"], False),             # equal to the stored maximum
    (["A100"], False),             # equal to the stored minimum
    (["A50", "A600"], False),      # around the stored maximum
    (["办件1"], False),            # beyond ASCII: not decided by the range
])
def test_the_range_answers_only_for_ids_beside_the_stored_ones(store, ids, beside):
    con, _ = store
    con.execute("CREATE OR REPLACE TEMP TABLE ids AS SELECT unnest($ids) AS case_id", {"ids": ids})
    assert aggregates._beside_stored_ids(con, "ids") is beside


def test_the_stored_range_is_taken_by_its_prefix(tmp_path):
    # DuckDB keeps a string column's minimum and maximum as prefixes: an id that shares the
    # stored maximum's prefix and sorts after it is not thereby beside the stored ids.
    con = connect(tmp_path / "store.duckdb")
    long_id = "20261305017113000001"
    import_file(con, write_csv(tmp_path / "first.csv", [row("10000000000000000001"), row(long_id)]))
    con.execute("CREATE OR REPLACE TEMP TABLE ids AS SELECT unnest($ids) AS case_id",
                {"ids": ["20261305017113000002"]})
    assert aggregates._beside_stored_ids(con, "ids") is False
    again = import_file(con, write_csv(tmp_path / "again.csv", [row(long_id, "乙局")]))
    assert (again.inserted, again.updated) == (0, 1)
    con.close()
