"""Every dialog `gui --screenshots` draws, opened on the demo town over a 1280×720 screen (less the taskbar)
in normal and large text: the dialog and each of its visible buttons lie inside the screen's free area, and
no table header in it is cut. Run in a process of its own by tests/ui/test_fits_the_screen.py."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QAbstractButton, QApplication, QDialog

from app.db.engine import Database
from tests.ui.test_fits_the_screen import SMALLEST, _settle, cut_headers
from ui import screen, style
from ui.main_window import MainWindow
from ui.road import Road
from ui.screenshots import _dialogs, _window_size


@pytest.fixture
def window(demo_db: Database, qtbot: Any, qapp: QApplication) -> Iterator[MainWindow]:
    win = MainWindow(Road(demo_db), remember=False)
    qtbot.addWidget(win)
    win.show()
    yield win
    style.apply_fonts(qapp, large=False)


def outside(dialog: QDialog, free: QRect) -> list[str]:
    """The dialog's frame and visible buttons that lie outside the free area. The buttons' wrappers live
    only while this runs, so none outlives the dialog."""
    found = []
    frame = dialog.geometry().marginsAdded(screen.margins_of(dialog))
    if not free.contains(frame):
        found.append(f"{frame} is not inside {free}")
    for button in dialog.findChildren(QAbstractButton):
        if button.isVisible():
            place = QRect(button.mapToGlobal(button.rect().topLeft()), button.size())
            if not free.contains(place):
                found.append(f"{button.text()} at {place}")
    return found


@pytest.mark.parametrize("large", [False, True], ids=["normal", "large"])
def test_every_dialog_shows_its_buttons_on_the_screen(window: MainWindow, qapp: QApplication, large: bool) -> None:
    style.apply_fonts(qapp, large=large)
    with screen.pretend(SMALLEST) as free:
        window.resize(_window_size(SMALLEST))
        _settle()
        seen = 0
        for name, make in _dialogs(window):
            dialog = make()
            if dialog is None:
                continue
            dialog.show()
            _settle()
            seen += 1
            assert outside(dialog, free) == [], name
            assert cut_headers(dialog) == [], name
            dialog.hide()
            dialog.deleteLater()
            del dialog
            _settle()
        assert seen >= 25  # the demo town has a person, a campaign and stock for nearly every dialog
