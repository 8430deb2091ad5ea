"""Fixtures of the window's tests: message boxes captured instead of shown, a parent widget for dialogs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget


@pytest.fixture(autouse=True)
def _settings_of_this_test(_isolated_user_dirs: None, tmp_path_factory: pytest.TempPathFactory) -> None:
    """What the window remembers (size, columns, last folders, text size) starts empty in every test: Qt
    fixes its settings folder at the first use in a process, so the changed XDG_CONFIG_HOME alone would
    leave one test's remembered folder to the next."""
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope,
                      str(tmp_path_factory.mktemp("qsettings")))


@pytest.fixture(autouse=True)
def _garbage_collected_on_the_gui_thread() -> Iterator[None]:
    """As the window does (ui.collector): no automatic garbage collection during a test, whose worker threads
    would otherwise collect the Qt objects of earlier tests from the wrong thread; the garbage is collected
    here, on the GUI thread, after each test, and what outlived it is frozen (gc.freeze) so that the next
    collection looks only at what is new (a whole collection of the suite's heap takes 0.1-0.5 s)."""
    import gc

    was_enabled = gc.isenabled()
    gc.disable()
    yield
    gc.collect()
    gc.freeze()
    if was_enabled:
        gc.enable()


@pytest.fixture
def told(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What QMessageBox would have told the clerk (warning, critical, information), in order."""
    shown: list[str] = []
    for kind in ("warning", "critical", "information"):
        monkeypatch.setattr(QMessageBox, kind, lambda _p, _t, text, *_a: shown.append(text))
    return shown


@pytest.fixture(autouse=True)
def _printouts_of_this_test(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Each test's printouts in a folder of its own; a 打印预览 left open is closed after the test."""
    from ui import printing
    from ui.print_preview import PrintPreview

    folder = tmp_path / "printouts"
    folder.mkdir()
    monkeypatch.setattr(printing, "_printouts", [folder])
    yield folder
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, PrintPreview) and widget.isVisible():
            widget.reject()


@pytest.fixture
def saved(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, Path]]:
    """What the 已保存 box (with 打开文件 / 打开所在文件夹) told, and of which file, in order; nothing opened."""
    from ui.printing import SavedBox

    shown: list[tuple[str, Path]] = []

    def ask(box: SavedBox) -> str:
        shown.append((box.text(), box.path))
        return ""

    monkeypatch.setattr(SavedBox, "ask", ask)
    return shown


@pytest.fixture
def parent(qtbot: Any) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


@pytest.fixture(scope="session", autouse=True)
def _qt_in_chinese(qapp: Any) -> None:
    """Qt's own texts (standard buttons, file dialogs) in Chinese, as the program loads them at start."""
    from ui.language import install_chinese

    install_chinese(qapp)
