"""The year's issues as the 辅助器具发放登记表 lists them: every device issued in the year, grouped by
type in the catalogue's order and by date within a type, with who received it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from app.db.models import DeviceType, Person, StockMovement, Village, VillageGroup
from app.domain.words import Movement
from app.services.devices.catalogue import catalogue


@dataclass(frozen=True)
class IssuedLine:
    """One issue: the device, the person who received it and where they live."""

    device_type_id: int
    device_name: str
    name: str
    sex: str
    birth_date: dt.date
    id_number: str
    category: int
    grade: int
    village: str  # "" when not placed in a village
    group: str
    model: str
    serial: str | None
    quantity: int
    date: dt.date


def issued_in_year(session: Session, year: int) -> list[IssuedLine]:
    """The year's issues, type by type in the catalogue's order (a type no longer listed last), by date
    and entry within a type."""
    order = {t.id: i for i, t in enumerate(catalogue(session, include_inactive=True))}
    stmt: Select[*tuple[Any, ...]] = (  # more columns than select() types: read by position into IssuedLine
        select(
            StockMovement.device_type_id, DeviceType.name, Person.name, Person.sex, Person.birth_date, Person.id_number,
            Person.category, Person.grade, func.coalesce(Village.name, ""), func.coalesce(VillageGroup.name, ""),
            StockMovement.model, StockMovement.serial, StockMovement.quantity, StockMovement.date,
        )
        .join(DeviceType, DeviceType.id == StockMovement.device_type_id)
        .join(Person, Person.id == StockMovement.person_id)
        .outerjoin(Village, Village.id == Person.village_id)
        .outerjoin(VillageGroup, VillageGroup.id == Person.group_id)
        .where(StockMovement.kind == Movement.ISSUED,
               StockMovement.date.between(dt.date(year, 1, 1), dt.date(year, 12, 31)))
        .order_by(StockMovement.date, StockMovement.id)
    )
    lines = [IssuedLine(*row) for row in session.execute(stmt)]
    return sorted(lines, key=lambda line: order.get(line.device_type_id, len(order)))  # stable: dates stay
