"""The public bundle (五公开) of a published revision: index.html, results.csv, bulletin.pdf.

Made from a revision only (`metrics.publication.load_revision`), which holds aggregates:
department scores, rates and grades, the centre's figures and the rules. No case and no
person can reach it. index.html is one file with its styles inline and no script, so it
can be put on any web server or opened from a USB stick, and reads on a phone.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

import pandas as pd

from metrics import bulletin_text as txt
from metrics.exports import csv_bytes
from metrics.grades import GRADES
from metrics.registry import FOUR_RATES
from metrics.results import HEADLINE, Results
from metrics.settings import GradeRules

CSV_HEADERS = {
    "period": "统计期", "revision": "版本", "rank": "排名", "dept": "部门", "category": "考核类别",
    "category_rank": "类别内排名", "score": "综合得分", **{m.name: f"{m.label_zh}(%)" for m in FOUR_RATES},
    "cases": "受理件数", "grade": "等次",
}


def results_frame(r: Results) -> pd.DataFrame:
    """The published results with Chinese headers, numbers as the bulletin shows them:
    score to 2 decimals, rates in percent to 1 decimal, empty where undefined or unranked."""
    t = r.ranking
    out = pd.DataFrame({
        "period": r.period.label, "revision": r.revision,
        "rank": t["rank"], "dept": t["dept"], "category": t["category"], "category_rank": t["category_rank"],
        "score": t["score"].round(2),
        **{m.name: (t[m.name] * 100).round(1) for m in FOUR_RATES},
        "cases": t["cases"], "grade": t["grade"],
    })
    return out.rename(columns=CSV_HEADERS)


def _cell(label: str, value: str, cls: str = "") -> str:
    c = f' class="{cls}"' if cls else ""
    return f'<td data-label="{escape(label)}"{c}>{escape(value)}</td>'


def _metric_rows(r: Results) -> str:
    weights = r.rules["weights"]
    total = sum(weights.get(m.name, 0) for m in FOUR_RATES) or 1
    rows = []
    for m in HEADLINE:
        target = r.target(m)
        sign = "≥" if m.better == "higher" else "≤"
        shown = f"{sign} {txt.fmt_target(m, target)}" if target is not None else "—"
        weight = f"{weights.get(m.name, 0) / total * 100:g}%" if m.four_rate else "不计分"
        value = txt.fmt(m, r.figures.get(m.name, (None, None))[0])
        rows.append("<tr>" + _cell("指标", m.label_zh, "name") + _cell("定义", m.description_zh)
                    + _cell("计算方法", m.formula_zh) + _cell("目标", shown) + _cell("计分权重", weight)
                    + _cell("全中心", value, "num") + "</tr>")
    return "\n".join(rows)


def _quota_rows(r: Results) -> str:
    heads = txt.CATEGORY_HEADERS
    return "\n".join("<tr>" + "".join(_cell(h, v, "num" if i else "name") for i, (h, v) in enumerate(zip(heads, row)))
                     + "</tr>" for row in txt.category_rows(r))


def _result_rows(r: Results) -> str:
    rows = []
    for row in r.ranking.itertuples(index=False):
        rank = str(int(row.rank)) if row.ranked else "—"
        cat_rank = str(int(row.category_rank)) if row.ranked else "—"
        cells = [_cell("排名", rank, "num"), _cell("部门", row.dept, "name"), _cell("考核类别", row.category),
                 _cell("类别内排名", cat_rank, "num"), _cell("综合得分", txt.score_text(row.score), "num"),
                 *[_cell(m.label_zh, txt.fmt(m, getattr(row, m.name)), "num") for m in FOUR_RATES],
                 _cell("等次", row.grade or "不排名", f"grade g{GRADES.index(row.grade) if row.grade else 'n'}")]
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return "\n".join(rows)


def _procedure(r: Results) -> list[str]:
    g = GradeRules(**r.rules["grades"])
    return [
        "数据来源：各进驻部门审批系统导出的办件日志和事项目录，按统一口径导入绩效看板；每一行数据的接收、"
        "退回及原因均有记录。",
        f"计算口径：各项指标按办件的受理、办结、评价时间归入统计期，比率为分子合计除以分母合计。"
        f"{txt.score_rule_sentence(r)}",
        f"参加排名：本期受理办件不少于 {r.rules['min_cases']} 件且至少有一项四率可计算的部门参加排名，"
        "其余部门列出但不排名。",
        f"分类评定：{txt.grade_rule_sentence(g)}",
        "结果公开：考核结果经发布形成版本，发布后补录的数据不改变已发布版本；如需更正，重新发布形成新版本，"
        "历次版本均可查阅。本页内容不含任何办件明细和个人信息。",
    ]


CSS = """
*{box-sizing:border-box}
body{margin:0;font-family:"Noto Serif CJK SC","Source Han Serif SC","SimSun","Songti SC",serif;color:#1a1a1a;
background:#f4f1ea;line-height:1.7;font-size:16px}
main{max-width:1180px;margin:0 auto;background:#fff;padding:32px 48px 48px;border-top:6px solid #b00000}
h1{font-size:28px;text-align:center;color:#b00000;margin:8px 0 4px;letter-spacing:1px}
.edition{text-align:center;color:#555;margin:0 0 24px;font-size:15px}
h2{font-family:"Noto Sans CJK SC","Source Han Sans SC","SimHei",sans-serif;font-size:20px;margin:32px 0 12px;
border-left:5px solid #b00000;padding-left:10px}
ol{padding-left:1.6em}li{margin:6px 0}
table{border-collapse:collapse;width:100%;font-size:14px;background:#fff}
th,td{border:1px solid #c9c9c9;padding:6px 8px;vertical-align:top}
th{background:#f0e6e6;font-family:"Noto Sans CJK SC","SimHei",sans-serif;font-weight:normal;white-space:nowrap}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.name{white-space:nowrap}
td.grade{text-align:center;white-space:nowrap}
.g0{color:#fff;background:#2e7d32}.g1{background:#e8f5e9}.g3{background:#fdecea;color:#b00000}.gn{color:#777}
tbody tr:nth-child(even){background:#faf8f5}
.note{color:#555;font-size:14px}
footer{margin-top:32px;color:#555;font-size:13px;border-top:1px solid #ddd;padding-top:12px}
@media (max-width:700px){
 body{font-size:15px}
 main{padding:16px 14px 32px}
 h1{font-size:22px}
 table,thead,tbody,tr,td{display:block;width:100%}
 thead{display:none}
 tr{border:1px solid #c9c9c9;margin:0 0 10px;padding:4px 0;background:#fff !important}
 td{border:none;border-bottom:1px dotted #e0e0e0;display:flex;justify-content:space-between;gap:12px;
  text-align:right !important;white-space:normal !important;padding:4px 10px}
 td::before{content:attr(data-label);color:#666;text-align:left;flex:0 0 auto;max-width:45%}
 td.name{font-weight:bold}
}
"""


def index_html(r: Results) -> str:
    title = f"{r.centre_name}{txt.period_title(r.period)}绩效考核结果公开"
    note = f"（{escape(r.note)}）" if r.note else ""
    metric_heads = "".join(f"<th>{h}</th>" for h in ("指标", "定义", "计算方法", "目标", "计分权重", "全中心"))
    quota_heads = "".join(f"<th>{escape(h)}</th>" for h in txt.CATEGORY_HEADERS)
    result_heads = "".join(f"<th>{escape(h)}</th>" for h in (
        "排名", "部门", "考核类别", "类别内排名", "综合得分", *[m.label_zh for m in FOUR_RATES], "等次"))
    procedure = "".join(f"<li>{escape(p)}</li>" for p in _procedure(r))
    published = txt.cn_date(r.published_at.date())
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
<style>{CSS}</style>
</head>
<body>
<main>
<h1>{escape(title)}</h1>
<p class="edition">第 {r.revision} 版 · {published}发布{note}</p>
<h2>一、考核程序</h2>
<ol>{procedure}</ol>
<h2>二、考核指标与目标</h2>
<table><thead><tr>{metric_heads}</tr></thead><tbody>
{_metric_rows(r)}
</tbody></table>
<h2>三、分类评定与名额</h2>
<p>{escape(txt.grade_rule_sentence(GradeRules(**r.rules["grades"])))}</p>
<table><thead><tr>{quota_heads}</tr></thead><tbody>
{_quota_rows(r)}
</tbody></table>
<h2>四、考核结果</h2>
<table><thead><tr>{result_heads}</tr></thead><tbody>
{_result_rows(r)}
</tbody></table>
<p class="note">{escape(txt.unranked_note(r) or "")}</p>
<footer>{escape(r.centre_name)} · {published} · 本页由第 {r.revision} 版发布数据生成，另附 results.csv（考核结果）和
bulletin.pdf（考核情况通报）。</footer>
</main>
</body>
</html>
"""


def write_bundle(r: Results, out_dir: Path) -> list[Path]:
    """Write index.html, results.csv and bulletin.pdf of revision `r` into `out_dir`."""
    from metrics.bulletin import write_bulletin
    if r.revision is None:
        raise ValueError("the public bundle is made from a published revision only")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    index = out_dir / "index.html"
    index.write_text(index_html(r), encoding="utf-8")
    csv = out_dir / "results.csv"
    csv.write_bytes(csv_bytes(results_frame(r)))
    pdf = write_bulletin(r, out_dir / "bulletin.pdf")
    return [index, csv, pdf]
