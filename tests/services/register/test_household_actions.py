"""户信息's actions: each is one transaction that gives a person without a household one first, then acts."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.db.engine import Database
from app.db.models import Household, Person
from app.errors import InputError
from app.services.actions import Changes
from app.services.register import households
from tests.factories import add_person, make_id


def _without_household(db: Database, name: str, seq: str) -> int:
    """A record from before households were kept."""
    with db.transaction() as s:
        person = add_person(s, name, id_number=make_id(seq=seq))
        person.household_id = None
        return person.id


def _household_count(db: Database) -> int:
    with db.session() as s:
        return len(s.scalars(select(Household.id)).all())


def test_saving_the_hardship_of_a_person_without_a_household_gives_them_one(db: Database) -> None:
    pid = _without_household(db, "张三", "111")
    before = households.household_of(db, pid)
    assert before.household_id is None and [m.name for m in before.members] == ["张三"]
    view = households.set_hardship(db, pid, dibao=True, dibao_class=2, tekun=False, low_income=True)
    assert view.household_id is not None and (view.dibao, view.dibao_class, view.low_income) == (True, 2, True)
    assert view.head_name == "张三" and [(m.name, m.head) for m in view.members] == [("张三", True)]
    assert households.set_hardship.changes == Changes.REGISTER | Changes.SUBSIDIES


def test_a_refusal_leaves_the_person_as_they_were(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """The household made for the action and the action are one transaction: a refusal undoes both."""
    pid = _without_household(db, "张三", "111")
    households_before = _household_count(db)

    def refuse(*_a: object, **_k: object) -> None:
        raise InputError("低保停止日期不能晚于今天：请核对日期。")

    monkeypatch.setattr(households, "set_household_hardship", refuse)
    with pytest.raises(InputError, match="不能晚于今天"):
        households.set_hardship(db, pid, dibao=True, dibao_class=None, tekun=False, low_income=False)
    assert households.household_of(db, pid).household_id is None and _household_count(db) == households_before


def test_joining_the_household_of_someone_without_one(db: Database) -> None:
    with db.transaction() as s:
        mover = add_person(s, "李四", id_number=make_id(seq="222")).id
        add_person(s, "李小四", id_number=make_id("20100101", "333"))
    head = _without_household(db, "王五", "444")
    view = households.join_household(db, mover, head)
    assert view.head_name == "王五" and sorted(m.name for m in view.members) == ["李四", "王五"]
    with db.session() as s:  # the household left behind has a head again
        left = s.scalars(select(Person).where(Person.name == "李小四")).one().household
        assert left is not None and left.head is not None and left.head.name == "李小四"
    with pytest.raises(InputError, match="不能并入本人所在的户"):
        households.join_household(db, mover, mover)


def test_a_household_of_ones_own(db: Database) -> None:
    with db.transaction() as s:
        a = add_person(s, "甲", id_number=make_id(seq="111")).id
        b = add_person(s, "乙", id_number=make_id(seq="222")).id
    households.join_household(db, b, a)
    households.set_hardship(db, a, dibao=True, dibao_class=None, tekun=False, low_income=False)
    view = households.own_household(db, b)
    assert (view.head_name, len(view.members), view.dibao) == ("乙", 1, False)  # 低保 stays with the old household
    assert households.household_of(db, a).dibao and len(households.household_of(db, a).members) == 1
