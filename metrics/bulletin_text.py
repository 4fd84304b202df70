"""The bulletin's words (通报): every sentence and table cell made from the registry and a
period's results (`metrics.results.Results`), none typed by hand.

Labels, targets and the better direction come from `metrics.registry`; numbers from the
ranking table and the centre's figures. `metrics/bulletin.py` lays them out in a DOCX.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from metrics.grades import GRADES, UNCATEGORISED, category_summary
from metrics.periods import Period
from metrics.registry import BY_NAME, FOUR_RATES, Metric
from metrics.results import HEADLINE, Results
from metrics.settings import GradeRules

_QUARTER = "一二三四"
_NOUN = {"quarter": ("本季度", "上季度"), "month": ("本月", "上月"), "year": ("本年度", "上年度"),
         "range": ("本期", "上期")}


def cn_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def period_title(p: Period) -> str:
    """2025年第三季度, 2025年7月, 2025年度, 2025年7月1日至2025年9月30日."""
    if p.kind == "quarter":
        return f"{p.start.year}年第{_QUARTER[(p.start.month - 1) // 3]}季度"
    if p.kind == "month":
        return f"{p.start.year}年{p.start.month}月"
    if p.kind == "year":
        return f"{p.start.year}年度"
    return f"{cn_date(p.start)}至{cn_date(p.end)}"


def title(r: Results) -> str:
    return f"{r.centre_name}{period_title(r.period)}绩效考核情况通报"


def opening_sentence(r: Results) -> str:
    return f"现将{period_title(r.period)}各进驻部门政务服务绩效考核情况通报如下。"


def edition_line(r: Results) -> str:
    if r.revision is None:
        return "（实时数据，尚未发布）"
    return f"（第 {r.revision} 版，{cn_date(r.published_at.date())}发布）"


def fmt(m: Metric, value: float | None) -> str:
    """A figure as a reader sees it: 87.3%, 1.2 个工作日, 12 件; "—" when undefined."""
    if value is None or value != value:
        return "—"
    if m.format == "percent":
        return f"{value * 100:.1f}%"
    if m.format == "days":
        return f"{value:.1f} 个工作日"
    return f"{value:,.0f} 件"


def fmt_target(m: Metric, target: float) -> str:
    if m.format == "percent":
        return f"{target * 100:g}%"
    if m.format == "days":
        return f"{target:g} 个工作日"
    return f"{target:g} 件"


def _change(m: Metric, value: float, previous: float, before: str) -> str:
    """较上季度上升 2.1 个百分点 / 缩短 0.3 个工作日 / 持平, at the precision shown."""
    if m.format == "percent":
        delta, unit = round(value * 100, 1) - round(previous * 100, 1), "个百分点"
        up, down = "上升", "下降"
    else:
        delta, unit = round(value, 1) - round(previous, 1), "个工作日"
        up, down = "增加", "缩短"
    delta = round(delta, 1)
    if delta == 0:
        return f"与{before}持平"
    return f"较{before}{up if delta > 0 else down} {abs(delta):.1f} {unit}"


def headline_sentence(r: Results, m: Metric) -> str:
    """本季度事项进驻率 87.3%，较上季度上升 2.1 个百分点，达到 85% 的目标。"""
    now_word, before = _NOUN[r.period.kind]
    value, previous = r.figures.get(m.name, (None, None))
    if value is None:
        why = "（未导入事项目录）" if m.period_date == "catalogue" else ""
        return f"{now_word}{m.label_zh}无数据{why}。"
    parts = [f"{now_word}{m.label_zh} {fmt(m, value)}"]
    parts.append(_change(m, value, previous, before) if previous is not None else f"{before}无可比数据")
    target = r.target(m)
    if target is not None:
        shown = fmt_target(m, target)
        met = m.meets(value, target)
        of = f"{shown}的目标" if m.format == "days" else f"{shown} 的目标"  # no space after Chinese
        if m.better == "higher":
            parts.append(f"达到 {of}" if met else f"未达到 {of}")
        else:
            parts.append(f"在 {of}以内" if met else f"超出 {of}")
    return "，".join(parts) + "。"


def overview_sentence(r: Results) -> str:
    t = r.ranking
    now_word, _ = _NOUN[r.period.kind]
    cases = r.figures.get("cases", (None, None))[0] or 0
    done = r.figures.get("completed_cases", (None, None))[0] or 0
    ranked = int(t["ranked"].sum())
    unranked = len(t) - ranked
    text = (f"{now_word}全中心受理办件 {cases:,.0f} 件，办结 {done:,.0f} 件；"
            f"列入统计的部门 {len(t)} 个，其中参加排名 {ranked} 个")
    if unranked:
        text += f"，{unranked} 个部门受理办件少于 {r.rules['min_cases']} 件或无可计算的指标，列出但不排名"
    return text + "。"


def score_rule_sentence(r: Results) -> str:
    weights = r.rules["weights"]
    total = sum(weights.get(m.name, 0) for m in FOUR_RATES) or 1
    parts = "、".join(f"{m.label_zh} {weights.get(m.name, 0) / total * 100:g}%" for m in FOUR_RATES)
    return (f"综合得分为四率加权平均值乘以 100（权重：{parts}）；某项指标无数据的部门按其余指标的权重折算。"
            f"排名相同者得分相同（精确到小数点后 9 位）。")


def rank_change_text(ranked: bool, change) -> str:
    """↑3, ↓1, 持平, 新进 (ranked now, not in the previous period); empty when not ranked."""
    if not ranked:
        return ""
    if pd.isna(change):
        return "新进"
    change = int(change)
    return "持平" if change == 0 else (f"↑{change}" if change > 0 else f"↓{-change}")


RANKING_HEADERS = ["排名", "部门", "考核类别", "综合得分", *[m.label_zh for m in FOUR_RATES], "等次", "排名变化"]


def score_text(score) -> str:
    return "—" if pd.isna(score) else f"{score:.2f}"


def ranking_rows(r: Results) -> list[list[str]]:
    """The ranking table's cells, in ranking order; unranked departments last, marked."""
    rows = []
    for row in r.ranking.itertuples(index=False):
        rank = str(int(row.rank)) if row.ranked else "—"
        rows.append([rank, row.dept, row.category, score_text(row.score),
                     *[fmt(m, getattr(row, m.name)) for m in FOUR_RATES],
                     row.grade or "—", rank_change_text(row.ranked, row.rank_change)])
    return rows


def unranked_note(r: Results) -> str | None:
    if r.ranking["ranked"].all():
        return None
    return (f"排名为“—”的部门本期受理办件少于 {r.rules['min_cases']} 件或没有可计算的指标，列出但不排名、不评定等次。")


def grade_rule_sentence(rules: GradeRules) -> str:
    return (f"各考核类别分别评定等次：优秀名额为该类别参加排名部门数的 {rules.excellent_share * 100:g}%（向下取整），"
            f"按类别内排名依次评定，且得分不低于 {rules.excellent_min_score:g} 分；"
            f"得分相同的部门跨越名额线时均不评为优秀，名额不突破。"
            f"其余部门得分不低于 {rules.good_min_score:g} 分为良好，不低于 {rules.pass_min_score:g} 分为合格，"
            f"低于 {rules.pass_min_score:g} 分为较差。未参加排名的部门不评定等次；"
            f"未指定类别的部门归入“{UNCATEGORISED}”。")


CATEGORY_HEADERS = ["考核类别", "参加排名部门", "优秀名额", *GRADES]


def category_rows(r: Results) -> list[list[str]]:
    s = category_summary(r.ranking, GradeRules(**r.rules["grades"]))
    return [[row["category"], str(row["ranked"]), str(row["excellent_quota"]), *[str(row[g]) for g in GRADES]]
            for _, row in s.iterrows()]


def category_sentences(r: Results) -> list[str]:
    """审批类：优秀 甲局、乙局；较差 丙局。 (one per category with graded departments)"""
    out = []
    t = r.ranking
    for cat in sorted(set(t["category"]), key=lambda c: (c == UNCATEGORISED, c)):
        part = t[(t["category"] == cat) & t["ranked"]].sort_values(["category_rank", "dept"])
        named = [f"{g} {'、'.join(part.loc[part['grade'] == g, 'dept'])}" for g in GRADES
                 if (part["grade"] == g).any()]
        if named:
            out.append(f"{cat}：{'；'.join(named)}。")
    return out


def missed_targets_sentence(r: Results) -> str:
    missed = []
    for m in HEADLINE:
        value = r.figures.get(m.name, (None, None))[0]
        target = r.target(m)
        if value is not None and target is not None and m.meets(value, target) is False:
            sign = "≥" if m.better == "higher" else "≤"
            missed.append(f"{m.label_zh}（{fmt(m, value)}，目标 {sign}{fmt_target(m, target)}）")
    if not missed:
        return "全中心各项有目标的指标均达到目标。"
    return f"未达到目标的指标 {len(missed)} 项：{'、'.join(missed)}。"


def overdue_sentence(r: Results) -> str:
    """Open overdue cases at the period's end (电子监察 red) by department, with the oldest."""
    t = r.ranking[r.ranking["open_overdue_cases"] > 0].sort_values(["open_overdue_cases", "dept"],
                                                                   ascending=[False, True])
    end = cn_date(r.period.end)
    if t.empty:
        return f"截至{end}，没有在办超期件（电子监察红灯）。"
    parts = []
    for row in t.itertuples(index=False):
        oldest = f"，最早一件 {cn_date(row.oldest_open_overdue_due)}到期" if row.oldest_open_overdue_due else ""
        parts.append(f"{row.dept} {int(row.open_overdue_cases)} 件{oldest}")
    total = int(t["open_overdue_cases"].sum())
    return (f"截至{end}，在办超期件（电子监察红灯）共 {total} 件，涉及 {len(t)} 个部门：{'；'.join(parts)}。"
            f"请相关部门立即办理并说明原因。")


def lowest_sentence(r: Results, n: int = 3) -> str:
    _, before = _NOUN[r.period.kind]
    t = r.ranking[r.ranking["ranked"]]
    if t.empty:
        return "本期没有参加排名的部门。"
    low = t.tail(n).iloc[::-1]
    parts = []
    for row in low.itertuples(index=False):
        change = rank_change_text(True, row.rank_change)
        moved = {"新进": f"{before}未参加排名", "持平": f"名次与{before}持平"}.get(
            change, f"较{before}{'上升' if change.startswith('↑') else '下降'} {change[1:]} 位")
        parts.append(f"{row.dept}（第 {int(row.rank)} 名，{score_text(row.score)} 分，{row.grade}，{moved}）")
    return f"排名末 {len(low)} 位的部门：{'；'.join(parts)}。"


def closing_date(r: Results, today: date | None = None) -> str:
    return cn_date(r.published_at.date() if r.published_at else (today or date.today()))


def metric_label(name: str) -> str:
    return BY_NAME[name].label_zh
