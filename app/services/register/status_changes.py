"""A person's status (在册, 迁出, 死亡, 注销) and its history: a change is dated, kept, and tells the subsidies
(money paid for months after a death or a move is to be recovered)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ScalarSelect, func, select
from sqlalchemy.orm import Session

from app.db.models import Person, StatusChange
from app.domain.words import PersonStatus
from app.errors import InputError
from app.services.subsidies import overpayments


def change_status(session: Session, person: Person, status: str, on: dt.date, reason: str = "") -> StatusChange:
    """Record 迁出 / 死亡 / 注销, or a return to 在册, from a date; the history keeps every change."""
    if status not in tuple(PersonStatus):
        raise InputError(f"状态“{status}”不存在：应为{'、'.join(PersonStatus)}之一。")
    if status == person.status:
        raise InputError(f"{person.name}已是“{status}”状态，无需变更。")
    if on > dt.date.today():
        raise InputError("变更日期不能晚于今天：请核对日期。")
    last = session.scalar(
        select(func.max(StatusChange.date)).where(StatusChange.person_id == person.id)
    )
    if last is not None and on < last:
        raise InputError(f"变更日期早于上一次状态变更（{last}）：请核对日期。")
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
    return session.scalar(select(func.count()).select_from(Person).where(Person.status == PersonStatus.ON_REGISTER)) or 0


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
