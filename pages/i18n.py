"""Every UI label in Chinese and English. Metric names and definitions come from the
registry (metrics/registry.py), not from here.

`TEXT` holds the frame's labels and those of the Overview, Rankings and Definitions pages;
the Department, Timeliness, Satisfaction and Data pages keep theirs in `i18n_detail.py`.
A test checks that the two sets do not share a key and that every label has both languages.
"""

from pages.i18n_detail import DETAIL_TEXT

FRAME_TEXT: dict[str, tuple[str, str]] = {
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
    "fr_depts_help": ("不选即全部部门。", "Leave empty for all departments."),
    "fr_present_help": (
        "大屏演示：隐藏侧栏与工具栏，放大字号。链接中的 ?present=true 也可打开。",
        "Big-screen mode: no sidebar or toolbar, large type. ?present=true in the link opens it too."),
    "fr_present_settings": ("演示设置", "Presentation settings"),
    "fr_advance": ("自动翻页间隔（秒，0 为不翻页）", "Auto-advance every (seconds, 0 = off)"),
    "fr_slides": ("翻页顺序", "Pages to cycle through"),
    "fr_exit_present": ("退出演示", "Exit presentation"),
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
    "rk_xlsx_title": ("政务服务中心部门排名", "Service-centre department ranking"),
    "rk_xlsx_period": ("统计期", "Period"),
    "rk_xlsx_generated": ("生成时间", "Generated"),
    "rk_xlsx_depts": ("部门范围", "Departments"),
    "rk_xlsx_sheet_ranking": ("排名", "Ranking"),
    "rk_xlsx_sheet_definitions": ("指标说明", "Definitions"),
    "rk_low": ("下限", "low"),
    "rk_high": ("上限", "high"),
    "rk_empty": ("本期没有可列出的部门。", "No department to list for this period."),
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
}

TEXT: dict[str, tuple[str, str]] = dict(FRAME_TEXT)
# Labels of the department, timeliness, satisfaction and data pages live beside them.
TEXT.update(DETAIL_TEXT)
