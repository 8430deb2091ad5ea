"""Reading the relief ledger back: history per person and per item, what a person may return, one 领取单,
and the summary's equipment_issued figure (items issued in the period, and to how many persons)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from app.db.models import DeviceReceipt, DeviceType, Person, StockMovement, Village, VillageGroup
from app.domain.words import Movement
from app.errors import NotFound
from app.services.actions import query


@dataclass(frozen=True)
class HistoryLine:
    """One movement as the history lists show it."""

    id: int
    date: dt.date
    kind: str  # 入库 / 发放 / 退回 / 报损
    device_type_id: int
    device_name: str
    unit: str
    quantity: int
    model: str
    serial: str
    person_id: int | None
    person_name: str
    source: str
    condition: str
    reason: str
    receipt_number: str
    receipt_id: int | None  # the 领取单 to print again
    returned_on: dt.date | None  # for an issue: when it came back

    @property
    def note(self) -> str:
        """来源, 状况, 理由 in one cell."""
        parts = [self.source, self.condition, self.reason]
        if self.returned_on is not None:
            parts.append(f"{self.returned_on:%Y-%m-%d}已退回")
        return "；".join(p for p in parts if p)


TYPE_HISTORY = "所选器具的出入记录"  # the devices tab's list of one type's movements


def moved(lines: Sequence[HistoryLine]) -> str:
    """What the clerk is told after 入库, 报损 or 退回, and where to see it:
    已入库普通轮椅5辆；见“所选器具的出入记录”。"""
    if not lines:
        return ""
    first = lines[0]
    count = f"{first.device_name}{sum(line.quantity for line in lines)}{first.unit}"
    what = (f"{first.person_name}的{count}已退回" + (f"（{first.condition}）" if first.condition else "")
            if first.kind == Movement.RETURNED else f"已{first.kind}{count}")
    return f"{what}；见“{TYPE_HISTORY}”。"


def _history() -> Select[*tuple[Any, ...]]:
    return (
        select(
            StockMovement.id, StockMovement.date, StockMovement.kind, StockMovement.device_type_id, DeviceType.name,
            DeviceType.unit, StockMovement.quantity, StockMovement.model, StockMovement.serial, StockMovement.person_id,
            func.coalesce(Person.name, ""), StockMovement.source, StockMovement.condition, StockMovement.reason,
            func.coalesce(DeviceReceipt.number, ""), StockMovement.receipt_id,
        )
        .join(DeviceType, DeviceType.id == StockMovement.device_type_id)
        .outerjoin(Person, Person.id == StockMovement.person_id)
        .outerjoin(DeviceReceipt, DeviceReceipt.id == StockMovement.receipt_id)
        .order_by(StockMovement.date.desc(), StockMovement.id.desc())
    )


def _lines(session: Session, stmt: Select[*tuple[Any, ...]]) -> list[HistoryLine]:
    """The rows with, for each issue, the day it came back: asked for the listed ids only (one pass over
    the returns, instead of a join that would search them once per listed row)."""
    rows = session.execute(stmt).all()
    issued = [row[0] for row in rows if row[2] == Movement.ISSUED]
    back: dict[int, dt.date] = {}
    for start in range(0, len(issued), 900):
        chunk = issued[start : start + 900]
        found = select(StockMovement.returned_movement_id, StockMovement.date).where(
            StockMovement.returned_movement_id.in_(chunk))
        back.update({i: d for i, d in session.execute(found) if i is not None})  # none is: in_ drops NULL
    # one list: the checker cannot place an argument after a row of unknown length
    return [HistoryLine(*[*row, back.get(row[0])]) for row in rows]


def movements(session: Session, ids: list[int]) -> list[HistoryLine]:
    """The movements just written, as the history lists show them (what an action hands back)."""
    return _lines(session, _history().where(StockMovement.id.in_(ids)))


@query
def person_history(session: Session, person_id: int) -> list[HistoryLine]:
    """按人员查询: everything the person received and returned, newest first."""
    return _lines(session, _history().where(StockMovement.person_id == person_id))


@query
def type_history(session: Session, device_type_id: int, *, limit: int = 500) -> list[HistoryLine]:
    """所选器具的出入记录: the movements of one type, newest first (a county's wheelchairs: the latest
    `limit`)."""
    return _lines(session, _history().where(StockMovement.device_type_id == device_type_id).limit(limit))


@query
def returnable(session: Session, person_id: int) -> list[HistoryLine]:
    """Reusable items issued to the person and not yet back: what a return (退回) can choose from."""
    stmt = _history().where(StockMovement.person_id == person_id, StockMovement.kind == Movement.ISSUED,
                            DeviceType.reusable.is_(True))
    return [line for line in _lines(session, stmt) if line.returned_on is None]


def take_back_note(session: Session, person_id: int) -> str:
    """What to tell the clerk recording a death: the devices that can come back (可收回) and have not.
    Empty when there are none."""
    names = list(dict.fromkeys(line.device_name for line in returnable.in_session(session, person_id)))
    return f"此人领用的{'、'.join(names)}（可收回）尚未归还，可联系家属收回。" if names else ""


@dataclass(frozen=True)
class ReceiptItem:
    device_name: str
    model: str
    quantity: int
    unit: str
    serial: str


@dataclass(frozen=True)
class ReceiptView:
    """A 领取单 as printed: who, when, what, and the reason when a warning was overridden."""

    number: str
    date: dt.date
    person_name: str
    sex: str
    birth_date: dt.date
    id_number: str
    category: int
    components: str
    grade: int
    village: str
    group: str
    address: str
    clerk: str
    checker: str
    items: list[ReceiptItem]
    reason: str
    id: int = 0  # the 领取单's own number in the register, to print it again


def receipt_view(session: Session, receipt_id: int) -> ReceiptView:
    receipt = session.get(DeviceReceipt, receipt_id)
    if receipt is None:
        raise NotFound("找不到这张领取单：请在领取记录中重选。")
    person = receipt.person
    village = session.get(Village, person.village_id) if person.village_id else None
    group = session.get(VillageGroup, person.group_id) if person.group_id else None
    stmt = (
        select(DeviceType.name, StockMovement.model, StockMovement.quantity, DeviceType.unit, StockMovement.serial,
               StockMovement.reason)
        .join(DeviceType, DeviceType.id == StockMovement.device_type_id)
        .where(StockMovement.receipt_id == receipt_id, StockMovement.kind == Movement.ISSUED)
        .order_by(StockMovement.id)
    )
    rows = session.execute(stmt).all()
    reason = next((r[5] for r in rows if r[5]), "")
    return ReceiptView(
        number=receipt.number, date=receipt.date, person_name=person.name, sex=person.sex,
        birth_date=person.birth_date, id_number=person.id_number, category=person.category,
        components=person.components, grade=person.grade, village=village.name if village else "",
        group=group.name if group else "", address=person.address, clerk=receipt.clerk, checker=receipt.checker,
        items=[ReceiptItem(*r[:5]) for r in rows], reason=reason, id=receipt.id,
    )


def issued_figures(session: Session, period: Any) -> dict[str, Any]:
    """summary SOURCES: items issued in the period (a return later does not undo the issue) and persons."""
    stmt = select(func.coalesce(func.sum(StockMovement.quantity), 0),
                  func.count(func.distinct(StockMovement.person_id))).where(
        StockMovement.kind == Movement.ISSUED, StockMovement.date.between(period.start, period.end))
    items, persons = session.execute(stmt).one()
    return {"equipment_issued": {"items": int(items or 0), "persons": int(persons or 0)}}


__all__ = ["HistoryLine", "ReceiptItem", "ReceiptView", "issued_figures", "movements", "person_history",
           "receipt_view", "returnable", "take_back_note", "type_history"]
