"""The main window opens within the screen's free area (a 1366×768 laptop less its taskbar), opens where
and as large as the clerk left it, and is brought back onto a screen that has become smaller."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QRect, QSize

from app.db.engine import Database
from ui import screen, style
from ui.main_window import MainWindow
from ui.road import Road


@pytest.fixture(autouse=True)
def _nothing_remembered() -> None:
    settings = style.settings()
    for key in ("window/place", "window/maximized", "window/geometry"):
        settings.remove(key)


def _open(db: Database, qtbot: Any) -> MainWindow:
    window = MainWindow(Road(db), backups=False)  # remembers its place as the clerk's window does
    qtbot.addWidget(window)
    window.show()
    return window


def _inside(window: MainWindow, area: QRect) -> bool:
    frame = window.geometry().marginsAdded(screen.margins_of(window))
    return area.contains(frame)


@pytest.mark.parametrize("size", [QSize(1366, 768), QSize(1280, 720)])
def test_the_window_opens_inside_the_free_area(db: Database, qtbot: Any, size: QSize) -> None:
    with screen.pretend(size) as area:
        window = _open(db, qtbot)
        assert _inside(window, area) or window.isMaximized()
        assert window.geometry().height() <= area.height() - screen.TITLE_BAR


def test_on_a_large_screen_it_opens_at_its_usual_size_in_the_middle(db: Database, qtbot: Any) -> None:
    with screen.pretend(QSize(1920, 1080)) as area:
        window = _open(db, qtbot)
        assert window.size() == screen.DEFAULT_SIZE and not window.isMaximized()
        assert abs(window.geometry().center().x() - area.center().x()) <= 1 and _inside(window, area)


def test_the_clerks_place_is_remembered_and_brought_back_onto_a_smaller_screen(db: Database, qtbot: Any) -> None:
    with screen.pretend(QSize(1920, 1080)) as large:
        window = _open(db, qtbot)
        window.setGeometry(QRect(500, 200, 1400, 820))
        window.close()  # the clerk closes the program: its place is remembered
        again = _open(db, qtbot)
        assert again.geometry() == QRect(500, 200, 1400, 820) and _inside(again, large)
        again.close()
    with screen.pretend(QSize(1366, 768)) as laptop:  # the same settings, now on the laptop
        window = _open(db, qtbot)
        assert _inside(window, laptop)
        assert window.width() <= 1366 and window.height() <= 768 - screen.TASKBAR - screen.TITLE_BAR


def test_a_maximized_window_opens_maximized(db: Database, qtbot: Any) -> None:
    with screen.pretend(QSize(1920, 1080)):
        window = _open(db, qtbot)
        window.showMaximized()
        window.close()
        assert _open(db, qtbot).isMaximized()


def test_the_free_area_is_the_screens_own_without_pretending(qapp: Any) -> None:
    assert screen.free_area() == qapp.primaryScreen().availableGeometry()
