"""Chinese everywhere: no English word on any tab or dialog the clerk can open."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from app.db.engine import Database
from tests.ui.visible_words import english_on, english_words
from ui.main_window import MainWindow
from ui.road import Road
from ui.tasks import wait_for_tasks


def _settle() -> None:
    wait_for_tasks()
    for _ in range(3):
        QApplication.processEvents()


def test_the_word_finder_knows_english_from_names() -> None:
    assert english_words("导出到Excel") == []
    assert english_words("打印(&P)… Ctrl+P，F1，7-Zip、PDF、USB") == []
    assert english_words("数据文件：/tmp/x/canlian.db") == []
    assert english_words("&Yes") == ["Yes"]
    assert english_words("Look in:") == ["Look", "in"]


@pytest.mark.slow
def test_no_english_word_on_any_tab_or_dialog(demo_db: Database, qtbot) -> None:
    from ui.screenshots import _dialogs
    from ui.welcome import WelcomeDialog

    window = MainWindow(Road(demo_db), remember=False)
    qtbot.addWidget(window)
    window.show()
    _settle()
    found: list[str] = []
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        _settle()
        found += [f"[{window.tabs.tabText(index)}] {line}" for line in english_on(window)]
    dialogs = [("welcome", lambda: WelcomeDialog(window.road, window)), *_dialogs(window)]
    for name, make in dialogs:
        dialog = make()
        if dialog is None:
            continue
        dialog.show()
        _settle()
        found += [f"[{name}] {line}" for line in english_on(dialog)]
        dialog.hide()
        dialog.deleteLater()
    assert not found, "\n".join(sorted(set(found)))
