"""Households (户): their members and head, and what 民政 decided of them (低保 with its class and the day
it ended, 特困供养, 低收入), which the living subsidy and the festival visits read."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from app.db.models import Household, Person
from app.errors import InputError
from app.services.subsidies import overpayments

HOUSEHOLD_FIELDS = ("dibao", "dibao_class", "tekun", "low_income")


def create_household(session: Session, head: Person, *, address: str = "") -> Household:
    """A new household with this person as its head (moved out of their old one)."""
    household = Household(
        village_id=head.village_id, group_id=head.group_id, address=address or head.address, head_person_id=head.id
    )
    session.add(household)
    session.flush()
    move_to_household(session, head, household)
    return household


def move_to_household(session: Session, person: Person, household: Household) -> None:
    old = person.household
    person.household_id = household.id
    session.flush()
    if old is not None and old.id != household.id and old.head_person_id == person.id:
        others = [m for m in old.members if m.id != person.id]
        old.head_person_id = others[0].id if others else None
    session.flush()


def set_household_hardship(session: Session, household: Household, *, dibao_ended: dt.date | None = None,
                          **flags: Any) -> None:
    """低保 (with its class), 特困供养, 低收入 of a household; dibao_ended is the day 低保 ended (低保停止日期,
    today when not given) when it is switched off, or a corrected date for a household already without it."""
    had_dibao = household.dibao
    for key, value in flags.items():
        if key not in HOUSEHOLD_FIELDS:
            raise InputError(f"户的属性“{key}”不存在。")
        setattr(household, key, value)
    if household.dibao_class and not household.dibao:
        household.dibao_class = None
    corrected = household.dibao_ended is not None and dibao_ended not in (None, household.dibao_ended)
    if household.dibao != had_dibao or (not household.dibao and corrected):
        dibao_changed(session, household, dibao_ended)
    session.flush()


def dibao_changed(session: Session, household: Household, ended: dt.date | None) -> None:
    """低保 given again: no end date. 低保 ended (or its end date corrected): the date is kept, and the living
    subsidy paid to members for confirmed months after it becomes an overpayment."""
    if household.dibao:
        household.dibao_ended = None
        return
    ended = ended or dt.date.today()
    if ended > dt.date.today():
        raise InputError("低保停止日期不能晚于今天：请核对日期。")
    household.dibao_ended = ended
    session.flush()
    overpayments.after_dibao_ended(session, household, ended)
