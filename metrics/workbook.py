"""The ranking as a formatted Excel workbook: sheet 1 the ranking (numbers with percent
formats, filters, frozen headings), sheet 2 every metric's definition from the registry.
The Rankings page offers it as a download; the CLI can write the same bytes.

Text is written as text cells, never as formulas or links: a department named `=HYPERLINK(…)`
stays a name.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import datetime

import pandas as pd
import xlsxwriter

from metrics.periods import Period
from metrics.registry import FOUR_RATES, METRICS

# Every word the workbook writes, (Chinese, English).
WORDS: dict[str, tuple[str, str]] = {
    "title": ("政务服务中心部门排名", "Service-centre department ranking"),
    "sheet_ranking": ("排名", "Ranking"),
    "sheet_definitions": ("指标说明", "Definitions"),
    "period": ("统计期", "Period"),
    "depts": ("部门范围", "Departments"),
    "all_depts": ("全部部门", "All departments"),
    "generated": ("生成时间", "Generated"),
    "rank": ("排名", "Rank"),
    "change": ("变化", "Change"),
    "dept": ("部门", "Department"),
    "score": ("得分", "Scores"),
    "low": ("下限", "low"),
    "high": ("上限", "high"),
    "cases": ("受理件数", "Cases"),
    "partial": ("部分", "Partial"),
    "note": ("备注", "Note"),
    "sig": ("与下一名", "vs next"),
    "yes": ("是", "yes"),
    "new": ("新", "new"),
    "not_significant": ("≈ 不显著", "≈ n.s."),
    "too_few": ("受理不足 {n} 件，不排名", "fewer than {n} cases: not ranked"),
    "no_rate": ("无可计算指标，不排名", "no defined rate: not ranked"),
    "metric": ("指标", "Metric"),
    "name": ("字段名", "Column name"),
    "definition": ("定义", "Definition"),
    "formula": ("公式", "Formula"),
    "target": ("目标", "Target"),
    "better": ("方向", "Better when"),
    "higher": ("越高越好", "higher"),
    "lower": ("越低越好", "lower"),
    "period_date": ("归期日期", "Date that puts a case into a period"),
    "pd_accepted": ("受理时间（accepted_at）", "accepted_at (acceptance time)"),
    "pd_completed": ("办结时间（completed_at），仅状态为办结", "completed_at, completed cases only"),
    "pd_rated": ("评价时间（rated_at），无则办结时间；仅已办结件",
                 "rated_at, else completed_at; completed cases only"),
    "pd_catalogue": ("期末最后一天的事项目录状态", "the catalogue as it stood on the period's last day"),
    "pd_period_end": ("期末时点：期末前受理、期末仍在办且已过期限",
                      "the period's end: accepted by then, still open then, past the deadline"),
}


def word(key: str, lang: str, **fmt) -> str:
    zh, en = WORDS[key]
    s = zh if lang == "zh" else en
    return s.format(**fmt) if fmt else s


@dataclass(frozen=True)
class WorkbookMeta:
    """What the workbook says about the ranking it holds."""
    lang: str                              # "zh" | "en"
    period: Period
    depts: tuple[str, ...]                 # empty: all departments
    targets: dict[str, float | None]       # metric name -> the deployment's target
    min_cases: int
    generated: datetime = field(default_factory=datetime.now)


def rank_change_text(change, ranked: bool, lang: str) -> str:
    """↑3, ↓1, – (same rank), new (ranked now, not then); empty when not ranked now."""
    if not ranked:
        return ""
    if change is None or change is pd.NA or (isinstance(change, float) and change != change):
        return word("new", lang)
    change = int(change)
    return "–" if change == 0 else (f"↑{change}" if change > 0 else f"↓{-change}")


def note_text(note: str, lang: str, min_cases: int) -> str:
    """The ranking's note ("too few cases", "no defined rate") in words."""
    return {"too few cases": word("too_few", lang, n=min_cases),
            "no defined rate": word("no_rate", lang)}.get(note, "")


def ranking_workbook(table: pd.DataFrame, meta: WorkbookMeta) -> bytes:
    """The workbook of `metrics.ranking.ranking`'s table."""
    lang = meta.lang
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                                   "nan_inf_to_errors": False})
    f_title = wb.add_format({"bold": True, "font_size": 16})
    f_label = wb.add_format({"bold": True, "font_color": "#444b55"})
    f_head = wb.add_format({"bold": True, "bg_color": "#1f4e79", "font_color": "white", "text_wrap": True,
                            "valign": "vcenter", "border": 1})
    f_pct = wb.add_format({"num_format": "0.0%"})
    f_score = wb.add_format({"num_format": "0.0"})
    f_int = wb.add_format({"num_format": "#,##0"})
    f_text = wb.add_format({})
    f_wrap = wb.add_format({"text_wrap": True, "valign": "top"})

    ws = wb.add_worksheet(word("sheet_ranking", lang))
    ws.write(0, 0, word("title", lang), f_title)
    ws.write(1, 0, word("period", lang), f_label)
    ws.write(1, 1, f"{meta.period.label} ({meta.period.start.isoformat()} – {meta.period.end.isoformat()})")
    ws.write(2, 0, word("depts", lang), f_label)
    ws.write_string(2, 1, ", ".join(meta.depts) if meta.depts else word("all_depts", lang))
    ws.write(3, 0, word("generated", lang), f_label)
    ws.write(3, 1, meta.generated.strftime("%Y-%m-%d %H:%M:%S"))

    score = word("score", lang)
    cols: list[tuple[str, str, object]] = [
        (word("rank", lang), "rank", f_int),
        (word("change", lang), "_change", f_text),
        (word("dept", lang), "dept", f_text),
        (score, "score", f_score),
        (f"{score} {word('low', lang)}", "score_low", f_score),
        (f"{score} {word('high', lang)}", "score_high", f_score),
    ]
    for m in FOUR_RATES:
        label = m.label(lang)
        cols += [(label, m.name, f_pct), (f"{label} {word('low', lang)}", f"{m.name}_low", f_pct),
                 (f"{label} {word('high', lang)}", f"{m.name}_high", f_pct)]
    cols += [(word("cases", lang), "cases", f_int),
             (word("partial", lang), "_partial", f_text),
             (word("note", lang), "_note", f_text),
             (word("sig", lang), "_sig", f_text)]
    derived = {
        "_change": [rank_change_text(c, r, lang) for c, r in zip(table["rank_change"], table["ranked"])],
        "_partial": [word("yes", lang) if p else "" for p in table["partial"]],
        "_note": [note_text(n, lang, meta.min_cases) for n in table["note"]],
        "_sig": [word("not_significant", lang) if x else "" for x in table["not_significant_with_next"]],
    }
    head = 5
    ws.set_row(head, 36)
    for j, (label, _, _) in enumerate(cols):
        ws.write(head, j, label, f_head)
    for i in range(len(table)):
        for j, (_, key, fmt) in enumerate(cols):
            v = derived[key][i] if key in derived else table[key].iloc[i]
            r = head + 1 + i
            if v is None or v is pd.NA or (isinstance(v, float) and v != v):
                ws.write_blank(r, j, None, fmt)
            elif isinstance(v, str):
                ws.write_string(r, j, v, fmt)  # a text cell: never run as a formula
            else:
                ws.write_number(r, j, float(v), fmt)
    ws.set_column(0, 1, 7)
    ws.set_column(2, 2, 24)
    ws.set_column(3, len(cols) - 5, 11)
    ws.set_column(len(cols) - 4, len(cols) - 1, 14)
    ws.freeze_panes(head + 1, 3)
    ws.autofilter(head, 0, head + len(table), len(cols) - 1)

    wd = wb.add_worksheet(word("sheet_definitions", lang))
    dhead = [word(k, lang) for k in ("metric", "name", "definition", "formula", "target", "better", "period_date")]
    for j, label in enumerate(dhead):
        wd.write(0, j, label, f_head)
    for i, m in enumerate(METRICS, start=1):
        target = meta.targets.get(m.name)
        wd.write(i, 0, m.label(lang), f_wrap)
        wd.write(i, 1, m.name, f_wrap)
        wd.write(i, 2, m.description(lang), f_wrap)
        wd.write(i, 3, m.formula(lang), f_wrap)
        if target is None:
            wd.write_blank(i, 4, None)
        else:
            wd.write_number(i, 4, target, f_pct if m.format == "percent" else f_score)
        wd.write(i, 5, word("higher" if m.better == "higher" else "lower", lang), f_wrap)
        wd.write(i, 6, word(f"pd_{m.period_date}", lang), f_wrap)
    wd.set_column(0, 1, 22)
    wd.set_column(2, 2, 60)
    wd.set_column(3, 3, 40)
    wd.set_column(4, 5, 10)
    wd.set_column(6, 6, 36)
    wd.freeze_panes(1, 1)
    wb.close()
    return buf.getvalue()
