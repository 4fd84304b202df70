"""The canonical fields of a case log and an item catalogue (spec 1.1, 1.3).

Everything that knows a source header or a source value lives here: header aliases,
the default value maps, and the patterns of personal-data columns that are never stored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

FieldType = Literal["text", "timestamp", "date", "integer", "boolean", "rating", "enum"]


@dataclass(frozen=True)
class Field:
    name: str
    type: FieldType
    required: bool
    label_zh: str
    aliases: tuple[str, ...]


CASE_FIELDS: tuple[Field, ...] = (
    Field("case_id", "text", True, "办件编号",
          ("办件编号", "申办流水号", "业务流水号", "受理编号", "SBLSH", "project_no", "ProjectNo", "case_id")),
    Field("dept", "text", True, "办理部门",
          ("办理部门", "受理部门", "实施机构", "部门", "部门名称", "org_name", "OrgName", "department", "dept")),
    Field("item_code", "text", False, "事项编码",
          ("事项编码", "事项代码", "基本编码", "SXBM", "task_code", "TaskCode", "item_code")),
    Field("item_name", "text", False, "事项名称",
          ("事项名称", "SXMC", "task_name", "TaskName", "item_name")),
    Field("item_type", "enum", False, "办件类型",
          ("办件类型", "事项类型", "project_type", "ProjectType", "item_type")),
    Field("channel", "enum", False, "申报方式",
          ("申报方式", "办理渠道", "受理方式", "申报渠道", "channel")),
    Field("accepted_at", "timestamp", True, "受理时间",
          ("受理时间", "受理日期", "SLSJ", "accept_date", "AcceptDate", "accepted_at")),
    Field("completed_at", "timestamp", False, "办结时间",
          ("办结时间", "办结日期", "BJSJ", "result_date", "ResultDate", "completed_at")),
    Field("statutory_limit_days", "integer", False, "法定时限",
          ("法定时限", "法定办结时限", "FDBLSX", "statutory_limit_days")),
    Field("promised_limit_days", "integer", False, "承诺时限",
          ("承诺时限", "承诺办结时限", "CNBLSX", "promised_limit_days")),
    Field("due_at", "timestamp", False, "承诺办结时间",
          ("承诺办结时间", "承诺办结日期", "截止时间", "promise_date", "PromiseDate", "due_at", "due_date")),
    Field("window_signed", "boolean", False, "窗口签批",
          ("窗口签批", "是否窗口办结", "window_signed")),
    Field("rating", "rating", False, "评价等级",
          ("评价等级", "评价结果", "满意度", "satisfaction", "rating")),
    Field("rated_at", "timestamp", False, "评价时间", ("评价时间", "rated_at")),
    Field("status", "enum", False, "办件状态", ("办件状态", "状态", "status")),
)

CATALOGUE_FIELDS: tuple[Field, ...] = (
    Field("item_code", "text", True, "事项编码",
          ("事项编码", "事项代码", "基本编码", "SXBM", "task_code", "TaskCode", "item_code")),
    Field("item_name", "text", False, "事项名称", ("事项名称", "SXMC", "task_name", "TaskName", "item_name")),
    Field("dept", "text", False, "实施部门",
          ("实施部门", "办理部门", "实施机构", "部门", "部门名称", "org_name", "OrgName", "department", "dept")),
    Field("item_type", "enum", False, "事项类型",
          ("事项类型", "办件类型", "project_type", "ProjectType", "item_type")),
    Field("statutory_limit_days", "integer", False, "法定时限",
          ("法定时限", "法定办结时限", "FDBLSX", "statutory_limit_days")),
    Field("promised_limit_days", "integer", False, "承诺时限",
          ("承诺时限", "承诺办结时限", "CNBLSX", "promised_limit_days")),
    Field("must_enter", "boolean", False, "应进驻", ("应进驻", "是否应进驻", "must_enter")),
    Field("exempt", "boolean", False, "豁免进驻", ("豁免进驻", "是否豁免", "exempt")),
    Field("entered_on", "date", False, "进驻日期", ("进驻日期", "entered_on")),
    Field("online_enabled_on", "date", False, "纳入网上审批日期",
          ("纳入网上审批日期", "网上审批日期", "online_enabled_on")),
    Field("retired_on", "date", False, "取消日期", ("取消日期", "retired_on")),
)

ENUM_VALUES: dict[str, dict[str, tuple[str, ...]]] = {
    # The national exchange tables code project_type as 1 (instant) and 2 (committed).
    "item_type": {
        "instant": ("即办件", "即办", "1", "instant"),
        "committed": ("承诺件", "承诺", "2", "committed"),
    },
    "channel": {
        "online": ("网上申报", "网上办理", "全程网办", "网办", "掌上办", "online"),
        "window": ("窗口", "现场", "窗口受理", "window"),
    },
    "status": {
        "completed": ("办结", "已办结", "completed"),
        "in_progress": ("在办", "办理中", "in_progress"),
        "rejected": ("不予受理", "rejected"),
        "withdrawn": ("撤件", "撤回", "withdrawn"),
    },
    "rating": {
        "5": ("非常满意", "5"), "4": ("满意", "4"), "3": ("基本满意", "3"),
        "2": ("不满意", "2"), "1": ("非常不满意", "1"),
    },
    "boolean": {
        "true": ("是", "y", "yes", "1", "true"),
        "false": ("否", "n", "no", "0", "false"),
    },
}

# Columns that identify a person: matched as substrings of the normalised header.
PII_PATTERNS: tuple[str, ...] = (
    "申请人", "身份证", "证件号", "证件号码", "联系电话", "电话", "手机", "地址", "住址", "姓名",
    "联系人", "法人代表", "邮箱", "电子邮件",
    "applicant", "idcard", "id_card", "phone", "mobile", "address", "email", "contact",
    "latitude", "longitude", "geolocation", "zipcode",
)


def normalise_header(header: str) -> str:
    """Headers match case- and space-insensitively (spec 1.1)."""
    return re.sub(r"\s+", "", str(header)).lower()


def is_personal(header: str) -> bool:
    h = normalise_header(header)
    return any(p in h for p in PII_PATTERNS)


def field_names(fields: tuple[Field, ...]) -> list[str]:
    return [f.name for f in fields]


# ---- the stored records, as pydantic models ---------------------------------------------
# What a row of the `cases` and `catalogue` tables holds after an import: the canonical
# values of spec 1.1 and 1.3. tests/test_schema.py checks the DuckDB tables against them.

from datetime import date as _date, datetime as _datetime  # noqa: E402

from pydantic import BaseModel, Field as _F  # noqa: E402


class CaseRecord(BaseModel):
    case_id: str
    dept: str
    item_code: str | None = None
    item_name: str | None = None
    item_type: Literal["instant", "committed"] | None = None
    channel: Literal["online", "window", "other"] | None = None
    accepted_at: _datetime
    completed_at: _datetime | None = None
    statutory_limit_days: int | None = _F(None, ge=0)
    promised_limit_days: int | None = _F(None, ge=0)
    due_at: _datetime | None = None
    window_signed: bool | None = None
    rating: int | None = _F(None, ge=1, le=5)
    rated_at: _datetime | None = None
    status: Literal["completed", "in_progress", "rejected", "withdrawn"]


class CatalogueRecord(BaseModel):
    item_code: str
    item_name: str | None = None
    dept: str | None = None
    item_type: Literal["instant", "committed"] | None = None
    statutory_limit_days: int | None = _F(None, ge=0)
    promised_limit_days: int | None = _F(None, ge=0)
    must_enter: bool = True
    exempt: bool = False
    entered_on: _date | None = None
    online_enabled_on: _date | None = None
    retired_on: _date | None = None
