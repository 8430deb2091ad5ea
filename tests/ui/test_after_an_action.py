"""No silence after an action: saving, registering and a status change each end with one line in the status
bar saying what happened and where the person now is; a new person is selected in the list, however long;
a dead or moved-out person's form is read-only until 更正, and the status reads 2026-11-20死亡."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtWidgets import QLabel, QWidget
from sqlalchemy import func, select

from app.db.engine import Database
from app.db.models import AuditEntry
from app.services.register import status_changes, villages
from tests.factories import add_person, make_id
from tests.ui.clerk import choose, click, type_into
from tests.ui.modal import when_shown
from ui.main_window import MainWindow
from ui.register.person_form import PersonForm
from ui.register.status_dialog import StatusDialog
from ui.road import Road

NEW_ID = make_id("19750312", "242", region="620902")
DIED = dt.date.today()  # registered today: a death cannot be dated before


def _window(db: Database, qtbot: Any) -> MainWindow:
    win = MainWindow(Road(db), remember=False)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def _audit_rows(db: Database) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(AuditEntry)) or 0


def _selected_name(win: MainWindow) -> str:
    tab = win.register_tab
    return str(tab.model.data(tab.table.currentIndex().siblingAtColumn(0)))


def test_a_new_person_far_down_a_long_list_is_said_and_selected(demo_db: Database, qtbot: Any) -> None:
    win = _window(demo_db, qtbot)
    village = villages.village_choices(demo_db)[0].name

    def fill_in(form: QWidget) -> None:
        type_into(qtbot, form, "name", "邹秀兰")  # sorted by pinyin: past the first page of 200
        type_into(qtbot, form, "id_number", NEW_ID)
        type_into(qtbot, form, "certificate_number", NEW_ID + "41")
        type_into(qtbot, form, "village", village)
        click(qtbot, form, "save")

    assert win.register_tab.model.total() > 200
    when_shown("person_form", fill_in)
    click(qtbot, win.register_tab, "new_person")
    assert win.statusBar().currentMessage() == "已登记邹秀兰；在列表中已选中。"
    assert _selected_name(win) == "邹秀兰"


@pytest.fixture
def town(db: Database) -> Database:
    with db.transaction() as s:
        add_person(s, "张三")
        add_person(s, "李四", id_number=make_id("19600101", "222"))
        gone = add_person(s, "王五", id_number=make_id("19500101", "333"))
        status_changes.change_status(s, gone, "死亡", DIED, "病故")
    return db


def test_a_death_says_the_person_left_the_list_and_where_to_see_them(town: Database, qtbot: Any) -> None:
    win = _window(town, qtbot)
    tab = win.register_tab
    tab.table.selectRow(0)
    chosen = _selected_name(win)
    today = dt.date.today().isoformat()

    def record(dialog: QWidget) -> None:
        choose(qtbot, dialog, "new_status", "死亡")
        type_into(qtbot, dialog, "reason", "bing gu")
        click(qtbot, dialog, "ok")

    when_shown("status_dialog", record)
    click(qtbot, tab, "change_status")
    assert win.statusBar().currentMessage() == (
        f"已将{chosen}记为{today}死亡；不再显示在“在册”列表中，选“全部状态”可见。")
    choose(qtbot, tab, "status", "全部状态")
    assert chosen in [tab.model.data(tab.model.index(r, 0)) for r in range(tab.model.rowCount())]


def test_saving_a_form_is_said(town: Database, qtbot: Any) -> None:
    win = _window(town, qtbot)
    tab = win.register_tab

    def change_phone(form: QWidget) -> None:
        type_into(qtbot, form, "phone", "13900001111", clear=True)
        click(qtbot, form, "save")

    name = _selected_name(win)
    when_shown("person_form", change_phone)
    click(qtbot, tab, "open_person")
    assert win.statusBar().currentMessage() == f"已保存{name}的登记表；在列表中已选中。"


def test_a_dead_persons_form_is_read_only_until_correct_and_then_saved_with_audit(town: Database, qtbot: Any) -> None:
    road = Road(town)
    win = _window(town, qtbot)
    tab = win.register_tab
    choose(qtbot, tab, "status", "死亡")
    assert _selected_name(win) == "王五"
    audits = _audit_rows(town)
    seen: list[str] = []

    def look_then_correct(form: QWidget) -> None:
        assert isinstance(form, PersonForm)
        seen.append(form.findChild(QLabel, "status").text())
        assert form.fields.phone_edit.isReadOnly() and not form.save_button.isEnabled()
        assert not form.fields.category_box.isEnabled()
        type_into(qtbot, form, "phone", "13900002222")
        assert form.fields.phone_edit.text() == ""  # typing into a closed record changes nothing
        click(qtbot, form, "correct")
        assert not form.fields.phone_edit.isReadOnly() and form.save_button.isEnabled()
        type_into(qtbot, form, "phone", "13900002222")
        click(qtbot, form, "save")

    when_shown("person_form", look_then_correct)
    click(qtbot, tab, "open_person")
    assert seen == [f"状态：{DIED.isoformat()}死亡"]
    assert win.statusBar().currentMessage() == "已保存王五的登记表；在列表中已选中。"
    assert _audit_rows(town) > audits
    dialog = StatusDialog(road, tab.selected_person_id() or 0)
    qtbot.addWidget(dialog)
    assert f"王五 现在的状态：{DIED.isoformat()}死亡" in [label.text() for label in dialog.findChildren(QLabel)]
