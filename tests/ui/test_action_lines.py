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


@pytest.fixture
def window(db: Database, qtbot: Any) -> MainWindow:
    win = MainWindow(Road(db), remember=False)
    qtbot.addWidget(win)
    win.show()
    return win


def test_saving_the_unit_information_is_said(window: MainWindow, qtbot: Any) -> None:
    from PySide6.QtWidgets import QDialogButtonBox, QLineEdit

    from ui.dialogs.unit_info import UnitInfoDialog

    dialog = UnitInfoDialog(window.road, window)
    dialog.findChild(QLineEdit, "town").setText("金塔镇")
    qtbot.mouseClick(dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save),
                     Qt.MouseButton.LeftButton)
    assert window.statusBar().currentMessage() == "单位信息已保存：此后的打印件都用新的单位名称和签字人。"


def test_saving_a_household_is_said(window: MainWindow, db: Database, qtbot: Any) -> None:
    from ui.register.household import HouseholdDialog

    with db.transaction() as s:
        wang = add_person(s, "王一", id_number=make_id("19600101", "111"))
    dialog = HouseholdDialog(window.road, wang.id, window)
    qtbot.addWidget(dialog)
    dialog.dibao_check.setChecked(True)
    qtbot.mouseClick(dialog.save_hardship_button, Qt.MouseButton.LeftButton)
    assert window.statusBar().currentMessage() == dialog.message.text() == "已保存户的情况。"


def test_a_write_off_and_a_cancelled_relief_entry_are_said(window: MainWindow, db: Database, qtbot: Any,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QInputDialog

    from app.domain.months import Month
    from app.services.register import status_changes
    from app.services.subsidies import payments, relief_ledger
    from tests.services.subsidies.builders import paying
    from ui.subsidies.overpayments import WRITE_OFF, SettleDialog

    with db.transaction() as s:
        zhang = person(s, "张三", 1)
        paying(s, zhang.id, "nursing", Month(2025, 1))
        for month in Month(2025, 1).until(Month(2025, 11)):
            payments.confirm_month.in_session(s, month)
        status_changes.change_status(s, zhang, "死亡", dt.date(2025, 8, 15), "病故")
        relief_ledger.record_relief.in_session(s, "临时救助", person_id=zhang.id, on=dt.date.today(),
                                               amount_fen=50000)
    tab = window.subsidy_tab
    window.tabs.setCurrentWidget(tab)
    tab.pages.setCurrentWidget(tab.overpayment_page)
    assert wait_for_tasks()
    ledger = tab.overpayment_page
    ledger.table.selectRow(0)
    row = ledger.selected()
    assert row is not None
    dialog = SettleDialog(window.road, row, WRITE_OFF, ledger)
    dialog.way_box.lineEdit().setText("家中无力退还，经县残联批准")
    assert dialog.save()
    assert window.statusBar().currentMessage() == "已核销张三的应追回款300.00元，已结清。"

    tab.pages.setCurrentWidget(tab.ledger_page)
    assert wait_for_tasks()
    tab.ledger_page.table.selectRow(0)
    monkeypatch.setattr(QInputDialog, "getText", lambda *_a, **_k: ("登记重复", True))
    qtbot.mouseClick(tab.ledger_page.cancel_button, Qt.MouseButton.LeftButton)
    said = window.statusBar().currentMessage()
    assert said == f"已作废 {dt.date.today().isoformat()} 张三 临时救助 这条记录：记录保留，不再计入合计。"
    assert wait_for_tasks()
