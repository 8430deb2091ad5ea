"""A person's status (在册, 迁出, 死亡, 注销) and its history: a change is dated, kept, and tells the subsidies
(money paid for months after a death or a move is to be recovered).

The clerk's action is ``record_status`` (the window's 状态变更 and `canlian status`); before it, ``status_form``
and ``status_notice`` say what the change would mean: 应追回 money, a device to take back (可收回).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ScalarSelect, func, select
from sqlalchemy.orm import Session

from app.db.models import Person, StatusChange
from app.domain.words import PersonStatus
from app.errors import InputError, NotFound
from app.services.actions import Changes, action, query
from app.services.devices.history import take_back_note
from app.services.register import told
from app.services.subsidies import overpayments
from app.services.subsidies.overpayments import Notice


def change_status(session: Session, person: Person, status: str, on: dt.date, reason: str = "") -> StatusChange:
    """Record 迁出 / 死亡 / 注销, or a return to 在册, from a date; the history keeps every change."""
    if status not in tuple(PersonStatus):
        raise InputError(f"状态“{status}”不存在：应为{'、'.join(PersonStatus)}之一。")
    if status == person.status:
        raise InputError(f"{person.name}已是“{status}”状态，无需变更。")
    if on > dt.date.today():
        raise InputError("变更日期不能晚于今天：请核对日期。", field="date")
    last = session.scalar(
        select(func.max(StatusChange.date)).where(StatusChange.person_id == person.id)
    )
    if last is not None and on < last:
        raise InputError(f"变更日期早于上一次状态变更（{last}）：请核对日期。", field="date")
    change = StatusChange(person_id=person.id, status=status, date=on, reason=reason.strip())
    session.add(change)
    previous, person.status, person.status_date = person.status, status, on
    session.flush()
    # a death or move dated before months already confirmed: what was paid for them is to be recovered
    overpayments.after_status_change(session, person, change, previous)
    return change


def status_history(session: Session, person: Person) -> list[StatusChange]:
    return list(
        session.scalars(
            select(StatusChange).where(StatusChange.person_id == person.id).order_by(StatusChange.date, StatusChange.id)
        )
    )


def count_on_register(session: Session) -> int:
    stmt = select(func.count()).select_from(Person).where(Person.status == PersonStatus.ON_REGISTER)
    return session.scalar(stmt) or 0


def status_at(day: dt.date) -> ScalarSelect[str]:
    """A person's status on `day`: their latest change dated on or before it (NULL if not yet registered).
    Correlated per person so that the (person_id, date) index answers it."""
    return (
        select(StatusChange.status)
        .where(StatusChange.person_id == Person.id, StatusChange.date <= day)
        .order_by(StatusChange.date.desc(), StatusChange.id.desc())
        .limit(1)
        .correlate(Person)
        .scalar_subquery()
    )


@dataclass(frozen=True)
class StatusForm:
    """What 状态变更 shows before anything is chosen: the person, their status since when, and the devices
    they hold that can come back (said when 死亡 is chosen; only for a person on the register)."""

    person_id: int
    name: str
    status: str
    since: dt.date | None
    take_back: str


@dataclass(frozen=True)
class StatusRecorded:
    """A recorded change: who, what, from when; notice is what it meant for the subsidies (money: an
    overpayment raised or cancelled), take_back the devices to ask a dead person's family for."""

    person_id: int
    name: str
    status: str
    on: dt.date
    notice: Notice
    take_back: str

    @property
    def line(self) -> str:
        """What the clerk is told: 已将张三记为2026-11-20死亡."""
        return told.status_recorded(self.name, self.status, self.on)


def _person(session: Session, person_id: int) -> Person:
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound("找不到这个人：可能已被他人修改，请刷新列表。")
    return person


@query
def status_form(session: Session, person_id: int) -> StatusForm:
    person = _person(session, person_id)
    note = take_back_note(session, person_id) if person.status == PersonStatus.ON_REGISTER else ""
    return StatusForm(person.id, person.name, person.status, person.status_date, note)


@query
def status_notice(session: Session, person_id: int, status: str, on: dt.date) -> Notice:
    """此人正在享受…；2026年9月至11月已发放300.00元，应追回: for this change, before it is saved."""
    return overpayments.status_notice(session, person_id, status, on)


@action(Changes.REGISTER | Changes.SUBSIDIES)  # a late death or move records what was overpaid
def record_status(session: Session, person_id: int, status: str, on: dt.date, reason: str = "") -> StatusRecorded:
    """Record 迁出 / 死亡 / 注销, or 恢复在册, from a date, with what it means (said before saving too)."""
    person = _person(session, person_id)
    notice = overpayments.status_notice(session, person_id, status, on)
    change_status(session, person, status, on, reason)
    note = take_back_note(session, person_id) if status == PersonStatus.DEAD else ""
    return StatusRecorded(person.id, person.name, status, on, notice, note)
