"""The metric registry: the only place a metric is named, labelled and defined.

Pages, the definitions page, CSV headers, the CLI and the docs read from here. A metric's
numerator and denominator name columns of the per-period sums (`sql/dept_period.sql`,
`sql/catalogue_period.sql`); its value is always computed from summed parts, never by
averaging per-case or per-day rates.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["rate", "complement", "average", "count"]
PeriodDate = Literal["accepted", "completed", "rated", "catalogue", "period_end"]


@dataclass(frozen=True)
class Metric:
    name: str
    label_zh: str
    label_en: str
    kind: Kind            # rate: num/den; complement: 1 - num/den; average: num/den (days); count: num
    numerator: str
    denominator: str | None
    period_date: PeriodDate
    description_zh: str
    description_en: str
    formula_zh: str
    formula_en: str
    target: float | None = None
    better: Literal["higher", "lower"] = "higher"
    four_rate: bool = False
    # The cases behind the figure: predicates over `case_facts` rows already in the period
    # by `period_date` (see drilldown.py). None for catalogue measures.
    cases_denominator: str | None = None
    cases_numerator: str | None = None

    @property
    def format(self) -> str:
        return {"rate": "percent", "complement": "percent", "average": "days", "count": "count"}[self.kind]

    def label(self, lang: str) -> str:
        return self.label_zh if lang == "zh" else self.label_en

    def description(self, lang: str) -> str:
        return self.description_zh if lang == "zh" else self.description_en

    def formula(self, lang: str) -> str:
        return self.formula_zh if lang == "zh" else self.formula_en

    def meets(self, value: float | None, target: float | None = None) -> bool | None:
        """Whether a value meets the target; None when either is undefined."""
        target = self.target if target is None else target
        if value is None or target is None or value != value:
            return None
        return value >= target if self.better == "higher" else value <= target


METRICS: tuple[Metric, ...] = (
    Metric(
        "entry_rate", "事项进驻率", "Item entry rate", "rate", "entered_items", "entry_base", "catalogue",
        "期末应进驻且未豁免、仍有效的事项中，已进驻事项所占比例。需要事项目录。",
        "Share of the items that should be in the centre (active at period end, must enter, not exempt) "
        "that had entered by the period end. Needs the item catalogue.",
        "已进驻事项数 ÷ 应进驻事项数（剔除豁免、已取消）",
        "items entered by period end ÷ active must-enter items not exempt",
        target=0.85, four_rate=True),
    Metric(
        "online_rate", "网上审批率", "Online-approval rate", "rate", "accepted_online", "accepted_cases", "accepted",
        "本期受理的办件中，网上申报、网上审批的比例（不予受理、撤件也计入分母）。",
        "Share of the cases accepted in the period that were applied for and approved online "
        "(rejected and withdrawn cases included in the denominator).",
        "网上受理办件数 ÷ 受理办件总数", "online cases accepted ÷ all cases accepted",
        target=0.90, four_rate=True,
        cases_denominator="true", cases_numerator="channel = 'online'"),
    Metric(
        "early_completion_rate", "提前办结率", "Early-completion rate", "rate", "early_cases", "early_base",
        "completed",
        "本期办结、有办结期限的承诺件中，在截止日之前一天或更早办结的比例。",
        "Share of the committed cases with a deadline (promised limit of at least 1 working day, or a due "
        "time) completed in the period that were completed on a date before their due date.",
        "提前办结的承诺件数 ÷ 有期限的已办结承诺件数",
        "committed cases completed before the due date ÷ committed cases with a deadline completed",
        four_rate=True,
        cases_denominator="in_early_base", cases_numerator="in_early_base AND is_early"),
    Metric(
        "satisfaction_rate", "满意率", "Satisfaction rate", "rate", "ratings_satisfied", "ratings", "rated",
        "本期评价中“非常满意、满意、基本满意”所占比例（按评价时间，无则按办结时间；仅已办结件）。",
        "Share of the ratings in the period that are 3 or better (very satisfied, satisfied, basically "
        "satisfied); dated by the rating time, else the completion time; completed cases only.",
        "评价≥3 的件数 ÷ 评价总数", "ratings >= 3 ÷ all ratings",
        target=0.98, four_rate=True,
        cases_denominator="true", cases_numerator="rating >= 3"),
    Metric(
        "online_inclusion_rate", "网上审批纳入率", "Online inclusion", "rate", "online_items", "inclusion_base",
        "catalogue",
        "期末已进驻事项中，已纳入网上审批的比例。需要事项目录。",
        "Share of the items entered by the period end that had joined online approval by then. "
        "Needs the item catalogue.",
        "已纳入网上审批的进驻事项数 ÷ 已进驻事项数", "entered items online by period end ÷ entered items"),
    Metric(
        "rating_coverage", "评价覆盖率", "Rating coverage", "rate", "completed_rated", "completed_cases",
        "completed",
        "本期办结的办件中，有好差评评价的比例。",
        "Share of the cases completed in the period that carry a rating.",
        "有评价的已办结件数 ÷ 已办结件数", "completed cases with a rating ÷ completed cases",
        cases_denominator="true", cases_numerator="rating IS NOT NULL"),
    Metric(
        "instant_ratio", "即办件比例", "Instant-handling ratio", "rate", "accepted_instant", "accepted_cases",
        "accepted",
        "本期受理的办件中即办件所占比例。",
        "Share of the cases accepted in the period that are instant (即办件) cases.",
        "即办件受理数 ÷ 受理办件总数", "instant cases accepted ÷ all cases accepted",
        cases_denominator="true", cases_numerator="item_type = 'instant'"),
    Metric(
        "time_compression", "比法定时限提速", "Time compression", "complement", "compression_elapsed",
        "compression_statutory", "completed",
        "本期办结且法定时限≥1个工作日的办件，实际用时比法定时限压缩的比例。",
        "How much faster than the statutory limits the cases completed in the period were handled, over "
        "cases with a statutory limit of at least 1 working day.",
        "1 − Σ实际工作日 ÷ Σ法定时限", "1 − Σ elapsed working days ÷ Σ statutory limit days",
        target=0.78,
        cases_denominator="statutory_limit_days >= 1", cases_numerator=None),
    Metric(
        "promise_compression", "承诺时限压缩率", "Promise compression", "complement", "promise_promised",
        "promise_statutory", "completed",
        "同一批办件（法定时限≥1且有承诺时限）承诺时限比法定时限压缩的比例。",
        "How much shorter the promised limits are than the statutory ones, over the same completed cases "
        "(statutory limit >= 1 and a promised limit given).",
        "1 − Σ承诺时限 ÷ Σ法定时限", "1 − Σ promised days ÷ Σ statutory days",
        cases_denominator="statutory_limit_days >= 1 AND promised_limit_days IS NOT NULL", cases_numerator=None),
    Metric(
        "avg_actual_days", "平均实际办理时长", "Average actual handling", "average", "elapsed_sum",
        "completed_cases", "completed",
        "本期办结办件的平均实际办理工作日（受理当日不计）。",
        "Average working days taken by the cases completed in the period (the acceptance day not counted).",
        "Σ实际工作日 ÷ 办结件数", "Σ elapsed working days ÷ completed cases",
        target=1.5, better="lower",
        cases_denominator="true", cases_numerator=None),
    Metric(
        "avg_promised_days", "承诺件平均承诺时限", "Average promised limit", "average", "committed_promised_sum",
        "committed_promised_cases", "completed",
        "本期办结的承诺件的平均承诺时限（工作日）。",
        "Average promised limit, in working days, of the committed cases completed in the period.",
        "Σ承诺时限 ÷ 有承诺时限的已办结承诺件数", "Σ promised days ÷ completed committed cases with a promise",
        target=5.0, better="lower",
        cases_denominator="item_type = 'committed' AND promised_limit_days IS NOT NULL", cases_numerator=None),
    Metric(
        "avg_statutory_days", "平均法定时限", "Average statutory limit", "average", "compression_statutory",
        "compression_cases", "completed",
        "本期办结、法定时限≥1个工作日的办件的平均法定时限，与平均实际办理时长对照。",
        "Average statutory limit, in working days, of the cases completed in the period with a statutory "
        "limit of at least 1 working day: the yardstick of the time compression.",
        "Σ法定时限 ÷ 法定时限≥1的办结件数", "Σ statutory days ÷ completed cases with a statutory limit >= 1",
        cases_denominator="statutory_limit_days >= 1", cases_numerator=None),
    Metric(
        "window_signoff_rate", "窗口直接签批办结率", "Window sign-off rate", "rate", "window_signed",
        "window_known", "completed",
        "本期办结、已知是否窗口签批的办件中，在窗口直接签批办结的比例。",
        "Share of the cases completed in the period (where it is known) that were signed off directly at "
        "the window.",
        "窗口签批办结件数 ÷ 已知签批方式的办结件数", "completed cases signed at the window ÷ completed cases where known",
        target=0.65,
        cases_denominator="window_signed IS NOT NULL", cases_numerator="window_signed"),
    Metric(
        "on_time_rate", "按时办结率", "On-time rate", "rate", "on_time_cases", "deadline_cases", "completed",
        "本期办结、有办结期限的办件（即办件与承诺件）中，在期限内办结的比例。",
        "Share of the cases completed in the period with a deadline (instant and committed) that were "
        "completed at or before it.",
        "按时办结件数 ÷ 有期限的办结件数", "cases completed on time ÷ completed cases with a deadline",
        cases_denominator="deadline IS NOT NULL", cases_numerator="is_on_time"),
    Metric(
        "overdue_cases", "超期办结件", "Overdue cases", "count", "overdue_cases", None, "completed",
        "本期办结但超过办结期限的办件数。",
        "Cases completed in the period after their deadline.",
        "有期限的办结件数 − 按时办结件数", "completed cases with a deadline − on time",
        target=0, better="lower",
        cases_denominator=None, cases_numerator="deadline IS NOT NULL AND NOT is_on_time"),
    Metric(
        "open_overdue_cases", "在办超期件", "Open overdue cases", "count", "open_overdue_cases", None,
        "period_end",
        "期末仍在办（未办结、未撤件、未不予受理）且已超过期限的办件数。与按时办结率并列显示：只看办结件的比率会掩盖仍在办的超期件。",
        "Cases accepted by the period end, still open at its end (not withdrawn or rejected), whose "
        "deadline had passed by then. Shown beside the on-time rate: a rate over completed cases alone "
        "looks perfect while late cases stay open.",
        "期末在办且已过期限的办件数", "open cases at period end past their deadline",
        target=0, better="lower",
        cases_denominator=None, cases_numerator="true"),
    Metric(
        "cases", "受理件数", "Cases accepted", "count", "accepted_cases", None, "accepted",
        "本期受理的办件数。", "Cases accepted in the period.", "受理办件数", "cases accepted",
        cases_denominator=None, cases_numerator="true"),
    Metric(
        "completed_cases", "办结件数", "Cases completed", "count", "completed_cases", None, "completed",
        "本期办结的办件数（状态为办结）。", "Cases completed in the period (status completed).",
        "办结件数", "cases completed",
        cases_denominator=None, cases_numerator="true"),
)

BY_NAME: dict[str, Metric] = {m.name: m for m in METRICS}
FOUR_RATES: tuple[Metric, ...] = tuple(m for m in METRICS if m.four_rate)


def metric(name: str) -> Metric:
    return BY_NAME[name]

