"""辅助器具发放登记表: every device issued in the year, type by type with each type's 小计, and the 合计; the
county asks for it each year. Columns as the county's form has them (序号 … 签字).

It is the office's own register (DOMAIN.md: name, ID, category and grade, item, model…), so it carries the
full ID number as the 领取单 does, and the item's serial number where it has one, beside its model.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence

from sqlalchemy.orm import Session

from app.domain.dates import age_on, chinese_date
from app.domain.disability import category_label, grade_label
from app.reports import ReportRequest
from app.reports.table import Cell, Column, Section, TableReport
from app.services.devices.issued_register import issued_in_year
from app.services.settings import unit_info

COLUMNS = (
    Column("姓名", 16),
    Column("性别", 8),
    Column("年龄", 8),
    Column("身份证号", 33, wrap=False, text=True),
    Column("类别等级", 18),
    Column("村", 20),
    Column("器具名称", 18),
    Column("型号/序列号", 35),  # "H005钢制/LY2024-0024" on one line
    Column("数量", 9, total=True),
    Column("发放日期", 21, wrap=False),
)


def model_and_serial(model: str, serial: str) -> str:
    """"H005", "B40/ZT-1" or "ZT-1": what the 型号/序列号 column shows."""
    return "/".join(part for part in (model.strip(), (serial or "").strip()) if part)


def _rows(session: Session, year: int) -> Iterator[Sequence[Cell] | Section]:
    current = None
    for line in issued_in_year(session, year):
        if line.device_type_id != current:
            current = line.device_type_id
            yield Section(line.device_name)
        yield (line.name, line.sex, age_on(line.birth_date, line.date), line.id_number,
               f"{category_label(line.category)}{grade_label(line.grade)}", line.village + line.group,
               line.device_name, model_and_serial(line.model, line.serial or ""), line.quantity,
               f"{line.date:%Y-%m-%d}")


def build_report(session: Session, request: ReportRequest) -> TableReport:
    year = request.year or dt.date.today().year
    unit = unit_info(session)
    return TableReport(
        title=f"{unit.town}{year}年辅助器具发放登记表",
        unit=unit.unit_name,
        date_text=chinese_date(request.today or dt.date.today()),
        columns=COLUMNS,
        rows=_rows(session, year),
        signature_column="签字",
        count_unit="人次",
        signers=[("经办人", unit.clerk), ("审核人", unit.reviewer), ("负责人", unit.head)],
    )
