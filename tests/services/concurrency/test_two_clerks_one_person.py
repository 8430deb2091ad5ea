"""Two clerks on one register (two stores on one file, as two programs): the second save of a person
opened before the first was saved is refused with who saved, when and what; nothing of the first is
undone, and the version counter holds even when both saves pass the check at the same moment."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from app.db.engine import Database, is_transient
from app.db.models import AuditEntry, Person
from app.domain.dates import moment_text
from app.errors import ChangedMeanwhile
from app.services.register import people
from tests.factories import make_id, second_program

ID = make_id("19700101", "111")
RAW = {"name": "张三", "id_number": ID, "certificate_number": ID + "41", "village": "红光村", "phone": "13900001111"}


@pytest.fixture
def other(db: Database, db_path: Path) -> Iterator[Database]:
    """The second clerk's program on the same file (the file lock is the first program's)."""
    second = second_program(db, db_path)
    second.actor = "王丽"
    yield second
    second.close()


def test_the_second_save_of_a_person_is_refused_with_who_when_and_what(db: Database, other: Database) -> None:
    db.actor = "李红梅"
    pid = people.save_form(db, None, RAW).person_id
    mine = people.person_form(db, pid)  # both clerks open the form
    theirs = people.person_form(other, pid)
    people.save_form(other, pid, {**theirs.fields, "phone": "13800002222", "address": "东街5号"},
                     version=theirs.version)
    with pytest.raises(ChangedMeanwhile) as refused:
        people.save_form(db, pid, {**mine.fields, "notes": "腿脚不便"}, version=mine.version)
    with db.session() as s:
        at = s.scalars(select(AuditEntry.at).where(AuditEntry.actor == "王丽")).first()
        person = s.get(Person, pid)
        assert at is not None and person is not None
        assert (person.phone, person.address, person.notes, person.version) == ("13800002222", "东街5号", "", 2)
    assert str(refused.value) == (f"王丽已于{moment_text(at)}修改了张三的资料（联系电话、住址），"
                                  "您的修改未保存：请核对后重新保存。")
    assert refused.value.version == 2
    # saving again over the version the refusal named (what the window does) now lands, keeping theirs
    people.save_form(db, pid, {**people.person_form(db, pid).fields, "notes": "腿脚不便"}, version=2)
    form = people.person_form(db, pid)
    assert (form.fields["phone"], form.fields["notes"], form.version) == ("13800002222", "腿脚不便", 3)


def test_a_form_saved_twice_by_its_own_clerk_is_not_refused(db: Database) -> None:
    pid = people.save_form(db, None, RAW).person_id
    form = people.person_form(db, pid)
    people.save_form(db, pid, {**form.fields, "phone": "13800002222"}, version=form.version)
    again = people.person_form(db, pid)
    assert again.version == form.version + 1
    people.save_form(db, pid, {**again.fields, "phone": "13800003333"}, version=again.version)
    assert people.person_form(db, pid).fields["phone"] == "13800003333"


def test_two_saves_past_the_check_at_once_cannot_both_land(db: Database, other: Database) -> None:
    """Both clerks' saves read version 1; the first commits; the second's UPDATE says WHERE version = 1
    and matches nothing: refused whole (the road then runs it again). PostgreSQL's READ COMMITTED lets
    the second UPDATE see the first's row; on SQLite the read's own transaction is ended to do the same
    (one still open is refused as busy instead, as the road's retry test shows)."""
    pid = people.save_form(db, None, RAW).person_id
    with other.session() as late:
        person = late.get(Person, pid)
        assert person is not None and person.version == 1  # read before the first clerk's save
        late.commit()  # the object stays loaded (the stores keep objects after commit)
        people.save_form(db, pid, {**people.person_form(db, pid).fields, "phone": "13800002222"}, version=1)
        person.phone = "13700003333"
        late.info["actor"] = "王丽"
        with pytest.raises(StaleDataError) as lost:
            late.commit()
        late.rollback()
    assert is_transient(lost.value)
    with db.session() as s:
        person = s.get(Person, pid)
        assert person is not None and (person.phone, person.version) == ("13800002222", 2)


def test_a_status_change_by_another_clerk_also_refuses_the_stale_form(db: Database, other: Database) -> None:
    from app.services.register import status_changes

    pid = people.save_form(db, None, RAW).person_id
    mine = people.person_form(db, pid)
    status_changes.record_status(other, pid, "迁出", dt.date.today(), "迁往外县")
    with pytest.raises(ChangedMeanwhile, match="王丽已于.*修改了张三的资料（状态"):
        people.save_form(db, pid, {**mine.fields, "phone": "13800002222"}, version=mine.version)


def test_the_second_save_of_a_household_is_refused_too(db: Database, other: Database) -> None:
    from app.db.models import Household
    from app.services.register import households

    pid = people.save_form(db, None, RAW).person_id
    mine = households.household_of(db, pid)
    theirs = households.household_of(other, pid)
    households.set_hardship(other, pid, dibao=True, dibao_class=2, tekun=False, low_income=False,
                            version=theirs.version)
    with pytest.raises(ChangedMeanwhile, match=r"^王丽已于.*修改了张三的户信息（是否低保、低保类别），您的修改未保存"):
        households.set_hardship(db, pid, dibao=False, dibao_class=None, tekun=True, low_income=False,
                                version=mine.version)
    with db.session() as s:
        household = s.scalars(select(Household)).one()
        assert (household.dibao, household.dibao_class, household.tekun) == (True, 2, False)
