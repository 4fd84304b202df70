"""Re-imports (spec 1.4): the newest import of a case_id wins and is reported as an update;
a row rejected in a later file leaves the earlier row; every committed import is in the history."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest

from metrics.ingest import ImportError_, import_file, import_history
from metrics.periods import parse_period
from metrics.rates import dept_metrics
from metrics.store import connect

HEADER = ["办件编号", "办理部门", "办件类型", "受理时间", "办结时间", "承诺时限", "评价等级", "办件状态", "联系电话"]
Q3 = parse_period("2025Q3")

# Accepted Tue 2025-07-01, promise 3 working days: due Fri 07-04.
R1 = ["R1", "甲局", "承诺件", "2025-07-01 09:00", "2025-07-03 10:00", "3", "非常满意", "办结", "13900000001"]  # early
R2 = ["R2", "甲局", "承诺件", "2025-07-01 09:00", "2025-07-04 16:00", "3", "满意", "办结", "13900000002"]      # on time
R3 = ["R3", "甲局", "承诺件", "2025-07-01 09:00", "2025-07-02 10:00", "3", "不满意", "办结", "13900000003"]    # early
R2_LATE = ["R2", "甲局", "承诺件", "2025-07-01 09:00", "2025-07-08 10:00", "3", "满意", "办结", "13900000002"]  # overdue
R3_BAD = ["R3", "甲局", "承诺件", "2025-07-01 09:00", "2025-07-99 10:00", "3", "不满意", "办结", "13900000003"]
R4 = ["R4", "甲局", "即办件", "2025-07-02 09:00", "2025-07-02 11:00", "0", "", "办结", "13900000004"]


def write_csv(path: Path, rows) -> Path:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows([HEADER, *rows])
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def led(ledger):
    return (ledger.rows_read, ledger.accepted, ledger.rejected, ledger.repeats, ledger.inserted, ledger.updated)


def jia(con):
    return dept_metrics(con, Q3).set_index("dept").loc["甲局"]


@pytest.fixture
def store(tmp_path):
    con = connect(tmp_path / "store.duckdb")
    first = import_file(con, write_csv(tmp_path / "first.csv", [R1, R2, R3]))
    assert led(first) == (3, 3, 0, 0, 3, 0)
    yield con, tmp_path
    con.close()


def test_first_import_by_hand(store):
    con, _ = store
    a = jia(con)
    # R1 early, R2 on the due date, R3 early: on time 3/3, early 2/3; ratings 5 4 2: satisfied 2/3.
    assert (a["on_time_cases"], a["deadline_cases"], a["early_cases"], a["early_base"]) == (3, 3, 2, 3)
    assert a["satisfaction_rate"] == pytest.approx(2 / 3)


def test_changed_row_replaces_the_old_one(store):
    con, tmp = store
    ledger = import_file(con, write_csv(tmp / "second.csv", [R2_LATE]))
    assert led(ledger) == (1, 1, 0, 0, 0, 1)                     # updated 1, inserted 0
    assert con.execute("SELECT count(*) FROM cases").fetchone()[0] == 3
    assert con.execute("SELECT completed_at, import_id, source_row FROM cases WHERE case_id = 'R2'").fetchone() \
        == (dt.datetime(2025, 7, 8, 10), 2, 2)
    a = jia(con)
    # R2 now done Tue 07-08, after the end of its due date 07-04: on time 2/3, one overdue; early unchanged.
    assert (a["on_time_cases"], a["deadline_cases"], a["overdue_cases"]) == (2, 3, 1)
    assert a["on_time_rate"] == pytest.approx(2 / 3)
    assert a["early_completion_rate"] == pytest.approx(2 / 3)
    # elapsed working days: R1 2 (07-02 03), R2 now 5 (07-02 03 04 07 08), R3 1 (07-02)
    assert a["elapsed_sum"] == 2 + 5 + 1


def test_rejected_row_leaves_the_old_row(store):
    con, tmp = store
    before = con.execute("SELECT * FROM cases WHERE case_id = 'R3'").fetchall()
    ledger = import_file(con, write_csv(tmp / "third.csv", [R3_BAD]))
    assert led(ledger) == (1, 0, 1, 0, 0, 0)
    assert ledger.rejected_by_reason == {"bad_timestamp": 1}
    assert con.execute("SELECT * FROM cases WHERE case_id = 'R3'").fetchall() == before   # import 1's row
    assert jia(con)["early_cases"] == 2


def test_whole_file_again_plus_a_new_case(store):
    con, tmp = store
    import_file(con, write_csv(tmp / "second.csv", [R2_LATE]))
    ledger = import_file(con, write_csv(tmp / "again.csv", [R1, R2, R3, R4]))
    # R1 R2 R3 exist already: updates, even when unchanged; R4 is new.
    assert led(ledger) == (4, 4, 0, 0, 1, 3)
    a = jia(con)
    # R2 back on time; R4 instant, same day: on time 4/4; early base stays the 3 committed cases.
    assert (a["cases"], a["on_time_cases"], a["deadline_cases"], a["overdue_cases"]) == (4, 4, 4, 0)
    assert a["instant_ratio"] == pytest.approx(1 / 4)


def test_case_moving_department_moves_its_figures(store):
    con, tmp = store
    moved = ["R1", "乙局", *R1[2:]]
    ledger = import_file(con, write_csv(tmp / "moved.csv", [moved]))
    assert (ledger.inserted, ledger.updated) == (0, 1)
    m = dept_metrics(con, Q3).set_index("dept")
    assert (m.loc["甲局", "cases"], m.loc["乙局", "cases"]) == (2, 1)
    assert (m.loc["甲局", "early_cases"], m.loc["乙局", "early_cases"]) == (1, 1)
    assert con.execute("SELECT sum(accepted_cases) FROM dept_daily").fetchone()[0] == 3


def test_import_history_has_every_import(store):
    con, tmp = store
    import_file(con, write_csv(tmp / "second.csv", [R2_LATE]))
    import_file(con, write_csv(tmp / "third.csv", [R3_BAD]))
    h = import_history(con)
    assert list(h["import_id"]) == [3, 2, 1]
    assert list(h["file_name"]) == ["third.csv", "second.csv", "first.csv"]
    assert [tuple(int(v) for v in r) for r in h[["rows_read", "accepted", "rejected", "repeats", "inserted",
                                                  "updated"]].itertuples(index=False)] == \
        [(1, 0, 1, 0, 0, 0), (1, 1, 0, 0, 0, 1), (3, 3, 0, 0, 3, 0)]
    # the rejects of import 3 are its own
    assert con.execute("SELECT import_id, row_no, reason FROM rejects").fetchall() == [(3, 2, "bad_timestamp")]


def test_failed_reimport_leaves_everything(store):
    con, tmp = store
    tables = ("cases", "dept_daily", "imports", "rejects", "calendar")
    before = {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in tables}
    bad = tmp / "ragged.csv"
    # R2_LATE is fine, the next row has one field too many: the file cannot be read.
    bad.write_text(",".join(HEADER) + "\n" + ",".join(R2_LATE) + "\n" + ",".join(R4) + ",extra\n", encoding="utf-8")
    with pytest.raises(ImportError_) as e:
        import_file(con, bad)
    assert "ragged.csv" in str(e.value) and "row 3" in str(e.value)
    assert {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in tables} == before
    # the connection is usable and the next import gets the next number
    ledger = import_file(con, write_csv(tmp / "second.csv", [R2_LATE]))
    assert (ledger.import_id, ledger.updated) == (2, 1)


CAT_HEADER = ["事项编码", "事项名称", "实施部门", "事项类型", "法定时限", "承诺时限", "应进驻", "豁免进驻",
              "进驻日期", "纳入网上审批日期", "取消日期"]


def import_catalogue(con, path: Path, entered: str):
    rows = [["I1", "事项一", "甲局", "承诺件", "10", "3", "是", "否", entered, "", ""],
            ["I2", "事项二", "甲局", "承诺件", "10", "3", "是", "否", "2024-01-01", "", ""]]
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows([CAT_HEADER, *rows])
    path.write_text(buf.getvalue(), encoding="utf-8")
    return import_file(con, path, kind="catalogue")


def test_catalogue_reimport_replaces_items(store):
    con, tmp_path = store

    def cat(name, entered):
        return import_catalogue(con, tmp_path / name, entered)

    first = cat("cat1.csv", "")
    assert led(first) == (2, 2, 0, 0, 2, 0)
    assert jia(con)["entry_rate"] == pytest.approx(1 / 2)       # I2 entered, I1 not
    second = cat("cat2.csv", "2025-03-01")
    assert led(second) == (2, 2, 0, 0, 0, 2)
    assert jia(con)["entry_rate"] == pytest.approx(1.0)
    assert con.execute("SELECT count(*) FROM catalogue").fetchone()[0] == 2
    con.close()


def test_catalogue_flags_have_their_own_words(tmp_path):
    # A mapping's words for window sign-off say nothing about a catalogue's 应进驻 / 豁免进驻;
    # those columns take the default yes/no words or their own [values.must_enter] / [values.exempt].
    from metrics.mapping import parse_mapping
    con = connect(tmp_path / "store.duckdb")
    rows = [["I1", "事项一", "甲局", "承诺件", "10", "3", "签批", "否", "2024-01-01", "", ""],
            ["I2", "事项二", "甲局", "承诺件", "10", "3", "必须进驻", "不豁免", "2024-01-01", "", ""]]
    path = tmp_path / "cat.csv"
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows([CAT_HEADER, *rows])
    path.write_text(buf.getvalue(), encoding="utf-8")
    mapping = parse_mapping('[values.window_signed]\ntrue = ["签批"]\n\n'
                            '[values.must_enter]\ntrue = ["必须进驻"]\n\n[values.exempt]\nfalse = ["不豁免"]\n')
    ledger = import_file(con, path, kind="catalogue", mapping=mapping)
    assert (ledger.accepted, ledger.rejected) == (1, 1)
    assert con.execute("SELECT row_no, field, value, reason FROM rejects").fetchall() == \
        [(2, "must_enter", "签批", "bad_value")]
    assert con.execute("SELECT item_code, must_enter, exempt FROM catalogue").fetchall() == [("I2", True, False)]
    con.close()


def test_catalogue_only_store_has_entry_rate(tmp_path):
    # A centre may load its item catalogue before any case log: the entry rate needs only the
    # catalogue (spec 4.1), and the ranking lists a department with an active item (spec 7).
    con = connect(tmp_path / "store.duckdb")
    import_catalogue(con, tmp_path / "cat.csv", "")
    a = jia(con)
    assert (a["entry_base"], a["entered_items"]) == (2, 1)
    assert a["entry_rate"] == pytest.approx(1 / 2)            # I2 entered, I1 not
    assert a["cases"] == 0
    from metrics.ranking import ranking
    t = ranking(con, Q3, min_cases=0).set_index("dept")
    assert t.loc["甲局", "entry_rate"] == pytest.approx(1 / 2)
    con.close()
