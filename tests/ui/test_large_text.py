"""大字体 applies to every widget at once, not after a restart: the coloured message lines (widgets with a
style sheet of their own), the wizard's result heading, and sizes measured in the font (column widths,
row heights, the 康复器材 person list's height) follow the switch."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from app.db.engine import Database
from ui import style
from ui.main_window import MainWindow
from ui.road import Road
from ui.tasks import wait_for_tasks


def _settle() -> None:
    assert wait_for_tasks()
    for _ in range(3):
        QApplication.processEvents()


@pytest.fixture
def window(demo_db: Database, qtbot: Any, qapp: QApplication) -> Iterator[MainWindow]:
    style.apply_fonts(qapp, large=False)
    win = MainWindow(Road(demo_db), remember=False)
    qtbot.addWidget(win)
    win.show()
    for index in range(win.tabs.count()):  # each tab drawn once, as the clerk has looked at each
        win.tabs.setCurrentIndex(index)
        _settle()
    yield win
    style.set_large_text(qapp, False)


def _text_widgets(window: MainWindow) -> list[QWidget]:
    """Every widget of the window but the empty button in a table's corner (Qt's own, with no text)."""
    return [w for w in window.findChildren(QWidget) if w.objectName() != "qt_tableview_cornerbutton"]


def _sizes(window: MainWindow) -> dict[str, int]:
    return {
        "登记 性别 column": window.register_tab.table.columnWidth(1),
        "登记 row": window.register_tab.table.verticalHeader().defaultSectionSize(),
        "慰问 户主 column": window.visit_tab.table.columnWidth(2),
        "慰问 理由 column": window.visit_tab.table.columnWidth(5),
        "复核 姓名 column": window.subsidy_tab.review_page.views["new"].columnWidth(1),
        "救助台账 日期 column": window.subsidy_tab.ledger_page.table.columnWidth(0),
        "个人补贴 步骤 column": window.subsidy_tab.person_page.tree.columnWidth(0),
        "器材 person list": window.devices_tab.picker.results.maximumHeight(),
    }


def test_every_widget_takes_the_large_font_at_once(window: MainWindow) -> None:
    styled = [w for w in window.findChildren(QWidget) if w.styleSheet()]
    assert len(styled) >= 5  # message lines coloured by a style sheet of their own are among them
    before = _sizes(window)
    window.large_text_action.trigger()  # 设置 → 大字体
    _settle()
    small = [f"{type(w).__name__} {w.objectName()} {getattr(w, 'text', lambda: '')()}: {w.font().pointSize()}"
             for w in _text_widgets(window) if w.font().pointSize() != style.LARGE_POINT_SIZE]
    assert small == []
    after = _sizes(window)
    assert all(after[name] > before[name] for name in before), (before, after)
    window.large_text_action.trigger()
    _settle()
    assert all(w.font().pointSize() == style.NORMAL_POINT_SIZE for w in _text_widgets(window))
    assert _sizes(window) == before


def test_a_dialog_opened_in_large_text_has_it_and_its_heading_is_larger(window: MainWindow, qapp: QApplication) -> None:
    from ui.register.import_wizard import ImportWizard

    window.large_text_action.trigger()
    wizard = ImportWizard(window.road, window)
    summary: QLabel = wizard.result_page.summary
    assert summary.font().pointSize() == style.LARGE_POINT_SIZE + 4 and summary.font().bold()
    style.apply_fonts(qapp, large=False)  # the heading follows a change of size too
    _settle()
    assert summary.font().pointSize() == style.NORMAL_POINT_SIZE + 4
    wizard.deleteLater()
