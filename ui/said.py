"""What an action did, said in one line in the main window's status bar (MainWindow.tell): a screen hands
the line to its window; a dialog or page shown on its own (a test, a screenshot) has no window to say it in."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget


def say(widget: QWidget | None, line: str) -> None:
    tell = getattr(widget.window(), "tell", None) if widget is not None else None
    if callable(tell) and line:
        tell(line)
