"""The clerk's hands in the register's window tests: find a widget by its object name, click it, type into it.
QTest types Latin-1 only: Chinese goes in as an input method would put it (inserted at the cursor)."""

from __future__ import annotations

from typing import Any, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

W = TypeVar("W", bound=QWidget)


def child(parent: QWidget, kind: type[W], name: str) -> W:
    """The one widget of this kind and object name under parent (the test fails if there is none)."""
    found = parent.findChildren(kind, name)
    assert len(found) == 1, f"{len(found)} widgets {kind.__name__} named {name!r}"
    return found[0]


def click(qtbot: Any, parent: QWidget, name: str) -> None:
    qtbot.mouseClick(child(parent, QAbstractButton, name), Qt.MouseButton.LeftButton)


def type_into(qtbot: Any, parent: QWidget, name: str, text: str, *, clear: bool = False) -> None:
    """Type text into the line (or editable list, or text box) named name, after what is there unless
    clear: the clerk selects it all and types over it."""
    widget = parent.findChild(QWidget, name)
    assert widget is not None, f"no widget named {name!r}"
    line = widget.lineEdit() if isinstance(widget, QComboBox) else widget
    assert isinstance(line, (QLineEdit, QPlainTextEdit)), f"{name!r} is not a field to type into"
    line.setFocus()
    if clear:
        line.selectAll()
        qtbot.keyClick(line, Qt.Key.Key_Delete)
    if text.isascii():
        qtbot.keyClicks(line, text)
    else:
        line.insertPlainText(text) if isinstance(line, QPlainTextEdit) else line.insert(text)


def choose(qtbot: Any, parent: QWidget, name: str, text: str) -> None:
    """Pick the entry reading text in the list named name, with the arrow keys as the clerk would."""
    box = child(parent, QComboBox, name)
    target = box.findText(text)
    assert target >= 0, f"{text!r} is not offered in {name!r}"
    box.setFocus()
    key = Qt.Key.Key_Down if target > box.currentIndex() else Qt.Key.Key_Up
    while box.currentIndex() != target:
        qtbot.keyClick(box, key)


def tick(qtbot: Any, parent: QWidget, name: str, on: bool = True) -> None:
    """Tick (or clear) the box named name with the space bar."""
    box = child(parent, QAbstractButton, name)
    if box.isChecked() != on:
        box.setFocus()
        qtbot.keyClick(box, Qt.Key.Key_Space)
    assert box.isChecked() == on
