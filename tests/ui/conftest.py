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
