"""metrics.readers: every export format streams as all-text Arrow batches (spec 1.1, 1.4)."""

from __future__ import annotations

import datetime as dt
import decimal
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from metrics.readers import csv as csv_reader
from metrics.readers import Source, SourceError, detect_encoding, open_source

HEADERS = ["办件编号", "办理部门", "受理时间", "承诺时限"]


def rows_of(src: Source, columns=None) -> list[list[str]]:
    out = []
    for b in src.batches(columns):
        assert all(f.type == pa.string() for f in b.schema), b.schema
        assert all(c.null_count == 0 for c in b.columns)
        out.extend(zip(*(c.to_pylist() for c in b.columns)))
    return [list(r) for r in out]


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(data)
    return p


# ------------------------------------------------------------------ CSV: encodings

def test_utf8_csv(tmp_path):
    text = ("办件编号,办理部门,受理时间,承诺时限\n"
            "SB001,市场监督管理局,2025-07-01 09:30:00,5\n"
            "SB002,公安局,2025/07/02,0\n")
    src = open_source(write(tmp_path, "log.csv", text.encode("utf-8")))
    assert (src.format, src.encoding, src.headers, src.total_rows) == ("csv", "utf-8", HEADERS, None)
    assert rows_of(src) == [["SB001", "市场监督管理局", "2025-07-01 09:30:00", "5"],
                            ["SB002", "公安局", "2025/07/02", "0"]]


def test_utf8_bom_csv(tmp_path):
    text = "\ufeff办件编号,办理部门\nSB001,税务局\n"
    src = open_source(write(tmp_path, "bom.csv", text.encode("utf-8")))
    assert src.encoding == "utf-8-sig"
    assert src.headers == ["办件编号", "办理部门"]          # no BOM glued to the first header
    assert rows_of(src, ["办件编号"]) == [["SB001"]]


def test_gbk_csv(tmp_path):
    text = ("办件编号,办理部门,受理时间,评价等级\n"
            "SB001,人力资源和社会保障局,2025年7月1日 09:30,非常满意\n"
            "SB002,住房和城乡建设局,2025-07-02,基本满意\n")
    src = open_source(write(tmp_path, "gbk.csv", text.encode("gbk")))
    assert src.encoding == "gb18030"
    assert src.headers == ["办件编号", "办理部门", "受理时间", "评价等级"]
    assert rows_of(src) == [["SB001", "人力资源和社会保障局", "2025年7月1日 09:30", "非常满意"],
                            ["SB002", "住房和城乡建设局", "2025-07-02", "基本满意"]]


def test_detect_encoding_does_not_cut_a_character_at_the_head_end(tmp_path, monkeypatch):
    monkeypatch.setattr(csv_reader, "HEAD_BYTES", 13)
    data = "ab,部门\n1,税务局\n".encode("utf-8")      # the 13-byte head ends inside '税'
    assert data[:13].decode("utf-8", errors="replace").endswith("\ufffd")
    assert detect_encoding(write(tmp_path, "cut.csv", data)) == "utf-8"


def test_utf8_head_but_invalid_later_names_file_and_encoding(tmp_path, monkeypatch):
    monkeypatch.setattr(csv_reader, "HEAD_BYTES", 64)
    data = ("办件编号,办理部门\n" + "SB001,税务局\n" * 10).encode("utf-8") + "SB999,公安局\n".encode("gbk")
    src = open_source(write(tmp_path, "mixed.csv", data))
    assert src.encoding == "utf-8"
    with pytest.raises(SourceError) as err:
        rows_of(src)
    msg = str(err.value)
    assert "mixed.csv" in msg and "utf-8" in msg and "\n" not in msg
    assert err.value.row == 12


def test_undecodable_gb18030_names_file_and_encoding(tmp_path):
    data = "办件编号,办理部门\n".encode("gbk") + b"SB001,\x81\x20\xff\n"
    p = write(tmp_path, "broken.csv", data)
    assert detect_encoding(p) == "gb18030"
    with pytest.raises(SourceError, match=r"broken\.csv.*gb18030"):
        rows_of(open_source(p))     # here already open_source fails: the bad row is in its first block


def test_utf16_is_refused_with_advice(tmp_path):
    p = write(tmp_path, "unicode.txt", "办件编号\tdept\n".encode("utf-16"))
    with pytest.raises(SourceError, match="UTF-16"):
        open_source(p)


# ------------------------------------------------------------------ CSV: structure

def test_quoted_commas_newlines_and_quotes(tmp_path):
    text = ('办件编号,事项名称,备注\n'
            'SB001,"食品经营许可,变更","第一行\n第二行"\n'
            'SB002,"他说""好""",\n')
    src = open_source(write(tmp_path, "q.csv", text.encode("utf-8")))
    assert rows_of(src) == [["SB001", "食品经营许可,变更", "第一行\n第二行"],
                            ["SB002", '他说"好"', ""]]


def test_no_na_inference_and_whitespace_kept(tmp_path):
    text = '办件编号,办理部门,承诺时限\nNA, NULL ,\n"",null,5.0\n'
    src = open_source(write(tmp_path, "na.csv", text.encode("utf-8")))
    assert rows_of(src) == [["NA", " NULL ", ""], ["", "null", "5.0"]]


def test_headers_are_stripped(tmp_path):
    src = open_source(write(tmp_path, "h.csv", " 办件编号 ,\u3000办理部门\t\nSB1,税务局\n".encode("utf-8")))
    assert src.headers == ["办件编号", "办理部门"]
    assert rows_of(src, ["办理部门"]) == [["税务局"]]


def test_duplicate_headers_error(tmp_path):
    text = "办件编号,部门,受理时间,部门 ,受理时间\nSB1,a,b,c,d\n"
    with pytest.raises(SourceError) as err:
        open_source(write(tmp_path, "dup.csv", text.encode("utf-8")))
    msg = str(err.value)
    assert "dup.csv" in msg and "'部门'" in msg and "'受理时间'" in msg


def test_blank_headers_are_allowed(tmp_path):
    # Excel-saved CSVs often end every line with empty columns.
    text = "办件编号,办理部门,,\nSB1,税务局,,\n"
    src = open_source(write(tmp_path, "blank.csv", text.encode("utf-8")))
    assert src.headers == ["办件编号", "办理部门", "", ""]
    assert rows_of(src, ["办件编号", "办理部门"]) == [["SB1", "税务局"]]
    with pytest.raises(ValueError):
        list(src.batches([""]))


@pytest.mark.parametrize("name", ["log.xls", "log.json", "log", "log.csv.gz"])
def test_bad_extension_error(tmp_path, name):
    p = write(tmp_path, name, b"a,b\n1,2\n")
    with pytest.raises(SourceError) as err:
        open_source(p)
    msg = str(err.value)
    assert name in msg and ".csv" in msg and ".xlsx" in msg and ".parquet" in msg


def test_missing_file_is_a_source_error(tmp_path):
    with pytest.raises(SourceError, match="nope.csv"):
        open_source(tmp_path / "nope.csv")


@pytest.mark.parametrize("name", ["exports", "exports.csv"])
def test_a_folder_is_named_as_a_folder(tmp_path, name):
    # A folder named like a CSV file is still a folder, not "an unsupported type" or "missing".
    (tmp_path / name).mkdir()
    with pytest.raises(SourceError) as err:
        open_source(tmp_path / name)
    assert str(err.value) == (f"{name}: is a folder, not a file ({tmp_path / name}); "
                              f"give the export file inside it")


def test_ragged_row_error_gives_file_row_number(tmp_path):
    text = ('办件编号,办理部门,备注\n'
            'SB1,税务局,"两行\n备注"\n'       # row 2 (one record over two lines)
            'SB2,公安局,\n'                   # row 3
            'SB3,公安局,x,多一列\n'            # row 4: four fields
            'SB4,公安局\n')                    # row 5: two fields
    src = open_source(write(tmp_path, "ragged.csv", text.encode("utf-8")))
    with pytest.raises(SourceError) as err:
        rows_of(src)
    assert err.value.row == 4
    msg = str(err.value)
    assert "ragged.csv" in msg and "row 4" in msg and "row 5" in msg and "3" in msg
    assert "多一列" not in msg          # row contents (possibly personal data) are not echoed


def test_blank_lines_inside_are_rows_trailing_ones_are_dropped(tmp_path):
    text = "办件编号,办理部门\nSB1,a\n\nSB3,c\n,\n\n ,\n"
    src = open_source(write(tmp_path, "blanks.csv", text.encode("utf-8")))
    # row i of the stream is file row i + 2: the blank line 3 stays as an empty row
    assert rows_of(src) == [["SB1", "a"], ["", ""], ["SB3", "c"]]


def test_empty_file_and_header_only(tmp_path):
    empty = open_source(write(tmp_path, "empty.csv", b""))
    assert empty.headers == [] and list(empty.batches()) == []
    for i, data in enumerate([b"a,b\n", b"a,b", "\ufeff办件编号,部门\r\n".encode("utf-8")]):
        src = open_source(write(tmp_path, f"h{i}.csv", data))
        assert src.headers in (["a", "b"], ["办件编号", "部门"])
        assert list(src.batches()) == []
        assert list(src.batches([src.headers[1]])) == []


def test_unclosed_quote_at_end_of_file(tmp_path):
    text = '办件编号,备注\nSB1,ok\nSB2,"never closed\nSB3,x\n'
    src = open_source(write(tmp_path, "cut.csv", text.encode("utf-8")))
    with pytest.raises(SourceError, match=r"cut\.csv.*never closed"):
        rows_of(src)


def test_tab_delimited_txt(tmp_path):
    text = "办件编号\t办理部门\t事项名称\nSB1\t税务局\t发票, 领用\n"
    src = open_source(write(tmp_path, "export.txt", text.encode("gbk")))
    assert src.delimiter == "\t" and src.encoding == "gb18030"
    assert rows_of(src) == [["SB1", "税务局", "发票, 领用"]]


# ------------------------------------------------------------------ selection and streaming

def test_column_selection_order_and_only_named_columns(tmp_path):
    text = "办件编号,申请人姓名,身份证号,办理部门,受理时间\nSB1,张三,110101199001011234,税务局,2025-07-01\n"
    src = open_source(write(tmp_path, "pii.csv", text.encode("utf-8")))
    batches = list(src.batches(["受理时间", "办件编号", "办理部门"]))
    assert [b.schema.names for b in batches] == [["受理时间", "办件编号", "办理部门"]]
    assert rows_of(src, ["受理时间", "办件编号", "办理部门"]) == [["2025-07-01", "SB1", "税务局"]]
    with pytest.raises(ValueError, match="nope"):
        list(src.batches(["办件编号", "nope"]))


def test_csv_multi_batch_keeps_row_order(tmp_path, monkeypatch):
    monkeypatch.setattr(csv_reader, "CSV_BLOCK_BYTES", 4096)   # many pyarrow blocks
    n = 2_500
    lines = ["办件编号,办理部门,受理时间"] + [f"SB{i:05d},部门{i % 7},2025-07-01 09:{i % 60:02d}:00" for i in range(n)]
    src = open_source(write(tmp_path, "many.csv", ("\n".join(lines) + "\n").encode("gbk")), batch_rows=300)
    batches = list(src.batches(["办件编号", "办理部门"]))
    assert [b.num_rows for b in batches] == [300] * 8 + [100]
    ids = [v for b in batches for v in b.column(0).to_pylist()]
    assert ids == [f"SB{i:05d}" for i in range(n)]


def test_gb18030_decoded_in_pieces_by_worker_processes(tmp_path, monkeypatch):
    # A GB18030 file is cut at line ends into one stretch per core, which worker processes
    # decode side by side in small pieces: the rows come back whole and in order, quoted line
    # breaks and 4-byte characters (𠀀) included, however the pieces fall.
    from metrics import transcode
    monkeypatch.setattr(transcode, "MIN_PARALLEL_BYTES", 0)
    monkeypatch.setattr(transcode, "PIECE_BYTES", 1001)
    monkeypatch.setattr(transcode.os, "cpu_count", lambda: 3)
    n = 1_200
    lines = ["办件编号,办理部门,事项名称"] + [f"SB{i:05d},部门{i % 7},\"事项𠀀\n第{i}项\"" for i in range(n)]
    data = ("\n".join(lines) + "\n").encode("gb18030")
    path = write(tmp_path, "big.csv", data)
    stretches = transcode.cuts(path, 3)
    assert len(stretches) == 3 and sum(n for _, n in stretches) == len(data)
    assert all(data[o + n - 1:o + n] == b"\n" for o, n in stretches)
    src = open_source(path, batch_rows=500)
    assert src.encoding == "gb18030"
    assert rows_of(src) == [[f"SB{i:05d}", f"部门{i % 7}", f"事项𠀀\n第{i}项"] for i in range(n)]
    with transcode.utf8_copy(path, "gb18030") as copy:
        assert copy.read_bytes() == data.decode("gb18030").encode("utf-8")


def test_undecodable_gb18030_in_a_later_piece_gives_its_line(tmp_path, monkeypatch):
    from metrics import transcode
    monkeypatch.setattr(transcode, "MIN_PARALLEL_BYTES", 0)
    monkeypatch.setattr(transcode, "PIECE_BYTES", 200_000)
    # Past the first megabyte, which opening the file reads for its header.
    lines = ["办件编号,办理部门".encode("gbk")] + [f"SB{i:05d},税务局".encode("gbk") for i in range(150_000)]
    lines[140_000] = b"SB139999,\x81\x20\xff"            # line 140,001 (the header is line 1)
    src = open_source(write(tmp_path, "late_gbk.csv", b"\n".join(lines) + b"\n"))
    with pytest.raises(SourceError, match=r"late_gbk\.csv: line 140001 is neither valid UTF-8 nor GB18030") as err:
        rows_of(src)
    assert err.value.row == 140_001
    assert not list(Path(tempfile.gettempdir()).glob("import_utf8_*"))   # the copy is gone


def test_copy_left_by_a_killed_import_is_removed_by_the_next(tmp_path, monkeypatch):
    # A killed import cannot remove its UTF-8 copy (2 GB for 10M rows); the next GBK import
    # removes copies whose process is gone, and leaves alone those of a live process and
    # folders it cannot tell are its own.
    from metrics import transcode
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    abandoned, live, unknown = (tmp_path / f"{transcode.SCRATCH_PREFIX}{n}" for n in ("a", "b", "c"))
    for folder, owner in ((abandoned, gone.pid), (live, os.getpid()), (unknown, None)):
        folder.mkdir()
        (folder / "utf8.csv").write_bytes(b"x" * 1000)
        if owner is not None:
            (folder / "owner.pid").write_text(str(owner))
    src = open_source(write(tmp_path, "gbk.csv", "办件编号,办理部门\nSB1,税务局\n".encode("gbk")))
    assert rows_of(src) == [["SB1", "税务局"]]
    assert not abandoned.exists()
    assert live.exists() and unknown.exists()
    assert sorted(p.name for p in tmp_path.glob(transcode.SCRATCH_PREFIX + "*")) == [live.name, unknown.name]


def test_ragged_row_number_in_a_later_block(tmp_path, monkeypatch):
    monkeypatch.setattr(csv_reader, "CSV_BLOCK_BYTES", 4096)
    lines = ["办件编号,办理部门"] + [f"SB{i:05d},\"部门\n{i}\"" for i in range(1_000)]
    lines[700] = "SB00699,部门,多"                       # file row 701 (header = row 1)
    src = open_source(write(tmp_path, "late.csv", ("\n".join(lines) + "\n").encode("utf-8")), batch_rows=64)
    with pytest.raises(SourceError) as err:
        for _ in src.batches():
            pass
    assert err.value.row == 701


# ------------------------------------------------------------------ XLSX

def _xlsx(path: Path, build) -> Path:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    build(wb, wb.add_worksheet("办件"))
    wb.close()
    return path


def test_xlsx_values_as_excel_shows_them(tmp_path):
    n_numeric = 1_500          # more than fastexcel's 1000-row type sample

    def build(wb, ws):
        dtf = wb.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
        df = wb.add_format({"num_format": "yyyy-mm-dd"})
        tf = wb.add_format({"num_format": "hh:mm"})
        ws.write_row(0, 0, [" 办件编号 ", "受理时间", "办结日期", "承诺时限", "评分", "窗口签批", "备注", "时刻"])
        ws.write_number(1, 0, 202507010001)
        ws.write_datetime(1, 1, dt.datetime(2025, 7, 1, 9, 30, 5), dtf)
        ws.write_datetime(1, 2, dt.datetime(2025, 7, 3), df)
        ws.write_number(1, 3, 5)
        ws.write_number(1, 4, 4.5)
        ws.write_boolean(1, 5, True)
        ws.write_string(1, 6, "0012")
        ws.write_datetime(1, 7, dt.time(14, 5), tf)
        ws.write_string(2, 0, "SB-002")
        ws.write_string(2, 1, "2025-07-02 10:00")             # a timestamp typed as text
        ws.write_number(2, 3, 5.0)
        ws.write_number(2, 4, 1 / 3)
        ws.write_boolean(2, 5, False)
        ws.write_formula(2, 6, "=1/0", None, "#DIV/0!")
        ws.write_number(3, 1, 45839.5 + 0.5 / 86400, dtf)     # 2025-07-01 12:00:00.5 → rounds up
        for r in range(4, 4 + n_numeric):                     # numbers first ...
            ws.write_number(r, 0, 202507010000 + r)
        ws.write_string(4 + n_numeric, 0, "A-999")            # ... then text, same column

    src = open_source(_xlsx(tmp_path / "log.xlsx", build), batch_rows=1_000)
    assert src.format == "xlsx" and src.encoding is None
    assert src.headers == ["办件编号", "受理时间", "办结日期", "承诺时限", "评分", "窗口签批", "备注", "时刻"]
    assert src.total_rows == 4 + n_numeric
    rows = rows_of(src)
    assert rows[0] == ["202507010001", "2025-07-01 09:30:05", "2025-07-03 00:00:00", "5", "4.5", "true", "0012", "14:05:00"]
    assert rows[1] == ["SB-002", "2025-07-02 10:00", "", "5", "0.333333333", "false", "#DIV/0!", ""]
    assert rows[2] == ["", "2025-07-01 12:00:01", "", "", "", "", "", ""]
    assert [r[0] for r in rows[3:]] == [str(202507010000 + r) for r in range(4, 4 + n_numeric)] + ["A-999"]
    assert len(rows) == 3 + n_numeric + 1
    assert [b.num_rows for b in src.batches(["办件编号"])] == [1_000, 504]


def test_xlsx_header_offset_blank_rows_and_selection(tmp_path):
    def build(wb, ws):
        ws.write_row(2, 1, ["办件编号", "申请人", "办理部门"])      # header in B3
        ws.write_row(3, 1, ["SB1", "张三", "税务局"])
        ws.write_row(5, 1, ["SB3", "李四", "公安局"])              # row 5 of the sheet left blank
        ws.write_row(7, 1, ["", "", ""])                           # trailing empty-string cells

    src = open_source(_xlsx(tmp_path / "offset.xlsx", build))
    assert src.headers == ["办件编号", "申请人", "办理部门"]
    assert rows_of(src, ["办理部门", "办件编号"]) == [["税务局", "SB1"], ["", ""], ["公安局", "SB3"]]
    assert [b.schema.names for b in src.batches(["办理部门", "办件编号"])] == [["办理部门", "办件编号"]]


def test_xlsx_duplicate_headers_error(tmp_path):
    def build(wb, ws):
        ws.write_row(0, 0, ["办件编号", "办理部门", "办件编号"])
        ws.write_row(1, 0, ["SB1", "a", "SB1"])

    with pytest.raises(SourceError, match=r"dup\.xlsx.*'办件编号'"):
        open_source(_xlsx(tmp_path / "dup.xlsx", build))


def test_xlsx_empty_and_header_only(tmp_path):
    empty = open_source(_xlsx(tmp_path / "empty.xlsx", lambda wb, ws: None))
    assert empty.headers == [] and empty.total_rows == 0 and list(empty.batches()) == []
    hdr = open_source(_xlsx(tmp_path / "hdr.xlsx", lambda wb, ws: ws.write_row(0, 0, ["办件编号", "办理部门"])))
    assert hdr.headers == ["办件编号", "办理部门"] and hdr.total_rows == 0
    assert list(hdr.batches(["办理部门"])) == []


def test_xlsx_empty_first_sheet_with_data_elsewhere(tmp_path):
    import xlsxwriter

    p = tmp_path / "two.xlsx"
    wb = xlsxwriter.Workbook(str(p))
    wb.add_worksheet("说明")
    wb.add_worksheet("办件").write_row(0, 0, ["办件编号"])
    wb.close()
    with pytest.raises(SourceError, match=r"two\.xlsx.*first sheet '说明' is empty"):
        open_source(p)


def test_xlsx_reading_is_quiet(tmp_path, capfd):
    def build(wb, ws):
        ws.write_row(0, 0, ["办件编号", "空列"])
        ws.write_row(1, 0, ["SB1"])

    src = open_source(_xlsx(tmp_path / "quiet.xlsx", build))
    assert rows_of(src) == [["SB1", ""]]
    out, err = capfd.readouterr()
    assert out == "" and err == ""          # no fastexcel dtype-guessing warnings


def test_xlsx_corrupt_is_a_source_error(tmp_path):
    good = _xlsx(tmp_path / "good.xlsx", lambda wb, ws: ws.write_row(0, 0, ["a"]))
    for name, data in [("cut.xlsx", good.read_bytes()[:500]), ("text.xlsx", "办件编号,部门\n".encode())]:
        with pytest.raises(SourceError) as err:
            open_source(write(tmp_path, name, data))
        assert name in str(err.value) and "\n" not in str(err.value)


# ------------------------------------------------------------------ Parquet

def test_parquet_values_as_text(tmp_path):
    tz = "Asia/Shanghai"
    table = pa.table({
        " 办件编号": pa.array(["SB1", "SB2", None]),
        "受理时间": pa.array([dt.datetime(2025, 7, 1, 9, 30, 5, 999_000), None, dt.datetime(2025, 7, 2)],
                         pa.timestamp("us")),
        "办结时间": pa.array([dt.datetime(2025, 7, 1, 1, 30), None, None], pa.timestamp("ms", tz="UTC"))
                       .cast(pa.timestamp("ms", tz=tz)),
        "评价日期": pa.array([dt.date(2025, 7, 3), None, None], pa.date32()),
        "承诺时限": pa.array([5, None, -3], pa.int64()),
        "评分": pa.array([5.0, 4.5, float("nan")]),
        "大数": pa.array([12345678901.0, None, -0.0]),
        "窗口签批": pa.array([True, False, None]),
        "金额": pa.array([decimal.Decimal("5.00"), decimal.Decimal("1.50"), None], pa.decimal128(10, 2)),
        "部门": pa.array(["税务局", "公安局", "税务局"]).dictionary_encode(),
        "空": pa.nulls(3),
    })
    p = tmp_path / "log.parquet"
    pq.write_table(table, p)
    src = open_source(p)
    assert src.format == "parquet" and src.total_rows == 3
    assert src.headers[0] == "办件编号"
    assert rows_of(src) == [
        ["SB1", "2025-07-01 09:30:05", "2025-07-01 09:30:00", "2025-07-03", "5", "5", "12345678901", "true", "5", "税务局", ""],
        ["SB2", "", "", "", "", "4.5", "", "false", "1.50", "公安局", ""],
        ["", "2025-07-02 00:00:00", "", "", "-3", "", "0", "", "", "税务局", ""],
    ]
    # Parquet rows are kept exactly, even one that is empty in every column read
    assert rows_of(src, ["评分", "办件编号"]) == [["5", "SB1"], ["4.5", "SB2"], ["", ""]]


def test_parquet_multi_batch_keeps_order(tmp_path):
    n = 1_000
    p = tmp_path / "many.pq"
    pq.write_table(pa.table({"办件编号": [f"SB{i:04d}" for i in range(n)], "承诺时限": [float(i % 9) for i in range(n)]}),
                   p, row_group_size=170)
    src = open_source(p, batch_rows=128)
    batches = list(src.batches(["承诺时限", "办件编号"]))
    assert [b.num_rows for b in batches] == [128] * 7 + [104]
    assert [v for b in batches for v in b.column(1).to_pylist()] == [f"SB{i:04d}" for i in range(n)]
    assert [v for b in batches for v in b.column(0).to_pylist()] == [str(i % 9) for i in range(n)]


def test_parquet_corrupt_is_a_source_error(tmp_path):
    with pytest.raises(SourceError, match=r"bad\.parquet"):
        open_source(write(tmp_path, "bad.parquet", b"PAR1 not really"))


def test_approx_rows_counts_line_breaks_less_the_header(tmp_path):
    """The Data page's progress estimate for a CSV file (it does not say its row count)."""
    from metrics.readers.csv import approx_rows
    cases = {"lf.csv": b"a,b\n1,2\n3,4\n", "no_final_break.csv": b"a,b\n1,2\n3,4",
             "crlf.csv": b"a,b\r\n1,2\r\n3,4\r\n", "cr_only.csv": b"a,b\r1,2\r3,4\r",
             "header_only.csv": b"a,b\n", "empty.csv": b""}
    got = {}
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
        got[name] = approx_rows(tmp_path / name)
    assert got == {"lf.csv": 2, "no_final_break.csv": 2, "crlf.csv": 2, "cr_only.csv": 2,
                   "header_only.csv": 0, "empty.csv": 0}
