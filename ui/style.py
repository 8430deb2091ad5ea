"""Fonts and text size for the whole window, and the one place settings are kept (QSettings).

Chinese must render on a PC with no Chinese font: the shipped WenQuanYi Micro Hei is registered at start
and made the application font. The larger-text setting changes the application font's size, which every
widget without a font of its own follows at once.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox

from app import paths

NORMAL_POINT_SIZE = 10
LARGE_POINT_SIZE = 13
FALLBACK_FAMILIES = ["Microsoft YaHei", "SimHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei"]

_family: str | None = None


def settings() -> QSettings:
    """Where window size, column widths, last folders and the text size are remembered."""
    return QSettings("canlian", "canlian")


def register_font() -> str | None:
    """Add the shipped Chinese font to Qt once; its family name, or None if the file is missing."""
    global _family
    if _family is None:
        font_id = QFontDatabase.addApplicationFont(str(paths.font_path()))
        families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        _family = families[0] if families else ""
    return _family or None


def large_text_enabled() -> bool:
    return settings().value("view/large_text", False, type=bool)


def apply_fonts(app: QApplication, large: bool | None = None) -> None:
    """Set the application font: the shipped family first, at the normal or the larger size."""
    if large is None:
        large = large_text_enabled()
    family = register_font()
    font = QFont(app.font())
    font.setFamilies(([family] if family else []) + FALLBACK_FAMILIES)
    font.setPointSize(LARGE_POINT_SIZE if large else NORMAL_POINT_SIZE)
    app.setFont(font)


def set_large_text(app: QApplication, large: bool) -> None:
    """Switch the larger-text setting, remember it, and let the whole window follow."""
    settings().setValue("view/large_text", large)
    apply_fonts(app, large)


def error_style() -> str:
    """The look of a message under a field that must be fixed before saving."""
    return "color: #b00020;"


def warning_style() -> str:
    """The look of something to act on that does not stop the work (a wheelchair to take back)."""
    return "color: #a15c00;"


def hint_style() -> str:
    """The look of a quiet explanation line."""
    return "color: #555555;"


def save_cancel_buttons(dialog: QDialog, on_save: object) -> QDialogButtonBox:
    """保存 / 取消 in the clerk's words: 保存 runs on_save, 取消 (and Esc) rejects the dialog."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
    buttons.button(QDialogButtonBox.StandardButton.Save).setText("保存")
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
    buttons.accepted.connect(on_save)
    buttons.rejected.connect(dialog.reject)
    return buttons
