"""Fixtures of the window's tests: message boxes captured instead of shown, a parent widget for dialogs."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox, QWidget


@pytest.fixture
def told(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What QMessageBox would have told the clerk (warning, critical, information), in order."""
    shown: list[str] = []
    for kind in ("warning", "critical", "information"):
        monkeypatch.setattr(QMessageBox, kind, lambda _p, _t, text, *_a: shown.append(text))
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
