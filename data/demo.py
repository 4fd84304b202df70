"""Deterministic demo data: an item catalogue (事项目录) and a case log (办件日志).

The tables look like the exports of a municipal approval system: every column is text with
a Chinese header, empty values are nulls (empty cells in the CSV files), and the case log
carries two personal-data columns (申请人姓名, 联系电话) with fake values that the importer
must drop. About one row in 2,000 is deliberately bad (see ``BAD_ROW_KINDS``).

Everything is vectorised with numpy and pyarrow. Cases are generated in fixed blocks of
``BLOCK_ROWS`` rows, each from its own random stream derived from (seed, block number), so
the output does not depend on ``batch_rows`` and the same seed always gives the same bytes.
Cases are ordered by acceptance time.

    from data.demo import generate_catalogue, iter_case_batches, write_demo_files
"""

from __future__ import annotations

import datetime as _dt
import os
import queue
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterator

import chinese_calendar
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

__all__ = [
    "DEMO_START", "DEMO_END", "DEMO_EXPORTED_AT", "BLOCK_ROWS", "BAD_ROW_EVERY", "BAD_ROW_KINDS",
    "CASE_COLUMNS", "CATALOGUE_COLUMNS", "CASE_SCHEMA", "CATALOGUE_SCHEMA", "DEPARTMENTS",
    "TINY_DEPARTMENTS", "generate_catalogue", "iter_case_batches", "write_demo_files",
    "bad_row_positions",
]

DEMO_START = _dt.date(2024, 10, 1)   # first day of acceptances (2024Q4)
DEMO_END = _dt.date(2026, 9, 30)     # last day of acceptances (2026Q3)
# The moment the export was taken: cases not finished by then are open (在办), and
# completions and ratings run up to it, a few weeks past DEMO_END.
DEMO_EXPORTED_AT = _dt.datetime(2026, 10, 16, 18, 0, 0)

BLOCK_ROWS = 200_000     # internal generation unit; a multiple of BAD_ROW_EVERY
BAD_ROW_EVERY = 2_000    # one deliberately bad row per this many rows

CASE_COLUMNS: tuple[str, ...] = (
    "办件编号", "办理部门", "事项编码", "事项名称", "办件类型", "申报方式", "申请人姓名", "联系电话",
    "受理时间", "办结时间", "法定时限", "承诺时限", "窗口签批", "评价等级", "评价时间", "办件状态",
)
CATALOGUE_COLUMNS: tuple[str, ...] = (
    "事项编码", "事项名称", "实施部门", "事项类型", "法定时限", "承诺时限", "应进驻", "豁免进驻",
    "进驻日期", "纳入网上审批日期", "取消日期",
)
CASE_SCHEMA = pa.schema([(c, pa.string()) for c in CASE_COLUMNS])
CATALOGUE_SCHEMA = pa.schema([(c, pa.string()) for c in CATALOGUE_COLUMNS])

# The kinds of deliberately bad rows, in the order they cycle through the bad positions.
BAD_ROW_KINDS: tuple[str, ...] = (
    "missing_dept",              # 办理部门 empty
    "bad_accepted_at",           # 受理时间 unparseable, e.g. '2025-13-45 10:20:00'
    "completed_before_accepted", # 办结时间 before 受理时间 (status 办结)
    "rating_out_of_range",       # 评价等级 '7'
    "negative_limit",            # 承诺时限 negative, e.g. '-3'
    "completed_without_time",    # 办件状态 办结 with empty 办结时间
    "identical_repeat",          # the next row is an identical copy of this row
    "conflicting_case_id",       # the next row repeats this 办件编号 with a different 受理时间
)

_EPOCH = _dt.date(1970, 1, 1)
_CAL_FIRST = _dt.date(2024, 1, 1)    # date strings / calendar start (before DEMO_START)
_CAL_LAST = _dt.date(2026, 12, 31)   # last year chinese_calendar 1.11 covers
_YEARS = (2024, 2025, 2026)


def _days(d: _dt.date) -> int:
    return (d - _EPOCH).days


# ---------------------------------------------------------------------------------------
# Departments
# ---------------------------------------------------------------------------------------
# Performance profiles: (value at DEMO_START, value at DEMO_END), linear in between.
#   online: share of applications made online, for items enabled for online approval
#   early: share of committed cases finished before their due date
#   over: share of committed cases finished after their due date
#   inst_late: share of instant cases not finished the same day
#   bad: share of ratings 不满意/非常不满意 (x4 for overdue cases); basic: share 基本满意
#   sign: share of completed cases signed off at the window (None: not recorded)
#   rated: share of completed cases rated
_PROFILES: dict[str, dict] = {
    "good": dict(online=(0.90, 0.97), early=(0.86, 0.92), over=(0.006, 0.004), inst_late=(0.004, 0.002),
                 bad=(0.002, 0.0015), basic=0.012, sign=(0.80, 0.88), rated=(0.55, 0.60),
                 cat=(0.93, 0.05, 0.85, 0.10)),
    "average": dict(online=(0.78, 0.88), early=(0.66, 0.74), over=(0.02, 0.015), inst_late=(0.01, 0.008),
                    bad=(0.006, 0.005), basic=0.025, sign=(0.62, 0.70), rated=(0.45, 0.50),
                    cat=(0.84, 0.08, 0.72, 0.15)),
    "poor": dict(online=(0.50, 0.56), early=(0.36, 0.40), over=(0.08, 0.07), inst_late=(0.03, 0.03),
                 bad=(0.035, 0.035), basic=0.05, sign=(0.40, 0.44), rated=(0.38, 0.40),
                 cat=(0.66, 0.05, 0.50, 0.10)),
    "improving": dict(online=(0.48, 0.93), early=(0.40, 0.86), over=(0.07, 0.008), inst_late=(0.03, 0.005),
                      bad=(0.02, 0.003), basic=0.03, sign=(0.40, 0.80), rated=(0.40, 0.55),
                      cat=(0.55, 0.38, 0.45, 0.45)),
    "worsening": dict(online=(0.86, 0.80), early=(0.82, 0.40), over=(0.01, 0.10), inst_late=(0.005, 0.03),
                      bad=(0.003, 0.05), basic=0.03, sign=(0.76, 0.48), rated=(0.50, 0.44),
                      cat=(0.85, 0.02, 0.75, 0.05)),
}


@dataclass(frozen=True)
class Dept:
    code: str                 # 3-digit code used in case numbers and item codes
    name: str
    weight: tuple[float, float]   # relative case volume at DEMO_START and DEMO_END
    n_items: int
    instant_share: float      # share of the department's catalogue items that are 即办件
    profile: str
    stems: tuple[str, ...]
    overrides: tuple = ()     # ((param, value), ...) over the profile
    weekend: bool = False     # opens on Saturday mornings (周六不打烊)
    company_share: float = 0.2  # share of applicants that are companies
    tiny_per_quarter: float = 0.0  # > 0: a tiny department with this many cases a quarter


def _d(code, name, weight, n_items, instant, profile, stems, overrides=(), weekend=False,
       company=0.2, tiny=0.0) -> Dept:
    w = weight if isinstance(weight, tuple) else (weight, weight)
    return Dept(code, name, w, n_items, instant, profile, tuple(stems.split()), tuple(overrides),
                weekend, company, tiny)


DEPARTMENTS: tuple[Dept, ...] = (
    _d("101", "市发展和改革委员会", 1.0, 42, 0.08, "improving",
       "企业投资项目核准 企业投资项目备案 固定资产投资项目节能审查 政府投资项目建议书审批 "
       "政府投资项目可行性研究报告审批 政府投资项目初步设计审批 招标方案核准 价格认定 "
       "外商投资项目核准 境外投资项目备案", company=0.9),
    _d("102", "市教育局", 1.8, 40, 0.35, "average",
       "民办学校设立审批 民办学校变更审批 教师资格认定 中外合作办学审批 学历证明书办理 "
       "校外培训机构设立审批 学生资助申请 义务教育阶段转学审批", company=0.3),
    _d("103", "市科学技术局", 0.5, 16, 0.25, "average",
       "高新技术企业认定 科技型中小企业评价 技术合同认定登记 外国人来华工作许可 "
       "科技成果登记", company=0.9),
    _d("104", "市工业和信息化局", 0.45, 20, 0.2, "average",
       "技术改造项目备案 专精特新企业认定 工业企业技术中心认定 无线电台站设置审批 "
       "民用爆炸物品销售许可", company=0.95),
    _d("105", "市公安局", 14.0, 128, 0.70, "good",
       "居民身份证申领 临时居民身份证办理 户口迁移 出生登记 居住证办理 往来港澳通行证签注 "
       "普通护照签发 机动车登记 机动车驾驶证换领 无犯罪记录证明 剧毒化学品购买许可 "
       "旅馆业特种行业许可 公章刻制备案 犬类登记 大型群众性活动安全许可 户籍证明出具",
       overrides=(("online", (0.55, 0.68)),), weekend=True, company=0.05),
    _d("106", "市民政局", 2.5, 45, 0.45, "good",
       "婚姻登记 社会团体成立登记 民办非企业单位登记 最低生活保障审核 特困人员供养审批 "
       "养老机构备案 殡葬服务 临时救助审批 地名命名审批 慈善组织认定", company=0.2),
    _d("107", "市司法局", 0.8, 25, 0.30, "average",
       "律师执业许可 公证员执业审核 法律援助申请 司法鉴定人执业登记 基层法律服务工作者执业核准 "
       "人民调解员备案", company=0.2),
    _d("108", "市财政局", 0.4, 12, 0.40, "average",
       "会计代理记账许可 政府采购代理机构登记 非税收入票据领购 会计人员信息采集", company=0.8),
    _d("109", "市人力资源和社会保障局", (12.0, 11.0), 112, 0.65, "good",
       "社会保障卡申领 养老保险关系转移 失业保险金申领 就业创业证申领 职业资格证书补发 "
       "工伤认定 劳务派遣经营许可 人力资源服务许可 技能提升补贴申领 退休审批 "
       "灵活就业人员参保登记 企业职工参保登记 社会保险待遇资格认证 创业担保贷款申请",
       weekend=True, company=0.25),
    _d("110", "市自然资源和规划局", 3.0, 80, 0.10, "improving",
       "建设用地规划许可证核发 建设工程规划许可证核发 乡村建设规划许可证核发 建设项目用地预审 "
       "土地使用权出让 采矿权登记 测绘资质审批 临时用地审批 规划条件核实 建设工程设计方案审查",
       company=0.8),
    _d("111", "市生态环境局", 1.2, 50, 0.15, "average",
       "建设项目环境影响评价文件审批 排污许可证核发 危险废物经营许可 辐射安全许可 "
       "建设项目环境影响登记表备案 危险废物转移审批 排污权交易", company=0.95),
    _d("112", "市住房和城乡建设局", 4.0, 90, 0.20, "worsening",
       "建筑工程施工许可证核发 商品房预售许可 建筑业企业资质核准 房地产开发企业资质核定 "
       "施工图审查备案 竣工验收备案 燃气经营许可 城市建筑垃圾处置核准 物业专项维修资金使用 "
       "公共租赁住房资格审核 房屋租赁登记备案 安全生产许可证核发", company=0.7),
    _d("113", "市交通运输局", 5.0, 88, 0.40, "improving",
       "道路运输经营许可 道路运输证配发 网络预约出租汽车运输证核发 出租汽车驾驶员从业资格证 "
       "道路货物运输驾驶员从业资格证 超限运输车辆行驶公路许可 公路建设项目施工许可 "
       "港口经营许可 机动车维修经营备案 驾驶员培训许可 涉路施工许可",
       overrides=(("sign", (0.45, 0.72)),), company=0.5),
    _d("114", "市水利局", 0.5, 40, 0.20, "average",
       "取水许可 河道管理范围内建设项目审批 水土保持方案审批 洪水影响评价审批 "
       "占用农业灌溉水源审批", company=0.8),
    _d("115", "市农业农村局", 1.0, 60, 0.30, "average",
       "农药经营许可 兽药经营许可 种子生产经营许可 动物防疫条件合格证核发 拖拉机驾驶证申领 "
       "渔业船舶登记 肥料登记 农作物种子质量检验机构考核 生猪定点屠宰厂审批", company=0.6),
    _d("116", "市商务局", 1.0, 30, 0.50, "average",
       "对外贸易经营者备案 单用途商业预付卡备案 二手车交易市场备案 拍卖企业设立审批 "
       "成品油零售经营资格审批 再生资源回收经营者备案", company=0.95),
    _d("117", "市文化广电旅游局", 1.0, 50, 0.30, "average",
       "营业性演出审批 娱乐场所经营许可 网络文化经营许可 旅行社业务经营许可 "
       "卫星电视广播地面接收设施安装许可 文物保护单位修缮审批 艺术品经营单位备案 导游证核发",
       company=0.8),
    _d("118", "市卫生健康委员会", 4.0, 72, 0.30, "average",
       "医疗机构执业登记 医师执业注册 护士执业注册 公共场所卫生许可 放射诊疗许可 "
       "母婴保健技术服务执业许可 出生医学证明办理 饮用水供水单位卫生许可 职业病诊断机构备案",
       overrides=(("sign", (0.50, 0.55)),), company=0.4),
    _d("119", "市退役军人事务局", 0.6, 15, 0.50, "good",
       "退役士兵安置 优待证申领 伤残抚恤关系转移 烈士褒扬金发放 退役军人创业补贴", company=0.0),
    _d("120", "市应急管理局", 0.4, 30, 0.20, "average",
       "危险化学品经营许可 烟花爆竹经营许可 安全生产标准化评审 非药品类易制毒化学品备案 "
       "生产安全事故应急预案备案", company=0.95),
    _d("121", "市市场监督管理局", 10.0, 130, 0.40, "good",
       "企业设立登记 企业变更登记 企业注销登记 个体工商户登记 食品经营许可 食品生产许可 "
       "特种设备使用登记 工业产品生产许可 计量器具型式批准 药品零售企业许可 医疗器械经营备案 "
       "广告发布登记 营业执照补领 股权出质登记 动产抵押登记 检验检测机构资质认定",
       weekend=True, company=0.85),
    _d("122", "市体育局", 0.3, 15, 0.40, "average",
       "高危险性体育项目经营许可 体育类社会组织登记审查 举办健身气功活动审批 体育赛事备案", company=0.6),
    _d("123", "市统计局", 0.3, 6, 0.60, "average",
       "统计调查项目审批 统计数据查询服务", company=0.9),
    _d("124", "市医疗保障局", (7.0, 8.0), 30, 0.75, "good",
       "医保关系转移接续 异地就医备案 门诊慢特病待遇认定 医疗费用零星报销 生育医疗费用报销 "
       "参保信息变更 定点医药机构申请", weekend=True, company=0.05),
    _d("125", "市林业局", 0.35, 20, 0.25, "average",
       "林木采伐许可 使用林地审核 林草种子生产经营许可 野生动物人工繁育许可 "
       "植物检疫证书核发", company=0.5),
    _d("126", "市城市管理局", 2.0, 40, 0.35, "average",
       "城市道路挖掘许可 户外广告设置许可 临时占用城市道路许可 城镇污水排入排水管网许可 "
       "建筑垃圾运输核准 大型户外公益活动审批 园林绿化工程备案", company=0.6),
    _d("127", "市人民防空办公室", 0.4, 10, 0.20, "average",
       "人防工程建设审批 易地修建防空地下室审批 人防工程竣工验收备案 拆除人防工程审批", company=0.9),
    _d("128", "市民族宗教事务局", 0.3, 12, 0.40, "average",
       "宗教活动场所登记 宗教临时活动地点审批 清真食品认证 宗教教职人员备案", company=0.3),
    _d("129", "市外事办公室", 0.35, 8, 0.40, "average",
       "因公出国境审批 外国人来华邀请函 领事认证 APEC商务旅行卡申办", company=0.7),
    _d("130", "市烟草专卖局", 0.5, 6, 0.30, "average",
       "烟草专卖零售许可 烟草专卖许可证变更", company=0.7),
    _d("131", "市税务局", 10.0, 60, 0.80, "good",
       "发票领用 增值税专用发票核定 税务登记 纳税申报 个人所得税汇算清缴 开具税收完税证明 "
       "出口退税备案 房产交易税费申报 契税申报 非正常户解除 跨区域涉税事项报告",
       overrides=(("sign", None),), company=0.6),
    _d("132", "市不动产登记中心", (6.0, 5.0), 25, 0.20, "poor",
       "国有建设用地使用权及房屋所有权首次登记 二手房转移登记 抵押权登记 抵押权注销登记 "
       "预告登记 更正登记 不动产登记资料查询 查封登记", weekend=True, company=0.1),
    _d("133", "市公积金管理中心", (5.0, 6.0), 20, 0.70, "good",
       "住房公积金提取 住房公积金贷款申请 住房公积金缴存登记 公积金账户转移 缴存基数调整 "
       "贷款提前还款", overrides=(("online", (0.93, 0.98)),), weekend=True, company=0.1),
    _d("134", "市残疾人联合会", 0.8, 12, 0.50, "good",
       "残疾人证办理 残疾人证迁移 残疾人辅助器具申请 残疾人就业补贴 重度残疾人护理补贴", company=0.0),
    _d("135", "市邮政管理局", 0.35, 6, 0.30, "average",
       "快递业务经营许可 快递末端网点备案 邮政普遍服务营业场所撤销审批", company=0.95),
    _d("136", "市消防救援支队", 0.8, 12, 0.20, "average",
       "公众聚集场所投入使用营业前消防安全检查 建设工程消防设计审查 建设工程消防验收 "
       "消防验收备案", company=0.9),
    _d("137", "市粮食和物资储备局", 0.35, 8, 0.40, "average",
       "粮食收购企业备案 粮油仓储单位备案 军粮供应网点认定", company=0.95),
    _d("138", "市档案馆", 0.0, 6, 0.70, "average",
       "档案查阅利用 档案证明出具 婚姻档案查询 知青档案查询 民办学校学籍档案查询",
       company=0.0, tiny=14.0),
    _d("139", "市地震局", 0.0, 4, 0.20, "average",
       "建设工程抗震设防要求确定 地震安全性评价结果审定 地震监测设施保护范围内建设工程审批",
       company=0.9, tiny=5.0),
    _d("140", "市气象局", 0.0, 6, 0.30, "average",
       "雷电防护装置设计审核 雷电防护装置竣工验收 升放无人驾驶自由气球审批 气象资料查询服务",
       company=0.8, tiny=9.0),
)
TINY_DEPARTMENTS: tuple[str, ...] = tuple(d.name for d in DEPARTMENTS if d.tiny_per_quarter > 0)

_ACTIONS = ("", "（变更）", "（延续）", "（注销）", "（补办）", "（换发）", "（信息更正）", "（迁移）",
            "（撤销）", "（延期）")
_ITEM_CATEGORIES = ("01", "03", "07", "10")   # 行政许可, 行政确认, 公共服务, 其他
_AREA_CODE = "3709"

_CHANNELS = ("网上申报", "掌上办", "窗口受理", "自助终端", "邮寄申请")
_STATUSES = ("办结", "在办", "不予受理", "撤件")
_RATINGS = ("非常不满意", "不满意", "基本满意", "满意", "非常满意")   # index = rating - 1
_TYPES = ("即办件", "承诺件")
_YESNO = ("否", "是")

_SURNAMES = ("王 李 张 刘 陈 杨 黄 赵 吴 周 徐 孙 马 朱 胡 郭 何 高 林 罗 郑 梁 谢 宋 唐 许 韩 冯 "
             "邓 曹 彭 曾 肖 田 董 袁 潘 于 蒋 蔡 余 杜 叶 程 苏 魏 吕 丁 任 沈 姚 卢 姜 崔 钟 谭 陆 "
             "汪 范 金 石 廖 贾 夏 韦 付 方 白 邹 孟 熊 秦 邱 江 尹 薛 闫 段 雷 侯 龙 史 陶 黎 贺 "
             "顾 毛 郝 龚 邵 万 钱 严 覃 武 戴 莫 孔 欧阳 上官 司马").split()
_GIVEN = ("伟 芳 娜 敏 静 丽 强 磊 军 洋 勇 艳 杰 娟 涛 明 超 秀 霞 平 刚 桂 英 华 玉 萍 红 "
          "鹏 辉 建 国 文 斌 宇 浩 凯 婷 雪 琳 晨 欣 博 子 涵 梓 轩 一 诺 思 雨 佳 嘉 俊 志 "
          "海 丹 慧 宁 亮 成 春 兰 凤 阳 瑞 然 航 楠 晓 东 飞 云 峰 蕾 倩 颖 琪 鑫 泽 昊").split()
_FIRMS = ("华信 恒达 瑞丰 鑫源 宏图 天成 博远 嘉禾 正泰 金鼎 众诚 新锐 海川 同创 润泽 "
          "康宁 智联 中祥 盛世 远航 德信 泰和 汇通 安平 明达 东升 凯旋 永兴 万隆 聚力").split()
_TRADES = ("科技 贸易 建设工程 餐饮管理 物流 医药 食品 电子商务 文化传媒 房地产开发 机械设备 "
           "农业开发 信息技术 建材 商贸 环保科技 物业服务 教育咨询").split()
_MOBILE_PREFIXES = ("130 131 132 133 135 136 137 138 139 150 151 152 155 156 157 158 159 "
                    "166 170 176 177 180 181 182 185 186 187 188 189 191 198 199").split()
_BAD_ACCEPTED = ("2025-13-45 10:20:00", "2025-02-30 09:15:00", "2025-13-45")


class _S:
    """Label arrays used with pc.take."""
    dept_name = pa.array([d.name for d in DEPARTMENTS], pa.string())
    dept_code = np.array([int(d.code) for d in DEPARTMENTS], np.int64)
    types = pa.array(_TYPES, pa.string())
    channels = pa.array(_CHANNELS, pa.string())
    statuses = pa.array(_STATUSES, pa.string())
    ratings = pa.array(_RATINGS + ("7",), pa.string())     # index 5: the out-of-range bad value
    yesno = pa.array(_YESNO, pa.string())
    surnames = pa.array(_SURNAMES, pa.string())
    given = pa.array(_GIVEN + [""], pa.string())           # last: no second given character
    firms = pa.array(_FIRMS, pa.string())
    trades = pa.array(_TRADES, pa.string())
    mobile_prefix = np.array([int(x) for x in _MOBILE_PREFIXES], np.int64)


# ---------------------------------------------------------------------------------------
# Calendar and string look-up tables
# ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Calendar:
    first: int                  # epoch day of _CAL_FIRST
    workdays: np.ndarray        # epoch days of working days, _CAL_FIRST.._CAL_LAST
    is_work: np.ndarray         # bool per day from _CAL_FIRST
    holiday: np.ndarray         # bool per day: inside a statutory holiday (named rest day)
    weekday: np.ndarray         # 0 = Monday
    month: np.ndarray
    year: np.ndarray
    date_str: pa.Array          # 'YYYY-MM-DD' per day from _CAL_FIRST
    time_str: pa.Array          # 'HH:MM:SS' per second of the day
    year_str: pa.Array          # '2024', '2025', '2026'
    small_int_str: pa.Array     # '-99'..'999' (index = value + 99)


@lru_cache(maxsize=1)
def _calendar() -> _Calendar:
    n = (_CAL_LAST - _CAL_FIRST).days + 1
    dates = [_CAL_FIRST + _dt.timedelta(days=i) for i in range(n)]
    is_work = np.array([chinese_calendar.is_workday(d) for d in dates])
    holiday = np.array([(not w) and chinese_calendar.get_holiday_detail(d)[1] is not None
                        for d, w in zip(dates, is_work)])
    first = _days(_CAL_FIRST)
    secs = np.arange(86400)
    time_str = [f"{h:02d}:{m:02d}:{s:02d}" for h, m, s in zip(secs // 3600, secs // 60 % 60, secs % 60)]
    return _Calendar(
        first=first,
        workdays=first + np.flatnonzero(is_work).astype(np.int64),
        is_work=is_work,
        holiday=holiday,
        weekday=np.array([d.weekday() for d in dates]),
        month=np.array([d.month for d in dates]),
        year=np.array([d.year for d in dates]),
        date_str=pa.array([d.isoformat() for d in dates], pa.string()),
        time_str=pa.array(time_str, pa.string()),
        year_str=pa.array([str(y) for y in _YEARS], pa.string()),
        small_int_str=pa.array([str(i) for i in range(-99, 1000)], pa.string()),
    )


def _intraday_cdf() -> np.ndarray:
    """Cumulative distribution of acceptances over the seconds of 08:30-17:30."""
    # (start minute after 08:30, relative intensity)
    segments = [(0, 0.55), (30, 1.0), (90, 1.1), (180, 0.7), (210, 0.22), (300, 0.8),
                (360, 0.95), (480, 0.6), (540, None)]
    w = np.empty(540)
    for (a, v), (b, _) in zip(segments[:-1], segments[1:]):
        w[a:b] = v
    per_sec = np.repeat(w, 60)
    cdf = np.cumsum(per_sec)
    return cdf / cdf[-1]


_OPEN_SEC = 8 * 3600 + 30 * 60          # 08:30
_CLOSE_CAP_SEC = 18 * 3600 + 30 * 60    # same-day completions end by 18:30
_CDF = _intraday_cdf()


_LUT_BITS = 18
_LUT = _OPEN_SEC + np.minimum(np.searchsorted(_CDF, np.arange(1 << _LUT_BITS) / (1 << _LUT_BITS), side="right"),
                              len(_CDF) - 1)


def _business_seconds(q: np.ndarray) -> np.ndarray:
    """Seconds of the day for quantiles q in [0, 1), non-decreasing in q (a look-up table)."""
    return _LUT[(q * (1 << _LUT_BITS)).astype(np.int64)]


def _take(values: pa.Array, idx: np.ndarray, null_mask: np.ndarray | None = None) -> pa.Array:
    indices = pa.array(idx.astype(np.int64, copy=False),
                       mask=None if null_mask is None else np.asarray(null_mask, bool))
    return pc.take(values, indices)


def _timestamps(sec: np.ndarray, null_mask: np.ndarray | None = None) -> pa.Array:
    """'YYYY-MM-DD HH:MM:SS' from seconds since the epoch (local time), nulls where masked."""
    cal = _calendar()
    day = sec // 86400
    di = np.clip(day - cal.first, 0, len(cal.date_str) - 1)
    return pc.binary_join_element_wise(_take(cal.date_str, di, null_mask),
                                       _take(cal.time_str, sec - day * 86400), " ")


def _ints(values: np.ndarray, null_mask: np.ndarray | None = None) -> pa.Array:
    return _take(_calendar().small_int_str, np.asarray(values) + 99, null_mask)


def _padded(values: np.ndarray, width: int) -> pa.Array:
    return pc.utf8_lpad(pc.cast(pa.array(values.astype(np.int64, copy=False)), pa.string()),
                        width=width, padding="0")


def _interp(pair: np.ndarray, t: np.ndarray, dept: np.ndarray) -> np.ndarray:
    """Per-case value of a per-department (start, end) parameter at time fraction t."""
    a = pair[dept, 0]
    return a + (pair[dept, 1] - a) * t


# ---------------------------------------------------------------------------------------
# Catalogue
# ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Catalogue:
    dept: np.ndarray            # department index per item (items sorted by department)
    code: pa.Array
    name: pa.Array
    committed: np.ndarray       # bool
    statutory: np.ndarray
    promised: np.ndarray
    must_enter: np.ndarray
    exempt: np.ndarray
    entered: np.ndarray         # epoch day, or -1
    online: np.ndarray          # epoch day, or -1
    retired: np.ndarray         # epoch day, or -1
    speed: np.ndarray           # item factor on the early-completion share
    key: np.ndarray             # dept + cumulative popularity within the department
    dept_first: np.ndarray      # first item index per department
    dept_last: np.ndarray       # last item index per department
    top: np.ndarray             # most popular item per department (never retired)


@lru_cache(maxsize=8)
def _workday_pool(lo: _dt.date, hi: _dt.date) -> np.ndarray:
    return np.array([_days(d) for d in chinese_calendar.get_workdays(lo, hi)], np.int64)


def _rand_days(rng: np.random.Generator, lo: _dt.date, hi: _dt.date, n: int) -> np.ndarray:
    """Random working days (epoch days) in lo..hi: items enter, go online and retire on
    working days."""
    pool = _workday_pool(lo, hi)
    return pool[rng.integers(0, len(pool), n)]


@lru_cache(maxsize=4)
def _catalogue(seed: int) -> _Catalogue:
    rng = np.random.default_rng([seed, 0xCA7A])
    depts, codes, names = [], [], []
    for di, dept in enumerate(DEPARTMENTS):
        n_items = min(dept.n_items, len(dept.stems) * len(_ACTIONS))
        for k in range(n_items):
            stem, action = dept.stems[k % len(dept.stems)], _ACTIONS[k // len(dept.stems)]
            depts.append(di)
            names.append(stem + action)
            codes.append(f"{_AREA_CODE}{dept.code}{_ITEM_CATEGORIES[k % 4]}{k + 1:04d}")
    dept = np.array(depts)
    n = len(dept)
    instant_share = np.array([d.instant_share for d in DEPARTMENTS])[dept]
    committed = rng.random(n) >= instant_share

    statutory = np.where(
        committed,
        rng.choice([5, 7, 10, 15, 20, 30, 45, 60], n, p=[.10, .08, .20, .17, .25, .12, .04, .04]),
        rng.choice([0, 1, 5, 10, 15, 20], n, p=[.15, .15, .15, .20, .15, .20]))
    promised = np.where(committed,
                        np.maximum(1, np.ceil(statutory * rng.uniform(0.15, 0.5, n))), 0).astype(np.int64)

    u = rng.random(n)
    must_enter = u >= 0.05
    exempt = must_enter & (rng.random(n) < 0.025)
    cat = np.array([_PROFILES[d.profile]["cat"] for d in DEPARTMENTS])[dept]
    before_day = _rand_days(rng, _dt.date(2015, 3, 1), _dt.date(2024, 9, 27), n)
    during_day = _rand_days(rng, DEMO_START, DEMO_END, n)
    ue = rng.random(n)
    entered = np.where(ue < cat[:, 0], before_day, np.where(ue < cat[:, 0] + cat[:, 1], during_day, -1))
    entered = np.where(must_enter & ~exempt, entered,
                       np.where(~must_enter & (ue < 0.3), before_day, -1))
    uo = rng.random(n)
    online_before = _rand_days(rng, _dt.date(2017, 6, 1), _dt.date(2024, 9, 27), n)
    online_during = _rand_days(rng, DEMO_START, DEMO_END, n)
    online = np.where(uo < cat[:, 2], online_before,
                      np.where(uo < cat[:, 2] + cat[:, 3], online_during, -1))
    ur = rng.random(n)
    retired = np.where(ur < 0.01, _rand_days(rng, _dt.date(2022, 1, 1), _dt.date(2024, 9, 27), n),
                       np.where(ur < 0.035, _rand_days(rng, DEMO_START, DEMO_END, n), -1))
    speed = rng.uniform(0.85, 1.1, n)
    # Nothing enters the centre or goes online after it was abolished.
    entered = np.where((retired >= 0) & (entered > retired), -1, entered)
    online = np.where((retired >= 0) & (online > retired), -1, online)

    # Popularity: Zipf within each department; the top item is an ordinary, active,
    # entered, online-enabled item (the department's bread and butter).
    n_dept = len(DEPARTMENTS)
    dept_first = np.searchsorted(dept, np.arange(n_dept), side="left")
    dept_last = np.searchsorted(dept, np.arange(n_dept), side="right") - 1
    pop = np.empty(n)
    top = np.empty(n_dept, np.int64)
    for di in range(n_dept):
        lo, hi = dept_first[di], dept_last[di] + 1
        ranks = rng.permutation(hi - lo)
        w = 1.0 / (ranks + 1.0) ** 1.05
        w *= np.where(must_enter[lo:hi], 1.0, 0.25) * np.where(committed[lo:hi], 1.0, 1.6)
        t = lo + int(np.argmax(w))
        top[di] = t
        must_enter[t], exempt[t], retired[t] = True, False, -1
        entered[t] = min(entered[t], before_day[t]) if entered[t] >= 0 else before_day[t]
        online[t] = min(online[t], online_before[t]) if online[t] >= 0 else online_before[t]
        c = np.cumsum(w)
        c /= c[-1]
        c[-1] = 1.0
        pop[lo:hi] = di + c
    return _Catalogue(dept=dept, code=pa.array(codes, pa.string()), name=pa.array(names, pa.string()),
                      committed=committed, statutory=statutory.astype(np.int64), promised=promised,
                      must_enter=must_enter, exempt=exempt, entered=entered, online=online,
                      retired=retired, speed=speed, key=pop, dept_first=dept_first,
                      dept_last=dept_last, top=top)


def _date_strings(days: np.ndarray) -> pa.Array:
    """'YYYY-MM-DD' for epoch days, null for -1 (any year)."""
    out = [None if d < 0 else (_EPOCH + _dt.timedelta(days=int(d))).isoformat() for d in days]
    return pa.array(out, pa.string())


def generate_catalogue(seed: int = 7) -> pa.Table:
    """The item catalogue (事项目录): one row per item, all columns text."""
    c = _catalogue(seed)
    names = pa.array([d.name for d in DEPARTMENTS], pa.string())
    cols = {
        "事项编码": c.code,
        "事项名称": c.name,
        "实施部门": _take(names, c.dept),
        "事项类型": _take(pa.array(_TYPES), c.committed.astype(np.int64)),
        "法定时限": _ints(c.statutory),
        "承诺时限": _ints(c.promised),
        "应进驻": _take(pa.array(_YESNO), c.must_enter.astype(np.int64)),
        "豁免进驻": _take(pa.array(_YESNO), c.exempt.astype(np.int64)),
        "进驻日期": _date_strings(c.entered),
        "纳入网上审批日期": _date_strings(c.online),
        "取消日期": _date_strings(c.retired),
    }
    return pa.table(cols, schema=CATALOGUE_SCHEMA)


# ---------------------------------------------------------------------------------------
# Cases
# ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Plan:
    n: int
    seed: int
    day: np.ndarray             # epoch day per acceptance day (DEMO_START..DEMO_END)
    day_cum: np.ndarray         # cumulative case count per day
    day_count: np.ndarray
    saturday_service: np.ndarray  # bool per day: a rest-day Saturday with morning service
    dept_cum_start: np.ndarray  # cumulative department shares at DEMO_START / DEMO_END
    dept_cum_end: np.ndarray
    dept_cum_weekend: np.ndarray
    params: dict                # name -> (n_dept, 2) array
    basic: np.ndarray
    sign_recorded: np.ndarray
    company_share: np.ndarray
    bad_offset: int


def _cum(shares: np.ndarray) -> np.ndarray:
    c = np.cumsum(shares / shares.sum())
    c[-1] = 1.0
    return c


@lru_cache(maxsize=4)
def _plan(n: int, seed: int) -> _Plan:
    cal = _calendar()
    rng = np.random.default_rng([seed, 0xDA7E])
    lo, hi = _days(DEMO_START) - cal.first, _days(DEMO_END) - cal.first
    sl = slice(lo, hi + 1)
    is_work, holiday = cal.is_work[sl], cal.holiday[sl]
    weekday, month = cal.weekday[sl], cal.month[sl]
    nd = hi - lo + 1
    t = np.arange(nd) / (nd - 1)

    # Daily volume: weekday pattern, seasons, growth, the rush after a long holiday, noise.
    wd_factor = np.array([1.18, 1.05, 1.0, 0.98, 0.88, 0.78, 0.78])[weekday]
    month_factor = np.array([0, 1.05, 0.85, 1.10, 1.0, 1.0, 1.05, 1.05, 1.0, 1.0, 0.95, 1.0, 1.10])[month]
    prev_rest = np.zeros(nd, np.int64)   # consecutive rest days just before each day
    full_work = cal.is_work
    for i in range(nd):
        j, k = lo + i - 1, 0
        while j >= 0 and not full_work[j]:
            k, j = k + 1, j - 1
        prev_rest[i] = k
    rush = np.where(prev_rest >= 3, 1.35, 1.0)
    saturday_service = ~is_work & ~holiday & (weekday == 5)
    w = np.where(is_work, wd_factor * month_factor * rush * (1 + 0.12 * t), 0.0)
    w = w * np.exp(rng.normal(0.0, 0.07, nd))
    w = np.where(saturday_service, 0.03, w)
    exact = w / w.sum() * n
    count = np.floor(exact).astype(np.int64)
    remainder = n - count.sum()
    if remainder:
        order = np.lexsort((np.arange(nd), -(exact - count)))   # largest fractions first
        count[order[:remainder]] += 1

    # Department shares; tiny departments have a fixed absolute volume (scaled down for
    # small demo sizes), so they stay under 30 cases a quarter at any size.
    scale = min(1.0, (n / 200_000) ** 0.5)
    tiny = np.array([d.tiny_per_quarter * 8 * scale for d in DEPARTMENTS])
    tiny_share = np.minimum(tiny / max(n, 1), 0.02)
    big = np.array([d.weight for d in DEPARTMENTS])
    shares = []
    for col in (0, 1):
        s = big[:, col] / big[:, col].sum() * (1 - tiny_share.sum()) + tiny_share
        shares.append(_cum(s))
    weekend = np.array([d.weight[0] if d.weekend else 0.0 for d in DEPARTMENTS])

    params: dict[str, np.ndarray] = {}
    for name in ("online", "early", "over", "inst_late", "bad", "sign", "rated"):
        rows = []
        for d in DEPARTMENTS:
            p = dict(_PROFILES[d.profile])
            p.update(dict(d.overrides))
            rows.append(p[name] if p[name] is not None else (np.nan, np.nan))
        params[name] = np.array(rows, float)
    basic = np.array([_PROFILES[d.profile]["basic"] for d in DEPARTMENTS])
    return _Plan(
        n=n, seed=seed, day=cal.first + np.arange(lo, hi + 1), day_cum=np.cumsum(count),
        day_count=count, saturday_service=saturday_service, dept_cum_start=shares[0],
        dept_cum_end=shares[1], dept_cum_weekend=_cum(weekend), params=params, basic=basic,
        sign_recorded=~np.isnan(params["sign"][:, 0]),
        company_share=np.array([d.company_share for d in DEPARTMENTS]),
        bad_offset=_plan_offset(seed),
    )


def bad_row_positions(n_cases: int, seed: int = 7) -> dict[str, np.ndarray]:
    """0-based data-row positions of the deliberately bad rows, by kind.

    For identical_repeat and conflicting_case_id the position is the first row of the
    pair; the repeat is the row after it."""
    off = _plan_offset(seed)
    pos = np.arange(off, n_cases, BAD_ROW_EVERY)
    kind = (pos // BAD_ROW_EVERY) % len(BAD_ROW_KINDS)
    out = {}
    for k, name in enumerate(BAD_ROW_KINDS):
        p = pos[kind == k]
        if name in ("identical_repeat", "conflicting_case_id"):
            p = p[p + 1 < n_cases]
        out[name] = p
    return out


def _plan_offset(seed: int) -> int:
    return int(np.random.default_rng([seed, 0xBAD]).integers(0, BAD_ROW_EVERY - 1))


class _IdCounter:
    """Running sequence numbers per (department, year) across blocks."""

    def __init__(self) -> None:
        self.next = np.zeros((len(DEPARTMENTS), len(_YEARS)), np.int64)

    def assign(self, dept: np.ndarray, year_idx: np.ndarray) -> np.ndarray:
        key = dept * len(_YEARS) + year_idx
        order = np.argsort(key, kind="stable")
        sk = key[order]
        starts = np.r_[0, np.flatnonzero(np.diff(sk)) + 1]
        group_start = np.repeat(starts, np.diff(np.r_[starts, len(sk)]))
        rank = np.empty_like(key)
        rank[order] = np.arange(len(sk)) - group_start
        flat = self.next.reshape(-1)
        seq = flat[key] + rank + 1
        flat += np.bincount(key, minlength=flat.size)
        return seq


def _block(plan: _Plan, cat: _Catalogue, counter: _IdCounter, b: int, s: int, e: int) -> pa.Table:
    cal = _calendar()
    rng = np.random.default_rng([plan.seed, 0xCA5E, b])
    m = e - s
    idx = np.arange(s, e)
    n_dept = len(DEPARTMENTS)

    # Acceptance: day from the daily counts, time stratified within the day (sorted).
    d = np.searchsorted(plan.day_cum, idx, side="right")
    pos_in_day = idx - (plan.day_cum[d] - plan.day_count[d])
    q = (pos_in_day + rng.random(m)) / plan.day_count[d]
    day = plan.day[d]
    sat = plan.saturday_service[d]
    tod = np.where(sat, 9 * 3600 + (q * 3 * 3600).astype(np.int64), _business_seconds(q))
    acc = day * 86400 + tod
    t = (day - plan.day[0]) / (plan.day[-1] - plan.day[0])

    # Department and item.
    u = rng.random(m)
    use_end = rng.random(m) < t
    dept = np.where(use_end, np.searchsorted(plan.dept_cum_end, u, side="right"),
                    np.searchsorted(plan.dept_cum_start, u, side="right"))
    dept = np.where(sat, np.searchsorted(plan.dept_cum_weekend, u, side="right"), dept)
    dept = np.minimum(dept, n_dept - 1)
    item = np.searchsorted(cat.key, dept + rng.random(m), side="right")
    item = np.clip(item, cat.dept_first[dept], cat.dept_last[dept])
    gone = (cat.retired[item] >= 0) & (cat.retired[item] <= day)
    item = np.where(gone, cat.top[dept], item)
    committed = cat.committed[item]
    promised = cat.promised[item]
    statutory = cat.statutory[item]

    # Working days to completion, relative to the promised limit.
    p = plan.params
    p_early = np.clip(_interp(p["early"], t, dept) * cat.speed[item], 0.0, 0.98)
    p_over = _interp(p["over"], t, dept)
    u3 = rng.random(m)
    early = committed & (u3 < p_early)
    over = committed & (u3 >= 1.0 - p_over)
    k = np.zeros(m, np.int64)
    k = np.where(early, np.floor(promised * rng.random(m) ** 1.6).astype(np.int64), k)
    k = np.where(committed & ~early & ~over, promised, k)
    stuck = rng.random(m) < 0.04
    late_by = rng.geometric(0.45, m) + np.where(stuck, rng.integers(15, 150, m), 0)
    k = np.where(over, promised + late_by, k)
    inst_late = ~committed & (u3 < _interp(p["inst_late"], t, dept))
    k = np.where(inst_late, rng.geometric(0.6, m), k)

    # Status: ~0.6% withdrawn (撤件), ~0.4% not accepted (不予受理).
    us = rng.random(m)
    withdrawn = us < 0.006
    rejected = (us >= 0.006) & (us < 0.010)
    k = np.where(rejected, rng.integers(0, 3, m), k)
    k = np.where(withdrawn, np.floor(k * rng.random(m)).astype(np.int64), k)

    wd = cal.workdays
    nxt = np.searchsorted(wd, day, side="right")
    comp_day = np.where(k == 0, day, wd[np.clip(nxt + k - 1, 0, len(wd) - 1)])
    same_day_off = np.where(committed & ~rejected, 1800 + rng.exponential(5400, m),
                            120 + rng.exponential(900, m)).astype(np.int64)
    room = day * 86400 + _CLOSE_CAP_SEC - acc          # >= 1 hour: acceptances end by 17:30
    same_day_off = np.where(same_day_off >= room, (room * rng.uniform(0.2, 0.95, m)).astype(np.int64),
                            same_day_off)
    same_day = acc + same_day_off
    later = comp_day * 86400 + _business_seconds(rng.random(m))
    comp = np.where(k == 0, same_day, later)
    exported = int((DEMO_EXPORTED_AT - _dt.datetime(1970, 1, 1)).total_seconds())
    done = comp <= exported
    status = np.where(done, 0, 1)
    status = np.where(rejected, 2, np.where(withdrawn, 3, status))
    comp_known = done & ~(withdrawn & (rng.random(m) < 0.5))

    completed = status == 0
    # Window sign-off (only for completed cases; some departments do not record it).
    sign = rng.random(m) < np.nan_to_num(_interp(p["sign"], t, dept))
    sign_null = ~completed | ~plan.sign_recorded[dept] | (rng.random(m) < 0.02)

    # Ratings (好差评): a share of completed cases, rated within a few days.
    rated = completed & (rng.random(m) < _interp(p["rated"], t, dept))
    bad = np.minimum(_interp(p["bad"], t, dept) * np.where(k > promised, 4.0, 1.0), 0.5)
    basic = plan.basic[dept]
    c1 = 0.4 * bad
    c2 = bad
    c3 = bad + basic
    c4 = c3 + (1.0 - c3) * 0.18
    ur = rng.random(m)
    rating = 1 + (ur >= c1).astype(np.int64) + (ur >= c2) + (ur >= c3) + (ur >= c4)
    rated_at = comp + np.where(rng.random(m) < 0.65, rng.integers(10, 7200, m),
                               rng.integers(7200, 5 * 86400, m))
    rated &= rated_at <= exported

    # Channel: online only for items enabled for online approval at that date.
    enabled = (cat.online[item] >= 0) & (cat.online[item] <= day)
    p_online = np.where(enabled, _interp(p["online"], t, dept), 0.03)
    uc = rng.random(m)
    mobile = rng.random(m) < 0.15 + 0.3 * t
    channel = np.where(uc < p_online, np.where(mobile, 1, 0),
                       np.where(rng.random(m) < 0.9, 2, np.where(rng.random(m) < 0.7, 3, 4)))

    # What the export shows of the item: mostly the catalogue's type and limits.
    type_shown = np.where(rng.random(m) < 0.002, ~committed, committed).astype(np.int64)
    statutory_null = rng.random(m) < 0.01
    promised_null = rng.random(m) < 0.004

    # Case numbers: acceptance year + department code + running number (14 digits).
    year_idx = cal.year[day - cal.first] - _YEARS[0]
    seq = counter.assign(dept, year_idx)
    case_no = (year_idx + _YEARS[0]) * 10**10 + _S.dept_code[dept] * 10**7 + seq

    # Personal data (fake): people or companies, and mobile numbers.
    company = rng.random(m) < plan.company_share[dept]
    surname = rng.integers(0, len(_SURNAMES), m)
    given1 = rng.integers(0, len(_GIVEN), m)
    given2 = np.where(rng.random(m) < 0.7, rng.integers(0, len(_GIVEN), m), len(_GIVEN))
    firm = rng.integers(0, len(_FIRMS), m)
    trade = rng.integers(0, len(_TRADES), m)
    phone = _S.mobile_prefix[rng.integers(0, len(_S.mobile_prefix), m)] * 10**8 + rng.integers(0, 10**8, m)

    # Bad rows at fixed positions (see bad_row_positions).
    bpos = np.arange(s + (plan.bad_offset - s) % BAD_ROW_EVERY, e, BAD_ROW_EVERY)
    bkind = (bpos // BAD_ROW_EVERY) % len(BAD_ROW_KINDS)
    kinds = {name: bpos[bkind == i] - s for i, name in enumerate(BAD_ROW_KINDS)}
    for name in ("identical_repeat", "conflicting_case_id"):
        kinds[name] = kinds[name][kinds[name] + 1 < m]

    dept_null = np.zeros(m, bool)
    dept_null[kinds["missing_dept"]] = True
    r = kinds["completed_before_accepted"]
    comp[r] = acc[r] - 86400 - rng.integers(3600, 6 * 3600, len(r))
    status[r], comp_known[r], rated[r] = 0, True, False
    r = kinds["completed_without_time"]
    status[r], comp_known[r], rated[r], sign_null[r] = 0, False, False, True
    rating_idx = rating - 1
    rating_null = ~rated
    r = kinds["rating_out_of_range"]
    rating_idx[r], rating_null[r] = len(_RATINGS), False        # the label after the five is '7'
    promised_shown = promised.copy()
    r = kinds["negative_limit"]
    promised_shown[r], promised_null[r] = -np.maximum(promised[r], 3), False

    # Pairs: the row after an identical_repeat is a copy of it; the row after a
    # conflicting_case_id has its 办件编号 and contents but a 受理时间 some seconds later.
    rows = dict(case_no=case_no, dept=dept, dept_null=dept_null, item=item, type_shown=type_shown,
                channel=channel, company=company, surname=surname, given1=given1, given2=given2,
                firm=firm, trade=trade, phone=phone, acc=acc, comp=comp, comp_known=comp_known,
                statutory=statutory, statutory_null=statutory_null, promised=promised_shown,
                promised_null=promised_null, sign=sign, sign_null=sign_null, rating=rating_idx,
                rating_null=rating_null, rated=rated, rated_at=rated_at, status=status)
    rep, con = kinds["identical_repeat"], kinds["conflicting_case_id"]
    if len(rep) or len(con):
        sel = np.arange(m)
        sel[rep + 1] = rep
        sel[con + 1] = con
        rows = {k: v[sel] for k, v in rows.items()}
        a = rows["acc"]
        a[con + 1] = a[con] - a[con] % 60 + (a[con] % 60 + 17) % 60
    R = rows

    person = pc.binary_join_element_wise(_take(_S.surnames, R["surname"]), _take(_S.given, R["given1"]),
                                         _take(_S.given, R["given2"]), "")
    firm_name = pc.binary_join_element_wise(_take(_S.firms, R["firm"]), _take(_S.trades, R["trade"]),
                                            "有限公司", "")
    accepted = _timestamps(R["acc"])
    r = kinds["bad_accepted_at"]
    if len(r):
        mask = np.zeros(m, bool)
        mask[r] = True
        bad = [_BAD_ACCEPTED[(s + int(i)) // BAD_ROW_EVERY % len(_BAD_ACCEPTED)] for i in r]
        accepted = pc.replace_with_mask(accepted, pa.array(mask), pa.array(bad, pa.string()))
    cols = [
        pc.cast(pa.array(R["case_no"]), pa.string()),
        _take(_S.dept_name, R["dept"], R["dept_null"]),
        _take(cat.code, R["item"]),
        _take(cat.name, R["item"]),
        _take(_S.types, R["type_shown"]),
        _take(_S.channels, R["channel"]),
        pc.if_else(pa.array(R["company"]), firm_name, person),
        pc.cast(pa.array(R["phone"]), pa.string()),
        accepted,
        _timestamps(R["comp"], ~R["comp_known"]),
        _ints(R["statutory"], R["statutory_null"]),
        _ints(R["promised"], R["promised_null"]),
        _take(_S.yesno, R["sign"].astype(np.int64), R["sign_null"]),
        _take(_S.ratings, R["rating"], R["rating_null"]),
        _timestamps(R["rated_at"], ~R["rated"]),
        _take(_S.statuses, R["status"]),
    ]
    return pa.Table.from_arrays(cols, schema=CASE_SCHEMA)


def iter_case_batches(n_cases: int, seed: int = 7, batch_rows: int = 1_000_000) -> Iterator[pa.Table]:
    """The case log (办件日志) in batches of batch_rows rows (the last may be shorter).

    The rows do not depend on batch_rows: concatenating the batches gives the same table
    for any batch size."""
    if n_cases < 0 or batch_rows < 1:
        raise ValueError("n_cases must be >= 0 and batch_rows >= 1")
    if n_cases == 0:
        return
    plan, cat, counter = _plan(n_cases, seed), _catalogue(seed), _IdCounter()
    pending: list[pa.Table] = []
    pending_rows = 0
    for b, s in enumerate(range(0, n_cases, BLOCK_ROWS)):
        block = _block(plan, cat, counter, b, s, min(s + BLOCK_ROWS, n_cases))
        while len(block):
            take = min(batch_rows - pending_rows, len(block))
            pending.append(block.slice(0, take))
            pending_rows += take
            block = block.slice(take)
            if pending_rows == batch_rows:
                yield pending[0] if len(pending) == 1 else pa.concat_tables(pending)
                pending, pending_rows = [], 0
    if pending:
        yield pending[0] if len(pending) == 1 else pa.concat_tables(pending)


# ---------------------------------------------------------------------------------------
# CSV files
# ---------------------------------------------------------------------------------------
_CSV_OPTIONS = pacsv.WriteOptions(include_header=False, quoting_style="none")


def _prefetch(tables: Iterator[pa.Table], depth: int = 2) -> Iterator[pa.Table]:
    """Run a table iterator in a background thread, so generating the next block overlaps
    with writing the current one (numpy and Arrow release the GIL). Order is preserved."""
    q: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()
    done = object()

    def put(item: object) -> bool:
        while not stop.is_set():
            try:
                q.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for t in tables:
                if not put(t):
                    return
            put(done)
        except BaseException as exc:    # re-raised in the consumer
            put(exc)

    worker = threading.Thread(target=produce, name="demo-data", daemon=True)
    worker.start()
    try:
        while True:
            item = q.get()
            if item is done:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        worker.join()


def _write_csv(path: Path, tables: Iterator[pa.Table], columns: tuple[str, ...], encoding: str) -> None:
    header = ",".join(columns) + "\n"
    tmp = path.with_name(path.name + ".part")
    try:
        if encoding in ("utf-8", "utf-8-sig"):
            with pa.OSFile(str(tmp), "wb") as f:
                f.write((header.encode("utf-8-sig") if encoding == "utf-8-sig" else header.encode()))
                writer = None
                for table in tables:
                    if writer is None:
                        writer = pacsv.CSVWriter(f, table.schema, write_options=_CSV_OPTIONS)
                    writer.write_table(table)
                if writer is not None:
                    writer.close()
        else:
            with open(tmp, "wb") as f:
                f.write(header.encode(encoding))
                for table in tables:
                    buf = pa.BufferOutputStream()
                    pacsv.write_csv(table, buf, write_options=_CSV_OPTIONS)
                    f.write(buf.getvalue().to_pybytes().decode("utf-8").encode(encoding))
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def write_demo_files(out_dir: Path, n_cases: int = 200_000, seed: int = 7,
                     encoding: str = "utf-8") -> tuple[Path, Path]:
    """Write the case log and the catalogue as CSV with a header row.

    encoding: "utf-8" (also "utf-8-sig", with a BOM) or "gb18030". Returns
    (cases_csv, catalogue_csv): demo_cases.csv / demo_catalogue.csv for UTF-8, with a
    _gb18030 suffix before .csv for GB18030."""
    enc = encoding.lower().replace("_", "-")
    if enc in ("utf8", "utf-8"):
        enc, suffix = "utf-8", ""
    elif enc in ("utf-8-sig", "utf8-sig"):
        enc, suffix = "utf-8-sig", "_utf8bom"
    elif enc == "gb18030":
        suffix = "_gb18030"
    else:
        raise ValueError(f"unsupported encoding {encoding!r}: use 'utf-8' or 'gb18030'")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    cases = out_dir / f"demo_cases{suffix}.csv"
    catalogue = out_dir / f"demo_catalogue{suffix}.csv"
    _write_csv(catalogue, iter([generate_catalogue(seed)]), CATALOGUE_COLUMNS, enc)
    _write_csv(cases, _prefetch(iter_case_batches(n_cases, seed, batch_rows=BLOCK_ROWS)), CASE_COLUMNS, enc)
    return cases, catalogue
