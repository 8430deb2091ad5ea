"""The person form: checked as the clerk types, filled from the ID and certificate, saved to the register."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from app.db.engine import Database
from app.db.models import Person
from app.services.register import people
from tests.factories import add_person, make_id
from tests.ui.clerk import choose, click, tick, type_into
from ui.register.person_form import PersonForm
from ui.road import Road

GOOD_ID = make_id("19750312", "242")  # a woman born 1975-03-12


@pytest.fixture
def road(db: Database) -> Road:
    return Road(db)


@pytest.fixture
def form(road: Road, qtbot) -> PersonForm:
    dialog = PersonForm(road)
    qtbot.addWidget(dialog)
    return dialog


def test_a_wrong_id_is_explained_at_the_field(form: PersonForm, qtbot) -> None:
    bad = GOOD_ID[:-1] + ("0" if GOOD_ID[-1] != "0" else "1")
    type_into(qtbot, form, "id_number", bad)
    message = form.rows["id_number"].message
    assert not message.isHidden()
    assert "没有通过校验" in message.text() and "对照身份证逐位核对整个号码" in message.text()
    assert "最后一位" not in message.text() and "应为" not in message.text()  # no last digit to copy in
    assert form.rows["name"].message.isHidden()  # not typed yet: no message


def test_a_good_id_fills_sex_and_birth_and_certificate_fills_category(form: PersonForm, qtbot) -> None:
    type_into(qtbot, form, "id_number", GOOD_ID)
    assert form.rows["id_number"].message.isHidden()
    assert "女" in form.fields.derived_label.text() and "1975年03月12日生" in form.fields.derived_label.text()
    type_into(qtbot, form, "certificate_number", GOOD_ID + "52")
    assert form.fields.category_box.currentText() == "智力" and form.fields.grade_box.currentText() == "二级"
    type_into(qtbot, form, "certificate_number", make_id("19800101", "111") + "52", clear=True)
    assert "不一致" in form.rows["certificate_number"].message.text()


def test_save_writes_the_person_and_refuses_missing_fields(form: PersonForm, db: Database, qtbot) -> None:
    type_into(qtbot, form, "id_number", GOOD_ID)
    click(qtbot, form, "save")
    assert not form.saved
    assert "姓名为空" in form.rows["name"].message.text()
    assert not form.banner.isHidden()
    type_into(qtbot, form, "name", "王秀兰")
    type_into(qtbot, form, "certificate_number", GOOD_ID + "41")
    type_into(qtbot, form, "village", "红光村")
    type_into(qtbot, form, "group", "3组")
    type_into(qtbot, form, "phone", "13900001111")
    tick(qtbot, form, "dibao")
    choose(qtbot, form, "dibao_class", "二类")
    click(qtbot, form, "save")
    assert form.saved and form.result() == PersonForm.DialogCode.Accepted
    with db.session() as s:
        person = s.scalars(select(Person)).one()
        assert (person.name, person.sex, person.category, person.grade) == ("王秀兰", "女", 4, 1)
        assert person.village.name == "红光村" and person.group.name == "3组"
        assert person.household.dibao and person.household.dibao_class == 2
    assert form.windowTitle() == "残疾人登记表 - 王秀兰"
    assert form.tabs.count() == 2  # the history appears once the person is on the register


def test_clearing_a_field_erases_it_and_changing_the_id_keeps_the_person(db: Database, road: Road, qtbot) -> None:
    with db.transaction() as s:
        pid = add_person(s, phone="13900000000").id
    form = PersonForm(road, pid)
    qtbot.addWidget(form)
    assert form.fields.phone_edit.text() == "13900000000" and not form.is_dirty()
    type_into(qtbot, form, "phone", "", clear=True)
    new_id = make_id("19800101", "133")
    type_into(qtbot, form, "id_number", new_id, clear=True)
    type_into(qtbot, form, "certificate_number", "", clear=True)
    click(qtbot, form, "save")
    assert form.saved
    with db.session() as s:
        person = people.get_person(s, pid)
        assert person.phone == "" and person.id_number == new_id
        assert s.scalar(select(Person).where(Person.id != pid)) is None


def test_a_known_id_opens_that_person_instead_of_a_duplicate(db: Database, form: PersonForm, qtbot,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    with db.transaction() as s:
        pid = add_person(s, "李四").id
    monkeypatch.setattr(form, "ask_open_existing", lambda who: "李四" in who)
    type_into(qtbot, form, "name", "李四四")
    type_into(qtbot, form, "village", "金塔村")
    type_into(qtbot, form, "id_number", make_id())
    choose(qtbot, form, "category", "肢体")
    choose(qtbot, form, "grade", "二级")
    click(qtbot, form, "save")
    assert not form.saved
    assert form.person_id == pid and form.fields.name_edit.text() == "李四"
    with db.session() as s:
        assert len(s.scalars(select(Person)).all()) == 1


def test_closing_with_changes_asks_first(db: Database, form: PersonForm, qtbot,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []
    closed: list[int] = []
    form.finished.connect(closed.append)
    monkeypatch.setattr(form, "ask_unsaved", lambda: asked.append("asked") or "cancel")
    type_into(qtbot, form, "name", "赵")
    qtbot.keyClick(form, Qt.Key.Key_Escape)
    assert asked == ["asked"] and closed == []
    monkeypatch.setattr(form, "ask_unsaved", lambda: "discard")
    qtbot.keyClick(form, Qt.Key.Key_Escape)
    assert closed == [0] and not form.saved


def test_a_new_person_needs_a_village_and_a_phone_that_is_one(form: PersonForm, db: Database, qtbot) -> None:
    type_into(qtbot, form, "name", "王秀兰")
    type_into(qtbot, form, "id_number", GOOD_ID)
    type_into(qtbot, form, "certificate_number", GOOD_ID + "41")
    type_into(qtbot, form, "phone", "12345")
    assert "联系电话“12345”不是电话号码" in form.rows["phone"].message.text()
    assert not form.rows["phone"].message.isHidden()
    type_into(qtbot, form, "guardian_phone", "4421234")
    assert "请连区号一起填写" in form.rows["guardian_phone"].message.text()
    click(qtbot, form, "save")
    assert not form.saved
    assert "村为空" in form.rows["village"].message.text() and not form.banner.isHidden()
    with db.session() as s:
        assert s.scalars(select(Person)).all() == []

    type_into(qtbot, form, "village", "红光村")
    type_into(qtbot, form, "phone", "139 0000 1111", clear=True)
    type_into(qtbot, form, "guardian_phone", "0937-4421234", clear=True)
    assert all(form.rows[k].message.isHidden() for k in ("village", "phone", "guardian_phone"))
    click(qtbot, form, "save")
    assert form.saved
    with db.session() as s:
        person = s.scalars(select(Person)).one()
        assert (person.village.name, person.phone, person.guardian_phone) == ("红光村", "13900001111", "0937-4421234")


def test_an_odd_phone_on_file_does_not_stop_saving_other_fields(db: Database, road: Road, qtbot,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(PersonForm, "ask_unsaved", lambda _self: "discard")  # closing a shown form never waits
    with db.transaction() as s:
        person = add_person(s, address="金塔村1组")
        person.phone, person.village_id = "4421234", None  # recorded before phones and villages were checked
        pid = person.id
    form = PersonForm(road, pid)
    qtbot.addWidget(form)
    form.show()
    type_into(qtbot, form, "address", "8")
    qtbot.keyClick(form.fields.address_edit, Qt.Key.Key_Return)  # Enter saves (保存 is the default button)
    assert form.saved and form.banner.isHidden()
    with db.session() as s:
        person = people.get_person(s, pid)
        assert (person.address, person.phone) == ("金塔村1组8", "4421234")

    form = PersonForm(road, pid)
    qtbot.addWidget(form)
    form.show()
    type_into(qtbot, form, "phone", "4421235", clear=True)
    assert "联系电话“4421235”不是电话号码" in form.rows["phone"].message.text()
    qtbot.keyClick(form.fields.phone_edit, Qt.Key.Key_Return)
    assert not form.saved and not form.banner.isHidden()
    with db.session() as s:
        assert people.get_person(s, pid).phone == "4421234"
