"""Two clerks on one person: the form whose save another clerk's save overtook tells who, when and what,
stays open with this clerk's typing on top of the other clerk's save, and saves it when asked again."""

from __future__ import annotations

from pathlib import Path

from app.db.engine import Database, open_database
from app.services.register import people
from tests.factories import add_person
from tests.ui.clerk import click, type_into
from ui.register.person_form import PersonForm
from ui.road import Road


def test_a_save_overtaken_by_another_clerk_is_refused_and_the_typing_stays(db: Database, db_path: Path,
                                                                          qtbot) -> None:
    with db.transaction() as s:
        pid = add_person(s, "张三", phone="13900000000", address="东街1号").id
    road = Road(db)
    road.set_clerk("李红梅")
    form = PersonForm(road, pid)
    qtbot.addWidget(form)
    form.show()
    type_into(qtbot, form, "address", "东街5号", clear=True)  # this clerk is typing …

    other = open_database(db_path, lock=False)  # … while another clerk saves the same person
    try:
        other.actor = "王丽"
        theirs = people.person_form(other, pid)
        people.save_form(other, pid, {**theirs.fields, "phone": "13800002222"}, version=theirs.version)
    finally:
        other.close()

    click(qtbot, form, "save")
    assert form.isVisible() and not form.saved
    said = form.banner.text()
    assert not form.banner.isHidden()
    assert said.startswith("王丽已于") and "修改了张三的资料（联系电话），您的修改未保存：请核对后重新保存。" in said
    assert form.fields.address_edit.text() == "东街5号"  # the clerk's typing is kept
    assert form.fields.phone_edit.text() == "13800002222"  # beside the other clerk's save, now shown
    assert form.is_dirty()
    with db.session() as s:
        person = people.get_person(s, pid)
        assert (person.address, person.phone) == ("东街1号", "13800002222")

    click(qtbot, form, "save")  # the clerk checked it: saving again applies the typing to the new version
    assert form.saved
    with db.session() as s:
        person = people.get_person(s, pid)
        assert (person.address, person.phone) == ("东街5号", "13800002222")


def test_a_household_save_overtaken_shows_the_other_save_with_this_clerks_ticks(db: Database, db_path: Path,
                                                                                qtbot) -> None:
    from app.services.register import households
    from ui.register.household import HouseholdDialog

    with db.transaction() as s:
        pid = add_person(s, "张三").id
    dialog = HouseholdDialog(Road(db), pid)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.tekun_check.setChecked(True)  # this clerk ticks 特困供养 …

    other = open_database(db_path, lock=False)  # … while another clerk records 低保 二类
    try:
        other.actor = "王丽"
        theirs = households.household_of(other, pid)
        households.set_hardship(other, pid, dibao=True, dibao_class=2, tekun=False, low_income=False,
                                version=theirs.version)
    finally:
        other.close()

    assert not dialog.save_hardship()
    assert dialog.message.text().startswith("王丽已于")
    assert "修改了张三的户信息（是否低保、低保类别），您的修改未保存" in dialog.message.text()
    assert dialog.tekun_check.isChecked()  # this clerk's tick kept
    assert dialog.dibao_check.isChecked() and dialog.dibao_class.currentData() == 2  # the other's save shown
    assert dialog.save_hardship()  # saved again knowingly: both
    view = households.household_of(db, pid)
    assert (view.dibao, view.dibao_class, view.tekun) == (True, 2, True)
