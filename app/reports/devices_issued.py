"""辅助器具发放登记表: every device issued in the year, type by type with each type's 小计, and the 合计; the
county asks for it each year. Columns as the county's form has them (序号 … 签字).

It is the office's own register (DOMAIN.md: name, ID, category and grade, item, model…), so it carries the
full ID number as the 领取单 does, and the item's serial number where it has one, beside its model.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db.models import DeviceType, Person, StockMovement, Village, VillageGroup
from app.domain.dates import age_on, chinese_date
from app.domain.disability import category_label, grade_label
from app.domain.words import Movement
from app.reports import ReportRequest
from app.reports.table import Cell, Column, Section, TableReport
from app.services.devices.catalogue import catalogue
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
    order = {t.id: i for i, t in enumerate(catalogue(session, include_inactive=True))}
    stmt = (
        select(
            StockMovement.device_type_id, DeviceType.name, Person.name, Person.sex, Person.birth_date, Person.id_number,
            Person.category, Person.grade, func.coalesce(Village.name, ""), func.coalesce(VillageGroup.name, ""),
            StockMovement.model, StockMovement.serial, StockMovement.quantity, StockMovement.date,
        )
        .join(DeviceType, DeviceType.id == StockMovement.device_type_id)
        .join(Person, Person.id == StockMovement.person_id)
        .outerjoin(Village, Village.id == Person.village_id)
        .outerjoin(VillageGroup, VillageGroup.id == Person.group_id)
        .where(StockMovement.kind == Movement.ISSUED, StockMovement.date.between(dt.date(year, 1, 1), dt.date(year, 12, 31)))
        .order_by(StockMovement.date, StockMovement.id)
    )
    rows = sorted(session.execute(stmt).all(), key=lambda r: order.get(r[0], len(order)))  # stable: dates stay
    current = None
    for (type_id, device_name, name, sex, born, id_number, category, grade, village, group, model, serial, quantity,
         day) in rows:
        if type_id != current:
            current = type_id
            yield Section(device_name)
        yield (name, sex, age_on(born, day), id_number, f"{category_label(category)}{grade_label(grade)}",
               village + group, device_name, model_and_serial(model, serial), quantity, f"{day:%Y-%m-%d}")


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
