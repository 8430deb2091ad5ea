"""辅助器具领取单: what one person received at once, signed (or thumb-printed) by them and kept in the
office file. A4 portrait: the person's details above the items, below them a box for the recipient's
signature or thumbprint, then the clerk and the checker.

The full ID number is printed: the receipt stays in the office file as the record of who received
the items (DOMAIN.md: the devices register records name, ID, category and grade), it is not handed round.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from app.domain.dates import age_on, chinese_date
from app.domain.disability import category_with_components, grade_label
from app.reports.table import Cell, Column, TableReport
from app.services.devices.history import ReceiptView, receipt_view
from app.services.settings import unit_info

COLUMNS = (
    Column("器具名称", 34),
    Column("型号", 34),
    Column("数量", 14, total=True),
    Column("单位", 12),
    Column("序列号", 34, wrap=False, text=True),
)
GAP = "　　"


def _category(view: ReceiptView) -> str:
    return category_with_components(view.category, view.components) + grade_label(view.grade)


def build_receipt(session: Session, receipt_id: int) -> TableReport:
    view = receipt_view(session, receipt_id)
    unit = unit_info(session)
    place = view.village + view.group or view.address
    rows: list[list[Cell]] = [[i.device_name, i.model, i.quantity, i.unit, i.serial] for i in view.items]
    return TableReport(
        title="辅助器具领取单",
        unit=unit.unit_name,
        date_text=chinese_date(view.date),
        columns=COLUMNS,
        rows=rows,
        count_unit="项",
        subtotals=False,
        landscape=False,
        preamble=[
            f"编号：{view.number}",
            f"领取人：{view.person_name}{GAP}性别：{view.sex}{GAP}年龄：{age_on(view.birth_date, view.date)}岁"
            f"{GAP}残疾类别等级：{_category(view)}",
            f"身份证号：{view.id_number}{GAP}住址：{place}",
        ],
        sign_box="领取人签字/手印",
        signers=[("经办人", view.clerk or unit.clerk), ("审核人", view.checker or unit.reviewer)],
        note=f"说明：{view.reason}" if view.reason else "",
    )


def write_receipt(session: Session, receipt_id: int, out: Path) -> Path:
    from app.reports.engine import render_pdf

    return render_pdf(build_receipt(session, receipt_id), out)

