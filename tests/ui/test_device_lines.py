"""入库, 报损 and 退回 each end with one line in the window's status bar: what was done, and where to see it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSpinBox, QWidget

from app.db.engine import Database
from app.services.devices import stock
from app.services.devices.catalogue import catalogue_types
from tests.factories import add_person, make_id
from tests.ui.clerk import click, type_into
from tests.ui.keys import in_dialog
from ui.main_window import MainWindow
from ui.road import Road


def test_receiving_and_writing_off_are_said_in_the_status_bar(db: Database, qtbot: Any) -> None:
    types = {t.name: t.id for t in catalogue_types(db)}
    with db.transaction() as s:
        add_person(s, "王一", id_number=make_id("19600101", "111"))
    stock.receive(db, types["普通轮椅"], dt.date.today(), 1, stock.COUNTY)
    win = MainWindow(Road(db), remember=False)
    qtbot.addWidget(win)
    win.show()
    win.tabs.setCurrentWidget(win.devices_tab)
    tab = win.devices_tab

    def receive_two(dialog: QWidget) -> None:
        quantity = dialog.findChild(QSpinBox, "quantity")
        quantity.setFocus()
        qtbot.keyClick(quantity, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClicks(quantity, "2")
        click(qtbot, dialog, "ok")

    unit = next(t.unit for t in catalogue_types(db) if t.name == "普通轮椅")
    in_dialog(qtbot, tab.buttons["receive"], receive_two)
    assert win.statusBar().currentMessage() == f"已入库普通轮椅2{unit}；见“所选器具的出入记录”。"

    def write_one_off(dialog: QWidget) -> None:
        type_into(qtbot, dialog, "reason", "diu shi")
        click(qtbot, dialog, "ok")

    in_dialog(qtbot, tab.buttons["write_off"], write_one_off)
    assert win.statusBar().currentMessage() == f"已报损普通轮椅1{unit}；见“所选器具的出入记录”。"
