"""The bulletin (通报): its DOCX read back with python-docx and its PDF with pdftotext, both
compared with the engine's ranking table and with figures worked out by hand.

The store is the hand-computed fixture with min_cases 3 and three categories (see
tests/test_publication.py). LibreOffice converts once per module (it takes seconds).
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from metrics.bulletin import build_docx, write_bulletin
from metrics.ingest import import_file
from metrics.periods import parse_period
from metrics.publication import load_revision, publish
from metrics.registry import FOUR_RATES
from metrics.results import live_results
from metrics.settings import Settings
from tests.conftest import ROOT, build_small_store
from tests.test_cli import cli, one_line_error

Q3 = parse_period("2025Q3")
SETTINGS = Settings(min_cases=3, centre_name="测试市政务服务中心")
SCREENSHOTS = ROOT / "screenshots"


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    from metrics.store import connect
    tmp = tmp_path_factory.mktemp("bulletin")
    path = build_small_store(tmp / "s.duckdb")
    (tmp / "d.csv").write_text("部门,类别\n甲局,审批类\n乙局,审批类\n丙局,服务类\n", encoding="utf-8")
    con = connect(path)
    import_file(con, tmp / "d.csv", kind="departments")
    publish(con, Q3, SETTINGS, at=datetime(2025, 10, 8, 9, 30))
    con.close()
    return path


@pytest.fixture(scope="module")
def results(db):
    from metrics.store import connect
    con = connect(db, read_only=True)
    r = load_revision(con, Q3)
    con.close()
    return r


@pytest.fixture(scope="module")
def docx(results):
    return Document(io.BytesIO(build_docx(results)))


@pytest.fixture(scope="module")
def pdf(results, tmp_path_factory):
    out = write_bulletin(results, tmp_path_factory.mktemp("pdf") / "bulletin.pdf")
    return out


def paragraphs(doc) -> list[str]:
    return [p.text for p in doc.paragraphs]


def test_title_edition_and_styles(docx):
    p = docx.paragraphs
    assert (p[0].text, p[0].style.name) == ("测试市政务服务中心2025年第三季度绩效考核情况通报", "公文标题")
    assert p[1].text == "（第 1 版，2025年10月8日发布）"
    headings = [x.text for x in p if x.style.name == "一级标题"]
    assert headings == ["一、总体情况", "二、部门排名", "三、分类评定", "四、需关注事项", "附：各部门四率对比"]
    assert {x.style.name for x in p} == {"公文标题", "一级标题", "正文", "表格文字", "图", "落款"}
    # East-Asian fonts named in the styles themselves (Word and WPS take the Chinese face from them)
    fonts = {name: docx.styles[name].element.rPr.rFonts.get(qn("w:eastAsia"))
             for name in ("公文标题", "一级标题", "正文", "表格文字")}
    assert fonts == {"公文标题": "方正小标宋简体", "一级标题": "黑体", "正文": "仿宋_GB2312", "表格文字": "仿宋_GB2312"}
    assert docx.styles["一级标题"].base_style.name == "Heading 1"   # keeps its outline level
    s = docx.sections[0]
    assert (round(s.page_width.cm, 1), round(s.page_height.cm, 1)) == (21.0, 29.7)
    assert p[-2].text == "测试市政务服务中心" and p[-1].text == "2025年10月8日"


def test_headline_sentences_by_hand(docx):
    """2025Q3 against 2025Q2 for the whole fixture: entry 2/3 (Q2 1/3), online 13/16 (Q2 6/6),
    satisfaction 10/11 (Q2 6/6), early 5/6 (Q2 3/6), average handling 8/13 days (Q2 12/6)."""
    text = paragraphs(docx)
    for sentence in (
        "本季度全中心受理办件 16 件，办结 13 件；列入统计的部门 4 个，其中参加排名 3 个，"
        "1 个部门受理办件少于 3 件或无可计算的指标，列出但不排名。",
        "本季度事项进驻率 66.7%，较上季度上升 33.4 个百分点，未达到 85% 的目标。",
        "本季度网上审批率 81.2%，较上季度下降 18.8 个百分点，未达到 90% 的目标。",
        "本季度提前办结率 83.3%，较上季度上升 33.3 个百分点。",
        "本季度满意率 90.9%，较上季度下降 9.1 个百分点，未达到 98% 的目标。",
        "本季度平均实际办理时长 0.6 个工作日，较上季度缩短 1.4 个工作日，在 1.5 个工作日的目标以内。",
    ):
        assert sentence in text


def test_ranking_table_equals_the_engine(docx, results):
    table = docx.tables[0]
    rows = [[c.text for c in r.cells] for r in table.rows]
    assert rows[0] == ["排名", "部门", "考核类别", "综合得分", "事项进驻率", "网上审批率", "提前办结率", "满意率",
                       "等次", "排名变化"]
    body = rows[1:]
    t = results.ranking
    assert [r[1] for r in body] == list(t["dept"])
    for cells, row in zip(body, t.itertuples(index=False)):
        assert cells[0] == (str(int(row.rank)) if row.ranked else "—")
        assert cells[2] == row.category and cells[8] == (row.grade or "—")
        assert float(cells[3]) == pytest.approx(row.score, abs=0.005)
        for text, m in zip(cells[4:8], FOUR_RATES):
            value = getattr(row, m.name)
            if value != value:
                assert text == "—"
            else:
                assert float(text.rstrip("%")) == pytest.approx(value * 100, abs=0.05)
    # by hand: 甲局 third with 55.95, two places down from Q2; 乙局 up one; 丙局 new; 丁局 unranked
    assert body[2][:4] == ["3", "甲局", "审批类", "55.95"] and body[2][8:] == ["较差", "↓2"]
    assert [r[9] for r in body] == ["新进", "↑1", "↓2", ""]


def test_categories_and_attention(docx):
    rows = [[c.text for c in r.cells] for r in docx.tables[1].rows]
    assert rows == [["考核类别", "参加排名部门", "优秀名额", "优秀", "良好", "合格", "较差"],
                    ["审批类", "2", "0", "0", "1", "0", "1"],
                    ["服务类", "1", "0", "0", "1", "0", "0"],
                    ["未分类", "0", "0", "0", "0", "0", "0"]]
    text = paragraphs(docx)
    assert "审批类：良好 乙局；较差 甲局。" in text and "服务类：良好 丙局。" in text
    # A6 (甲局, accepted 2025-09-01, 5 working days promised) is open and overdue at 30 September
    assert ("截至2025年9月30日，在办超期件（电子监察红灯）共 1 件，涉及 1 个部门：甲局 1 件，"
            "最早一件 2025年9月8日到期。请相关部门立即办理并说明原因。") in text
    missed = next(p for p in text if p.startswith("未达到目标的指标"))
    assert missed.startswith("未达到目标的指标 4 项：事项进驻率（66.7%，目标 ≥85%）")
    assert "满意率（90.9%，目标 ≥98%）" in missed and "窗口直接签批办结率（50.0%，目标 ≥65%）" in missed
    assert any(p.startswith("排名末 3 位的部门：甲局（第 3 名，55.95 分，较差，较上季度下降 2 位）") for p in text)
    assert len(docx.inline_shapes) == 1   # the chart of the four rates


def test_month_and_year_bulletins_from_live_figures(db):
    from metrics.store import connect
    con = connect(db, read_only=True)
    month = Document(io.BytesIO(build_docx(live_results(con, parse_period("2025-07"), SETTINGS))))
    year = Document(io.BytesIO(build_docx(live_results(con, parse_period("2025"), SETTINGS))))
    con.close()
    assert month.paragraphs[0].text == "测试市政务服务中心2025年7月绩效考核情况通报"
    assert month.paragraphs[1].text == "（实时数据，尚未发布）"
    assert any(p.text.startswith("本月满意率") and "较上月" in p.text for p in month.paragraphs)
    assert year.paragraphs[0].text == "测试市政务服务中心2025年度绩效考核情况通报"
    assert any(p.text.startswith("本年度全中心受理办件 22 件") for p in year.paragraphs)


def test_pdf_has_the_same_numbers(pdf, results):
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    flat = re.sub(r"\s+", "", text)
    assert "测试市政务服务中心2025年第三季度绩效考核情况通报" in flat
    lines = text.splitlines()
    for row in results.ranking.itertuples(index=False):
        line = next(x for x in lines if f" {row.dept} " in f" {x} ")
        cells = line.split()
        assert row.category in cells
        assert f"{row.score:.2f}" in cells
        for m in FOUR_RATES:
            value = getattr(row, m.name)
            assert (f"{value * 100:.1f}%" if value == value else "—") in cells
        if row.grade:
            assert row.grade in cells
    assert "本季度满意率90.9%，较上季度下降9.1个百分点，未达到98%的目标。" in flat


def test_pdf_fonts_are_embedded_cjk_and_pages_render(pdf):
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows and all(" yes " in r for r in rows)       # every font embedded
    assert "NotoSerifCJK" in fonts and "NotoSansCJK" in fonts  # 仿宋/小标宋 and 黑体 fell back to Noto CJK
    SCREENSHOTS.mkdir(exist_ok=True)
    for old in SCREENSHOTS.glob("bulletin-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(SCREENSHOTS / "bulletin")], check=True)
    pages = sorted(SCREENSHOTS.glob("bulletin-*.png"))
    assert len(pages) >= 3


def test_cli_bulletin_docx_and_errors(db, tmp_path):
    out = tmp_path / "通报.docx"
    p = cli("bulletin", "--db", db, "--period", "2025Q3", "--out", out, tmp=tmp_path)
    assert p.returncode == 0, p.stderr
    assert p.stderr.strip() == f"{out}: bulletin of 2025Q3, revision 1"
    assert Document(str(out)).paragraphs[1].text == "（第 1 版，2025年10月8日发布）"
    p = cli("bulletin", "--db", db, "--period", "2025Q3", "--live", "--out", out, tmp=tmp_path)
    assert Document(str(out)).paragraphs[1].text == "（实时数据，尚未发布）"
    line = one_line_error(cli("bulletin", "--db", db, "--period", "2025Q3", "--out", tmp_path / "b.txt",
                              tmp=tmp_path))
    assert line.endswith("write the bulletin as .docx or .pdf")
    line = one_line_error(cli("bulletin", "--db", db, "--period", "2025Q3", "--revision", "7", "--out", out,
                              tmp=tmp_path))
    assert line == "2025Q3: there is no revision 7; the latest is 1 (python -m metrics published)"


def test_no_libreoffice_is_one_clear_error(results, tmp_path, monkeypatch):
    from metrics.bulletin import BulletinError
    assert shutil.which("soffice")  # here it is installed: hide it as a machine without it would
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(BulletinError, match="LibreOffice is not installed, so no PDF can be made"):
        write_bulletin(results, tmp_path / "b.pdf")
    assert not (tmp_path / "b.pdf").exists()
