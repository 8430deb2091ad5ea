"""县级年度汇总表 (`canlian report county --year Y --out FILE.pdf|.xlsx`, a county register only): one row
per town with the figures of its own summary of the year, as its latest 上报包 carried them, and the
合计 row, which is therefore the county's figures (app.services.county.figures). Under the table, the
towns whose package is missing for the year or was made before the year ended."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy.orm import Session

from app.domain.dates import chinese_date
from app.errors import InputError
from app.reports import ReportRequest
from app.reports.table import Cell, Column, TableReport
from app.services.county.figures import TownFigures, late_towns, town_lines
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


def _row(town: TownFigures) -> Sequence[Cell]:
    f = town.figures
    return (town.name, town.code, town.as_of.isoformat() if town.as_of else "", f["registered"],
            f["new_registrations"], f["deaths"], f["moved_out"], f["dibao_persons"], f["two_subsidies_persons"],
            Decimal(f["two_subsidies_amount"]), f["visits"]["households"], f["equipment_issued"]["items"])


def build_report(session: Session, request: ReportRequest) -> TableReport:
    if not is_county(session):
        raise InputError("县级年度汇总表只能在县残联的数据文件中生成：请用 --db 指定县里的数据文件。")
    if request.year is None:
        raise InputError("县级年度汇总表要指定年份：请加上 --year（如 --year 2026）。")
    year = request.year
    missing, early = late_towns(session, year)
    note = "说明：各乡镇数字取自其最近一个上报包中本乡镇的年度统计，合计即全县数字。"
    note += f"\n缺报的乡镇：{'、'.join(missing) if missing else '无'}。"
    note += f"\n上报包早于{year}年底的乡镇：{'、'.join(early) if early else '无'}。"
    return TableReport(
        title=f"{year}年各乡镇残疾人工作统计汇总表", unit="县残疾人联合会",
        date_text=chinese_date(request.today or dt.date.today()), columns=COLUMNS,
        rows=[_row(t) for t in town_lines(session, year) if t.figures],
        count_unit="个乡镇", subtotals=False, signers=[("经办人", ""), ("审核人", ""), ("负责人", "")], note=note)
