"""Issuing devices against a 领取单, with the warnings the clerk sees first (category, use period, stock),
and taking an issued item back (退回, or straight to 报损 when it comes back broken).

Two clerks issuing the last item at once: issue() takes the type's stock lock (stock.lock_types) before it
reads the stock, so the second waits for the first and is then refused (库存只有0…)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db.models import DeviceReceipt, DeviceType, Person, StockMovement
from app.domain.device_rules import CONDITIONS, SCRAPPED, IssueWarning, issue_warnings, person_disability
from app.domain.words import Movement, PersonStatus
from app.errors import InputError, NotFound
from app.services.actions import Changes, action, query
from app.services.devices.catalogue import device_type
from app.services.devices.history import HistoryLine, ReceiptView, movements, receipt_view
from app.services.devices.stock import available, check_day, lock_types, serials_in_stock
from app.services.settings import unit_info


class NeedsReason(InputError):
    """The issue goes against a rule the clerk may override: give the reason to record, or stop."""

    def __init__(self, warnings: Sequence[IssueWarning]) -> None:
        self.warnings = list(warnings)
        super().__init__("发放前请填写理由：" + "".join(w.text for w in warnings if w.needs_reason))


@dataclass(frozen=True)
class IssueItem:
    """One line of a 领取单. serial: the one wanted (has_serial types); empty picks the oldest in stock."""

    device_type_id: int
    quantity: int = 1
    model: str = ""
    serial: str = ""


@dataclass(frozen=True)
class IssueCheck:
    """What the clerk sees before issuing: refusals stop it; warnings need a reason; reminders do not.
    items: each item as the question before issuing names it (普通轮椅 1辆（型号H005钢制）)."""

    refusals: list[str]
    warnings: list[IssueWarning]
    items: list[str]

    @property
    def needs_reason(self) -> bool:
        return any(w.needs_reason for w in self.warnings)


def last_issued(session: Session, person_id: int, device_type_id: int, before: dt.date | None = None) -> dt.date | None:
    """When the person last received this type (items they have since returned do not count)."""
    returned = select(StockMovement.returned_movement_id).where(StockMovement.returned_movement_id.is_not(None))
    stmt = select(func.max(StockMovement.date)).where(
        StockMovement.person_id == person_id, StockMovement.device_type_id == device_type_id,
        StockMovement.kind == Movement.ISSUED, StockMovement.id.not_in(returned),
    )
    if before is not None:
        stmt = stmt.where(StockMovement.date <= before)
    return session.scalar(stmt)


def _person(session: Session, person_id: int) -> Person:
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound("找不到这个人：请重新查找。")
    return person


@query
def check_issue(session: Session, person_id: int, items: Sequence[IssueItem], day: dt.date) -> IssueCheck:
    """The refusals and warnings of issuing these items to this person on `day` (nothing is written)."""
    person = _person(session, person_id)
    refusals: list[str] = []
    warnings: list[IssueWarning] = []
    if person.status != PersonStatus.ON_REGISTER:
        refusals.append(f"{person.name}现为“{person.status}”，不在册：只能向在册残疾人发放。")
    if not items:
        refusals.append("请至少选择一件器具。")
    wanted: dict[int, int] = {}
    for item in items:
        if item.quantity < 1:
            refusals.append("发放数量至少为1。")
        wanted[item.device_type_id] = wanted.get(item.device_type_id, 0) + item.quantity
    disability = person_disability(person.category, person.grade, person.components)
    for type_id, quantity in wanted.items():
        kind = device_type(session, type_id)
        if not kind.active:
            refusals.append(f"{kind.name}已在器具目录中停用：请先在器具目录中恢复“在用”。")
        have = available(session, type_id, day)
        if quantity > have:
            refusals.append(f"{kind.name}库存只有{have}{kind.unit}，不够发放{quantity}{kind.unit}：请先入库。")
        warnings += issue_warnings(kind.rule, disability, last_issued(session, person_id, type_id, day), day)
    for item in items:
        if item.serial and item.serial not in serials_in_stock(session, item.device_type_id):
            refusals.append(f"序列号{item.serial}不在库中：请选库中的一件。")
    return IssueCheck(refusals, warnings, [_described(session, item) for item in items])


def _described(session: Session, item: IssueItem) -> str:
    kind = device_type(session, item.device_type_id)
    details = [f"型号{item.model.strip()}"] if item.model.strip() else []
    details += [f"序列号{item.serial}"] if item.serial else []
    return f"{kind.name} {item.quantity}{kind.unit}" + (f"（{'，'.join(details)}）" if details else "")


def next_receipt_number(session: Session, year: int) -> str:
    """领取单编号: the year, then a running number (2026-0031)."""
    prefix = f"{year}-"
    if session.get_bind().dialect.name == "postgresql":
        # a county's server: the server's function reads every town's receipts (a town clerk sees only their
        # own) under a lock held to the end of this issue, so two clerks never take the same number
        # (app/db/town_security.py; found by scripts/load.py)
        last = session.scalar(select(func.canlian_last_receipt_number(prefix)))
    else:
        last = session.scalar(select(func.max(DeviceReceipt.number)).where(DeviceReceipt.number.startswith(prefix)))
    return f"{prefix}{int(last[len(prefix):]) + 1 if last else 1:04d}"


@action(Changes.DEVICES)
def issue(session: Session, person_id: int, items: Sequence[IssueItem], day: dt.date, *, reason: str = "",
          clerk: str | None = None, checker: str | None = None) -> ReceiptView:
    """发放: the items go to the person on one 领取单, returned as it prints. Refused (InputError) when out of
    stock or the person is not on the register; NeedsReason when a rule the clerk may override is broken and
    no reason was given. The 领取单 names the clerk (经办人) and checker (审核人) of 单位信息 unless given."""
    lock_types(session, [i.device_type_id for i in items])
    check_day(day)
    check = check_issue.in_session(session, person_id, items, day)
    if check.refusals:
        raise InputError(check.refusals[0])
    if check.needs_reason and not reason.strip():
        raise NeedsReason(check.warnings)
    noted = reason.strip() if check.needs_reason else ""
    unit = unit_info(session)
    receipt = DeviceReceipt(number=next_receipt_number(session, day.year), person_id=person_id, date=day,
                            clerk=(unit.clerk if clerk is None else clerk).strip(),
                            checker=(unit.reviewer if checker is None else checker).strip())
    session.add(receipt)
    session.flush()
    for item in items:
        kind = device_type(session, item.device_type_id)
        base = dict(device_type_id=kind.id, kind=Movement.ISSUED, date=day, model=item.model.strip(),
                    person_id=person_id, receipt_id=receipt.id, reason=noted)
        if kind.has_serial:
            free = [s for s in serials_in_stock(session, kind.id) if s != item.serial]
            chosen = ([item.serial] if item.serial else []) + free
            for n in range(item.quantity):
                session.add(StockMovement(**base, quantity=1, serial=chosen[n] if n < len(chosen) else ""))
        else:
            session.add(StockMovement(**base, quantity=item.quantity))
        session.flush()
    return receipt_view(session, receipt.id)


@action(Changes.DEVICES)
def return_item(session: Session, issue_id: int, day: dt.date, condition: str, note: str = "") -> HistoryLine:
    """退回: a reusable item comes back into stock with its condition; one 报废 is written off at once."""
    table = DeviceType.__table__
    owner = select(StockMovement.device_type_id).where(StockMovement.id == issue_id).scalar_subquery()
    session.execute(table.update().where(table.c.id == owner).values(stock_version=table.c.stock_version + 1))
    issued = session.get(StockMovement, issue_id)
    if issued is None or issued.kind != Movement.ISSUED:
        raise NotFound("找不到这次发放：请在此人的领取记录中重选。")
    kind = device_type(session, issued.device_type_id)
    if not kind.reusable:
        raise InputError(f"{kind.name}发出后不收回：只有轮椅等可循环使用的器具可以退回。")
    if session.scalar(select(StockMovement.id).where(StockMovement.returned_movement_id == issue_id)):
        raise InputError(f"这件{kind.name}已经退回过了：请核对。")
    if condition not in CONDITIONS:
        raise InputError(f"请选择退回时的状况：{'、'.join(CONDITIONS)}。")
    check_day(day)
    if day < issued.date:
        raise InputError(f"退回日期早于发放日期{issued.date:%Y-%m-%d}：请核对日期。")
    back = StockMovement(device_type_id=kind.id, kind=Movement.RETURNED, date=day, quantity=issued.quantity,
                         serial=issued.serial, model=issued.model, person_id=issued.person_id,
                         returned_movement_id=issued.id, condition=condition, reason=note.strip())
    session.add(back)
    session.flush()
    if condition == SCRAPPED:
        session.add(StockMovement(device_type_id=kind.id, kind=Movement.WRITTEN_OFF, date=day, quantity=issued.quantity,
                                  serial=issued.serial, model=issued.model,
                                  reason="退回时已报废" + (f"：{note.strip()}" if note.strip() else "")))
        session.flush()
    return movements(session, [back.id])[0]
