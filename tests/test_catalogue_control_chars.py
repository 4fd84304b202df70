"""Control characters in an item catalogue and a departments file are rejected as in a case log.

A NUL, line break or other control character inside an item code, a department or a category
would make a look-alike ("甲局" and "甲局\\0" as two departments, two categories that read the
same). Each such row is rejected with `control_character`: file row, field, the value with its
control characters drawn as symbols (␀, ␊ …), and the ledger balances. Real files (bytes
written exactly), the real importer, a real DuckDB store.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from metrics.departments import category_table
from metrics.ingest import import_file, rejects_frame
from metrics.store import connect

CATALOGUE_HEADER = "事项编码,事项名称,实施部门,事项类型,法定时限,承诺时限\n"
DEPARTMENTS_HEADER = "部门名称,考核类别\n"


def write(path: Path, header: str, lines: list[str]) -> Path:
    # Bytes written exactly: the csv module would not be trusted with a NUL here.
    path.write_bytes((header + "".join(lines)).encode("utf-8"))
    return path


def no_raw_control_characters(data: bytes) -> bool:
    return not any(b < 0x20 and b not in (0x0a, 0x0d) or b == 0x7f for b in data)


def test_catalogue_rows_with_control_characters_are_rejected(tmp_path):
    f = write(tmp_path / "catalogue.csv", CATALOGUE_HEADER, [
        "I1,营业执照,甲局,承诺件,10,3\n",                  # 2 good
        "I2\x00,食品经营许可,甲局,承诺件,20,5\n",          # 3 NUL in item_code
        'I3,"户籍\n迁移",乙局,即办件,1,0\n',               # 4 good: a name over two lines
        'I4,"户籍证明",乙局\x1b,即办件,1,0\n',             # 5 ESC in dept
        'I5,"出生\x07登记",乙局,即办件,1,0\n',             # 6 BEL in item_name
        'I6,"船舶登记","乙\n局",承诺件,15,5\n',            # 7 line break in dept (quoted)
        "I7,\t税务登记\t,丙局,承诺件,5,2\n",               # 8 good: tabs at the edges are trimmed
        "I1,营业执照,甲局,承诺件,10,3\n",                  # 9 repeat of row 2
        "I8,营业\t执照,丙局,承诺件,10,3\n",                # 10 good: a tab inside a name passes
    ])
    con = connect(tmp_path / "s.duckdb")
    ledger = import_file(con, f, kind="catalogue")
    assert (ledger.rows_read, ledger.accepted, ledger.rejected, ledger.repeats) == (9, 4, 4, 1)
    assert ledger.balances() and ledger.rejected_by_reason == {"control_character": 4}
    assert con.execute("SELECT row_no, field, value, reason FROM rejects ORDER BY row_no").fetchall() == [
        (3, "item_code", "I2␀", "control_character"),
        (5, "dept", "乙局␛", "control_character"),
        (6, "item_name", "出生␇登记", "control_character"),
        (7, "dept", "乙␊局", "control_character"),
    ]
    assert con.execute("SELECT item_code, dept FROM catalogue ORDER BY item_code").fetchall() == [
        ("I1", "甲局"), ("I3", "乙局"), ("I7", "丙局"), ("I8", "丙局")]
    assert con.execute("SELECT item_name FROM catalogue WHERE item_code IN ('I3', 'I8') ORDER BY item_code"
                       ).fetchall() == [("户籍\n迁移",), ("营业\t执照",)]
    frame = rejects_frame(con, ledger.import_id, "zh")
    # The catalogue's own Chinese name of the field: 实施部门, not the case log's 办理部门.
    assert frame["message"][1].startswith("“实施部门”的值“乙局␛”含有控制字符")
    assert rejects_frame(con, ledger.import_id, "en")["message"][0].startswith(
        "item_code value 'I2␀' holds a control character")
    con.close()
    written = Path(ledger.rejects_file).read_bytes()
    assert no_raw_control_characters(written) and "乙局␛".encode() in written


def test_departments_rows_with_control_characters_are_rejected(tmp_path):
    f = write(tmp_path / "departments.csv", DEPARTMENTS_HEADER, [
        "甲局,审批类\n",          # 2 good
        "甲局\x00,服务类\n",      # 3 NUL in dept: would be a second 甲局
        "乙局,审批\x0b类\n",      # 4 vertical tab in the category: a second 审批类
        '"丙\r\n局",综合类\n',    # 5 line break in dept (quoted)
        "丁局,\x7f综合类\n",      # 6 DEL in the category
        "戊局,综合类\n",          # 7 good
        "甲局,审批类\n",          # 8 repeat of row 2
    ])
    con = connect(tmp_path / "s.duckdb")
    ledger = import_file(con, f, kind="departments")
    assert (ledger.rows_read, ledger.accepted, ledger.rejected, ledger.repeats) == (7, 2, 4, 1)
    assert ledger.balances() and ledger.rejected_by_reason == {"control_character": 4}
    assert con.execute("SELECT row_no, field, value, reason FROM rejects ORDER BY row_no").fetchall() == [
        (3, "dept", "甲局␀", "control_character"),
        (4, "category", "审批␋类", "control_character"),
        (5, "dept", "丙␍␊局", "control_character"),
        (6, "category", "␡综合类", "control_character"),
    ]
    assert category_table(con)[["dept", "category"]].values.tolist() == [["甲局", "审批类"], ["戊局", "综合类"]]
    assert rejects_frame(con, ledger.import_id, "zh")["message"][1].startswith("“考核类别”的值“审批␋类”含有控制字符")
    con.close()
    assert no_raw_control_characters(Path(ledger.rejects_file).read_bytes())


def test_a_conflicting_department_with_a_control_character_is_shown_as_a_symbol(tmp_path):
    # The same look-alike name twice with two categories: rejected as a conflict, still drawn safely.
    f = write(tmp_path / "departments.csv", DEPARTMENTS_HEADER, ["甲局\x00,审批类\n", "甲局\x00,服务类\n"])
    con = connect(tmp_path / "s.duckdb")
    ledger = import_file(con, f, kind="departments")
    assert (ledger.rows_read, ledger.accepted, ledger.rejected) == (2, 0, 2)
    assert con.execute("SELECT DISTINCT value, reason FROM rejects").fetchall() == [("甲局␀", "duplicate_dept")]
    con.close()


def test_a_parquet_catalogue_is_checked_the_same(tmp_path):
    # Parquet carries a NUL inside a string where no CSV quoting is involved.
    f = tmp_path / "catalogue.parquet"
    pq.write_table(pa.table({"事项编码": ["I1", "I2"], "事项名称": ["营业执照", "食品许可"],
                             "实施部门": ["甲局", "甲局\x00"]}), f)
    con = connect(tmp_path / "s.duckdb")
    ledger = import_file(con, f, kind="catalogue")
    assert (ledger.rows_read, ledger.accepted, ledger.rejected) == (2, 1, 1)
    assert con.execute("SELECT row_no, field, value, reason FROM rejects").fetchall() == [
        (3, "dept", "甲局␀", "control_character")]
    con.close()
