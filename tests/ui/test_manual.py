"""帮助 → 使用说明 (F1): the manual opens, finds words, shows only screenshots the program makes, and F1
in a dialog opens the dialog's own section."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

from app.db.engine import Database
from ui import manual
from ui.main_window import MainWindow
from ui.road import Road
from ui.screen import ScreenDialog
from ui.screenshots import take_screenshots


@pytest.fixture
def window(demo_db: Database, qtbot: Any) -> MainWindow:
    win = MainWindow(Road(demo_db), remember=False, backups=False)
    qtbot.addWidget(win)
    win.show()
    return win


def press_f1(widget: QWidget) -> None:
    QApplication.sendEvent(widget, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_F1, Qt.KeyboardModifier.NoModifier))


def test_every_section_f1_opens_is_in_the_manual() -> None:
    html = (manual.manual_folder() / manual.MANUAL).read_text(encoding="utf-8")
    assert set(manual.SECTIONS.values()) <= manual.anchors(html)
    for anchor in ("register", "death", "review", "visits", "devices", "usb", "backup", "print"):
        assert anchor in manual.anchors(html)  # the clerk's whole day


def test_f1_in_a_dialog_opens_its_section(window: MainWindow, qtbot: Any) -> None:
    from ui.dialogs.unit_info import UnitInfoDialog
    from ui.register.person_form import PersonForm

    for dialog, section in ((UnitInfoDialog(window.road, window), "unit"), (PersonForm(window.road, None, window),
                                                                          "register")):
        dialog.show()
        press_f1(dialog.focusWidget() or dialog)
        opened = dialog.findChild(manual.ManualWindow)
        assert opened is not None and opened.isVisible() and opened.section == section
        assert opened.text.verticalScrollBar().value() > 0  # scrolled down to the section
        dialog.reject()
    assert manual.section_for(window.subsidy_tab) == "review" and manual.section_for(window) == ""


def test_the_menu_opens_the_manual_and_the_search_finds_words(window: MainWindow, qtbot: Any) -> None:
    window.manual_action.trigger()
    opened = window.findChild(manual.ManualWindow)
    assert opened is not None and opened.isVisible() and opened.windowTitle() == "残联工作台 使用说明"
    qtbot.keyClicks(opened.search, "U")
    assert opened.text.textCursor().selectedText() == "U"
    opened.search.setText("安全弹出")
    assert opened.find_next(from_top=True) and opened.text.textCursor().selectedText() == "安全弹出"
    opened.search.setText("没有这句话的字")
    assert not opened.find_next() and opened.found.text() == "没有找到"


@pytest.mark.slow
def test_every_picture_the_manual_names_is_one_the_screenshots_make(window: MainWindow, tmp_path: Path) -> None:
    from ui.manual_images import manual_name

    made = {manual_name(p) for p in take_screenshots(window, tmp_path)}
    html = (manual.manual_folder() / manual.MANUAL).read_text(encoding="utf-8")
    named = manual.named_images(html)
    assert len(named) > 15 and set(named) <= made, set(named) - made
    assert "manual.png" in made  # the shots pressed F1 and the manual came up (the self-check looks for it)


def test_the_manual_over_a_modal_dialog_is_not_blocked(window: MainWindow, qtbot: Any) -> None:
    dialog = ScreenDialog(window)  # every dialog of the program is one (tests/ui/test_fits_the_screen.py)
    dialog.setObjectName("export_usb")
    dialog.open()
    press_f1(dialog)
    opened = dialog.findChild(manual.ManualWindow)
    assert opened is not None and opened.section == "usb" and opened.parent() is dialog  # the dialog's own window
    dialog.reject()
