"""The 残疾人登记 tab follows what the road says changed: at once when shown, when next shown otherwise; and
the clerk's own work from the tab (a new person, a status change) shows in the list without wiring."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QTabWidget, QWidget

from app.db.engine import Database
from app.domain.words import PersonStatus
from app.services.actions import Changes
from app.services.register import status_changes
from tests.factories import add_person, make_id
from tests.ui.clerk import choose, click, type_into
from ui.register.tab import RegisterTab
from ui.road import Road

NEW_ID = make_id("19750312", "242")


@pytest.fixture
def road(db: Database) -> Road:
    with db.transaction() as s:
        add_person(s, "张三", grade="一级")
        add_person(s, "李四", id_number=make_id("19600101", "222"), grade="三级")
    return Road(db)


@pytest.fixture
def shown(road: Road, qtbot: Any) -> tuple[QTabWidget, RegisterTab]:
    """The tab in a tab widget beside another page, on screen."""
    tabs = QTabWidget()
    tab = RegisterTab(road)
    tabs.addTab(tab, "残疾人登记")
    tabs.addTab(QWidget(), "补贴资格")
    qtbot.addWidget(tabs)
    tabs.show()
    qtbot.waitExposed(tabs)
    return tabs, tab


def _id_of(road: Road, number: str) -> int:
    from app.services.register import people

    found = road.read(people.find_by_number, number)
    assert found is not None
    return found.id


def _names(tab: RegisterTab) -> list[str]:
    return [tab.model.data(tab.model.index(r, 0)) for r in range(tab.model.rowCount())]


def _when_modal(qtbot: Any, act: Callable[[QWidget], None]) -> None:
    """Do act on the modal dialog the next click opens, as the clerk would once it is up."""
    def run() -> None:
        dialog = QApplication.activeModalWidget()
        assert dialog is not None
        act(dialog)

    QTimer.singleShot(0, run)


def test_a_change_made_elsewhere_shows_at_once_on_the_shown_tab(shown: tuple[QTabWidget, RegisterTab],
                                                               road: Road) -> None:
    _tabs, tab = shown
    assert tab.count_label.text() == "共 2 人"
    road.write(status_changes.record_status, _id_of(road, make_id()), PersonStatus.DEAD, dt.date.today(), "病故")
    assert tab.count_label.text() == "共 1 人" and _names(tab) == ["李四"]


def test_a_hidden_tab_reads_again_only_when_shown(shown: tuple[QTabWidget, RegisterTab], road: Road,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    tabs, tab = shown
    tabs.setCurrentIndex(1)
    reads: list[int] = []
    real = tab.model.refresh

    def counted() -> None:
        reads.append(1)
        real()

    monkeypatch.setattr(tab.model, "refresh", counted)
    road.write(status_changes.record_status, _id_of(road, make_id()), PersonStatus.MOVED_OUT, dt.date.today())
    road.notify(Changes.SUBSIDIES)  # not the register's business: nothing to read
    assert reads == [] and tab.count_label.text() == "共 2 人"
    tabs.setCurrentIndex(0)
    assert reads == [1] and tab.count_label.text() == "共 1 人"


def test_a_new_person_saved_from_the_tab_is_listed_and_selected(shown: tuple[QTabWidget, RegisterTab],
                                                               qtbot: Any) -> None:
    _tabs, tab = shown

    def fill_in(form: QWidget) -> None:
        type_into(qtbot, form, "name", "王秀兰")
        type_into(qtbot, form, "id_number", NEW_ID)
        type_into(qtbot, form, "certificate_number", NEW_ID + "41")
        type_into(qtbot, form, "village", "红光村")
        click(qtbot, form, "save")

    _when_modal(qtbot, fill_in)
    click(qtbot, tab, "new_person")
    assert tab.count_label.text() == "共 3 人"
    assert tab.model.data(tab.table.currentIndex().siblingAtColumn(0)) == "王秀兰"
    assert tab.village_box.findText("红光村") > 0  # the new village is offered in the filter


def test_a_status_change_from_the_tab_leaves_the_list_of_those_on_the_register(
        shown: tuple[QTabWidget, RegisterTab], qtbot: Any) -> None:
    _tabs, tab = shown
    tab.table.setFocus()
    qtbot.keyClick(tab.table, Qt.Key.Key_Down)  # the second on the list (by pinyin: 李四, 张三)
    chosen = tab.model.data(tab.table.currentIndex().siblingAtColumn(0))

    def record(dialog: QWidget) -> None:
        choose(qtbot, dialog, "new_status", "死亡")
        type_into(qtbot, dialog, "reason", "bing gu")
        click(qtbot, dialog, "ok")

    _when_modal(qtbot, record)
    click(qtbot, tab, "change_status")
    assert tab.count_label.text() == "共 1 人" and chosen not in _names(tab)
    choose(qtbot, tab, "status", "死亡")
    assert _names(tab) == [chosen]
