"""The monthly/quarterly bulletin (通报) as a DOCX a clerk can edit in Word or WPS, and as PDF.

Layout follows the habits of Chinese official documents (GB/T 9704): A4, title in
方正小标宋简体 二号, level-one headings in 黑体 三号, body in 仿宋_GB2312 三号 with a
two-character first-line indent, page numbers "— 1 —". The styles carry those names
(公文标题, 一级标题, 正文, 表格文字, 落款) and set the East-Asian font explicitly, since Word
and WPS pick the Chinese face from w:eastAsia, not from the Latin font name.

Where the office fonts are missing (Linux, CI), the PDF is made by LibreOffice with a
fontconfig file (`bulletin_fonts.conf`) that maps them onto Noto Serif/Sans CJK SC, so
Chinese never falls back to boxes. Why LibreOffice: it renders the very DOCX the clerk
edits, so the PDF and the DOCX cannot disagree (docs/evaluation.md).
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from metrics import bulletin_text as txt
from metrics.bulletin_charts import four_rates_chart
from metrics.registry import FOUR_RATES
from metrics.results import HEADLINE, Results

FONTS_CONF = Path(__file__).resolve().parent / "bulletin_fonts.conf"
TITLE_FONT, HEADING_FONT, BODY_FONT = "方正小标宋简体", "黑体", "仿宋_GB2312"
LATIN_FONT = "Times New Roman"
TEXT_WIDTH_CM = 21.0 - 2.8 - 2.6

# style name -> (base style, East-Asian font, size in pt, bold, alignment, first-line indent in chars)
STYLES = {
    "公文标题": ("Title", TITLE_FONT, 22, False, WD_ALIGN_PARAGRAPH.CENTER, 0),
    "一级标题": ("Heading 1", HEADING_FONT, 16, False, WD_ALIGN_PARAGRAPH.LEFT, 2),
    "正文": ("Normal", BODY_FONT, 16, False, WD_ALIGN_PARAGRAPH.JUSTIFY, 2),
    # 小五 in tables: ten columns across A4 stay on one line each
    "表格文字": ("Normal", BODY_FONT, 9, False, WD_ALIGN_PARAGRAPH.CENTER, 0),
    "落款": ("Normal", BODY_FONT, 16, False, WD_ALIGN_PARAGRAPH.RIGHT, 0),
    "图": ("Normal", BODY_FONT, 16, False, WD_ALIGN_PARAGRAPH.CENTER, 0),
}


class BulletinError(Exception):
    """The bulletin could not be written; one line saying why and what to do."""


def _set_fonts(rpr_owner, east_asian: str, size: float, bold: bool) -> None:
    font = rpr_owner.font
    font.name = LATIN_FONT
    font.size = Pt(size)
    font.bold = bold
    font.color.rgb = RGBColor(0, 0, 0)
    rfonts = rpr_owner.element.get_or_add_rPr().get_or_add_rFonts()
    rfonts.set(qn("w:eastAsia"), east_asian)
    rfonts.set(qn("w:hint"), "eastAsia")


def _styles(doc) -> None:
    normal = doc.styles["Normal"]
    _set_fonts(normal, BODY_FONT, 16, False)
    for name, (base, face, size, bold, align, indent) in STYLES.items():
        st = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        st.base_style = doc.styles[base]
        st.quick_style = True
        _set_fonts(st, face, size, bold)
        pf = st.paragraph_format
        pf.alignment = align
        pf.first_line_indent = Pt(size * indent) if indent else Pt(0)
        pf.space_before = Pt(0)
        pf.space_after = Pt(0)
        if name in ("表格文字", "图"):  # an exact line height would crop a picture
            pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
        else:
            pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            pf.line_spacing = Pt(36 if name == "公文标题" else 28)
        if name == "公文标题":
            pf.space_after = Pt(12)
            # The built-in Title draws a rule under itself; an official title has none.
            borders = OxmlElement("w:pBdr")
            bottom = OxmlElement("w:bottom")
            bottom.set(qn("w:val"), "nil")
            borders.append(bottom)
            st.element.get_or_add_pPr().append(borders)


def _page(doc) -> None:
    s = doc.sections[0]
    s.orientation = WD_ORIENT.PORTRAIT
    s.page_width, s.page_height = Cm(21.0), Cm(29.7)
    s.top_margin, s.bottom_margin, s.left_margin, s.right_margin = Cm(3.7), Cm(3.5), Cm(2.8), Cm(2.6)
    p = s.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.add_run("— ")
    run = p.add_run()
    for tag, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if tag:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), tag)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)
    p.add_run(" —")
    for r in p.runs:
        r.font.size = Pt(14)
        r.font.name = LATIN_FONT


def _table(doc, headers: list[str], rows: list[list[str]], widths_cm: list[float]):
    table = doc.add_table(rows=1 + len(rows), cols=len(headers))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for j, w in enumerate(widths_cm):
        table.columns[j].width = Cm(w)
    for i, row in enumerate([headers, *rows]):
        cells = table.rows[i].cells
        for j, value in enumerate(row):
            cell = cells[j]
            cell.width = Cm(widths_cm[j])
            p = cell.paragraphs[0]
            p.style = doc.styles["表格文字"]
            run = p.add_run(value)
            if i == 0:
                run.bold = True
    # The header row repeats on every page the table runs onto.
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)
    return table


def build_docx(r: Results) -> bytes:
    """The bulletin of `r` as DOCX bytes."""
    doc = Document()
    _styles(doc)
    _page(doc)
    doc.core_properties.title = txt.title(r)
    doc.core_properties.author = r.centre_name

    def para(text: str, style: str = "正文"):
        return doc.add_paragraph(text, style=style)

    para(txt.title(r), "公文标题")
    para(txt.edition_line(r), "表格文字").paragraph_format.space_after = Pt(12)
    para(txt.opening_sentence(r))

    para("一、总体情况", "一级标题")
    para(txt.overview_sentence(r))
    for m in HEADLINE:
        para(txt.headline_sentence(r, m))

    para("二、部门排名", "一级标题")
    para(txt.score_rule_sentence(r))
    _table(doc, txt.RANKING_HEADERS, txt.ranking_rows(r),
           [1.3, 3.3, 1.4, 1.3, *[1.45] * len(FOUR_RATES), 1.3, 1.2])
    if note := txt.unranked_note(r):
        para(note, "表格文字").alignment = WD_ALIGN_PARAGRAPH.LEFT

    para("三、分类评定", "一级标题")
    from metrics.settings import GradeRules
    para(txt.grade_rule_sentence(GradeRules(**r.rules["grades"])))
    _table(doc, txt.CATEGORY_HEADERS, txt.category_rows(r), [3.2, 2.4, 1.8, *[1.6] * 4])
    for s in txt.category_sentences(r):
        para(s)

    para("四、需关注事项", "一级标题")
    para(txt.missed_targets_sentence(r))
    para(txt.overdue_sentence(r))
    para(txt.lowest_sentence(r))

    if r.projection is not None:  # a period still in progress (metrics/projection.py)
        from metrics.projection import bulletin_lines
        para("五、期末预计", "一级标题")
        for line in bulletin_lines(r.projection, r.period, r.as_of):
            para(line)

    para("附：各部门四率对比", "一级标题")
    with tempfile.TemporaryDirectory() as tmp:
        chart = four_rates_chart(r, Path(tmp) / "four_rates.png")
        para("", "图").add_run().add_picture(str(chart), width=Cm(TEXT_WIDTH_CM))
    para("图中虚线为目标值；各部门按综合得分排名顺序排列。", "表格文字")

    para("").paragraph_format.keep_with_next = True
    sign = para(r.centre_name, "落款")
    sign.paragraph_format.keep_with_next = True  # the issuer and the date stay on one page
    para(txt.closing_date(r), "落款")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def docx_to_pdf(docx: Path, pdf: Path, timeout: float = 180) -> Path:
    """Convert with LibreOffice in headless mode, in a private profile (two conversions at
    once would otherwise fight over one), with the office fonts mapped to Noto CJK."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        raise BulletinError("LibreOffice is not installed, so no PDF can be made: install Debian's "
                            "libreoffice-writer-nogui (./run.sh test does), or write a .docx instead")
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "FONTCONFIG_FILE": str(FONTS_CONF), "HOME": tmp}
        cmd = [soffice, f"-env:UserInstallation={Path(tmp, 'profile').as_uri()}", "--headless", "--norestore",
               "--convert-to", "pdf", "--outdir", tmp, str(docx)]
        try:
            done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            raise BulletinError(f"LibreOffice took more than {timeout:.0f} s to convert {docx.name}") from None
        made = Path(tmp) / f"{docx.stem}.pdf"
        if not made.exists():
            detail = " ".join((done.stderr or done.stdout).split())[:200]
            raise BulletinError(f"LibreOffice could not convert {docx.name} to PDF: {detail}")
        pdf.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(made), pdf)
    return pdf


def write_bulletin(r: Results, out: Path) -> Path:
    """Write the bulletin to `out`: DOCX or PDF by its suffix."""
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in (".docx", ".pdf"):
        raise BulletinError(f"{out.name}: the bulletin is written as .docx or .pdf")
    data = build_docx(r)
    if suffix == ".docx":
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(data)
        return out
    with tempfile.TemporaryDirectory() as tmp:
        docx = Path(tmp) / f"{out.stem}.docx"
        docx.write_bytes(data)
        return docx_to_pdf(docx, out)


def bulletin_bytes(r: Results, fmt: str) -> bytes:
    """The bulletin as `fmt` ("docx" or "pdf") bytes, for a download button."""
    if fmt == "docx":
        return build_docx(r)
    with tempfile.TemporaryDirectory() as tmp:
        return write_bulletin(r, Path(tmp) / "bulletin.pdf").read_bytes()
