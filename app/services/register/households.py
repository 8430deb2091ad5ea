"""Households (户): their members and head, and what 民政 decided of them (低保 with its class and the day
it ended, 特困供养, 低收入), which the living subsidy and the festival visits read.

The clerk's actions (户信息): ``household_of``, ``dibao_notice`` (before saving), ``set_hardship``,
``join_household`` and ``own_household``; each makes the household first when the person has none.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from app.db.models import Household, Person
from app.domain.idnumber import mask
from app.errors import InputError, NotFound
from app.services.actions import Changes, action, query
from app.services.register.meanwhile import check_unchanged
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
    # the relationship read above (None for a person without one) is read again from the new key: a
    # versioned flush no longer expires it
    session.expire(person, ["household"])
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


# --- the household dialog (户信息): what it shows and the clerk's three actions --------------------------

@dataclass(frozen=True)
class Member:
    name: str
    id_masked: str
    category: int
    grade: int
    status: str
    head: bool  # 户主


@dataclass(frozen=True)
class HouseholdView:
    """The household of one person as 户信息 shows it. household_id is None for a person without one
    (a record from before households were kept): the first action on it gives them one."""

    person_id: int
    person_name: str
    household_id: int | None
    head_name: str | None
    where: str  # the household's address, else its village and group
    members: tuple[Member, ...]
    dibao: bool = False
    dibao_class: int | None = None
    dibao_ended: dt.date | None = None  # 低保停止日期, kept while 低保 is off
    tekun: bool = False
    low_income: bool = False
    version: int | None = None  # the household's as read: set_hardship refuses a save over another clerk's


def _person(session: Session, person_id: int) -> Person:
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound("找不到这个人：可能已被他人修改，请刷新列表。")
    return person


def _household_view(session: Session, person_id: int) -> HouseholdView:
    person = _person(session, person_id)
    household = person.household
    if household is None:
        alone = Member(person.name, mask(person.id_number), person.category, person.grade, person.status, False)
        return HouseholdView(person.id, person.name, None, None, "", (alone,))
    head_id = household.head_person_id
    members = tuple(Member(m.name, mask(m.id_number), m.category, m.grade, m.status, m.id == head_id)
                    for m in household.members)
    head = household.head
    where = household.address or "".join(x.name for x in (household.village, household.group) if x is not None)
    return HouseholdView(person.id, person.name, household.id, head.name if head else None, where, members,
                         household.dibao, household.dibao_class, household.dibao_ended, household.tekun,
                         household.low_income, household.version)


@query
def household_of(session: Session, person_id: int) -> HouseholdView:
    """户信息 of a person: the members (户主 marked), and what 民政 decided of the household."""
    return _household_view(session, person_id)


@query
def dibao_notice(session: Session, household_id: int, ended: dt.date) -> str:
    """What ending the household's 低保 on `ended` means for members paid the living subsidy, before saving."""
    return overpayments.dibao_notice(session, household_id, ended)


def _household_of(session: Session, person: Person) -> Household:
    """The person's household, made (with them as its head) when they have none yet."""
    return person.household if person.household is not None else create_household(session, person)


@action(Changes.REGISTER | Changes.SUBSIDIES)  # ending 低保 records what the living subsidy overpaid
def set_hardship(session: Session, person_id: int, *, dibao: bool, dibao_class: int | None, tekun: bool,
                 low_income: bool, dibao_ended: dt.date | None = None, version: int | None = None) -> HouseholdView:
    """Save 低保 (with its class), 特困供养 and 低收入 of the person's household; dibao_ended is the day 低保
    ended when it is switched off (today when not given), or a corrected date for one already off. version:
    the household's as the dialog read it (HouseholdView.version): ChangedMeanwhile if saved since."""
    person = _person(session, person_id)
    stored = session.get(Household, person.household_id) if person.household_id is not None else None
    if stored is not None:
        check_unchanged(session, stored, version, f"{person.name}的户信息")
    household = _household_of(session, person)
    set_household_hardship(session, household, dibao=dibao, dibao_class=dibao_class if dibao else None,
                           tekun=tekun, low_income=low_income, dibao_ended=dibao_ended)
    return _household_view(session, person_id)


@action(Changes.REGISTER)
def join_household(session: Session, person_id: int, other_person_id: int) -> HouseholdView:
    """Move the person into the household of another person (given one first if they had none)."""
    if other_person_id == person_id:
        raise InputError("请选择另一户的成员：不能并入本人所在的户。")
    other = _person(session, other_person_id)
    move_to_household(session, _person(session, person_id), _household_of(session, other))
    return _household_view(session, person_id)


@action(Changes.REGISTER)
def own_household(session: Session, person_id: int) -> HouseholdView:
    """单独立户: the person becomes the head of a new household of their own (the old household's 低保 and
    the rest stay with it)."""
    create_household(session, _person(session, person_id))
    return _household_view(session, person_id)
