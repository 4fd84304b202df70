"""Every label of the pages, in Chinese and English: one table, one `t()`.

Metric names, definitions and formulas come from the registry (`metrics/registry.py`) and
rejection reasons from `metrics/rejections.py`, beside the codes they name; this table holds
everything else the pages say. tests/test_labels.py checks that every key a page asks for
is here, in both languages.
"""

from __future__ import annotations

import streamlit as st

from metrics import rejections
from metrics.registry import BY_NAME

TEXT: dict[str, tuple[str, str]] = {
    # ==== the frame and the Overview, Rankings and Definitions pages =====================
    "app_title": ("政务服务中心绩效看板", "Service-centre performance dashboard"),
    "unit_days": ("个工作日", "working days"),
    "nav_overview": ("总览", "Overview"),
    "nav_rankings": ("排名", "Rankings"),
    "nav_department": ("部门详情", "Department"),
    "nav_timeliness": ("时效监察", "Timeliness"),
    "nav_satisfaction": ("好差评", "Satisfaction"),
    "nav_data": ("数据管理", "Data"),
    "nav_definitions": ("指标说明", "Definitions"),
    "filter_language": ("语言", "Language"),
    "filter_period_kind": ("统计周期", "Period"),
    "period_quarter": ("季度", "Quarter"),
    "period_month": ("月份", "Month"),
    "period_year": ("年度", "Year"),
    "period_range": ("日期范围", "Date range"),
    "filter_departments": ("部门", "Departments"),
    "all_departments": ("全部部门", "All departments"),
    "presentation_mode": ("演示模式", "Presentation mode"),
    "data_through": ("数据截至 {date}，最近导入 {imported}", "Data through {date}, imported {imported}"),
    "no_data": ("还没有数据：请到“数据管理”页导入办件日志。", "No data yet: import a case log on the Data page."),
    "no_cases_in_period": ("{period} 没有办件。", "No cases in {period}."),
    "target_met": ("达标", "met"),
    "target_missed": ("未达标", "missed"),
    "target": ("目标", "Target"),
    "vs_previous": ("较上期", "vs previous period"),
    "undefined": ("无数据，无法计算", "undefined: no cases in the denominator"),
    # ---- frame: sidebar, top bar, guides ---------------------------------------------
    "fr_filters": ("筛选", "Filters"),
    "fr_period": ("统计期", "Period"),
    "fr_period_help": (
        "默认：数据覆盖的最近一个完整季度。办件按指标规定的日期（受理、办结或评价时间）归入统计期。",
        "Default: the latest quarter the data fully covers. A case falls into a period by the date its "
        "metric names (accepted, completed or rated)."),
    "fr_range_pick_end": ("请再选择结束日期。", "Pick the end date as well."),
    "fr_bad_period": ("地址中的统计期“{text}”无法识别：请写成 2025Q3、2025-07、2025 或 2025-07-01..2025-09-30。",
                      "The period \"{text}\" in the address is not understood: write 2025Q3, 2025-07, 2025 or "
                      "2025-07-01..2025-09-30."),
    "fr_depts_help": ("不选即全部部门。", "Leave empty for all departments."),
    "fr_present_help": (
        "大屏演示：隐藏侧栏与工具栏，放大字号。链接中的 ?present=true 也可打开。",
        "Big-screen mode: no sidebar or toolbar, large type. ?present=true in the link opens it too."),
    "fr_present_settings": ("演示设置", "Presentation settings"),
    "fr_advance": ("自动翻页间隔（秒，0 为不翻页）", "Auto-advance every (seconds, 0 = off)"),
    "fr_slides": ("翻页顺序", "Pages to cycle through"),
    "fr_exit_present": ("退出演示", "Exit presentation"),
    "pr_previous": ("上一页", "Previous slide"),
    "pr_next": ("下一页", "Next slide"),
    "tl_more_depts_below": ("另有 {n} 个部门有预警，见下方预警清单。", "{n} more departments have warnings: see the list below."),
    "chart_first_depts": ("图中为最需关注的 {n} 个部门（共 {total} 个），全部部门见下表；也可在侧栏选择部门。",
                          "The chart shows the {n} departments most in need of attention ({total} in all); the table below "
                          "has every department, or choose departments in the sidebar."),
    "tl_more_depts": ("另有 {n} 个部门有预警，见“时效监察”页。", "{n} more departments have warnings: see the Timeliness page."),
    "fr_never_imported": ("尚未导入", "never"),
    "fr_go_data": ("前往数据管理导入数据", "Go to the Data page to import"),
    "fr_view_period": ("{period}（{start} 至 {end}）", "{period} ({start} to {end})"),
    "fr_view_range": ("{start} 至 {end}", "{start} to {end}"),
    "fr_uncovered": (
        "{years} 年不在节假日日历覆盖范围内：这些年份只按周末计休息日，工作日数可能偏差。",
        "The holiday calendar does not cover {years}: only weekends count as rest days there, so "
        "working-day counts may be off."),
    "fr_selected_depts": ("{n} 个部门", "{n} departments"),
    "fr_share_link": ("复制浏览器地址即可分享当前视图。", "Copy the address bar to share this view."),
    "fr_pp": ("个百分点", "pp"),
    "fr_flat": ("持平", "no change"),
    "fr_no_previous": ("上期无数据", "no data in the previous period"),
    "fr_new": ("新", "new"),
    "fr_no_target": ("无目标", "no target"),
    "fr_needs_catalogue": ("需要事项目录：尚未导入，故无法计算。", "Needs the item catalogue: none imported yet."),
    # ---- overview --------------------------------------------------------------------
    "ov_four_rates": ("四率", "The four rates"),
    "ov_trend": ("近八个季度趋势", "Last eight quarters"),
    "ov_trend_caption": ("虚线为目标值；每个点是该季度全中心（或所选部门）的汇总值。",
                         "Dashed lines are targets; each point is the centre's (or the selected "
                         "departments') figure for that quarter."),
    "ov_totals": ("中心汇总", "Centre totals"),
    "ov_online_cases": ("其中网上受理 {n} 件", "of which online: {n}"),
    "ov_top": ("得分前五", "Top five"),
    "ov_bottom": ("得分后五", "Bottom five"),
    "ov_no_ranked": ("本期没有可排名的部门（受理件数不足 {n} 件）。",
                     "No department can be ranked in this period (fewer than {n} cases each)."),
    "ov_to_rankings": ("查看完整排名", "Full ranking"),
    "ov_period_date": ("归期：{what}", "Period by: {what}"),
    # ---- rankings --------------------------------------------------------------------
    "rk_title": ("部门排名", "Department ranking"),
    "rk_rules": (
        "得分 = 四率加权平均 × 100（权重：{weights}）；某项指标无数据时不计入并按其余权重重新归一，标“部分”。"
        "受理不足 {min_cases} 件的部门列出但不排名。括号内为 95% Wilson 置信区间；"
        "“≈”表示与下一名的得分区间重叠，差异不显著。",
        "Score = weighted mean of the four rates × 100 (weights: {weights}); an undefined rate is left out "
        "and the other weights renormalised (marked partial). Departments with fewer than {min_cases} cases "
        "are listed but not ranked. Brackets: 95% Wilson intervals; “≈”: the score interval overlaps the "
        "next department's, so the difference is not significant."),
    "rk_chart": ("得分", "Scores"),
    "rk_score_target": ("得分目标 {v}", "Score target {v}"),
    "rk_score_target_note": (
        "得分目标 {v} = 有目标的各率目标按排名权重的加权平均 × 100（{parts}）；提前办结率无目标，不计入。",
        "Score target {v} = the weighted mean of the rates' targets where a target is defined × 100 "
        "({parts}); the early-completion rate has no target and is left out."),
    "rk_chart_caption": ("横线为得分的 95% 区间；只画出已排名部门。",
                         "Whiskers: the score's 95% interval; ranked departments only."),
    "rk_table": ("排名表", "Ranking table"),
    "rk_col_rank": ("排名", "Rank"),
    "rk_col_change": ("变化", "Change"),
    "rk_col_dept": ("部门", "Department"),
    "rk_col_score": ("得分（区间）", "Score (interval)"),
    "rk_col_cases": ("受理件数", "Cases"),
    "rk_col_partial": ("部分", "Partial"),
    "rk_col_note": ("备注", "Note"),
    "rk_col_sig": ("与下一名", "vs next"),
    "rk_help_rank": ("竞争排名（1、2、2、4），得分相同并列；受理件数不足或无可算指标的部门不排名。",
                     "Competition ranking (1, 2, 2, 4); equal scores share a rank. Departments with too "
                     "few cases or no defined rate are not ranked."),
    "rk_help_change": ("与上一个同长度统计期相比的名次变化；“新”表示上期未排名。",
                       "Rank change against the previous period of the same length; “new”: not ranked "
                       "then."),
    "rk_help_score": ("四率加权平均 × 100；括号内为以各率区间上下限同样加权得到的区间。",
                      "Weighted mean of the four rates × 100; brackets: the same mean of the rates' "
                      "interval bounds."),
    "rk_help_rate": ("括号内为 95% Wilson 置信区间。", "Brackets: 95% Wilson interval."),
    "rk_help_partial": ("有指标无数据，得分按其余指标重新归一计算。",
                        "A rate is undefined; the score uses the others, reweighted."),
    "rk_help_sig": ("“≈”：与下一名的得分区间重叠，名次差异不显著。",
                    "“≈”: the score interval overlaps the next department's; the ranks do not differ "
                    "significantly."),
    "rk_yes": ("是", "yes"),
    "rk_not_significant": ("≈ 不显著", "≈ n.s."),
    "rk_note_too_few": ("受理不足 {n} 件，不排名", "fewer than {n} cases: not ranked"),
    "rk_note_no_rate": ("无可计算指标，不排名", "no defined rate: not ranked"),
    "rk_downloads": ("下载", "Downloads"),
    "rk_download_csv": ("CSV（与表格一致）", "CSV (as shown)"),
    "rk_download_xlsx": ("Excel（带格式，含指标说明）", "Excel (formatted, with definitions)"),
    "rk_download_machine": ("CSV（机器可读，全精度）", "CSV (machine-readable, full precision)"),
    "rk_empty": ("本期没有可列出的部门。", "No department to list for this period."),
    "rk_focus_n": ("图中前后各显示", "Top and bottom in the chart"),
    "rk_focus_n_help": ("部门较多时，图中只画出前 N 名和后 N 名，以及查找到的部门；表格逐页显示。",
                        "With many departments the chart draws the top N and the bottom N and the departments "
                        "found; the table shows a page at a time."),
    "rk_search": ("查找部门", "Find a department"),
    "rk_search_placeholder": ("输入部门名称的一部分", "Type part of its name"),
    "rk_search_none": ("没有部门的名称含“{q}”。", "No department's name contains “{q}”."),
    "rk_search_count": ("名称含“{q}”的部门：{k} 个，见下表及图中橙色条。",
                        "Departments whose name contains “{q}”: {k}, in the table below and orange in the chart."),
    "rk_search_first": ("表中只列出前 {m} 个：请输入更多字。", "The table lists the first {m}: type more of the name."),
    "rk_page": ("页码（共 {pages} 页）", "Page (of {pages})"),
    "rk_page_caption": ("第 {a}–{b} 行，共 {total} 行。翻页，或在上方查找部门。",
                        "Rows {a}–{b} of {total}. Turn the page, or find a department above."),
    "rk_gap": ("⋯ 第 {a}–{b} 名 ⋯", "⋯ ranks {a}–{b} ⋯"),
    "rk_chart_focus": ("共 {total} 个已排名部门，图中为前 {n} 名和后 {n} 名，“⋯”处从略。",
                       "{total} departments are ranked: the chart shows the top {n} and the bottom {n}; “⋯” marks "
                       "those left out."),
    "rk_chart_found": ("橙色为查找到的 {k} 个部门。", "Orange: the {k} departments found."),
    # ---- definitions -----------------------------------------------------------------
    "df_title": ("指标说明", "Metric definitions"),
    "df_intro": (
        "看板上的每个数字都来自下列定义：分子、分母按日汇总后相加再相除，绝不平均各部门或各天的比率；"
        "分母为 0 时显示“—”，不显示 0。",
        "Every figure on this dashboard follows these definitions: numerators and denominators are summed "
        "and then divided, never averaged over departments or days; a figure whose denominator is 0 shows "
        "“—”, not 0."),
    "df_summary": ("指标一览", "All metrics"),
    "df_col_metric": ("指标", "Metric"),
    "df_col_name": ("字段名", "Column name"),
    "df_col_target": ("目标", "Target"),
    "df_col_better": ("方向", "Better when"),
    "df_col_period_date": ("归期日期", "Date that puts a case into a period"),
    "df_col_four": ("四率", "Four rates"),
    "df_higher": ("越高越好", "higher"),
    "df_lower": ("越低越好", "lower"),
    "df_definition": ("定义", "Definition"),
    "df_formula": ("公式", "Formula"),
    "df_numerator": ("分子", "Numerator"),
    "df_denominator": ("分母", "Denominator"),
    "df_cases_numerator": ("分子对应的办件（case_facts 条件）", "Cases in the numerator (case_facts predicate)"),
    "df_cases_denominator": ("分母对应的办件（case_facts 条件）",
                             "Cases in the denominator (case_facts predicate)"),
    "df_catalogue_sql": ("事项目录指标：见下方 catalogue_period.sql。",
                         "A catalogue measure: see catalogue_period.sql below."),
    "df_details": ("逐项说明", "Each metric"),
    "df_ranking_rules": ("排名规则", "Ranking rules"),
    "df_ranking_text": (
        "- 得分 = 四率加权平均 × 100，权重：{weights}；无数据的指标不计入，其余权重重新归一，标“部分”。\n"
        "- 列出本期有受理、办结、评价或期末有有效事项的部门；受理不足 {min_cases} 件或无可算指标的部门列出但不排名。\n"
        "- 竞争排名（1、2、2、4），得分保留 9 位小数相同者并列，并列时按部门名称排序。\n"
        "- 每个率带 95% Wilson 区间（z = 1.96）；得分区间为各率区间下限、上限的同权加权平均。相邻两名区间重叠标“≈”。\n"
        "- 名次变化与上一个同长度统计期比较；上期未排名标“新”。\n"
        "- 得分目标 {score_target}：有目标的各率目标按权重加权平均 × 100。",
        "- Score = weighted mean of the four rates × 100, weights: {weights}; an undefined rate is left out, "
        "the other weights renormalised, the row marked partial.\n"
        "- Listed: every department with a case accepted, completed or rated in the period, or an active "
        "catalogue item at its end; those with fewer than {min_cases} cases or no defined rate are listed "
        "but not ranked.\n"
        "- Competition ranking (1, 2, 2, 4); scores equal to 9 decimal places share a rank, ordered by name.\n"
        "- Each rate carries a 95% Wilson interval (z = 1.96); the score's interval is the same weighted "
        "mean of the rates' lower and upper bounds. Adjacent ranks whose intervals overlap are marked “≈”.\n"
        "- Rank change is against the previous period of the same length; “new” when not ranked then.\n"
        "- Score target {score_target}: the weighted mean of the rates' targets, where defined, × 100."),
    "df_sql": ("SQL", "SQL"),
    "df_sql_intro": (
        "各期数字由下列命名 SQL 计算，取值一律以参数（$start、$end）传入。",
        "The figures come from these named SQL files; values are always passed as parameters "
        "($start, $end)."),
    "df_sql_item_parts": ("一个部门各事项的分子与分母（事项明细表）",
                          "Numerators and denominators per item of one department (the items table)"),
    "df_sql_dept_period": ("按部门、按统计期汇总分子与分母", "Numerators and denominators per department and period"),
    "df_sql_daily_aggregates": ("按部门、按日的分子与分母（导入时重建）",
                                "Per department, per day numerators and denominators (rebuilt on import)"),
    "df_sql_case_facts": ("每个办件的派生事实：期限、用时、是否按时", "Derived facts per case: deadline, elapsed days, on time"),
    "df_sql_catalogue_period": ("期末事项目录指标", "Catalogue measures at the period's end"),
    "pd_accepted": ("受理时间（accepted_at）", "accepted_at (acceptance time)"),
    "pd_completed": ("办结时间（completed_at），仅状态为办结", "completed_at, completed cases only"),
    "pd_rated": ("评价时间（rated_at），无则办结时间；仅已办结件",
                 "rated_at, else completed_at; completed cases only"),
    "pd_catalogue": ("期末最后一天的事项目录状态", "the catalogue as it stood on the period's last day"),
    "pd_period_end": ("期末时点：期末前受理、期末仍在办且已过期限",
                      "the period's end: accepted by then, still open then, past the deadline"),
    # ==== the Department, Timeliness, Satisfaction and Data pages =======================
    # ---- shared by the detail pages
    "centre": ("全中心", "Centre"),
    "unit_days_short": ("工作日", "working days"),
    "download_csv": ("下载 CSV", "Download CSV"),
    "table_first_rows": ("表中显示前 {n} 件，共 {total} 件；下载的 CSV 包含全部。",
                         "The table shows the first {n} of {total} cases; the CSV download holds all of them."),
    "list_title": ("{title}（{n} 件）", "{title} ({n})"),
    "cases_behind_title": ("指标背后的办件", "The cases behind a figure"),
    "cases_behind_metric": ("指标", "Figure"),
    "cases_behind_part": ("分子或分母", "Numerator or denominator"),
    "cases_behind_count": ("办件数", "Cases"),
    "part_numerator": ("分子：计入的办件", "Numerator: the cases counted"),
    "part_denominator": ("分母：全部相关办件", "Denominator: all cases considered"),

    # ---- case-list columns
    "col_period": ("周期", "Period"),
    "col_dept": ("部门", "Department"),
    "col_case_id": ("办件编号", "Case no."),
    "col_item_code": ("事项编码", "Item code"),
    "col_item_name": ("事项名称", "Item"),
    "col_item_type": ("办件类型", "Type"),
    "col_channel": ("申报方式", "Channel"),
    "col_status": ("办件状态", "Status"),
    "col_accepted_at": ("受理时间", "Accepted"),
    "col_completed_at": ("办结时间", "Completed"),
    "col_due_date": ("截止日期", "Due date"),
    "col_deadline": ("办结期限", "Deadline"),
    "col_elapsed_workdays": ("实际用时（工作日）", "Working days taken"),
    "col_statutory_limit_days": ("法定时限（工作日）", "Statutory limit (working days)"),
    "col_promised_limit_days": ("承诺时限（工作日）", "Promised limit (working days)"),
    "col_window_signed": ("窗口签批", "Signed at window"),
    "col_rating": ("评价", "Rating"),
    "col_rated_at": ("评价时间", "Rated at"),
    "col_level": ("等级", "Level"),
    "col_workdays_left": ("距截止（工作日）", "Working days to due date"),
    "col_early_cases": ("提前办结件", "Completed early"),
    "col_ratings": ("评价数", "Ratings"),
    "col_rating_1": ("1 非常不满意", "1 very dissatisfied"),
    "col_rating_2": ("2 不满意", "2 dissatisfied"),
    "col_rating_3": ("3 基本满意", "3 basically satisfied"),
    "col_rating_4": ("4 满意", "4 satisfied"),
    "col_rating_5": ("5 非常满意", "5 very satisfied"),
    "help_early_cases": ("本期办结、有办结期限的承诺件中，在截止日之前办结的件数（提前办结率的分子）。",
                         "Committed cases with a deadline completed in the period on a date before their due "
                         "date (the numerator of the early-completion rate)."),
    "help_ratings": ("本期评价总数（按评价时间，无则按办结时间；仅已办结件）：满意率的分母。",
                     "Ratings in the period (dated by the rating time, else the completion time; completed "
                     "cases only): the denominator of the satisfaction rate."),
    "help_rating_1": ("本期评价为 1（非常不满意）的件数。", "Ratings of 1 (very dissatisfied) in the period."),
    "help_rating_2": ("本期评价为 2（不满意）的件数。", "Ratings of 2 (dissatisfied) in the period."),
    "help_rating_3": ("本期评价为 3（基本满意）的件数。", "Ratings of 3 (basically satisfied) in the period."),
    "help_rating_4": ("本期评价为 4（满意）的件数。", "Ratings of 4 (satisfied) in the period."),
    "help_rating_5": ("本期评价为 5（非常满意）的件数。", "Ratings of 5 (very satisfied) in the period."),

    # ---- stored codes shown as words
    "val_item_type_instant": ("即办件", "Instant"),
    "val_item_type_committed": ("承诺件", "Committed"),
    "val_channel_online": ("网上", "Online"),
    "val_channel_window": ("窗口", "Window"),
    "val_channel_other": ("其他", "Other"),
    "val_status_completed": ("办结", "Completed"),
    "val_status_in_progress": ("在办", "In progress"),
    "val_status_rejected": ("不予受理", "Rejected"),
    "val_status_withdrawn": ("撤件", "Withdrawn"),
    "val_level_red": ("红灯 · 超期", "Red · overdue"),
    "val_level_yellow": ("黄灯 · 预警", "Yellow · due soon"),
    "val_window_signed_true": ("是", "Yes"),
    "val_window_signed_false": ("否", "No"),
    "val_rating_1": ("非常不满意", "very dissatisfied"),
    "val_rating_2": ("不满意", "dissatisfied"),
    "val_rating_3": ("基本满意", "basically satisfied"),
    "val_rating_4": ("满意", "satisfied"),
    "val_rating_5": ("非常满意", "very satisfied"),

    # ---- Department 部门详情
    "dept_choose": ("部门", "Department"),
    "dept_caption": ("{dept} · {period}。每个指标下方为全中心数值与目标。",
                     "{dept} · {period}. Under each figure: the whole centre's value and the target."),
    "dept_no_catalogue": ("事项进驻率需要事项目录：该部门在事项目录中没有应进驻事项，因此显示为“—”。",
                          "The entry rate needs the item catalogue: this department has no must-enter item in "
                          "it, so the rate shows as \"—\"."),
    "dept_trend_title": ("近 {n} 个季度走势", "The last {n} quarters"),
    "dept_trend_caption": ("蓝色实线：本部门；灰色点线：全中心；红色虚线：目标。空缺表示该季度无数据（分母为 0）。",
                           "Blue line: this department; grey dots: the whole centre; red dashes: the target. "
                           "A gap means no data that quarter (denominator 0)."),
    "dept_trend_table": ("按季度的数据表", "The figures by quarter, as a table"),
    "dept_items_title": ("事项明细 · {period}", "Items · {period}"),

    # ---- Timeliness 时效监察
    "tl_by_dept_title": ("各部门办理时效", "Handling time by department"),
    "tl_days_chart": ("平均实际办理时长、承诺时限与法定时限（工作日）",
                      "Average actual handling, promised and statutory limits (working days)"),
    "tl_table_title": ("各部门时效数据表", "Handling time by department, as a table"),
    "tl_overdue_title": ("超期办结件清单", "Cases completed late"),
    "tl_board_title": ("电子监察：在办件预警", "Electronic supervision: open-case warnings"),
    "tl_board_help": ("截至所选日期仍在办（未办结、未撤件、未不予受理）的办件：已过截止日为红灯（超期），"
                      "距截止日不超过 1 个工作日为黄灯（预警）。",
                      "Cases still open on the chosen date (not completed, withdrawn or rejected): red when "
                      "past the due date, yellow when due within 1 working day."),
    "tl_as_of": ("截至日期", "As of"),
    "tl_red": ("超期", "Overdue"),
    "tl_yellow": ("预警", "Due soon"),
    "tl_red_help": ("在办且已过截止日的办件数（红灯）。", "Open cases past their due date (red)."),
    "tl_yellow_help": ("在办且距截止日不超过 1 个工作日的办件数（黄灯）。",
                       "Open cases due within 1 working day (yellow)."),
    "tl_board_caption": ("截至 {date}；数据截至 {through}。", "As of {date}; data through {through}."),
    "tl_after_data": ("所选日期晚于数据截止日：此后办结的办件不在数据中，预警可能偏多。",
                      "The chosen date is after the data ends: cases completed since then are not in the data, "
                      "so warnings may be overstated."),
    "tl_no_warnings": ("截至 {date} 没有预警或超期的在办件。", "No open case is overdue or due soon as of {date}."),
    "tl_warning_list": ("预警办件清单（{n} 件）", "Warned cases ({n})"),

    # ---- Satisfaction 好差评
    "sat_by_dept_title": ("各部门好差评", "Ratings by department"),
    "sat_distribution": ("评价分布", "Distribution of ratings"),
    "sat_distribution_help": ("本期各部门评价（1–5）的件数或占比，按评价时间（无则按办结时间）计入，仅已办结件。",
                              "Ratings 1–5 of each department in the period, by count or share; dated by the "
                              "rating time, else the completion time; completed cases only."),
    "sat_scale": ("显示方式", "Show"),
    "sat_scale_share": ("占比", "Share"),
    "sat_scale_count": ("件数", "Count"),
    "sat_table_title": ("各部门好差评数据表", "Ratings by department, as a table"),
    "sat_poor_title": ("差评清单（评价 ≤ 2）", "Poor ratings (2 or less)"),
    "sat_poor_count": ("差评数", "Poor ratings"),
    "sat_poor_help": ("本期评价为“不满意”或“非常不满意”（≤ 2）的办件，按评价时间（无则按办结时间）计入。",
                      "Cases rated dissatisfied or very dissatisfied (2 or less) in the period, dated by the "
                      "rating time, else the completion time."),

    # ---- Data 数据管理
    "data_cases_stored": ("已存办件数", "Cases stored"),
    "data_through_label": ("数据截至", "Data through"),
    "data_last_import": ("最近导入", "Last import"),
    "data_upload_title": ("导入数据", "Import data"),
    "data_kind": ("文件类型", "File type"),
    "data_kind_cases": ("办件日志", "Case log"),
    "data_kind_catalogue": ("事项目录", "Item catalogue"),
    "data_kind_departments": ("考核类别", "Departments file"),
    "data_file": ("选择文件（CSV、XLSX 或 Parquet）", "Choose a file (CSV, XLSX or Parquet)"),
    "data_file_help": ("CSV 可为 UTF-8、带 BOM 的 UTF-8 或 GBK/GB18030 编码；表头可为中文或英文。单个文件不超过 {mb} MB。",
                       "CSV in UTF-8, UTF-8 with BOM or GBK/GB18030; Chinese or English headers. At most "
                       "{mb} MB per file."),
    "data_too_big": ("文件 {name} 有 {size} MB，超过上限 {mb} MB：请按月份或部门拆分后分别导入，"
                     "或请管理员调高 dashboard.toml 中的 upload_limit_mb。",
                     "{name} is {size} MB, over the {mb} MB limit: split it by month or department and import "
                     "the parts, or ask the administrator to raise upload_limit_mb in dashboard.toml."),
    "data_unreadable": ("无法读取该文件", "The file cannot be read"),
    "data_preview": ("预览", "Preview"),
    "data_format": ("格式 {fmt} · 编码 {enc}", "format {fmt} · encoding {enc}"),
    "data_rows": ("{rows} 行", "{rows} rows"),
    "data_personal_hidden": ("含个人信息的列不显示、不导入：{cols}", "Columns with personal data are neither shown nor "
                             "imported: {cols}"),
    "data_mapping_file": ("映射文件（可选）", "Mapping file (optional)"),
    "data_mapping_saved": ("已保存的映射", "A saved mapping"),
    "data_mapping_none": ("（无）", "(none)"),
    "data_mapping_upload": ("或上传映射文件（TOML）", "or upload a mapping file (TOML)"),
    "data_mapping_paste": ("或粘贴映射内容（TOML）", "or paste a mapping (TOML)"),
    "data_mapping_pasted": ("粘贴的映射", "pasted mapping"),
    "data_mapping_invalid": ("映射文件有误，已忽略", "The mapping file is not valid and was ignored"),
    "data_mapping_mismatch": ("映射文件与本文件的列不符，已改用表头别名匹配",
                              "The mapping does not fit this file's columns; header aliases are used instead"),
    "data_mapping_adjust": ("调整列映射", "Adjust the column mapping"),
    "data_mapping_adjust_help": ("为每个字段选择文件中的列；带 * 的为必填。选“（无）”的字段仍会按表头别名自动匹配。",
                                 "Choose the file's column for each field; * marks a required field. A field "
                                 "left at (none) is still matched by its header aliases."),
    "data_field": ("字段", "Field"),
    "data_source_column": ("文件中的列", "Column in the file"),
    "data_why_dropped": ("原因", "Why"),
    "data_dropped_personal": ("个人信息，不导入", "personal data, not stored"),
    "data_dropped_unused": ("未使用", "not used"),
    "data_columns_used": ("将导入的列", "Columns imported"),
    "data_columns_dropped": ("不导入的列", "Columns not imported"),
    "data_nothing_dropped": ("文件中的每一列都会导入。", "Every column of the file is imported."),
    "data_mapping_save": ("保存映射", "Save the mapping"),
    "data_mapping_name": ("映射名称", "Mapping name"),
    "data_mapping_download": ("下载映射文件", "Download the mapping file"),
    "data_mapping_overwrite": ("覆盖同名映射", "Replace the saved mapping of this name"),
    "data_mapping_save_button": ("保存到 {path}", "Save as {path}"),
    "data_mapping_saved_ok": ("已保存到 {path}。", "Saved as {path}."),
    "data_import_title": ("导入", "Import"),
    "data_import_button": ("导入{kind}", "Import the {kind}"),
    "data_cannot_import": ("无法导入", "Cannot import"),
    "data_import_failed": ("导入失败", "The import failed"),
    "data_unchanged": ("原有数据未改变。请按上面的提示修改文件或映射后重新导入。",
                       "The data imported before is unchanged. Correct the file or the mapping as the message "
                       "says and import again."),
    "data_progress_start": ("正在读取文件…", "Reading the file…"),
    "data_progress_read": ("已读取 {n} / {total} 行…", "Read {n} of {total} rows…"),
    "data_progress_read_about": ("已读取 {n} 行（共约 {total} 行）…", "Read {n} of about {total} rows…"),
    "data_progress_checked": ("已逐行检查，正在写入…", "Rows checked; writing…"),
    "data_progress_aggregated": ("正在更新统计…", "Updating the figures…"),
    "data_progress_done": ("导入完成", "Import complete"),
    "data_ledger_title": ("导入台账 · 第 {id} 次导入 · {file}", "Import ledger · import #{id} · {file}"),
    "ledger_rows_read": ("读取行数", "Rows read"),
    "ledger_accepted": ("接收", "Accepted"),
    "ledger_rejected": ("退回", "Rejected"),
    "ledger_repeats": ("重复行", "Repeats"),
    "ledger_inserted": ("新增", "Inserted"),
    "ledger_updated": ("更新", "Updated"),
    "ledger_rows_read_help": ("文件中的数据行数（不含表头）。", "Data rows in the file (the header not counted)."),
    "ledger_accepted_help": ("通过检查并写入的行。", "Rows that passed every check and were stored."),
    "ledger_rejected_help": ("未通过检查的行，见下方退回清单。", "Rows that failed a check: see the list below."),
    "ledger_repeats_help": ("与上方某行完全相同的行，只计一次。", "Rows identical to a row above them, kept once."),
    "ledger_inserted_help": ("新的办件编号（事项编码）。", "New case numbers (item codes)."),
    "ledger_updated_help": ("已存在的办件编号（事项编码），以本次导入为准。",
                            "Case numbers (item codes) already stored, replaced by this import."),
    "data_balance": ("读取 {read} 行 = 接收 {acc} + 退回 {rej} + 重复 {rep}",
                     "Rows read {read} = accepted {acc} + rejected {rej} + repeats {rep}"),
    "data_uncovered": ("节假日日历未覆盖 {years} 年：这些年份按周一至周五计工作日。",
                       "The holiday calendar does not cover {years}: weekdays are taken as working days there."),
    "data_full_rebuild": ("本次导入重新计算了全部办件的统计（{reason}）；其他导入只更新其办件所涉及的日期和部门。",
                          "This import computed every case's figures again ({reason}); other imports update only "
                          "the days and departments their cases fall on."),
    "data_reason": ("退回原因", "Reason"),
    "data_rejects_title": ("退回的行（{n} 行）", "Rejected rows ({n})"),
    "data_rejects_help": ("行号从表头算起（表头为第 1 行），与 Excel 中看到的行号一致。",
                          "Row numbers count the header as row 1, as Excel shows them."),
    "rej_row": ("行号", "Row"),
    "rej_field": ("字段", "Field"),
    "rej_value": ("值", "Value"),
    "rej_message": ("原因与处理办法", "Reason and what to do"),
    "data_other_pages": ("其他页面已使用新数据。", "The other pages now show the new data."),
    "data_history_title": ("导入记录", "Import history"),
    "data_history_empty": ("还没有导入记录。", "Nothing imported yet."),
    "data_history_rejects": ("查看以往导入的退回行", "Rejected rows of an earlier import"),
    "data_history_pick": ("导入", "Import"),
    "hist_import_id": ("序号", "#"),
    "hist_kind": ("类型", "Type"),
    "hist_file_name": ("文件", "File"),
    "hist_file_format": ("格式", "Format"),
    "hist_encoding": ("编码", "Encoding"),
    "hist_imported_at": ("导入时间", "Imported at"),
    "hist_rows_read": ("读取", "Read"),
    "hist_accepted": ("接收", "Accepted"),
    "hist_rejected": ("退回", "Rejected"),
    "hist_repeats": ("重复", "Repeats"),
    "hist_inserted": ("新增", "Inserted"),
    "hist_updated": ("更新", "Updated"),
    # ---- evaluation cycle (spec 10): categories, grades, publication, the bulletin ----------
    "rk_col_category": ("考核类别", "Category"),
    "rk_col_grade": ("等次", "Grade"),
    "rk_col_category_rank": ("类别内排名", "Rank in category"),
    "rk_help_category": ("按工作相近度划分的考核类别，由“数据管理”页导入的考核类别文件指定；未指定的为“未分类”。",
                         "The department's evaluation category, from the departments file imported on the Data "
                         "page; departments it does not name are uncategorised (未分类)."),
    "rk_help_grade": ("在本类别内评定：优秀有名额限制，其余按得分分为良好、合格、较差；不排名的部门不评定。",
                      "Given within the category: excellent under a quota, then good, pass or poor by score; "
                      "departments not ranked get none."),
    "rk_help_category_rank": ("在同一考核类别的参加排名部门中的竞争排名（1、2、2、4）。",
                              "Competition rank (1, 2, 2, 4) among the ranked departments of the same category."),
    "ev_category_filter": ("考核类别", "Category"),
    "ev_category_filter_help": ("只看所选类别的部门；不选即全部。", "Show the chosen categories only; none chosen shows all."),
    "ev_quota_title": ("分类评定", "Grades by category"),
    "ev_quota_rules": ("优秀名额为各类别参加排名部门数的 {share}%（向下取整），且得分不低于 {excellent} 分；"
                       "其余得分不低于 {good} 分为良好、不低于 {passing} 分为合格，低于 {passing} 分为较差。"
                       "得分相同的部门跨越名额线时均不评为优秀。",
                       "Excellent: at most {share}% of a category's ranked departments (rounded down), each scoring "
                       "at least {excellent}; then good from {good}, pass from {passing}, poor below {passing}. "
                       "Departments tied across the quota line are none of them excellent."),
    "ev_col_category": ("考核类别", "Category"),
    "ev_col_ranked": ("参加排名部门", "Ranked"),
    "ev_col_quota": ("优秀名额", "Excellent quota"),
    "ev_bulletin_title": ("考核通报", "Bulletin"),
    "ev_bulletin_revision": ("通报按已发布的第 {revision} 版生成。", "The bulletin reports published revision {revision}."),
    "ev_bulletin_live": ("本期尚未发布：通报按当前数据生成，标注“实时数据，尚未发布”。",
                         "This period is not published: the bulletin reports the live figures and says so."),
    "ev_bulletin_docx": ("下载通报（Word）", "Bulletin (Word)"),
    "ev_bulletin_pdf": ("下载通报（PDF）", "Bulletin (PDF)"),
    "pub_current": ("本期已发布第 {revision} 版（{at}），当前数据与之一致。",
                    "Revision {revision} of this period was published {at}; the live figures match it."),
    "pub_drift": ("本期已发布第 {revision} 版（{at}）。此后导入的数据改变了 {n} 个部门的排名、等次或得分：{depts}。"
                  "已发布版本不变；如需更正，请在“数据管理”页重新发布。",
                  "Revision {revision} of this period was published {at}. Data imported since changed the rank, "
                  "grade or score of {n} departments: {depts}. The revision stays as it is; publish again on the "
                  "Data page to correct it."),
    "pub_drift_details": ("已发布与当前数据对比", "Published and live, side by side"),
    "pub_col_rank_published": ("已发布排名", "Rank published"),
    "pub_col_rank_live": ("当前排名", "Rank now"),
    "pub_col_grade_published": ("已发布等次", "Grade published"),
    "pub_col_grade_live": ("当前等次", "Grade now"),
    "pub_col_score_published": ("已发布得分", "Score published"),
    "pub_col_score_live": ("当前得分", "Score now"),
    "pub_title": ("发布考核结果", "Publish the results"),
    "pub_explain": ("发布即冻结本期的排名、等次、得分和所用规则，形成新的版本；此后导入的数据不改变已发布版本。",
                    "Publishing freezes the period's ranking, grades, scores and the rules in force as a new "
                    "revision; later imports never change it."),
    "pub_period": ("统计期：**{period}**（在侧栏更改）", "Period: **{period}** (change it in the sidebar)"),
    "pub_note": ("说明（可选，如“补录7月办件”）", "Note (optional, e.g. 'late July cases added')"),
    "pub_button": ("发布 {period}", "Publish {period}"),
    "pub_done": ("{period} 第 {revision} 版已发布（{at}，{n} 个部门）。",
                 "{period} revision {revision} published ({at}, {n} departments)."),
    "pub_col_period": ("统计期", "Period"),
    "pub_col_revision": ("版本", "Revision"),
    "pub_col_at": ("发布时间", "Published"),
    "pub_col_note": ("说明", "Note"),
    "pub_col_depts": ("部门数", "Departments"),
    # ---- supervision (电子监察): integrity alerts; the quarter-end projection ---------------
    "nav_supervision": ("电子监察", "Supervision"),
    "sv_evaluating": ("正在对 {period} 的全部办件逐条筛查；算好后保存，再次打开即可直接显示……",
                      "Testing every case of {period} against the rules; kept once done, so the next view is "
                      "immediate…"),
    "sv_counting": ("正在统计 {period} 的监察预警：办件较多，首次统计需要半分钟左右，完成后本页自动显示结果。其他页面照常可用。",
                    "Counting the alerts of {period}: with this many cases the first count takes about half a minute, "
                    "and this page shows the result as soon as it is done. The other pages work meanwhile."),
    "sv_caption": (
        "按规则筛查本期办件中的异常模式（体外循环、非工作时间受理、集中好评、期限末日集中办结等）。比例类规则仅在部门比例"
        "既高于阈值、又显著高于全中心比例（单侧精确二项检验，95%）时提示，避免小部门因偶然而被提示。提示仅供核查，不影响"
        "得分和排名。",
        "Patterns in the period's cases that the rankings invite (cases entered after the fact, window cases "
        "accepted while closed, bursts of top ratings, completions piled on the deadline day …). A share rule "
        "flags a department only when its share is above the threshold and significantly above the centre's "
        "(one-sided exact binomial test, 95%), so small departments are not flagged by chance. Flags are for "
        "checking: they never change a score or a rank."),
    "sv_flags": ("提示数", "Flags"),
    "sv_flags_help": ("每个“部门 × 规则”一条提示。", "One flag per department and rule."),
    "sv_by_rule": ("各规则提示的部门数", "Departments flagged, by rule"),
    "sv_depts_flagged": ("涉及部门", "Departments flagged"),
    "sv_cases_flagged": ("涉及办件", "Cases behind the flags"),
    "sv_flags_title": ("本期提示（{n} 条）", "Flags this period ({n})"),
    "sv_none": ("{period} 没有提示。", "No flags in {period}."),
    "sv_col_rule": ("规则", "Rule"),
    "sv_col_cases": ("涉及件数", "Cases"),
    "sv_col_base": ("基数", "Base"),
    "sv_col_share": ("部门比例 %", "Dept share %"),
    "sv_col_centre_share": ("全中心比例 %", "Centre share %"),
    "sv_centre_share": ("全中心比例", "Centre share"),
    "sv_col_threshold": ("阈值", "Threshold"),
    "sv_col_test": ("显著性", "Test"),
    "sv_col_examples": ("示例办件", "Example cases"),
    "sv_share_help": ("涉及件数 ÷ 基数。", "Cases ÷ base."),
    "sv_base_help": ("规则所针对的本期办件数（如本期办结的承诺件）。",
                     "The period's cases the rule is about (e.g. committed cases completed in the period)."),
    "sv_centre_help": ("全中心（所有部门）的同一比例，与部门筛选无关。",
                       "The same share over the whole centre (every department), whatever departments are selected."),
    "sv_test_help": (
        "单侧精确二项检验：若部门与全中心比例相同，出现这么多或更多涉及件的概率 p；p < 0.05 为显著。集中好评为事件，不做检验。",
        "One-sided exact binomial test: the probability p of this many cases or more if the department's share "
        "were the centre's; p < 0.05 is significant. A rating burst is an event: no test."),
    "sv_test_value": ("p {p}", "p {p}"),
    "sv_test_burst": ("事件规则：出现即提示", "an event: one is enough"),
    "sv_test_detail": ("部门比例的单侧 95% Wilson 下限 {low}；阈值 {threshold}。",
                       "One-sided 95% Wilson lower bound of the department's share {low}; threshold {threshold}."),
    "sv_threshold_burst": ("{minutes} 分钟内 ≥ {n} 条", "≥ {n} within {minutes} min"),
    "sv_cases_title": ("提示背后的办件", "The cases behind a flag"),
    "sv_pick": ("选择提示", "Flag"),
    "sv_dept_share": ("{dept} 比例", "{dept}: share"),
    "sv_share_of": ("{base}：{n} 件中 {cases} 件。", "{base}: {cases} of {n}."),
    "sv_rules_title": ("规则与阈值", "Rules and thresholds"),
    "sv_rules_caption": ("阈值在 dashboard.toml 的 [alerts] 中配置；说明见 docs/alerts.md。",
                         "Thresholds are set in dashboard.toml under [alerts]; see docs/alerts.md."),
    "sv_rule_figures": ("基数：{base}；本期 {depts} 个部门有基数，全中心比例 {centre}，提示 {flagged} 个部门。",
                        "Base: {base}; {depts} departments with a base this period, centre share {centre}, "
                        "{flagged} flagged."),
    "col_seconds_to_complete": ("受理至办结（秒）", "Seconds to completion"),
    "col_accepted_on_rest_day": ("休息日受理", "Accepted on a rest day"),
    "col_accepted_off_hours": ("办公时间外受理", "Accepted outside hours"),
    "col_rating_time": ("评价计入时间（评价时间，无则办结时间）", "Rating counted at (rated, else completed)"),
    "col_burst_count": ("此后 10 分钟内好评数", "Top ratings in the next window"),
    "col_last_workday_by_due": ("期限前最后工作日", "Last working day by the deadline"),
    "pj_title": ("期末预计", "Projected at the period's end"),
    "pj_help": (
        "本期尚未结束：按已发生的办件，加上此前四个同类周期相同天数之后的办件量与比率变化，推算期末值与 80% 区间。方法与回测见 "
        "docs/alerts.md。",
        "The period is not over: its end value is projected from the cases so far plus how the rest of the four "
        "earlier periods went (volume and change of rate), with an 80% interval. Method and backtest: "
        "docs/alerts.md."),
    "pj_caption": ("数据截至 {through}（本期第 {day} 天，共 {days} 天）。",
                   "Data through {through} (day {day} of {days})."),
    "pj_score": ("得分", "Score"),
    "pj_tile_help": ("目前 {so_far}；80% 区间 {interval}。", "So far {so_far}; 80% interval {interval}."),
    "pj_interval": ("80% 区间 {interval}", "80% interval {interval}"),
    "pj_so_far": ("目前 {value}", "so far {value}"),
    "pj_met": ("预计达标", "will be met"),
    "pj_missed": ("预计未达标", "will be missed"),
    "pj_open": ("尚难判断", "could go either way"),
}


def current_lang() -> str:
    """The language of the view this run shows (set by dashboard.py before any page runs)."""
    return st.session_state["view"].lang


def t(key: str, lang: str | None = None, **fmt) -> str:
    """A label in `lang` (default: the view's language), with `{placeholders}` filled in."""
    zh, en = TEXT[key]
    s = zh if (lang or current_lang()) == "zh" else en
    return s.format(**fmt) if fmt else s


def metric_label(name: str, lang: str | None = None) -> str:
    return BY_NAME[name].label(lang or current_lang())


def metric_help(name: str, lang: str | None = None) -> str:
    """Definition and formula of a metric, for `help=` on every tile and column."""
    m = BY_NAME[name]
    lang = lang or current_lang()
    return f"{m.description(lang)}\n\n{m.formula(lang)}"


def reason_label(reason: str, lang: str | None = None) -> str:
    """A rejection reason in a few words (the full message with what to do is the ledger's)."""
    return rejections.label(reason, lang or current_lang())
