"""Driving the window by keyboard and mouse as the clerk does. Chinese arrives from the input method as
committed text (QTest.keyClicks takes ASCII only); a newline is Enter; a field is retyped after Ctrl+A; a
choice in a list is made with the arrow keys; a dialog opened by a button is handled while it is open."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QWidget,
)
from pytestqt.qtbot import QtBot


def _commit(widget: QWidget, text: str) -> None:
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def type_text(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """text typed into widget: ASCII as key presses, Chinese committed by the input method, "\\n" as Enter."""
    target = widget.lineEdit() if isinstance(widget, QComboBox) and widget.isEditable() else widget
    run, ascii_run = "", True
    for ch in text + "\0":
        kind = ch.isascii()
        if run and (ch in "\n\0" or kind != ascii_run):
            if ascii_run:
                qtbot.keyClicks(target, run)
            else:
                _commit(target, run)
            run = ""
        if ch == "\n":
            qtbot.keyClick(target, Qt.Key.Key_Return)
        elif ch != "\0":
            run, ascii_run = run + ch, kind


def retype(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Select what the field holds (Ctrl+A) and type text over it."""
    target = widget.lineEdit() if isinstance(widget, QComboBox) and widget.isEditable() else widget
    qtbot.keyClick(target, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    if not text:
        qtbot.keyClick(target, Qt.Key.Key_Delete)
    type_text(qtbot, widget, text)


def choose(qtbot: QtBot, box: QComboBox, text: str) -> None:
    """Pick text in a drop-down list with the arrow keys."""
    wanted = box.findText(text)
    assert wanted >= 0, f"{text} is not offered in {box.objectName()}"
    while box.currentIndex() != wanted:
        qtbot.keyClick(box, Qt.Key.Key_Down if box.currentIndex() < wanted else Qt.Key.Key_Up)


def click(qtbot: QtBot, widget: QWidget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def click_row(qtbot: QtBot, view: QAbstractItemView, row: int, *, double: bool = False) -> None:
    """Click (or double-click) a row of a table as shown."""
    index = view.model().index(row, 0)
    view.scrollTo(index)
    centre = view.visualRect(index).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    if double:
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=centre)


def in_dialog(qtbot: QtBot, opener: QWidget, act: Callable[[QDialog], None]) -> QDialog:
    """Click opener and act on the modal dialog it opens, while it is open; a dialog act leaves open is
    closed (取消) so that a failing check cannot leave the test waiting. Returns the dialog."""
    seen: list[QDialog] = []
    failures: list[BaseException] = []

    def inside() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QDialog):
            failures.append(AssertionError(f"no dialog opened, but {dialog!r}"))
            if dialog is not None:
                dialog.close()
            return
        seen.append(dialog)
        try:
            act(dialog)
        except BaseException as exc:  # noqa: BLE001 - raised again in the test, after the dialog is closed
            failures.append(exc)
        if dialog.isVisible():
            dialog.reject()

    QTimer.singleShot(0, inside)
    click(qtbot, opener)
    if failures:
        raise failures[0]
    assert seen, "the button opened no dialog"
    return seen[0]


def focused() -> QWidget:
    """The widget the keyboard types into now: an open menu, else the focus (the test fails without one)."""
    widget = QApplication.activePopupWidget() or QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


def press(qtbot: QtBot, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
          times: int = 1) -> None:
    """A key pressed as the clerk presses it: into whatever has the focus now."""
    for _ in range(times):
        qtbot.waitUntil(lambda: (QApplication.activePopupWidget() or QApplication.focusWidget()) is not None)
        qtbot.keyClick(focused(), key, modifier)


def type_here(qtbot: QtBot, text: str) -> None:
    """text typed into whatever has the focus now (Chinese through the input method, "\\n" as Enter)."""
    type_text(qtbot, focused(), text)
