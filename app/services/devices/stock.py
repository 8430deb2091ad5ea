"""Device stock (康复器材): receipts into stock (入库), write-offs (报损), what is on hand and the year's
movements per type.

Stock is never a number typed over: it is always the sum of the movements (入库 and 退回 in, 发放 and 报损
out). Every movement first bumps its type's stock_version (`UPDATE device_type …`), which takes the write
lock before the stock is read, so two issues of the last item are serialised by the database: the second
waits, then sees none left and is refused. Stock can therefore never go below zero."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import ColumnElement, CursorResult, case, func, select
from sqlalchemy.orm import Session

from app.db.models import DeviceType, StockMovement
from app.domain.words import Movement
from app.errors import InputError, NotFound
from app.services.actions import Changes, action, query
from app.services.devices.catalogue import DeviceTypeInfo, catalogue, device_type
from app.services.devices.history import HistoryLine, movements

COUNTY = "县残联调拨"


@dataclass(frozen=True)
class StockLine:
    """One type's stock: on hand now, and the year's opening, movements and closing."""

    device_type: DeviceTypeInfo
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


@dataclass(frozen=True)
class StockPage:
    """The tab's stock table: every type in use, with the year's totals and the types running low."""

    year: int
    lines: list[StockLine]

    @property
    def on_hand(self) -> int:
        return sum(line.on_hand for line in self.lines)

    @property
    def received(self) -> int:
        return sum(line.received for line in self.lines)

    @property
    def issued(self) -> int:
        return sum(line.issued for line in self.lines)

    @property
    def returned(self) -> int:
        return sum(line.returned for line in self.lines)

    @property
    def written_off(self) -> int:
        return sum(line.written_off for line in self.lines)

    @property
    def low(self) -> list[str]:
        return [line.device_type.name for line in self.lines if line.low]


@dataclass(frozen=True)
class InStore:
    """What is in the store room of one type: the 型号 of its latest receipt (what an issue most likely
    hands out) and the serial numbers on hand, oldest receipt first."""

    model: str
    serials: list[str]


def _signed() -> ColumnElement[int]:
    return case((StockMovement.kind.in_((Movement.RECEIVED, Movement.RETURNED)), StockMovement.quantity),
                else_=-StockMovement.quantity)


def lock_types(session: Session, device_type_ids: Iterable[int]) -> None:
    """Take the stock lock of each type, in id order, before anything is read (see the module's note)."""
    table = DeviceType.__table__
    for type_id in sorted(set(device_type_ids)):
        # an UPDATE's result is a CursorResult (with rowcount); Session.execute is typed for any statement
        done = cast(CursorResult[Any], session.execute(
            table.update().where(table.c.id == type_id).values(stock_version=table.c.stock_version + 1)
        ))
        if not done.rowcount:
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


@query
def stock_page(session: Session, year: int) -> StockPage:
    """康复器材 at a glance: each type's stock now and its movements in the year."""
    return StockPage(year, stock_levels(session, year))


@query
def in_store(session: Session, device_type_id: int) -> InStore:
    return InStore(latest_model(session, device_type_id), serials_in_stock(session, device_type_id))


def check_day(day: dt.date) -> None:
    if day > dt.date.today():
        raise InputError(f"日期{day:%Y-%m-%d}还没到：请填写今天或以前的日期。")


@action(Changes.DEVICES)
def receive(session: Session, device_type_id: int, day: dt.date, quantity: int, source: str, *, batch: str = "",
            model: str = "", serials: Sequence[str] = ()) -> list[HistoryLine]:
    """入库: items from the county (县残联调拨) or a donor. A type with serial numbers gets one movement
    per serial (so each can be followed); returns the new movements."""
    lock_types(session, [device_type_id])
    kind = device_type(session, device_type_id)
    check_day(day)
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
    base = dict(device_type_id=device_type_id, kind=Movement.RECEIVED, date=day, source=source.strip(),
                batch=batch.strip(), model=model.strip())
    rows = [StockMovement(**base, quantity=1, serial=s) for s in clean] if clean else [
        StockMovement(**base, quantity=quantity)]
    if kind.has_serial and not clean:
        rows[0].reason = "入库时未登记序列号"
    session.add_all(rows)
    session.flush()
    return movements(session, [r.id for r in rows])


def latest_model(session: Session, device_type_id: int) -> str:
    """The 型号 of the type's latest receipt: what an issue most likely hands out."""
    stmt = (select(StockMovement.model)
            .where(StockMovement.device_type_id == device_type_id, StockMovement.kind == Movement.RECEIVED)
            .order_by(StockMovement.date.desc(), StockMovement.id.desc()).limit(1))
    return session.scalar(stmt) or ""


@action(Changes.DEVICES)
def write_off(session: Session, device_type_id: int, day: dt.date, quantity: int, reason: str,
              serial: str = "") -> HistoryLine:
    """报损: broken or lost items leave the stock, always with a reason."""
    lock_types(session, [device_type_id])
    kind = device_type(session, device_type_id)
    check_day(day)
    if not reason.strip():
        raise InputError("请填写报损原因，如“损坏无法修复”“丢失”。", field="reason")
    if quantity < 1:
        raise InputError("报损数量至少为1。")
    have = available(session, device_type_id, day)
    if quantity > have:
        raise InputError(f"{kind.name}库存只有{have}{kind.unit}，不能报损{quantity}{kind.unit}：请核对数量。")
    if serial and (quantity != 1 or serial not in serials_in_stock(session, device_type_id)):
        raise InputError(f"序列号{serial}不在库中（或数量不是1）：请核对。")
    row = StockMovement(device_type_id=device_type_id, kind=Movement.WRITTEN_OFF, date=day, quantity=quantity,
                        serial=serial, reason=reason.strip())
    session.add(row)
    session.flush()
    return movements(session, [row.id])[0]
