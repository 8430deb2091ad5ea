import datetime as dt

import pytest
from sqlalchemy import select

from app.db.engine import Database
from app.db.models import AuditEntry, Person, StatusChange
from app.errors import InputError
from app.services.register import households, people, status_changes
from tests.factories import add_person, make_id


def test_register_then_update_leaves_audit_rows(db: Database) -> None:
    with db.transaction() as s:
        person = add_person(s, "曾超", phone="13900000000")
        pid = person.id
        assert (person.initials, person.pinyin) == ("zc", "zengchao")
        assert person.household is not None and person.household.head_person_id == pid
    with db.transaction() as s:
        result = people.save_checked(s, {"name": "曾超", "id_number": make_id(), "category": "肢体",
                                           "grade": "一级", "phone": ""})
        assert result.outcome == "updated" and result.changed == ["grade"]
        assert result.person.phone == "13900000000"  # a blank never erases
    with db.session() as s:
        audit = s.execute(select(AuditEntry.action, AuditEntry.field, AuditEntry.old_value, AuditEntry.new_value)
                          .where(AuditEntry.entity == "person", AuditEntry.entity_id == pid)).all()
        assert audit[0][0] == "新增"
        assert ("修改", "grade", "2", "1") in audit


def test_same_values_are_unchanged(db: Database) -> None:
    with db.transaction() as s:
        add_person(s)
    with db.transaction() as s:
        result = people.save_checked(s, {"name": "张三", "id_number": make_id(), "category": 4, "grade": 2,
                                           "village": "金塔村", "group": "1组"})
        assert result.outcome == "unchanged"


def test_status_change_keeps_history_and_refuses_bad_dates(db: Database) -> None:
    with db.transaction() as s:
        person = add_person(s)
        status_changes.change_status(s, person, "死亡", dt.date.today(), "病故")
    with db.session() as s:
        person = s.scalars(select(Person)).one()
        assert person.status == "死亡"
        assert [c.status for c in status_changes.status_history(s, person)] == ["在册", "死亡"]
    with pytest.raises(InputError, match="晚于今天"), db.transaction() as s:
        person = s.scalars(select(Person)).one()
        status_changes.change_status(s, person, "在册", dt.date.today() + dt.timedelta(days=1))
    with pytest.raises(InputError, match="已是"), db.transaction() as s:
        person = s.scalars(select(Person)).one()
        status_changes.change_status(s, person, "死亡", dt.date.today())
    with db.session() as s:
        assert len(s.scalars(select(StatusChange)).all()) == 2


def test_nothing_is_hard_deleted(db: Database) -> None:
    with db.transaction() as s:
        add_person(s)
    with pytest.raises(RuntimeError), db.transaction() as s:
        s.delete(s.scalars(select(Person)).one())
    with db.session() as s:
        assert s.scalars(select(Person)).one()


def test_certificate_already_used_by_someone_else(db: Database) -> None:
    id1 = make_id(seq="111")
    with db.transaction() as s:
        add_person(s, "甲", id_number=id1, certificate_number=id1 + "42")
    with pytest.raises(InputError, match="已登记在甲名下"), db.transaction() as s:
        people.save_person(s, {"id_number": make_id(seq="222"), "name": "乙", "category": 4, "grade": 2,
                                 "certificate_number": id1 + "42", "sex": "男", "birth_date": dt.date(1980, 1, 1)})
    with db.session() as s:
        assert s.scalars(select(Person.name)).all() == ["甲"]


def test_households_move_and_head(db: Database) -> None:
    with db.transaction() as s:
        a = add_person(s, "甲", id_number=make_id(seq="111"))
        b = add_person(s, "乙", id_number=make_id(seq="222"))
        assert a.household is not None
        households.move_to_household(s, b, a.household)
        households.set_household_hardship(s, a.household, dibao=True, dibao_class=2)
    with db.transaction() as s:
        a = s.scalars(select(Person).where(Person.name == "甲")).one()
        assert [m.name for m in a.household.members] == ["甲", "乙"]  # type: ignore[union-attr]
        new = households.create_household(s, s.scalars(select(Person).where(Person.name == "乙")).one())
        assert new.head_person_id is not None


def test_a_new_person_needs_a_village_and_a_real_phone(db: Database) -> None:
    raw = {"name": "王五", "id_number": make_id(seq="555"), "certificate_number": make_id(seq="555") + "42"}
    with pytest.raises(InputError, match="村为空"), db.transaction() as s:
        people.save_checked(s, raw)
    with pytest.raises(InputError, match="联系电话“12345”不是电话号码"), db.transaction() as s:
        people.save_checked(s, {**raw, "village": "金塔村", "phone": "12345"})
    with db.session() as s:
        assert s.scalars(select(Person)).all() == []
    with db.transaction() as s:
        person = people.save_checked(s, {**raw, "village": "金塔村", "phone": "139-0000-1111"}).person
        assert (person.village.name, person.phone) == ("金塔村", "13900001111")


def test_an_odd_phone_on_file_does_not_block_other_changes_but_a_new_one_is_checked(db: Database) -> None:
    with db.transaction() as s:
        person = add_person(s, "李四")
        person.phone, person.bank_account = "4421234转8", "1234"  # written before numbers were checked
    raw = {"name": "李四", "id_number": make_id(), "category": "肢体", "grade": "二级"}
    with db.transaction() as s:
        result = people.save_checked(s, {**raw, "address": "金塔村1组8号", "phone": "4421234转8",
                                           "bank_account": "1234"})
        assert result.changed == ["address"] and result.person.phone == "4421234转8"
    with pytest.raises(InputError, match="联系电话“4421235”"), db.transaction() as s:
        people.save_checked(s, {**raw, "phone": "4421235"})
    with db.session() as s:
        assert s.scalars(select(Person.phone)).one() == "4421234转8"
