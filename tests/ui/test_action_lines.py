"""入库, 报损 and 退回, and a step of a subsidy application, each end with one line in the window's status bar:
what was done, and where to see it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSpinBox, QTableView, QWidget

from app.db.engine import Database
from app.services.devices import stock
from app.services.devices.catalogue import catalogue_types
from tests.factories import add_person, make_id
from tests.services.subsidies.builders import person
from tests.ui.clerk import click, type_into
from tests.ui.keys import in_dialog
from tests.ui.subsidy_hands import answer, click_row, named
from tests.ui.subsidy_hands import click as click_named
from ui.main_window import MainWindow
from ui.road import Road
from ui.subsidies.person_page import StepDialog
from ui.tasks import wait_for_tasks


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
    assert wait_for_tasks()


def test_a_subsidy_step_is_said_in_the_status_bar(db: Database, qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    with db.transaction() as s:
        person(s, "李四", 2, category="精神", grade="二级")
    win = MainWindow(Road(db), remember=False)
    qtbot.addWidget(win)
    win.show()
    win.tabs.setCurrentWidget(win.subsidy_tab)
    assert wait_for_tasks()
    tab = win.subsidy_tab
    click_row(qtbot, named(tab, QTableView, "review_new"), 0, double=True)

    def apply(dialog: StepDialog) -> None:
        qtbot.keyClick(dialog.programme_box, Qt.Key.Key_Down)  # 护理补贴
        click_named(qtbot, dialog, "ok")

    answer(monkeypatch, StepDialog, apply)
    click_named(qtbot, tab.person_page, "action_申请")
    said = "李四的重度残疾人护理补贴：已记下“申请”，下一步：初审；见此人的申请记录。"
    assert win.statusBar().currentMessage() == said
    assert wait_for_tasks()  # the tab reads the person again in the background
