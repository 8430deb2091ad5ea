"""The keyboard as every tabbed program has it: Ctrl+1…4 and Ctrl+Tab / Ctrl+PgDn (back: Ctrl+Shift+Tab /
Ctrl+PgUp) switch tabs from wherever the focus is, and no Alt+letter means two things in one window."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QGroupBox, QLabel, QWidget

from app.db.engine import Database
from tests.factories import add_person
from tests.ui.keys import focused, press
from ui.main_window import MainWindow
from ui.road import Road

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def window(db: Database, qtbot) -> MainWindow:
    with db.transaction() as s:
        add_person(s, "张三")
    win = MainWindow(Road(db), remember=False)
    qtbot.addWidget(win)
    win.show()
    win.activateWindow()
    win.register_tab.focus_search()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    return win


def test_ctrl_and_a_number_or_ctrl_tab_switch_tabs(window: MainWindow, qtbot) -> None:
    tabs = window.tabs
    for number, key in enumerate((Qt.Key.Key_2, Qt.Key.Key_3, Qt.Key.Key_4, Qt.Key.Key_1)):
        press(qtbot, key, CTRL)
        assert tabs.currentIndex() == (number + 1) % 4
        assert tabs.currentWidget().isAncestorOf(focused())  # the next key works on the tab shown
    press(qtbot, Qt.Key.Key_Tab, CTRL)
    assert tabs.currentIndex() == 1
    press(qtbot, Qt.Key.Key_PageDown, CTRL)
    assert tabs.currentIndex() == 2
    press(qtbot, Qt.Key.Key_PageUp, CTRL)
    assert tabs.currentIndex() == 1
    press(qtbot, Qt.Key.Key_Backtab, CTRL | SHIFT)
    assert tabs.currentIndex() == 0
    press(qtbot, Qt.Key.Key_PageUp, CTRL)  # round from the first to the last
    assert tabs.currentIndex() == 3


def _mnemonic(text: str) -> str | None:
    found = re.search(r"&([^&])", text.replace("&&", ""))
    return found.group(1).upper() if found else None


def mnemonics(window: MainWindow) -> list[tuple[str, str]]:
    """Every Alt+letter the window answers now: the menu bar's and those of the widgets in sight."""
    keys = [(m, a.text()) for a in window.menuBar().actions() if (m := _mnemonic(a.text()))]
    for widget in window.findChildren(QWidget):
        if not widget.isVisibleTo(window):
            continue
        if isinstance(widget, QAbstractButton) or isinstance(widget, QLabel) and widget.buddy() is not None:
            text = widget.text()
        elif isinstance(widget, QGroupBox):
            text = widget.title()
        else:
            continue
        if m := _mnemonic(text):
            keys.append((m, text))
    return keys


def test_no_alt_letter_means_two_things(window: MainWindow) -> None:
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        keys = mnemonics(window)
        twice = {m for m, n in Counter(m for m, _t in keys).items() if n > 1}
        assert not twice, f"{window.tabs.tabText(index)}: " + "; ".join(
            f"Alt+{m}: " + " / ".join(t for k, t in keys if k == m) for m in sorted(twice))
