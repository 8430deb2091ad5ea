"""辅助器具库存表 of a year: per type, what was in the store room on 1 January, what came in, went out and
came back during the year, what was written off, and what is left; a type at or below its reorder level
is marked. Every figure is a sum of movements (app.services.devices.stock.stock_levels), so the sheet adds up:
年末结存 = 上年结存 + 本年入库 + 本年退回 − 本年发放 − 本年报损."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy.orm import Session

from app.domain.dates import chinese_date
from app.errors import InputError
from app.reports.table import Cell, Column, TableReport
from app.services.devices.stock import stock_levels
from app.services.settings import unit_info

COLUMNS = (
    Column("器具名称", 26),
    Column("类别", 12),
    Column("单位", 10),
    Column("上年结存", 16, total=True),
    Column("本年入库", 16, total=True),
    Column("本年发放", 16, total=True),
    Column("本年退回", 16, total=True),
    Column("本年报损", 16, total=True),
    Column("年末结存", 16, total=True),
    Column("备注", 30, align="LEFT"),
)


def build_stock_sheet(session: Session, year: int | None = None, today: dt.date | None = None) -> TableReport:
    today = today or dt.date.today()
    year = year or today.year
    unit = unit_info(session)
    rows: list[list[Cell]] = []
    for line in stock_levels(session, year, include_inactive=True):
        moved = line.opening or line.received or line.issued or line.returned or line.written_off
        if not line.device_type.active and not moved:
            continue
        note = "已停用" if not line.device_type.active else ""
        if year == today.year and line.low:
            note = f"库存不足（补货线{line.device_type.reorder_level}）"
        rows.append([line.device_type.name, line.device_type.category, line.device_type.unit, line.opening,
                     line.received, line.issued, line.returned, line.written_off, line.closing, note])
    return TableReport(
        title=f"{unit.town}{year}年辅助器具库存表",
        unit=unit.unit_name,
        date_text=chinese_date(today),
        columns=COLUMNS,
        rows=rows,
        count_unit="种",
        subtotals=False,
        signers=[("保管人", unit.clerk), ("审核人", unit.reviewer), ("负责人", unit.head)],
        note="注：年末结存＝上年结存＋本年入库＋本年退回－本年发放－本年报损。",
    )


def write_stock_sheet(session: Session, out: Path, year: int | None = None) -> Path:
    """The sheet as a PDF, or as a workbook when out ends in .xlsx."""
    from app.reports.engine import render_pdf, render_xlsx

    report = build_stock_sheet(session, year)
    suffix = out.suffix.lower()
    if suffix not in (".pdf", ".xlsx"):
        raise InputError(f"报表文件名应以 .pdf 或 .xlsx 结尾，现为“{out.name}”：请改一个文件名。")
    return render_xlsx(report, out) if suffix == ".xlsx" else render_pdf(report, out)
