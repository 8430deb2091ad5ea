"""The clerk's hands in the 补贴资格 tests: clicks and keys on widgets found by their object names, and a
modal dialog answered the way the clerk fills it (its exec replaced by filling it in and pressing a button,
so the test does not wait on a window nobody sees)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QWidget,
)

LEFT = Qt.MouseButton.LeftButton
D = TypeVar("D", bound=QDialog)


def named(parent: QWidget, cls: type[Any], name: str) -> Any:
    found = parent.findChild(cls, name)
    assert found is not None, f"no {cls.__name__} named {name!r}"
    return found


def click(qtbot: Any, parent: QWidget, name: str) -> None:
    """Click the button of that object name (it must be enabled: the clerk cannot click it otherwise)."""
    button = named(parent, QPushButton, name)
    assert button.isEnabled(), f"{name!r} is greyed out"
    qtbot.mouseClick(button, LEFT)


def type_text(widget: QWidget, text: str) -> None:
    """Type text key by key, Chinese too (as an input method hands it over: a key event carrying the
    character; qtbot.keyClicks knows only Latin-1)."""
    for char in text:
        QTest.sendKeyEvent(QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, char, Qt.KeyboardModifier.NoModifier)


def retype(qtbot: Any, edit: QLineEdit, text: str) -> None:
    """Select what the box holds (Ctrl+A) and type text over it."""
    qtbot.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    type_text(edit, text)


def open_tab(qtbot: Any, tabs: QTabWidget, title: str) -> None:
    """Click a tab by the title it shows (the count in brackets aside)."""
    bar = tabs.tabBar()
    index = next(i for i in range(tabs.count()) if tabs.tabText(i).split("（")[0] == title)
    qtbot.mouseClick(bar, LEFT, pos=bar.tabRect(index).center())
    assert tabs.currentIndex() == index


def click_row(qtbot: Any, view: QAbstractItemView, row: int, column: int = 1, *, double: bool = False) -> None:
    index: QModelIndex = view.model().index(row, column)
    view.scrollTo(index)
    where = view.visualRect(index).center()
    qtbot.mouseClick(view.viewport(), LEFT, pos=where)
    if double:  # the second press of a double click (QTest sends only that one)
        qtbot.mouseDClick(view.viewport(), LEFT, pos=where)


def answer(monkeypatch: pytest.MonkeyPatch, cls: type[D], fill: Callable[[D], None]) -> list[D]:
    """From now on a dialog of cls is answered by fill (which ends by pressing a button); the dialogs
    opened are listed."""
    opened: list[D] = []

    def exec_(dialog: D) -> int:
        opened.append(dialog)
        fill(dialog)
        return dialog.result()

    monkeypatch.setattr(cls, "exec", exec_)
    return opened
