"""导入花名册 by keys alone: Space on 选择文件…, then Enter goes on (it does not open the file chooser again);
下一步 answers Alt+N; after 保存拒绝清单, Enter closes the wizard instead of asking where to save again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog

from app.db.engine import Database
from tests.ui.keys import press
from tests.ui.test_import_wizard import _roster
from ui.register.import_wizard import ImportWizard
from ui.road import Road

ALT = Qt.KeyboardModifier.AltModifier


@pytest.fixture
def wizard(qtbot: Any, db: Database) -> ImportWizard:
    wizard = ImportWizard(Road(db))
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    return wizard


def test_enter_after_choosing_a_file_goes_on(qtbot: Any, wizard: ImportWizard, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []
    path = _roster(tmp_path / "花名册.xlsx")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a: asked.append("open") or (str(path), ""))
    wizard.file_page.findChild(object, "choose_file").setFocus()
    press(qtbot, Qt.Key.Key_Space)
    assert asked == ["open"] and wizard.file_page.isComplete()
    press(qtbot, Qt.Key.Key_Return)
    assert asked == ["open"], "Enter opened the file chooser again"
    assert wizard.currentPage() is wizard.mapping_page


def test_next_has_a_key_and_enter_after_saving_the_rejections_closes(
        qtbot: Any, wizard: ImportWizard, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _roster(tmp_path / "花名册.xlsx")
    report = tmp_path / "拒绝清单.xlsx"
    asked: list[str] = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a: (str(path), ""))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a: asked.append("save") or (str(report), ""))
    wizard.file_page.findChild(object, "choose_file").setFocus()
    press(qtbot, Qt.Key.Key_Space)
    press(qtbot, Qt.Key.Key_N, ALT)  # 下一步(N): a button's Alt key clicks it after a short flash
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.mapping_page)
    press(qtbot, Qt.Key.Key_N, ALT)
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.preview_page)
    qtbot.waitUntil(wizard.preview_page.isComplete)
    press(qtbot, Qt.Key.Key_Return)  # 开始导入, the default button
    qtbot.waitUntil(wizard.result_page.isComplete)
    wizard.result_page.save_button.setFocus()
    press(qtbot, Qt.Key.Key_Space)
    assert asked == ["save"] and report.exists()
    assert "拒绝清单已保存到" in wizard.result_page.saved.text()
    press(qtbot, Qt.Key.Key_Return)
    assert asked == ["save"], "Enter asked where to save the rejections again"
    assert not wizard.isVisible() and QDialog.result(wizard) == QDialog.DialogCode.Accepted  # 完成
