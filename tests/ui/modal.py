"""Answering a modal dialog as the clerk does: the window's action opens it and waits in its own event
loop, so the answer is given from a timer once the dialog (found by its object name) is up."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget

_PATIENCE_MS = 10000


def when_shown(name: str, answer: Callable[[QWidget], None], *, every_ms: int = 20) -> list[QWidget]:
    """Call answer(dialog) once the modal dialog named name is shown; returns the list the dialog is put
    in (empty while it never came: the test then fails on what it expected the answer to do)."""
    seen: list[QWidget] = []
    waited = [0]

    def look() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is not None and dialog.objectName() == name and dialog.isVisible():
            seen.append(dialog)
            answer(dialog)
        elif waited[0] < _PATIENCE_MS:
            waited[0] += every_ms
            QTimer.singleShot(every_ms, look)

    QTimer.singleShot(0, look)
    return seen
