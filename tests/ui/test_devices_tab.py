"""The 康复器材 tab as a new clerk uses it: receive wheelchairs, issue one and print the 领取单, be warned
about a hearing aid for someone without a hearing disability, take a wheelchair back, print the sheets.
Everything is done with the tab's buttons, fields and tables, and checked in what the tab shows."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app.db.engine import Database, open_database
from app.db.models import Person
from app.services.actions import Changes
from app.services.devices import issue, stock
from app.services.devices.catalogue import catalogue_types
from app.services.devices.issue import IssueItem
from tests.factories import add_person, make_id
from tests.readonly import deny_writes
from tests.ui.keys import choose, click, click_row, in_dialog, retype, type_text
from ui.devices import make_tab
from ui.devices.issue_dialog import IssueDialog
from ui.devices.tab import DevicesTab
from ui.printing import printout_folder
from ui.road import Road

TODAY = dt.date.today()


@pytest.fixture
def town(db: Database) -> dict[str, Any]:
    types = {t.name: t.id for t in catalogue_types(db)}
    with db.transaction() as s:
        grade_one = add_person(s, "王一", id_number=make_id("19600101", "111"), category="肢体", grade="一级").id
        other = add_person(s, "赵二", id_number=make_id("19650101", "333"), category="肢体", grade="三级").id
    stock.receive(db, types["助听器"], TODAY, 1, stock.COUNTY)
    return {"types": types, "grade_one": grade_one, "other": other}


@pytest.fixture(autouse=True)
def _yes_to_issuing(monkeypatch: pytest.MonkeyPatch) -> None:
    """The question before issuing is answered 发放 (tests/ui/test_issue_confirm.py asks it for real)."""
    monkeypatch.setattr(IssueDialog, "ask_to_issue", lambda _self, _text, careful: True)


@pytest.fixture
def road(db: Database) -> Road:
    return Road(db)


@pytest.fixture
def tab(qtbot: QtBot, road: Road, town: dict[str, Any]) -> DevicesTab:
    widget = make_tab(road)
    qtbot.addWidget(widget)
    widget.resize(1200, 800)
    widget.show()
    return widget


def _find(widget: QWidget, kind: type, name: str) -> Any:
    found = widget.findChild(kind, name)
    assert found is not None, f"no {kind.__name__} named {name}"
    return found


def _button(widget: QWidget, name: str) -> QPushButton:
    return _find(widget, QPushButton, name)  # type: ignore[no-any-return]


def _table(tab: QWidget, name: str) -> list[dict[str, str]]:
    """The rows of a table as shown: header → cell text."""
    view: QAbstractItemView = _find(tab, QAbstractItemView, name)
    model = view.model()
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    return [{h: model.index(r, c).data() for c, h in enumerate(headers)} for r in range(model.rowCount())]


def _stock_row(tab: QWidget, name: str) -> dict[str, str]:
    return next(row for row in _table(tab, "stock") if row["器具名称"] == name)


def _select_type(qtbot: QtBot, tab: DevicesTab, name: str) -> None:
    rows = [row["器具名称"] for row in _table(tab, "stock")]
    click_row(qtbot, _find(tab, QAbstractItemView, "stock"), rows.index(name))


def _printed(stem: str) -> list[Path]:
    return sorted(p for p in printout_folder().glob(f"{stem}*.pdf"))


def test_the_tab_shows_every_type_and_flags_low_stock(tab: DevicesTab) -> None:
    rows = _table(tab, "stock")
    assert len(rows) == 8
    hearing = _stock_row(tab, "助听器")
    assert hearing["现有库存"] == "1" and hearing["提示"] == "库存不足（补货线2）"
    summary = _find(tab, QLabel, "summary").text()
    assert "库存不足" in summary and "普通轮椅" in summary and f"{TODAY.year}年：入库1件" in summary


def test_receive_five_wheelchairs_issue_one_print_the_receipt_and_take_it_back(
        qtbot: QtBot, tab: DevicesTab, town: dict[str, Any]) -> None:
    _select_type(qtbot, tab, "普通轮椅")

    def receive(dialog: QDialog) -> None:
        assert _find(dialog, QComboBox, "device_type").currentText() == "普通轮椅（辆）"
        retype(qtbot, _find(dialog, QSpinBox, "quantity"), "5")
        type_text(qtbot, _find(dialog, QLineEdit, "model"), "H005钢制")
        type_text(qtbot, _find(dialog, QPlainTextEdit, "serials"), "LY-1\nLY-2\nLY-3\nLY-4")
        click(qtbot, _button(dialog, "ok"))
        assert "填了4个不重复的序列号，入库数量是5" in _find(dialog, QLabel, "message").text()
        type_text(qtbot, _find(dialog, QPlainTextEdit, "serials"), "\nLY-5")
        click(qtbot, _button(dialog, "ok"))

    assert in_dialog(qtbot, _button(tab, "receive"), receive).result() == QDialog.DialogCode.Accepted
    assert _stock_row(tab, "普通轮椅")["现有库存"] == "5"  # the tab followed the write by itself

    def issue_one(dialog: QDialog) -> None:
        type_text(qtbot, _find(dialog, QLineEdit, "person_search"), "wy")
        warnings = _find(dialog, QLabel, "warnings").text()
        assert "提醒：普通轮椅需先经评估" in warnings and "警告" not in warnings
        assert _button(dialog, "issue").isEnabled() and not _find(dialog, QLineEdit, "reason").isEnabled()
        assert _find(dialog, QLineEdit, "model_0").text() == "H005钢制"  # 型号 of the latest receipt
        click(qtbot, _button(dialog, "issue"))

    assert in_dialog(qtbot, _button(tab, "issue"), issue_one).result() == QDialog.DialogCode.Accepted
    (receipt,) = _printed(f"辅助器具领取单-{TODAY.year}-0001-王一")
    assert receipt.read_bytes().startswith(b"%PDF")
    assert _stock_row(tab, "普通轮椅")["现有库存"] == "4"
    (line,) = _table(tab, "person_history")  # the tab turned to 王一's own history
    assert (line["类型"], line["序列号"], line["领取单"]) == ("发放", "LY-1", f"{TODAY.year}-0001")
    click(qtbot, _button(tab, "reprint"))
    assert len(_printed(f"辅助器具领取单-{TODAY.year}-0001-王一")) == 2  # printed again, beside the first

    def take_back(dialog: QDialog) -> None:
        items: QListWidget = _find(dialog, QListWidget, "returnable")
        assert items.count() == 1 and "序列号LY-1" in items.item(0).text()
        choose(qtbot, _find(dialog, QComboBox, "condition"), "需维修")
        type_text(qtbot, _find(dialog, QLineEdit, "note"), "刹车松动")
        click(qtbot, _button(dialog, "ok"))

    assert in_dialog(qtbot, _button(tab, "return"), take_back).result() == QDialog.DialogCode.Accepted
    chair = _stock_row(tab, "普通轮椅")
    assert (chair["现有库存"], chair["本年入库"], chair["本年发放"], chair["本年退回"]) == ("5", "5", "1", "1")
    assert [row["类型"] for row in _table(tab, "person_history")] == ["退回", "发放"]


def test_a_hearing_aid_for_a_person_without_hearing_disability_warns_and_needs_a_reason(
        qtbot: QtBot, tab: DevicesTab) -> None:
    _select_type(qtbot, tab, "助听器")

    def issue_with_reason(dialog: QDialog) -> None:
        type_text(qtbot, _find(dialog, QLineEdit, "person_search"), "ze")
        assert "警告：助听器适用于听力残疾人，此人为肢体残疾。" in _find(dialog, QLabel, "warnings").text()
        reason = _find(dialog, QLineEdit, "reason")
        assert not _button(dialog, "issue").isEnabled() and reason.isEnabled()
        type_text(qtbot, reason, "经县残联评估，伴有听力损失")
        assert _button(dialog, "issue").isEnabled()
        click(qtbot, _button(dialog, "issue"))

    in_dialog(qtbot, _button(tab, "issue"), issue_with_reason)
    (line,) = _table(tab, "person_history")
    assert line["领取人"] == "赵二" and "经县残联评估" in line["来源、状况、理由"]


def test_out_of_stock_cannot_be_issued_whatever_the_reason(qtbot: QtBot, tab: DevicesTab) -> None:
    _select_type(qtbot, tab, "坐便椅")

    def look(dialog: QDialog) -> None:
        type_text(qtbot, _find(dialog, QLineEdit, "person_search"), "wy")
        assert "不能发放：坐便椅库存只有0把" in _find(dialog, QLabel, "warnings").text()
        assert not _button(dialog, "issue").isEnabled() and not _find(dialog, QLineEdit, "reason").isEnabled()
        click(qtbot, _button(dialog, "cancel"))

    assert in_dialog(qtbot, _button(tab, "issue"), look).result() == QDialog.DialogCode.Rejected
    assert _stock_row(tab, "坐便椅")["本年发放"] == "0"


def test_several_items_go_on_one_receipt(qtbot: QtBot, db: Database, tab: DevicesTab, town: dict[str, Any]) -> None:
    stock.receive(db, town["types"]["普通轮椅"], TODAY, 1, stock.COUNTY)
    stock.receive(db, town["types"]["坐便椅"], TODAY, 2, stock.COUNTY)
    _select_type(qtbot, tab, "普通轮椅")

    def two_lines(dialog: QDialog) -> None:
        type_text(qtbot, _find(dialog, QLineEdit, "person_search"), "wy")
        click(qtbot, _button(dialog, "add_line"))
        choose(qtbot, _find(dialog, QComboBox, "device_type_1"), "坐便椅（把）")
        retype(qtbot, _find(dialog, QSpinBox, "quantity_1"), "2")
        click(qtbot, _button(dialog, "issue"))

    in_dialog(qtbot, _button(tab, "issue"), two_lines)
    lines = _table(tab, "person_history")
    assert sorted((row["器具"], row["数量"]) for row in lines) == [("坐便椅", "2把"), ("普通轮椅", "1辆")]
    assert len({row["领取单"] for row in lines}) == 1


def test_write_off_needs_a_reason_and_stock(qtbot: QtBot, tab: DevicesTab) -> None:
    _select_type(qtbot, tab, "助听器")

    def write_off(dialog: QDialog) -> None:
        message = _find(dialog, QLabel, "message")
        click(qtbot, _button(dialog, "ok"))
        assert "请填写报损原因" in message.text()
        reason = _find(dialog, QLineEdit, "reason")
        assert reason.width() > reason.fontMetrics().horizontalAdvance("车架断裂，无法修复，已报废")  # shows whole
        type_text(qtbot, reason, "受潮损坏")
        retype(qtbot, _find(dialog, QSpinBox, "quantity"), "2")
        click(qtbot, _button(dialog, "ok"))
        assert "不能报损2台" in message.text()
        retype(qtbot, _find(dialog, QSpinBox, "quantity"), "1")
        click(qtbot, _button(dialog, "ok"))

    in_dialog(qtbot, _button(tab, "write_off"), write_off)
    hearing = _stock_row(tab, "助听器")
    assert (hearing["现有库存"], hearing["本年报损"]) == ("0", "1")


def test_the_catalogue_is_edited_in_its_dialog(qtbot: QtBot, tab: DevicesTab) -> None:
    def edit(dialog: QDialog) -> None:
        types: QListWidget = _find(dialog, QListWidget, "types")
        name = _find(dialog, QLineEdit, "name")
        assert types.count() == 8 and name.text() == "普通轮椅"
        retype(qtbot, _find(dialog, QSpinBox, "period"), "48")
        click(qtbot, _button(dialog, "save"))
        click(qtbot, _button(dialog, "new_type"))
        type_text(qtbot, name, "防褥疮坐垫")
        retype(qtbot, _find(dialog, QLineEdit, "unit"), "个")
        click(qtbot, _find(dialog, QCheckBox, "category_4"))  # the 肢体 box
        click(qtbot, _button(dialog, "save"))
        assert types.count() == 9
        click(qtbot, _button(dialog, "new_type"))
        type_text(qtbot, name, "拐杖")
        retype(qtbot, _find(dialog, QLineEdit, "unit"), "副")
        click(qtbot, _button(dialog, "save"))
        assert "已有“拐杖”" in _find(dialog, QLabel, "message").text()

    in_dialog(qtbot, _button(tab, "catalogue"), edit)
    assert _stock_row(tab, "普通轮椅")["使用年限"] == "4年" and _stock_row(tab, "防褥疮坐垫")["适用对象"] == "肢体"


def test_the_register_and_the_stock_sheet_print(qtbot: QtBot, db: Database, tab: DevicesTab,
                                                town: dict[str, Any]) -> None:
    issue.issue(db, town["grade_one"], [IssueItem(town["types"]["助听器"])], TODAY, reason="评估同意")
    what = _find(tab, QComboBox, "print_what")
    choose(qtbot, what, "辅助器具发放登记表")
    click(qtbot, _button(tab, "print"))
    choose(qtbot, what, "辅助器具库存表")
    click(qtbot, _button(tab, "print"))
    (register,) = _printed(f"辅助器具发放登记表-{TODAY.year}")
    (sheet,) = _printed(f"辅助器具库存表-{TODAY.year}")
    assert register.read_bytes().startswith(b"%PDF") and sheet.read_bytes().startswith(b"%PDF")


def test_the_tab_follows_what_the_road_says_changed(qtbot: QtBot, db: Database, road: Road, tab: DevicesTab,
                                                    town: dict[str, Any]) -> None:
    """A write anywhere refreshes the tab in sight, a hidden tab when it is next shown; a change of the
    register (a name, a death) shows in the histories; other parts' changes leave it alone."""
    road.write(stock.receive, town["types"]["普通轮椅"], TODAY, 3, stock.COUNTY)
    assert _stock_row(tab, "普通轮椅")["现有库存"] == "3"
    tab.hide()
    road.write(stock.write_off, town["types"]["普通轮椅"], TODAY, 1, "丢失")
    assert _stock_row(tab, "普通轮椅")["现有库存"] == "3"  # hidden: not read again yet
    tab.show()
    assert _stock_row(tab, "普通轮椅")["现有库存"] == "2"

    road.write(issue.issue, town["grade_one"], [IssueItem(town["types"]["普通轮椅"])], TODAY)
    type_text(qtbot, _find(tab, QLineEdit, "person_search"), "wy")
    assert [row["领取人"] for row in _table(tab, "person_history")] == ["王一"]
    with db.transaction() as s:
        s.get(Person, town["grade_one"]).name = "王壹"  # written by the register's own screen
    road.notify(Changes.VISITS)
    assert [row["领取人"] for row in _table(tab, "person_history")] == ["王一"]
    road.notify(Changes.REGISTER)
    assert [row["领取人"] for row in _table(tab, "person_history")] == ["王壹"]


def test_a_write_protected_register_shows_its_stock(qtbot: QtBot, db: Database, db_path: Path,
                                                     town: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    """Opening the tab reads only: a register on a stick with its write-protect switch on shows its stock
    (the default catalogue came with the register; the tab once wrote it in on every refresh)."""
    db.close()
    deny_writes(monkeypatch, db_path.parent)
    with open_database(db_path, read_only_ok=True) as stick:
        assert stick.read_only
        widget = make_tab(Road(stick))
        qtbot.addWidget(widget)
        widget.show()
        assert len(_table(widget, "stock")) == 8 and _stock_row(widget, "助听器")["现有库存"] == "1"
        widget.close()
