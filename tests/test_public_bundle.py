"""The public bundle (五公开) written by `python -m metrics export-public`: what is in it,
what must never be (case ids, personal data, scripts, formula cells), and how it looks in
Chromium on a desktop and on a phone.

The store is the hand-computed fixture. Its revision is published in-process with
min_cases 3 (the CLI's default of 30 would rank nobody in it), then exported through the
CLI, which reads the revision only. 丙局's category is written like a spreadsheet formula,
to prove the CSV neutralises it and the page escapes it.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
from datetime import datetime

import pytest

from metrics.ingest import import_file
from metrics.periods import parse_period
from metrics.publication import load_revision, publish
from metrics.settings import Settings
from tests.browser_util import CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS
from tests.conftest import FIXTURES, build_small_store
from tests.test_cli import cli

Q3 = parse_period("2025Q3")
FORMULA = '=HYPERLINK("http://x","y")'
SETTINGS = Settings(min_cases=3, centre_name="测试市政务服务中心")


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    from metrics.store import connect
    tmp = tmp_path_factory.mktemp("public")
    db = build_small_store(tmp / "s.duckdb")
    (tmp / "d.csv").write_text(f'部门,类别\n甲局,审批类\n乙局,审批类\n丙局,"{FORMULA.replace(chr(34), chr(34) * 2)}"\n',
                               encoding="utf-8")
    con = connect(db)
    import_file(con, tmp / "d.csv", kind="departments")
    publish(con, Q3, SETTINGS, note="首次发布", at=datetime(2025, 10, 8, 9, 30))
    con.close()
    out = tmp / "public"
    p = cli("export-public", "--db", db, "--period", "2025Q3", "--out", out, tmp=tmp)
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout) == {"period": "2025Q3", "revision": 1, "files": [
        str(out / "index.html"), str(out / "results.csv"), str(out / "bulletin.pdf")]}
    con = connect(db, read_only=True)
    revision = load_revision(con, Q3)
    case_ids = [r[0] for r in con.execute("SELECT case_id FROM cases").fetchall()]
    con.close()
    return {"dir": out, "revision": revision, "case_ids": case_ids}


def test_results_csv(bundle):
    raw = (bundle["dir"] / "results.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel and WPS read Chinese correctly
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["统计期", "版本", "排名", "部门", "考核类别", "类别内排名", "综合得分", "事项进驻率(%)",
                       "网上审批率(%)", "提前办结率(%)", "满意率(%)", "受理件数", "等次"]
    # by hand (tests/test_publication.py): 丙局 and 乙局 100, 甲局 55.952380952 → 55.95; 丁局 unranked
    assert rows[1:] == [
        ["2025Q3", "1", "1", "丙局", "'" + FORMULA, "1", "100.0", "", "100.0", "100.0", "100.0", "4", "良好"],
        ["2025Q3", "1", "1", "乙局", "审批类", "1", "100.0", "", "100.0", "100.0", "100.0", "4", "良好"],
        ["2025Q3", "1", "3", "甲局", "审批类", "2", "55.95", "66.7", "57.1", "33.3", "66.7", "7", "较差"],
        ["2025Q3", "1", "", "丁局", "未分类", "", "100.0", "", "100.0", "100.0", "", "1", ""],
    ]


def test_index_html_is_self_contained_and_complete(bundle):
    html = (bundle["dir"] / "index.html").read_text(encoding="utf-8")
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    # one file: no script, no stylesheet or image fetched from anywhere
    assert not re.search(r"<script|javascript:|<link|<img|<iframe|\bsrc=|@import|url\(", html, re.I)
    for heading in ("一、考核程序", "二、考核指标与目标", "三、分类评定与名额", "四、考核结果"):
        assert f"<h2>{heading}</h2>" in html
    assert "<h1>测试市政务服务中心2025年第三季度绩效考核结果公开</h1>" in html
    assert "第 1 版 · 2025年10月8日发布（首次发布）" in html
    # the indicators with their targets, from the registry
    for label, target in (("事项进驻率", "≥ 85%"), ("满意率", "≥ 98%"), ("平均实际办理时长", "≤ 1.5 个工作日")):
        assert re.search(rf'data-label="指标" class="name">{label}</td>.*?data-label="目标">{re.escape(target)}</td>',
                         html)
    # every department's row: rank, score, four rates and grade
    assert ('<td data-label="排名" class="num">3</td><td data-label="部门" class="name">甲局</td>'
            '<td data-label="考核类别">审批类</td><td data-label="类别内排名" class="num">2</td>'
            '<td data-label="综合得分" class="num">55.95</td><td data-label="事项进驻率" class="num">66.7%</td>'
            '<td data-label="网上审批率" class="num">57.1%</td><td data-label="提前办结率" class="num">33.3%</td>'
            '<td data-label="满意率" class="num">66.7%</td><td data-label="等次" class="grade g3">较差</td>') in html
    assert '<td data-label="等次" class="grade gn">不排名</td>' in html   # 丁局
    # the formula-like category is escaped text, nothing else
    assert "=HYPERLINK(&quot;http://x&quot;,&quot;y&quot;)" in html and FORMULA not in html
    # the quota table: 审批类 has 2 ranked, quota floor(0.2 × 2) = 0
    assert ('<td data-label="考核类别" class="name">审批类</td><td data-label="参加排名部门" class="num">2</td>'
            '<td data-label="优秀名额" class="num">0</td>') in html


def test_bundle_holds_no_case_ids_and_no_personal_data(bundle):
    pdf_text = subprocess.run(["pdftotext", str(bundle["dir"] / "bulletin.pdf"), "-"], capture_output=True,
                              text=True, check=True).stdout
    assert "测试市政务服务中心" in re.sub(r"\s+", "", pdf_text)
    files = sorted(p.name for p in bundle["dir"].iterdir())
    assert files == ["bulletin.pdf", "index.html", "results.csv"]
    texts = {"index.html": (bundle["dir"] / "index.html").read_text(encoding="utf-8"),
             "results.csv": (bundle["dir"] / "results.csv").read_text(encoding="utf-8-sig"),
             "bulletin.pdf": pdf_text}
    # The patterns do find what the case log holds: its phone numbers and applicants' names.
    case_log = (FIXTURES / "small_cases.csv").read_text(encoding="utf-8")
    assert len(re.findall(r"(?<![\d.])1[3-9]\d{9}(?!\d)", case_log)) == 22 and "张三" in case_log
    for name, text in texts.items():
        for case_id in bundle["case_ids"]:
            assert not re.search(rf"(?<![A-Za-z0-9]){re.escape(case_id)}(?![A-Za-z0-9])", text), (name, case_id)
        assert not re.search(r"(?<![\d.])\d{17}[\dXx](?!\d)", text), name            # ID-card numbers
        assert not re.search(r"(?<![\d.])1[3-9]\d{9}(?!\d)", text), name             # mobile numbers
        assert not re.search(r"(?<![\d.])0\d{2,3}-\d{7,8}(?!\d)", text), name        # landlines
        for applicant in ("张三", "李四", "王五", "赵六", "钱一", "孙一"):            # names in the case log
            assert applicant not in text, (name, applicant)


@pytest.mark.parametrize("viewport,name", [({"width": 1920, "height": 1080}, "desktop"),
                                           ({"width": 390, "height": 844}, "phone")])
def test_public_page_in_chromium(bundle, viewport, name):
    from playwright.sync_api import sync_playwright
    url = (bundle["dir"] / "index.html").as_uri()
    SCREENSHOTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            # As a reader with scripts off sees it: the page must need none.
            page = b.new_page(viewport=viewport, java_script_enabled=False)
            page.goto(url)
            page.screenshot(path=str(SCREENSHOTS / f"public-{name}.png"), full_page=True)
            # Measured with scripts on (the page itself has none): nothing wider than the screen.
            probe = b.new_page(viewport=viewport)
            probe.goto(url)
            assert probe.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
            header_shown = probe.evaluate(
                "getComputedStyle(document.querySelectorAll('thead')[2]).display") != "none"
            assert header_shown == (name == "desktop")   # a phone gets one card per department
            label = probe.evaluate("""getComputedStyle(
                document.querySelector('td[data-label="综合得分"]'), '::before').content""")
            assert label == ('"综合得分"' if name == "phone" else "none")
        finally:
            b.close()
