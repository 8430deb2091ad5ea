"""Aid stock and issuing (康复器材): receipts into stock, issues against a 领取单, returns, write-offs.

Stock is never a number typed over: it is always the sum of the movements (入库 and 退回 in, 发放 and 报损
out). Every movement first bumps its type's stock_version (`UPDATE device_type …`), which takes the write
lock before the stock is read, so two issues of the last item are serialised by the database: the second
waits, then sees none left and is refused. Stock can therefore never go below zero.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import Session

from app.db.models import DeviceReceipt, DeviceType, Person, StockMovement
from app.domain.device_rules import CONDITIONS, SCRAPPED, IssueWarning, issue_warnings, person_disability
from app.domain.words import Movement, PersonStatus
from app.errors import InputError, NotFound
from app.services.aid_catalogue import AidTypeInfo, catalogue, device_type

COUNTY = "县残联调拨"


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
    """What the clerk sees before issuing: refusals stop it; warnings need a reason; reminders do not."""

    refusals: list[str]
    warnings: list[IssueWarning]

    @property
    def needs_reason(self) -> bool:
        return any(w.needs_reason for w in self.warnings)


@dataclass(frozen=True)
class StockLine:
    """One type's stock: on hand now, and the year's opening, movements and closing."""

    device_type: AidTypeInfo
    on_hand: int
    opening: int
    received: int
    issued: int
    returned: int
    written_off: int

    @property
    def closing(self) -> int:
        return self.opening + self.received + self.returned - self.issued - self.written_off

    @property
    def low(self) -> bool:
        """Below (or at) the reorder level: time to ask the county for more."""
        return self.device_type.active and self.on_hand <= self.device_type.reorder_level


def _signed() -> ColumnElement[int]:
    return case((StockMovement.kind.in_((Movement.RECEIVED, Movement.RETURNED)), StockMovement.quantity), else_=-StockMovement.quantity)


def _lock(session: Session, device_type_ids: Iterable[int]) -> None:
    """Take the stock lock of each type, in id order, before anything is read (see the module's note)."""
    table = DeviceType.__table__
    for type_id in sorted(set(device_type_ids)):
        done = session.execute(
            table.update().where(table.c.id == type_id).values(stock_version=table.c.stock_version + 1)
        )
        if not done.rowcount:  # type: ignore[attr-defined]
            raise NotFound("找不到这种器具：请刷新器具目录后重选。")


def on_hand(session: Session, device_type_id: int) -> int:
    stmt = select(func.coalesce(func.sum(_signed()), 0)).where(StockMovement.device_type_id == device_type_id)
    return int(session.scalar(stmt) or 0)


def available(session: Session, device_type_id: int, day: dt.date) -> int:
    """How many can go out on `day` without the stock dipping below zero then or on any later day (an
    issue entered late, dated back, must not take what later issues already took)."""
    stmt = (select(StockMovement.date, func.sum(_signed())).where(StockMovement.device_type_id == device_type_id)
            .group_by(StockMovement.date).order_by(StockMovement.date))
    balance, lowest = 0, None
    for date, change in session.execute(stmt):
        if date > day and lowest is None:
            lowest = balance  # the stock at the end of `day`
        balance += int(change)
        if lowest is not None:
            lowest = min(lowest, balance)
    return max(0, balance if lowest is None else lowest)


def serials_in_stock(session: Session, device_type_id: int) -> list[str]:
    """Serial numbers of this type now in the store room, oldest receipt first."""
    stmt = (
        select(StockMovement.serial)
        .where(StockMovement.device_type_id == device_type_id, StockMovement.serial != "")
        .group_by(StockMovement.serial)
        .having(func.sum(_signed()) > 0)
        .order_by(func.min(StockMovement.id))
    )
    return list(session.scalars(stmt))


def stock_levels(session: Session, year: int | None = None, *, include_inactive: bool = False) -> list[StockLine]:
    """Every type's stock in one GROUP BY over the movements (the (type, date) index serves it)."""
    year = year or dt.date.today().year
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    in_year = StockMovement.date.between(start, end)

    def flow(kind: str) -> ColumnElement[int]:
        return func.sum(case((in_year & (StockMovement.kind == kind), StockMovement.quantity), else_=0))

    stmt = select(
        StockMovement.device_type_id, func.sum(_signed()),
        func.sum(case((StockMovement.date < start, _signed()), else_=0)),
        flow(Movement.RECEIVED), flow(Movement.ISSUED), flow(Movement.RETURNED), flow(Movement.WRITTEN_OFF),
    ).group_by(StockMovement.device_type_id)
    sums = {row[0]: [int(v or 0) for v in row[1:]] for row in session.execute(stmt)}
    return [StockLine(t, *sums.get(t.id, [0] * 6)) for t in catalogue(session, include_inactive=include_inactive)]


def _check_day(day: dt.date) -> None:
    if day > dt.date.today():
        raise InputError(f"日期{day:%Y-%m-%d}还没到：请填写今天或以前的日期。")


def receive(session: Session, device_type_id: int, day: dt.date, quantity: int, source: str, *, batch: str = "",
            model: str = "", serials: Sequence[str] = ()) -> list[int]:
    """入库: items from the county (县残联调拨) or a donor. A type with serial numbers gets one movement
    per serial (so each can be followed); returns the new movements' ids."""
    _lock(session, [device_type_id])
    kind = device_type(session, device_type_id)
    _check_day(day)
    if not kind.active:
        raise InputError(f"{kind.name}已在器具目录中停用：请先在器具目录中恢复“在用”。")
    if quantity < 1:
        raise InputError("入库数量至少为1：请填写收到的数量。")
    if not source.strip():
        raise InputError("请填写来源：县残联调拨，或捐赠单位、个人的名称。")
    clean = [s.strip() for s in serials if s.strip()]
    if clean:
        if len(clean) != quantity or len(set(clean)) != len(clean):
            raise InputError(f"填了{len(clean)}个不重复的序列号，入库数量是{quantity}：请使两者一致。")
        held = set(serials_in_stock(session, device_type_id)) & set(clean)
        if held:
            raise InputError(f"序列号{'、'.join(sorted(held))}已在库中：请核对序列号。")
    base = dict(device_type_id=device_type_id, kind=Movement.RECEIVED, date=day, source=source.strip(), batch=batch.strip(),
                model=model.strip())
    rows = [StockMovement(**base, quantity=1, serial=s) for s in clean] if clean else [
        StockMovement(**base, quantity=quantity)]
    if kind.has_serial and not clean:
        rows[0].reason = "入库时未登记序列号"
    session.add_all(rows)
    session.flush()
    return [r.id for r in rows]


def latest_model(session: Session, device_type_id: int) -> str:
    """The 型号 of the type's latest receipt: what an issue most likely hands out."""
    stmt = (select(StockMovement.model).where(StockMovement.device_type_id == device_type_id, StockMovement.kind == Movement.RECEIVED)
            .order_by(StockMovement.date.desc(), StockMovement.id.desc()).limit(1))
    return session.scalar(stmt) or ""


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
    return IssueCheck(refusals, warnings)


def next_receipt_number(session: Session, year: int) -> str:
    """领取单编号: the year, then a running number (2026-0031)."""
    prefix = f"{year}-"
    last = session.scalar(select(func.max(DeviceReceipt.number)).where(DeviceReceipt.number.startswith(prefix)))
    return f"{prefix}{int(last[len(prefix):]) + 1 if last else 1:04d}"


def issue(session: Session, person_id: int, items: Sequence[IssueItem], day: dt.date, *, reason: str = "",
          clerk: str = "", checker: str = "") -> DeviceReceipt:
    """发放: the items go to the person on one 领取单. Refused (InputError) when out of stock or the person is
    not on the register; NeedsReason when a rule the clerk may override is broken and no reason was given."""
    _lock(session, [i.device_type_id for i in items])
    _check_day(day)
    check = check_issue(session, person_id, items, day)
    if check.refusals:
        raise InputError(check.refusals[0])
    if check.needs_reason and not reason.strip():
        raise NeedsReason(check.warnings)
    noted = reason.strip() if check.needs_reason else ""
    receipt = DeviceReceipt(number=next_receipt_number(session, day.year), person_id=person_id, date=day,
                         clerk=clerk.strip(), checker=checker.strip())
    session.add(receipt)
    session.flush()
    for item in items:
        kind = device_type(session, item.device_type_id)
        base = dict(device_type_id=kind.id, kind=Movement.ISSUED, date=day, model=item.model.strip(), person_id=person_id,
                    receipt_id=receipt.id, reason=noted)
        if kind.has_serial:
            free = [s for s in serials_in_stock(session, kind.id) if s != item.serial]
            chosen = ([item.serial] if item.serial else []) + free
            for n in range(item.quantity):
                session.add(StockMovement(**base, quantity=1, serial=chosen[n] if n < len(chosen) else ""))
        else:
            session.add(StockMovement(**base, quantity=item.quantity))
        session.flush()
    return receipt


def return_item(session: Session, issue_id: int, day: dt.date, condition: str, note: str = "") -> StockMovement:
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
    _check_day(day)
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
    return back


def write_off(session: Session, device_type_id: int, day: dt.date, quantity: int, reason: str,
              serial: str = "") -> StockMovement:
    """报损: broken or lost items leave the stock, always with a reason."""
    _lock(session, [device_type_id])
    kind = device_type(session, device_type_id)
    _check_day(day)
    if not reason.strip():
        raise InputError("请填写报损原因，如“损坏无法修复”“丢失”。")
    if quantity < 1:
        raise InputError("报损数量至少为1。")
    have = available(session, device_type_id, day)
    if quantity > have:
        raise InputError(f"{kind.name}库存只有{have}{kind.unit}，不能报损{quantity}{kind.unit}：请核对数量。")
    if serial and (quantity != 1 or serial not in serials_in_stock(session, device_type_id)):
        raise InputError(f"序列号{serial}不在库中（或数量不是1）：请核对。")
    row = StockMovement(device_type_id=device_type_id, kind=Movement.WRITTEN_OFF, date=day, quantity=quantity, serial=serial,
                        reason=reason.strip())
    session.add(row)
    session.flush()
    return row
