"""The person form's service: the form of a stored person, its checks, and saving it as one action."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.db.engine import Database
from app.db.models import AuditEntry, Person
from app.errors import InputError, NotFound
from app.services.actions import Changes
from app.services.register import people
from tests.factories import add_person, make_id

NEW_ID = make_id("19750312", "242")
RAW = {"name": "王秀兰", "id_number": NEW_ID, "certificate_number": NEW_ID + "41", "village": "红光村",
       "group": "3组", "phone": "139 0000 1111", "dibao": "是", "dibao_class": "二类"}


def test_a_new_person_is_registered_as_the_clerk(db: Database) -> None:
    db.actor = "李红梅"
    saved = people.save_form(db, None, RAW)
    assert saved.outcome == "imported" and people.save_form.changes == Changes.REGISTER | Changes.SUBSIDIES
    form = people.person_form(db, saved.person_id)
    assert (form.name, form.status, form.fields["village"], form.fields["group"]) == ("王秀兰", "在册", "红光村", "3组")
    assert (form.fields["phone"], form.fields["dibao"], form.fields["dibao_class"]) == ("13900001111", "是", "二类")
    with db.session() as s:
        assert set(s.scalars(select(AuditEntry.actor))) == {"李红梅"}


def test_a_new_person_is_never_registered_over_someone_else(db: Database) -> None:
    """Another clerk registered the ID between the form's look-up and its save: refused, nobody overwritten."""
    with db.transaction() as s:
        add_person(s, "李四", id_number=NEW_ID)
    with pytest.raises(InputError, match="已登记在李四名下"):
        people.save_form(db, None, RAW)
    with db.session() as s:
        assert s.scalars(select(Person.name)).all() == ["李四"]


def test_a_cleared_field_is_erased_and_dibao_off_drops_its_class(db: Database) -> None:
    pid = people.save_form(db, None, RAW).person_id
    form = dict(people.person_form(db, pid).fields)
    form.update(phone="", dibao="否", dibao_class="", certificate_number="")  # as the form sends 低保 unticked
    saved = people.save_form(db, pid, form)
    assert saved.outcome == "updated" and {"phone", "dibao", "certificate_number"} <= set(saved.changed)
    with db.session() as s:
        person = s.get(Person, pid)
        assert person is not None and person.household is not None
        assert (person.phone, person.certificate_number) == ("", None)
        assert (person.household.dibao, person.household.dibao_class) == (False, None)


def test_fields_that_do_not_pass_write_nothing(db: Database) -> None:
    with pytest.raises(InputError, match="村为空"):
        people.save_form(db, None, {**RAW, "village": ""})
    pid = people.save_form(db, None, RAW).person_id
    with pytest.raises(InputError, match="联系电话“12345”不是电话号码"):
        people.save_form(db, pid, {**people.person_form(db, pid).fields, "phone": "12345"})
    assert people.person_form(db, pid).fields["phone"] == "13900001111"


def test_the_checks_as_the_clerk_types() -> None:
    assert "village" in people.check_form({**RAW, "village": ""}, None).errors  # a new person needs a village
    stored_without = {**RAW, "village": ""}
    assert people.check_form({**RAW, "village": ""}, stored_without).ok  # an old record without one saves
    assert "village" in people.check_form({**RAW, "village": ""}, RAW).errors  # a village is never emptied
    odd = {**RAW, "phone": "4421234"}
    assert people.check_form(odd, odd).ok and not people.check_form(odd, RAW).ok  # kept as it was: not checked


def test_who_holds_a_number(db: Database) -> None:
    pid = people.save_form(db, None, RAW).person_id
    brief = people.find_by_number(db, NEW_ID + "41")  # the certificate number finds the person too
    assert brief == people.PersonBrief(pid, "王秀兰", "红光村", "在册")
    assert people.find_by_number(db, make_id(seq="999")) is None
    with pytest.raises(NotFound):
        people.person_form(db, pid + 1)
