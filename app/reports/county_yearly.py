"""县级年度汇总表 (`canlian report county --year Y --out FILE.pdf|.xlsx`, a county register only): one row
per town with the figures of its own summary of the year, as its latest 上报包 carried them, and the
合计 row, which is therefore the county's figures (app.services.county.figures). Then, from a page of its
own (a sheet of its own in the workbook), 上报情况: the towns whose package for the year is missing or made
before the period ended, each with the date of its last package and the day the county accepted it, so
the county sees at once whose figures are not in the total or not up to the year's end."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy.orm import Session

from app.domain.dates import chinese_date
from app.errors import InputError
from app.reports import ReportRequest
from app.reports.table import Cell, Column, TableReport
from app.services.county.figures import LateTown, TownFigures, late_towns, period_end, town_lines
from app.services.county.towns import is_county

COLUMNS = (
    Column("乡镇", 22, align="LEFT"),
    Column("区划代码", 30, wrap=False, text=True),
    Column("截止日期", 22, wrap=False),
    Column("在册", 13, align="RIGHT", total=True),
    Column("新登记", 13, align="RIGHT", total=True),
    Column("死亡", 11, align="RIGHT", total=True),
    Column("迁出", 11, align="RIGHT", total=True),
    Column("低保户中", 14, align="RIGHT", total=True),
    Column("两项补贴人数", 18, align="RIGHT", total=True),
    Column("两项补贴金额（元）", 28, align="RIGHT", total=True, money=True, wrap=False),
    Column("慰问户数", 14, align="RIGHT", total=True),
    Column("器具（件）", 15, align="RIGHT", total=True),
)

LATE_COLUMNS = (
    Column("乡镇", 26, align="LEFT"),
    Column("区划代码", 32, wrap=False, text=True),
    Column("最近上报包", 20, wrap=False),
    Column("上报包截止日期", 28, wrap=False),
    Column("县里导入日期", 28, wrap=False),
    Column("情况", 90, align="LEFT"),
)


def _row(town: TownFigures) -> Sequence[Cell]:
    f = town.figures
    return (town.name, town.code, town.as_of.isoformat() if town.as_of else "", f["registered"],
            f["new_registrations"], f["deaths"], f["moved_out"], f["dibao_persons"], f["two_subsidies_persons"],
            Decimal(f["two_subsidies_amount"]), f["visits"]["households"], f["equipment_issued"]["items"])


def _late_row(town: LateTown, year: int, end: dt.date) -> Sequence[Cell]:
    if town.as_of is None:
        said = "未报送：县里没有收到这个乡镇的上报包，未计入合计"
    elif town.missing:
        said = f"缺报：最近的上报包中没有{year}年的统计，未计入合计"
    else:
        said = f"上报包早于{end.isoformat()}：合计中是该乡镇截至{town.as_of.isoformat()}的数字"
    return (town.name, town.code, f"第{town.sequence}号" if town.sequence else "未报送",
            town.as_of.isoformat() if town.as_of else "未报送",
            town.imported.isoformat() if town.imported else "未报送", said)


def _late_page(session: Session, year: int, date_text: str, unit: str) -> tuple[TableReport, int]:
    end = period_end(year)
    late = late_towns(session, year)
    note = (f"说明：列出最近一个上报包没有{year}年统计（缺报）或截止日期早于{end.isoformat()}的乡镇；"
            "请通知这些乡镇重新生成上报包，导入后再打印本表。")
    if not late:
        note = f"说明：各乡镇的上报包都已截至{end.isoformat()}或以后，没有缺报或过期的乡镇。"
    page = TableReport(
        title=f"{year}年各乡镇上报情况（缺报和过期的乡镇）", unit=unit, date_text=date_text, columns=LATE_COLUMNS,
        rows=[_late_row(t, year, end) for t in late], count_unit="个乡镇", subtotals=False, signers=[],
        seal=False, note=note)
    return page, len(late)


def build_report(session: Session, request: ReportRequest) -> TableReport:
    if not is_county(session):
        raise InputError("县级年度汇总表只能在县残联的数据文件中生成：请用 --db 指定县里的数据文件。")
    if request.year is None:
        raise InputError("县级年度汇总表要指定年份：请加上 --year（如 --year 2026）。")
    year = request.year
    unit = "县残疾人联合会"
    date_text = chinese_date(request.today or dt.date.today())
    late_page, late = _late_page(session, year, date_text, unit)
    note = "说明：各乡镇数字取自其最近一个上报包中本乡镇的年度统计，合计即全县数字。"
    note += (f"\n缺报或上报包早于{period_end(year).isoformat()}的乡镇{late}个，见后附“上报情况”页。" if late
             else "\n各乡镇的上报包都已截至年底（今年为截至今天），无缺报。")
    return TableReport(
        title=f"{year}年各乡镇残疾人工作统计汇总表", unit=unit, date_text=date_text, columns=COLUMNS,
        rows=[_row(t) for t in town_lines(session, year) if t.figures],
        count_unit="个乡镇", subtotals=False, signers=[("经办人", ""), ("审核人", ""), ("负责人", "")], note=note,
        appendix=late_page)
