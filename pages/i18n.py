"""Every UI label in Chinese and English. Metric names and definitions come from the
registry (metrics/registry.py), not from here."""

from pages.i18n_detail import DETAIL_TEXT

TEXT: dict[str, tuple[str, str]] = {
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
    "target_met": ("达标", "target met"),
    "target_missed": ("未达标", "target missed"),
    "target": ("目标", "Target"),
    "vs_previous": ("较上期", "vs previous period"),
    "undefined": ("无数据，无法计算", "undefined: no cases in the denominator"),
}

# Labels of the department, timeliness, satisfaction and data pages live beside them.
TEXT.update(DETAIL_TEXT)
