"""发放 asks once before anything is written: Enter in the dialog (typed in the search box, as a clerk
finishing a name does) shows who gets what and how many, with every warning and the 评估 reminder; nothing
is issued or printed until the clerk says yes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from app.db.engine import Database
from app.services.devices import stock
from app.services.devices.catalogue import catalogue_types
from app.services.devices.history import person_history
from tests.factories import add_person, make_id
from tests.ui.keys import type_text
from ui.devices.issue_dialog import IssueDialog
from ui.road import Road


@pytest.fixture
def town(db: Database) -> dict[str, Any]:
    types = {t.name: t.id for t in catalogue_types(db)}
    with db.transaction() as s:
        person = add_person(s, "王一", id_number=make_id("19600101", "111"), category="肢体", grade="一级").id
    stock.receive(db, types["普通轮椅"], dt.date.today(), 2, stock.COUNTY, model="H005钢制")
    stock.receive(db, types["助听器"], dt.date.today(), 1, stock.COUNTY)
    return {"types": types, "person": person}


@pytest.fixture
def road(db: Database) -> Road:
    return Road(db)


def _issued(db: Database, person_id: int) -> list[str]:
    return [f"{line.device_name}{line.quantity}" for line in person_history(db, person_id)]


def test_enter_asks_once_with_person_item_quantity_and_the_assessment_reminder(
        qtbot: QtBot, db: Database, road: Road, town: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    dialog = IssueDialog(road, device_type_id=town["types"]["普通轮椅"])
    qtbot.addWidget(dialog)
    dialog.show()
    asked: list[tuple[str, bool]] = []
    answers = [False, True]

    def answer(text: str, careful: bool) -> bool:
        asked.append((text, careful))
        return answers.pop(0)

    monkeypatch.setattr(dialog, "ask_to_issue", answer, raising=False)
    qtbot.keyClicks(dialog.picker.search_edit, "wy")
    assert dialog.picker.person() is not None and dialog.ok.isEnabled()

    qtbot.keyClick(dialog.picker.search_edit, Qt.Key.Key_Return)
    assert len(asked) == 1
    text, careful = asked[0]
    assert "王一" in text and "普通轮椅 1辆" in text and "H005钢制" in text
    assert "提醒：普通轮椅需先经评估（验配），请确认已评估。" in text and careful
    assert _issued(db, town["person"]) == [] and dialog.receipt_path is None and dialog.isVisible()

    qtbot.keyClick(dialog.picker.search_edit, Qt.Key.Key_Return)
    assert len(asked) == 2
    assert _issued(db, town["person"]) == ["普通轮椅1"]
    assert dialog.receipt_path is not None and not dialog.isVisible()


def test_a_warning_and_its_reason_are_in_the_question(qtbot: QtBot, db: Database, road: Road, town: dict[str, Any],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    dialog = IssueDialog(road, person_id=town["person"], device_type_id=town["types"]["助听器"])
    qtbot.addWidget(dialog)
    asked: list[str] = []
    monkeypatch.setattr(dialog, "ask_to_issue", lambda text, careful: asked.append(text) or False, raising=False)
    type_text(qtbot, dialog.reason, "经评估")
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    assert asked and "警告：助听器适用于听力残疾人，此人为肢体残疾。" in asked[0]
    assert "理由：经评估" in asked[0] and "发放：助听器 1台" in asked[0]
    assert _issued(db, town["person"]) == []


def test_the_question_waits_for_a_deliberate_yes_when_there_is_something_to_heed(
        qtbot: QtBot, db: Database, road: Road, town: dict[str, Any]) -> None:
    dialog = IssueDialog(road, person_id=town["person"], device_type_id=town["types"]["普通轮椅"])
    qtbot.addWidget(dialog)
    careful = dialog.question("……", careful=True)
    assert careful.defaultButton().text() == "返回修改"
    plain = dialog.question("……", careful=False)
    assert plain.defaultButton().text() == "发放并打印(&F)"


def test_in_the_real_question_enter_goes_back_and_the_issue_button_issues(
        qtbot: QtBot, db: Database, road: Road, town: dict[str, Any]) -> None:
    dialog = IssueDialog(road, person_id=town["person"], device_type_id=town["types"]["普通轮椅"])
    qtbot.addWidget(dialog)
    dialog.show()
    seen: list[str] = []

    def answer(key: Qt.Key | None) -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen.append(box.text())
        if key is None:
            go = next(b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.AcceptRole)
            qtbot.mouseClick(go, Qt.MouseButton.LeftButton)
        else:
            qtbot.keyClick(box, key)

    QTimer.singleShot(0, lambda: answer(Qt.Key.Key_Return))
    qtbot.keyClick(dialog.picker.search_edit, Qt.Key.Key_Return)
    assert len(seen) == 1 and "提醒：普通轮椅需先经评估" in seen[0]
    assert _issued(db, town["person"]) == [] and dialog.isVisible()
    QTimer.singleShot(0, lambda: answer(None))
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    assert len(seen) == 2 and _issued(db, town["person"]) == ["普通轮椅1"]
