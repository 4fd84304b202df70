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
    "two_digit_year": (
        "“{field}”的值“{value}”的年份只有两位：请把年份写全（2025-07-01 09:30），"
        "或在映射文件 [options] 中设置 datetime_format（如 %y-%m-%d %H:%M）",
        "{field} value '{value}' has a two-digit year: write the year in full (2025-07-01 09:30), "
        "or set datetime_format under [options] in a mapping file (e.g. %y-%m-%d %H:%M)"),
    "control_character": (
        "“{field}”的值“{value}”含有控制字符（␀、换行等，以符号显示）：删除后重新导入，"
        "否则它会成为一个看起来相同的另一个名称",
        "{field} value '{value}' holds a control character (NUL, line break …, shown as a symbol): "
        "remove it and import the row again; kept, it would be a look-alike of another name"),
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

# reason code -> (Chinese, English) in a few words: the ledger's "why rejected" column.
LABELS: dict[str, tuple[str, str]] = {
    "missing_required": ("缺少必填字段", "required field empty"),
    "bad_timestamp": ("时间无法识别", "unrecognised time"),
    "timestamp_out_of_range": ("时间不在 1900–2100 年之间", "time outside the years 1900-2100"),
    "two_digit_year": ("年份只有两位", "two-digit year"),
    "control_character": ("含有控制字符", "control character"),
    "completed_before_accepted": ("办结时间早于受理时间", "completed before accepted"),
    "bad_time_limit": ("时限不是非负整数", "time limit not a whole number >= 0"),
    "bad_rating": ("评价不在 1–5 之内", "rating not 1..5"),
    "bad_value": ("取值无法识别", "unrecognised value"),
    "completed_without_completed_at": ("办结但无办结时间", "completed without a completion time"),
    "duplicate_case_id": ("办件编号重复且内容不同", "case number repeated with different contents"),
    "duplicate_item_code": ("事项编码重复且内容不同", "item code repeated with different contents"),
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


def label(reason: str, lang: str = "zh") -> str:
    """The reason in a few words; an unknown code (a newer engine's) is shown as itself."""
    zh, en = LABELS.get(reason, (reason, reason))
    return zh if lang == "zh" else en
