"""The metric registry: every measure declared once, as data.

A declaration says what a figure is: its name and labels, its kind, the date that puts a
case into a period, the case filter of its numerator and of its denominator (one predicate
each, over `case_facts` or, for catalogue measures, over the catalogue), how the cases are
aggregated (counted, or a column summed), its target and which direction is better, and its
default weight when it is one of the four rates. Everything else is rendered from these
declarations by `metrics/render.py`: the per-day aggregate SQL, the queries behind a
drill-down, the per-item table, the ranking weights, the Definitions page and
`docs/metrics.md`. Adding a measure is one declaration here and its hand-computed test.

A period's value is always computed from summed parts, never by averaging per-case or
per-day rates (`metrics/rates.py`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Kind = Literal["rate", "complement", "average", "count"]
PeriodDateName = Literal["accepted", "completed", "rated", "period_end", "catalogue"]


@dataclass(frozen=True)
class PeriodDate:
    """Which cases a period holds for a measure (spec 3): the day that puts a case into a
    period, and which cases have such a day at all. `until` makes it a span: the case is
    counted at the end of every day from `day` up to the day before `until` (open overdue
    cases: from the day the deadline passed to the day the case was completed)."""
    name: str
    day: str
    cases: str = "true"
    until: str | None = None
    label_zh: str = ""
    label_en: str = ""
    # The same period on the stored timestamps ($start, $end), a test every case the period
    # holds passes: DuckDB can skip whole row groups by their min/max with it before it
    # computes any case's facts, so a case list costs its period's cases, not the store's.
    stored: str = "true"
    # When `stored` is an OR over two columns, DuckDB cannot skip row groups with it: its
    # disjoint parts, each on one column, read as a UNION ALL (metrics/drilldown.py).
    stored_parts: tuple[str, ...] = ()


PERIOD_DATES: dict[str, PeriodDate] = {p.name: p for p in (
    PeriodDate("accepted", day="accepted_date",
               stored="accepted_at >= $start AND accepted_at < $end + INTERVAL 1 DAY",
               label_zh="受理时间", label_en="accepted_at"),
    # A withdrawn or rejected case is no completion, whatever its dates say.
    PeriodDate("completed", day="completed_date", cases="is_completion",
               stored="completed_at >= $start AND completed_at < $end + INTERVAL 1 DAY",
               label_zh="办结时间（状态为办结）", label_en="completed_at (status completed)"),
    PeriodDate("rated", day="CAST(coalesce(rated_at, completed_at) AS DATE)",
               cases="is_completion AND rating IS NOT NULL",
               stored="(rated_at >= $start AND rated_at < $end + INTERVAL 1 DAY"
                      " OR rated_at IS NULL AND completed_at >= $start AND completed_at < $end + INTERVAL 1 DAY)",
               stored_parts=("rated_at >= $start AND rated_at < $end + INTERVAL 1 DAY",
                             "rated_at IS NULL AND completed_at >= $start AND completed_at < $end + INTERVAL 1 DAY"),
               label_zh="评价时间，无则办结时间（状态为办结）",
               label_en="rated_at, else completed_at (status completed)"),
    # Open and past the deadline at the end of a day D: the deadline fell before the end of
    # D, the case was accepted by D and not completed by D.
    PeriodDate("period_end", day="greatest(CAST(deadline AS DATE), accepted_date)",
               cases="status NOT IN ('withdrawn', 'rejected') AND deadline IS NOT NULL",
               until="completed_date",
               stored="accepted_at < $end + INTERVAL 1 DAY"
                      " AND (completed_at IS NULL OR completed_at >= $end + INTERVAL 1 DAY)",
               label_zh="期末仍在办", label_en="still open at the period's last day"),
    # Catalogue rows as they stood on the period's last day ($last_day); not a case date.
    PeriodDate("catalogue", day="last_day", cases="retired_on IS NULL OR retired_on > last_day",
               label_zh="期末事项目录", label_en="catalogue as of the period's last day"),
)}


@dataclass(frozen=True)
class Part:
    """A summed part of the per-day aggregates: the cases of a period date that pass
    `where`, counted, or with the case column `sums` added up."""
    name: str
    where: str = "true"
    sums: str | None = None

    def aggregate_sql(self) -> str:
        agg = f"sum({self.sums})" if self.sums else "count(*)"
        return agg if self.where == "true" else f"{agg} FILTER (WHERE {self.where})"


def count(name: str, where: str = "true") -> Part:
    return Part(name, where=where)


def total(name: str, of: str, where: str = "true") -> Part:
    return Part(name, where=where, sums=of)


@dataclass(frozen=True)
class Metric:
    name: str
    label_zh: str
    label_en: str
    kind: Kind            # rate: num/den; complement: 1 - num/den; average: num/den (days); count: num
    period_date: PeriodDateName
    numerator: Part
    denominator: Part | None
    description_zh: str
    description_en: str
    formula_zh: str
    formula_en: str
    target: float | None = None
    better: Literal["higher", "lower"] = "higher"
    # Default weight in the ranking score: set for the four rates (四率) only (spec 7).
    weight: float | None = None
    # Parts of the period's sums that a page shows beside the figure (e.g. a distribution).
    also: tuple[Part, ...] = field(default=())

    @property
    def four_rate(self) -> bool:
        return self.weight is not None

    @property
    def format(self) -> str:
        return {"rate": "percent", "complement": "percent", "average": "days", "count": "count"}[self.kind]

    @property
    def cases_numerator(self) -> str | None:
        """The numerator's case filter, when the numerator counts cases (a sum of days has no
        case list of its own: its cases are the denominator's)."""
        if self.period_date == "catalogue" or self.numerator.sums:
            return None
        return self.numerator.where

    @property
    def cases_denominator(self) -> str | None:
        if self.period_date == "catalogue" or self.denominator is None:
            return None
        return self.denominator.where

    def parts(self) -> tuple[Part, ...]:
        return (*([self.denominator] if self.denominator else []), self.numerator, *self.also)

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


# Parts that several measures share, declared once.
ACCEPTED_CASES = count("accepted_cases")
COMPLETED_CASES = count("completed_cases")
RATINGS = count("ratings")
STATUTORY_DAYS = total("compression_statutory", of="statutory_limit_days", where="statutory_limit_days >= 1")
DEADLINE_CASES = count("deadline_cases", where="deadline IS NOT NULL")
ACTIVE_ITEMS = count("active_items")  # a department with catalogue items is listed in the ranking
ENTERED_ITEMS_BASE = count("inclusion_base", where="entered_on <= last_day")

METRICS: tuple[Metric, ...] = (
    Metric(
        name="entry_rate", label_zh="事项进驻率", label_en="Item entry rate", kind="rate",
        period_date="catalogue",
        numerator=count("entered_items", where="must_enter AND NOT exempt AND entered_on <= last_day"),
        denominator=count("entry_base", where="must_enter AND NOT exempt"),
        also=(ACTIVE_ITEMS,),
        description_zh="期末应进驻且未豁免、仍有效的事项中，已进驻事项所占比例。需要事项目录。",
        description_en="Share of the items that should be in the centre (active at period end, must enter, not "
                       "exempt) that had entered by the period end. Needs the item catalogue.",
        formula_zh="已进驻事项数 ÷ 应进驻事项数（剔除豁免、已取消）",
        formula_en="items entered by period end ÷ active must-enter items not exempt",
        target=0.85, weight=25),
    Metric(
        name="online_rate", label_zh="网上审批率", label_en="Online-approval rate", kind="rate",
        period_date="accepted",
        numerator=count("accepted_online", where="channel = 'online'"),
        denominator=ACCEPTED_CASES,
        description_zh="本期受理的办件中，网上申报、网上审批的比例（不予受理、撤件也计入分母）。",
        description_en="Share of the cases accepted in the period that were applied for and approved online "
                       "(rejected and withdrawn cases included in the denominator).",
        formula_zh="网上受理办件数 ÷ 受理办件总数", formula_en="online cases accepted ÷ all cases accepted",
        target=0.90, weight=25),
    Metric(
        name="early_completion_rate", label_zh="提前办结率", label_en="Early-completion rate", kind="rate",
        period_date="completed",
        numerator=count("early_cases", where="in_early_base AND is_early"),
        denominator=count("early_base", where="in_early_base"),
        description_zh="本期办结、有办结期限的承诺件中，在截止日之前一天或更早办结的比例。",
        description_en="Share of the committed cases with a deadline (promised limit of at least 1 working day, "
                       "or a due time) completed in the period that were completed on a date before their due "
                       "date.",
        formula_zh="提前办结的承诺件数 ÷ 有期限的已办结承诺件数",
        formula_en="committed cases completed before the due date ÷ committed cases with a deadline completed",
        weight=25),
    Metric(
        name="satisfaction_rate", label_zh="满意率", label_en="Satisfaction rate", kind="rate",
        period_date="rated",
        numerator=count("ratings_satisfied", where="rating >= 3"),
        denominator=RATINGS,
        # The distribution of the ratings, shown on the Satisfaction page.
        also=tuple(count(f"rating_{k}", where=f"rating = {k}") for k in range(1, 6)),
        description_zh="本期评价中“非常满意、满意、基本满意”所占比例（按评价时间，无则按办结时间；仅已办结件）。",
        description_en="Share of the ratings in the period that are 3 or better (very satisfied, satisfied, "
                       "basically satisfied); dated by the rating time, else the completion time; completed "
                       "cases only.",
        formula_zh="评价≥3 的件数 ÷ 评价总数", formula_en="ratings >= 3 ÷ all ratings",
        target=0.98, weight=25),
    Metric(
        name="online_inclusion_rate", label_zh="网上审批纳入率", label_en="Online inclusion", kind="rate",
        period_date="catalogue",
        numerator=count("online_items", where="entered_on <= last_day AND online_enabled_on <= last_day"),
        denominator=ENTERED_ITEMS_BASE,
        description_zh="期末已进驻事项中，已纳入网上审批的比例。需要事项目录。",
        description_en="Share of the items entered by the period end that had joined online approval by then. "
                       "Needs the item catalogue.",
        formula_zh="已纳入网上审批的进驻事项数 ÷ 已进驻事项数",
        formula_en="entered items online by period end ÷ entered items"),
    Metric(
        name="rating_coverage", label_zh="评价覆盖率", label_en="Rating coverage", kind="rate",
        period_date="completed",
        numerator=count("completed_rated", where="rating IS NOT NULL"),
        denominator=COMPLETED_CASES,
        description_zh="本期办结的办件中，有好差评评价的比例。",
        description_en="Share of the cases completed in the period that carry a rating.",
        formula_zh="有评价的已办结件数 ÷ 已办结件数", formula_en="completed cases with a rating ÷ completed cases"),
    Metric(
        name="instant_ratio", label_zh="即办件比例", label_en="Instant-handling ratio", kind="rate",
        period_date="accepted",
        numerator=count("accepted_instant", where="item_type = 'instant'"),
        denominator=ACCEPTED_CASES,
        description_zh="本期受理的办件中即办件所占比例。",
        description_en="Share of the cases accepted in the period that are instant (即办件) cases.",
        formula_zh="即办件受理数 ÷ 受理办件总数", formula_en="instant cases accepted ÷ all cases accepted"),
    Metric(
        name="time_compression", label_zh="比法定时限提速", label_en="Time compression", kind="complement",
        period_date="completed",
        numerator=total("compression_elapsed", of="elapsed_workdays", where="statutory_limit_days >= 1"),
        denominator=STATUTORY_DAYS,
        description_zh="本期办结且法定时限≥1个工作日的办件，实际用时比法定时限压缩的比例。",
        description_en="How much faster than the statutory limits the cases completed in the period were "
                       "handled, over cases with a statutory limit of at least 1 working day.",
        formula_zh="1 − Σ实际工作日 ÷ Σ法定时限", formula_en="1 − Σ elapsed working days ÷ Σ statutory limit days",
        target=0.78),
    Metric(
        name="promise_compression", label_zh="承诺时限压缩率", label_en="Promise compression", kind="complement",
        period_date="completed",
        numerator=total("promise_promised", of="promised_limit_days",
                        where="statutory_limit_days >= 1 AND promised_limit_days IS NOT NULL"),
        denominator=total("promise_statutory", of="statutory_limit_days",
                          where="statutory_limit_days >= 1 AND promised_limit_days IS NOT NULL"),
        description_zh="同一批办件（法定时限≥1且有承诺时限）承诺时限比法定时限压缩的比例。",
        description_en="How much shorter the promised limits are than the statutory ones, over the same "
                       "completed cases (statutory limit >= 1 and a promised limit given).",
        formula_zh="1 − Σ承诺时限 ÷ Σ法定时限", formula_en="1 − Σ promised days ÷ Σ statutory days"),
    Metric(
        name="avg_actual_days", label_zh="平均实际办理时长", label_en="Average actual handling", kind="average",
        period_date="completed",
        numerator=total("elapsed_sum", of="elapsed_workdays"),
        denominator=COMPLETED_CASES,
        description_zh="本期办结办件的平均实际办理工作日（受理当日不计）。",
        description_en="Average working days taken by the cases completed in the period (the acceptance day "
                       "not counted).",
        formula_zh="Σ实际工作日 ÷ 办结件数", formula_en="Σ elapsed working days ÷ completed cases",
        target=1.5, better="lower"),
    Metric(
        name="avg_promised_days", label_zh="承诺件平均承诺时限", label_en="Average promised limit", kind="average",
        period_date="completed",
        numerator=total("committed_promised_sum", of="promised_limit_days", where="item_type = 'committed'"),
        denominator=count("committed_promised_cases",
                          where="item_type = 'committed' AND promised_limit_days IS NOT NULL"),
        description_zh="本期办结的承诺件的平均承诺时限（工作日）。",
        description_en="Average promised limit, in working days, of the committed cases completed in the period.",
        formula_zh="Σ承诺时限 ÷ 有承诺时限的已办结承诺件数",
        formula_en="Σ promised days ÷ completed committed cases with a promise",
        target=5.0, better="lower"),
    Metric(
        name="avg_statutory_days", label_zh="平均法定时限", label_en="Average statutory limit", kind="average",
        period_date="completed",
        numerator=STATUTORY_DAYS,
        denominator=count("compression_cases", where="statutory_limit_days >= 1"),
        description_zh="本期办结、法定时限≥1个工作日的办件的平均法定时限，与平均实际办理时长对照。",
        description_en="Average statutory limit, in working days, of the cases completed in the period with a "
                       "statutory limit of at least 1 working day: the yardstick of the time compression.",
        formula_zh="Σ法定时限 ÷ 法定时限≥1的办结件数",
        formula_en="Σ statutory days ÷ completed cases with a statutory limit >= 1"),
    Metric(
        name="window_signoff_rate", label_zh="窗口直接签批办结率", label_en="Window sign-off rate", kind="rate",
        period_date="completed",
        numerator=count("window_signed", where="window_signed"),
        denominator=count("window_known", where="window_signed IS NOT NULL"),
        description_zh="本期办结、已知是否窗口签批的办件中，在窗口直接签批办结的比例。",
        description_en="Share of the cases completed in the period (where it is known) that were signed off "
                       "directly at the window.",
        formula_zh="窗口签批办结件数 ÷ 已知签批方式的办结件数",
        formula_en="completed cases signed at the window ÷ completed cases where known",
        target=0.65),
    Metric(
        name="on_time_rate", label_zh="按时办结率", label_en="On-time rate", kind="rate",
        period_date="completed",
        numerator=count("on_time_cases", where="is_on_time"),
        denominator=DEADLINE_CASES,
        description_zh="本期办结、有办结期限的办件（即办件与承诺件）中，在期限内办结的比例。",
        description_en="Share of the cases completed in the period with a deadline (instant and committed) that "
                       "were completed at or before it.",
        formula_zh="按时办结件数 ÷ 有期限的办结件数",
        formula_en="cases completed on time ÷ completed cases with a deadline"),
    Metric(
        name="same_day_completion_rate", label_zh="当日办结率", label_en="Same-day completion rate",
        kind="rate", period_date="completed",
        numerator=count("same_day_cases", where="completed_date = accepted_date"),
        denominator=COMPLETED_CASES,
        description_zh="本期办结的办件中，在受理当日办结的比例。",
        description_en="Share of the cases completed in the period that were completed on the day they were "
                       "accepted.",
        formula_zh="受理当日办结件数 ÷ 办结件数", formula_en="cases completed on their acceptance date ÷ cases "
                                                     "completed"),
    Metric(
        name="overdue_cases", label_zh="超期办结件", label_en="Overdue cases", kind="count",
        period_date="completed",
        numerator=count("overdue_cases", where="deadline IS NOT NULL AND NOT is_on_time"),
        denominator=None,
        description_zh="本期办结但超过办结期限的办件数。",
        description_en="Cases completed in the period after their deadline.",
        formula_zh="有期限的办结件数 − 按时办结件数", formula_en="completed cases with a deadline − on time",
        target=0, better="lower"),
    Metric(
        name="open_overdue_cases", label_zh="在办超期件", label_en="Open overdue cases", kind="count",
        period_date="period_end",
        numerator=count("open_overdue_cases"),
        denominator=None,
        description_zh="期末仍在办（未办结、未撤件、未不予受理）且已超过期限的办件数。与按时办结率并列显示：只看办结件的"
                       "比率会掩盖仍在办的超期件。",
        description_en="Cases accepted by the period end, still open at its end (not withdrawn or rejected), "
                       "whose deadline had passed by then. Shown beside the on-time rate: a rate over completed "
                       "cases alone looks perfect while late cases stay open.",
        formula_zh="期末在办且已过期限的办件数", formula_en="open cases at period end past their deadline",
        target=0, better="lower"),
    Metric(
        name="cases", label_zh="受理件数", label_en="Cases accepted", kind="count",
        period_date="accepted",
        numerator=ACCEPTED_CASES, denominator=None,
        description_zh="本期受理的办件数。", description_en="Cases accepted in the period.",
        formula_zh="受理办件数", formula_en="cases accepted"),
    Metric(
        name="completed_cases", label_zh="办结件数", label_en="Cases completed", kind="count",
        period_date="completed",
        numerator=COMPLETED_CASES, denominator=None,
        description_zh="本期办结的办件数（状态为办结）。", description_en="Cases completed in the period (status completed).",
        formula_zh="办结件数", formula_en="cases completed"),
)

BY_NAME: dict[str, Metric] = {m.name: m for m in METRICS}
FOUR_RATES: tuple[Metric, ...] = tuple(m for m in METRICS if m.four_rate)


def metric(name: str) -> Metric:
    return BY_NAME[name]


def parts_by_period_date(metrics: tuple[Metric, ...] = METRICS) -> dict[str, tuple[Part, ...]]:
    """Every summed part, once, under the period date its measures use, in declaration order.

    Two measures may share a part only when they declare it alike: a part name is a column
    of the aggregates, so one name must mean one thing."""
    seen: dict[str, tuple[str, Part]] = {}
    out: dict[str, list[Part]] = {name: [] for name in PERIOD_DATES}
    for m in metrics:
        for p in m.parts():
            if p.name in seen:
                if seen[p.name] != (m.period_date, p):
                    raise ValueError(f"part {p.name!r} of {m.name} is declared differently elsewhere")
                continue
            seen[p.name] = (m.period_date, p)
            out[m.period_date].append(p)
    for name, parts in out.items():
        if PERIOD_DATES[name].until and any(p.sums for p in parts):
            raise ValueError(f"a span period date ({name}) can only count cases")
    return {k: tuple(v) for k, v in out.items()}
