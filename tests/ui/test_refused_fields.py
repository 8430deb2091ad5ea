"""What the clerk types next is not lost: a refused field (an empty reason) takes the focus back, and the
发放 person box selects the last person's name when it gets the focus, so typing replaces it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot

from app.db.engine import Database
from app.services.devices import stock
from app.services.devices.catalogue import catalogue_types
from tests.factories import add_person, make_id
from tests.ui.keys import focused, press, type_here
from ui.devices.issue_dialog import IssueDialog
from ui.devices.stock_dialogs import WriteOffDialog
from ui.road import Road


@pytest.fixture
def town(db: Database) -> dict[str, Any]:
    types = {t.name: t.id for t in catalogue_types(db)}
    with db.transaction() as s:
        person = add_person(s, "王一", id_number=make_id("19600101", "111"), category="肢体", grade="一级").id
        add_person(s, "李四", id_number=make_id("19700101", "222"), category="肢体", grade="二级")
    stock.receive(db, types["普通轮椅"], dt.date.today(), 2, stock.COUNTY, model="H005钢制")
    return {"types": types, "person": person}


def _shown(qtbot: QtBot, dialog: QDialog) -> QDialog:
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    return dialog


def test_an_empty_reason_refused_takes_the_focus_back(qtbot: QtBot, db: Database, town: dict[str, Any]) -> None:
    dialog = _shown(qtbot, WriteOffDialog(Road(db), device_type_id=town["types"]["普通轮椅"]))
    dialog.ok.setFocus()
    press(qtbot, Qt.Key.Key_Space)  # 报损 with no reason
    assert "请填写报损原因" in dialog.message.text() and dialog.isVisible()
    type_here(qtbot, "丢失")
    assert dialog.reason.text() == "丢失"


def test_the_person_box_of_an_issue_selects_the_old_name_so_typing_replaces_it(
        qtbot: QtBot, db: Database, town: dict[str, Any]) -> None:
    dialog = _shown(qtbot, IssueDialog(Road(db), person_id=town["person"], device_type_id=town["types"]["普通轮椅"]))
    box = dialog.picker.search_edit
    assert box.text() == "王一"
    box.setFocus(Qt.FocusReason.MouseFocusReason)
    qtbot.waitUntil(box.hasSelectedText)
    type_here(qtbot, "ls")
    assert box.text() == "ls" and focused() is box
    assert dialog.picker.person() is not None and dialog.picker.person().name == "李四"
