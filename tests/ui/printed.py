"""What the clerk was shown to print: the 打印预览 windows open now and the files they show."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication

from ui.print_preview import PrintPreview


def previews() -> list[PrintPreview]:
    """Every 打印预览 on screen, oldest first."""
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, PrintPreview) and w.isVisible()]


def previewed() -> list[Path]:
    """The files of the newest 打印预览 (a roster per village: one each), closing every preview."""
    shown = previews()
    assert shown, "no 打印预览 was opened"
    files = list(shown[-1].printout.files)
    for dialog in shown:
        dialog.reject()
    return files
