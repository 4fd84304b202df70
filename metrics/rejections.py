"""Why a row was rejected, in words a data clerk can act on (spec 1.4)."""

from __future__ import annotations

from metrics.fields import CASE_FIELDS, CATALOGUE_FIELDS

# reason code -> (Chinese, English); {field} and {value} are filled in.
REASONS: dict[str, tuple[str, str]] = {
    "missing_required": (
        "缺少必填字段“{field}”：补填后重新导入",
        "required field {field} is empty: fill it in and import the row again"),
    "bad_timestamp": (
        "“{field}”的值“{value}”不是可识别的时间：请写成 2025-07-01 09:30 形式，或在映射文件中设置 datetime_format",
        "{field} value '{value}' is not a recognisable time: write it as 2025-07-01 09:30, "
        "or set datetime_format in a mapping file"),
    "timestamp_out_of_range": (
        "“{field}”的值“{value}”不在 1900–2100 年之间：如表示“无期限”请留空，或在映射文件 [options] blank 中列出",
        "{field} value '{value}' is outside the years 1900-2100: leave it empty for 'no value', "
        "or list it under [options] blank in a mapping file"),
    "completed_before_accepted": (
        "办结时间“{value}”早于受理时间：核对两个时间",
        "completed_at '{value}' is before accepted_at: check both times"),
    "bad_time_limit": (
        "“{field}”的值“{value}”不是非负整数（工作日）：改为 0 或正整数",
        "{field} value '{value}' is not a whole number of working days >= 0: correct it"),
    "bad_rating": (
        "评价“{value}”不在 1–5（非常不满意…非常满意）之内：改为 1–5 或评价文字",
        "rating '{value}' is not 1..5 or a rating word (非常满意 … 非常不满意): correct it"),
    "bad_value": (
        "“{field}”的值“{value}”无法识别：改为规定取值，或在映射文件 [values.{field}] 中说明",
        "{field} value '{value}' is not recognised: use an accepted value or list it under "
        "[values.{field}] in a mapping file"),
    "completed_without_completed_at": (
        "状态为办结但没有办结时间：补填办结时间，或改正状态",
        "status is completed but completed_at is empty: fill in the completion time or correct the status"),
    "duplicate_case_id": (
        "办件编号“{value}”在本文件中出现多次且内容不同：保留正确的一行后重新导入",
        "case_id '{value}' appears more than once in this file with different contents: "
        "keep the right row and import again"),
    "duplicate_item_code": (
        "事项编码“{value}”在本文件中出现多次且内容不同：保留正确的一行后重新导入",
        "item_code '{value}' appears more than once in this file with different contents: "
        "keep the right row and import again"),
}

# Reasons only a departments file (spec 10) can give; tested in tests/test_departments_import.py.
DEPARTMENT_REASONS: dict[str, tuple[str, str]] = {
    "duplicate_dept": (
        "部门“{value}”在本文件中出现多次且类别不同：保留正确的一行后重新导入",
        "department '{value}' appears more than once in this file with different categories: "
        "keep the right row and import again"),
}

# The same field has another Chinese name in a case log (办理部门) than in a catalogue (实施部门).
_LABELS_ZH = {
    "cases": {f.name: f.label_zh for f in CASE_FIELDS},
    "catalogue": {f.name: f.label_zh for f in CATALOGUE_FIELDS},
    "departments": {"dept": "部门", "category": "考核类别"},
}


def message(reason: str, field: str, value: str | None, lang: str = "zh", kind: str = "cases") -> str:
    zh, en = REASONS[reason] if reason in REASONS else DEPARTMENT_REASONS[reason]
    template = zh if lang == "zh" else en
    shown_field = _LABELS_ZH[kind].get(field, field) if lang == "zh" else field
    return template.format(field=shown_field, value="" if value is None else value)
