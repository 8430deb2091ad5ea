"""The 康复器材 tab as a new clerk uses it: receive wheelchairs, issue one and print the 领取单, be warned
about a hearing aid for someone without a hearing disability, take a wheelchair back, print the sheets."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from app.db.engine import Database
from app.services.devices import issue, stock
from app.services.devices.catalogue import catalogue, ensure_catalogue
from app.services.devices.issue import IssueItem
from tests.factories import add_person, make_id
from ui.devices import make_tab
from ui.devices.catalogue_dialog import CatalogueDialog
from ui.devices.issue_dialog import IssueDialog
from ui.devices.stock_dialogs import ReceiveDialog, ReturnDialog, WriteOffDialog
from ui.devices.tab import DevicesTab


@pytest.fixture
def town(db: Database) -> dict[str, Any]:
    with db.transaction() as s:
        ensure_catalogue(s)
        types = {t.name: t.id for t in catalogue(s)}
        grade_one = add_person(s, "王一", id_number=make_id("19600101", "111"), category="肢体", grade="一级").id
        other = add_person(s, "赵二", id_number=make_id("19650101", "333"), category="肢体", grade="三级").id
        stock.receive(s, types["助听器"], dt.date.today(), 1, stock.COUNTY)
    return {"types": types, "grade_one": grade_one, "other": other}


@pytest.fixture(autouse=True)
def _yes_to_issuing(monkeypatch: pytest.MonkeyPatch) -> None:
    """The question before issuing is answered 发放 (tests/ui/test_issue_confirm.py asks it for real)."""
    monkeypatch.setattr(IssueDialog, "ask_to_issue", lambda _self, _text, careful: True)


@pytest.fixture
def tab(qtbot: QtBot, db: Database, town: dict[str, Any]) -> DevicesTab:
    widget = make_tab(db)
    qtbot.addWidget(widget)
    widget.refresh()
    return widget


def _line(tab: DevicesTab, name: str) -> stock.StockLine:
    return next(s for s in tab.stock_model.rows if s.device_type.name == name)


def test_the_tab_shows_every_type_and_flags_low_stock(tab: DevicesTab) -> None:
    assert tab.stock_model.rowCount() == 8
    assert _line(tab, "助听器").on_hand == 1 and _line(tab, "助听器").low
    assert "库存不足" in tab.summary.text() and "普通轮椅" in tab.summary.text()
    row = tab.stock_model.rows.index(_line(tab, "助听器"))
    assert tab.stock_model.index(row, 8).data() == "库存不足（补货线2）"


def test_receive_five_wheelchairs_issue_one_print_the_receipt_and_take_it_back(
        qtbot: QtBot, db: Database, tab: DevicesTab, town: dict[str, Any]) -> None:
    chair = town["types"]["普通轮椅"]
    receive = ReceiveDialog(db, tab, chair)
    qtbot.addWidget(receive)
    receive.quantity.setValue(5)
    receive.model.setText("H005钢制")
    receive.serials.setPlainText("LY-1\nLY-2\nLY-3\nLY-4")
    receive.ok.click()
    assert "填了4个不重复的序列号，入库数量是5" in receive.message.text()
    receive.serials.setPlainText("LY-1\nLY-2\nLY-3\nLY-4\nLY-5")
    receive.ok.click()
    assert receive.result() == 1
    tab.refresh()
    assert _line(tab, "普通轮椅").on_hand == 5

    issue = IssueDialog(db, tab, person_id=town["grade_one"], device_type_id=chair)
    qtbot.addWidget(issue)
    assert "提醒：普通轮椅需先经评估" in issue.warnings.text() and "警告" not in issue.warnings.text()
    assert issue.ok.isEnabled() and not issue.reason.isEnabled()
    assert issue.line_widgets(0)[2].text() == "H005钢制"  # 型号 of the latest receipt
    issue.ok.click()
    assert issue.receipt_path is not None and issue.receipt_path.read_bytes().startswith(b"%PDF")
    assert issue.receipt_path.name.startswith(f"辅助器具领取单-{dt.date.today().year}-0001-王一")
    tab.refresh()
    assert _line(tab, "普通轮椅").on_hand == 4
    tab.show_person(town["grade_one"])
    assert tab.person_model.rowCount() == 1 and tab.person_model.index(0, 6).data() == "LY-1"
    assert tab.reprint_button.isEnabled()
    again = tab.reprint()
    assert again is not None and again != issue.receipt_path and again.exists()

    back = ReturnDialog(db, tab, town["grade_one"])
    qtbot.addWidget(back)
    assert back.items.count() == 1 and "序列号LY-1" in back.items.item(0).text()
    back.condition.setCurrentText("需维修")
    back.note.setText("刹车松动")
    back.ok.click()
    tab.refresh()
    line = _line(tab, "普通轮椅")
    assert (line.on_hand, line.received, line.issued, line.returned) == (5, 5, 1, 1)


def test_a_hearing_aid_for_a_person_without_hearing_disability_warns_and_needs_a_reason(
        qtbot: QtBot, db: Database, tab: DevicesTab, town: dict[str, Any]) -> None:
    dialog = IssueDialog(db, tab, person_id=town["other"], device_type_id=town["types"]["助听器"])
    qtbot.addWidget(dialog)
    assert "警告：助听器适用于听力残疾人，此人为肢体残疾。" in dialog.warnings.text()
    assert not dialog.ok.isEnabled() and dialog.reason.isEnabled()
    dialog.reason.setText("经县残联评估，伴有听力损失")
    assert dialog.ok.isEnabled()
    dialog.ok.click()
    tab.show_person(town["other"])
    assert "经县残联评估" in tab.person_model.index(0, 8).data()


def test_out_of_stock_cannot_be_issued_whatever_the_reason(qtbot: QtBot, db: Database, tab: DevicesTab,
                                                            town: dict[str, Any]) -> None:
    dialog = IssueDialog(db, tab, person_id=town["grade_one"], device_type_id=town["types"]["坐便椅"])
    qtbot.addWidget(dialog)
    assert "不能发放：坐便椅库存只有0把" in dialog.warnings.text()
    assert not dialog.ok.isEnabled() and not dialog.reason.isEnabled()


def test_several_items_go_on_one_receipt(qtbot: QtBot, db: Database, tab: DevicesTab, town: dict[str, Any]) -> None:
    with db.transaction() as s:
        stock.receive(s, town["types"]["普通轮椅"], dt.date.today(), 1, stock.COUNTY)
        stock.receive(s, town["types"]["坐便椅"], dt.date.today(), 2, stock.COUNTY)
    dialog = IssueDialog(db, tab, person_id=town["grade_one"], device_type_id=town["types"]["普通轮椅"])
    qtbot.addWidget(dialog)
    row = dialog.add_line(town["types"]["坐便椅"])
    dialog.line_widgets(row)[1].setValue(2)
    assert [(i.device_type_id, i.quantity) for i in dialog.chosen_items()] == [
        (town["types"]["普通轮椅"], 1), (town["types"]["坐便椅"], 2)]
    dialog.ok.click()
    tab.show_person(town["grade_one"])
    numbers = {tab.person_model.index(r, 7).data() for r in range(tab.person_model.rowCount())}
    assert len(numbers) == 1 and tab.person_model.rowCount() == 2


def test_write_off_needs_a_reason_and_stock(qtbot: QtBot, db: Database, tab: DevicesTab, town: dict[str, Any]) -> None:
    dialog = WriteOffDialog(db, tab, town["types"]["助听器"])
    qtbot.addWidget(dialog)
    dialog.ok.click()
    assert "请填写报损原因" in dialog.message.text()
    dialog.layout().activate()  # the width the dialog opens with: a usual reason shows whole
    assert dialog.reason.width() > dialog.reason.fontMetrics().horizontalAdvance("车架断裂，无法修复，已报废")
    dialog.reason.setText("受潮损坏")
    dialog.quantity.setValue(2)
    dialog.ok.click()
    assert "不能报损2台" in dialog.message.text()
    dialog.quantity.setValue(1)
    dialog.ok.click()
    tab.refresh()
    assert _line(tab, "助听器").on_hand == 0 and _line(tab, "助听器").written_off == 1


def test_the_catalogue_is_edited_in_its_dialog(qtbot: QtBot, db: Database, tab: DevicesTab) -> None:
    dialog = CatalogueDialog(db, tab)
    qtbot.addWidget(dialog)
    assert dialog.list.count() == 8 and dialog.name.text() == "普通轮椅"
    dialog.period.setValue(48)
    assert dialog.save()
    dialog.new_type()
    dialog.name.setText("防褥疮坐垫")
    dialog.unit.setText("个")
    dialog.cats[4].setChecked(True)
    assert dialog.save() and dialog.list.count() == 9
    dialog.new_type()
    dialog.name.setText("拐杖")
    dialog.unit.setText("副")
    assert not dialog.save() and "已有“拐杖”" in dialog.message.text()
    tab.refresh()
    assert _line(tab, "普通轮椅").device_type.period_text == "4年" and _line(tab, "防褥疮坐垫").device_type.suits == "肢体"


def test_the_register_and_the_stock_sheet_print(tab: DevicesTab, db: Database, town: dict[str, Any]) -> None:
    with db.transaction() as s:
        issue.issue(s, town["grade_one"], [IssueItem(town["types"]["助听器"])], dt.date.today(), reason="评估同意")
    tab.print_what.setCurrentIndex(0)
    register = tab.print_report()
    tab.print_what.setCurrentIndex(1)
    sheet = tab.print_report()
    assert register.name.startswith("辅助器具发放登记表") and register.read_bytes().startswith(b"%PDF")
    assert sheet.name.startswith("辅助器具库存表") and sheet.read_bytes().startswith(b"%PDF")
