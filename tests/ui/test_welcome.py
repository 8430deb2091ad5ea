"""The first start: the welcome box asks for the unit information every printout needs, in the same box,
before it offers how to begin."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QWidget

from app.db.engine import Database
from app.services.settings import read_unit_info
from tests.ui.clerk import child, click, type_into
from tests.ui.modal import when_shown
from ui.main_window import MainWindow
from ui.road import Road
from ui.tasks import wait_for_tasks


def _empty_window(db: Database, qtbot) -> MainWindow:
    window = MainWindow(Road(db), remember=False)
    qtbot.addWidget(window)
    window.show()
    return window


def test_the_welcome_box_asks_for_the_unit_first_and_saves_it(db: Database, qtbot) -> None:
    window = _empty_window(db, qtbot)
    seen: dict[str, object] = {}

    def fill_in(welcome: QWidget) -> None:
        seen["says why"] = " ".join(label.text() for label in welcome.findChildren(QLabel))
        seen["first focus"] = welcome.focusWidget() is child(welcome, QLineEdit, "town")
        click(qtbot, welcome, "empty")  # straight to the register: not yet
        seen["refused"] = welcome.isVisible() and child(welcome, QLabel, "message").text()
        seen["focus on town"] = welcome.focusWidget() is child(welcome, QLineEdit, "town")
        for name, text in (("town", "金塔镇"), ("clerk", "王芳"), ("reviewer", "张建国"), ("head", "刘明")):
            type_into(qtbot, welcome, name, text)
            qtbot.keyClick(child(welcome, QLineEdit, name), Qt.Key.Key_Return)  # Enter: on to the next
        seen["after the last"] = welcome.focusWidget() is child(welcome, QPushButton, "import")
        seen["still open"] = welcome.isVisible()
        click(qtbot, welcome, "empty")

    shown = when_shown("welcome", fill_in)
    window.offer_first_start()
    assert shown
    assert "每一张打印的表" in str(seen["says why"]) and "镇名" in str(seen["says why"])
    assert seen["first focus"] is True
    assert seen["refused"] == "请先填写镇名、经办人、审核人、负责人：每一张打印的表都要用到。"
    assert seen["focus on town"] is True
    assert seen["after the last"] is True and seen["still open"] is True
    unit = window.road.read(read_unit_info)
    assert (unit.town, unit.clerk, unit.reviewer, unit.head) == ("金塔镇", "王芳", "张建国", "刘明")
    assert window.windowTitle() == "残联工作台 - 金塔镇残疾人联合会"  # saved through 单位信息's action
    assert window.road.clerk == "王芳"


def test_the_demo_town_can_be_looked_at_without_the_names(db: Database, qtbot) -> None:
    window = _empty_window(db, qtbot)
    shown = when_shown("welcome", lambda welcome: click(qtbot, welcome, "demo"))
    window.offer_first_start()
    assert shown and wait_for_tasks(60000)
    assert window.road.read(read_unit_info).town == "金塔镇"  # the demo town's own, fictional
