"""Fonts and text size for the whole window, and the one place settings are kept (QSettings).

Chinese must render on a PC with no Chinese font: the shipped WenQuanYi Micro Hei is registered at start
and made the application font. The larger-text setting changes the application font's size, and every widget
follows at once: widgets with a style sheet of their own (the coloured message lines) keep the font they were
polished with until the sheet is set again, so apply_fonts sets it again; sizes measured in the font (column
widths, row heights, a list's height) are kept by follow_font, not set once at construction.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtCore import QEvent, QObject, QSettings, QTimer
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QAbstractItemView, QApplication, QDialog, QDialogButtonBox, QHeaderView, QTreeView

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
    for widget in app.allWidgets():
        heading = widget.property(HEADING)
        if heading:
            widget.setStyleSheet(_heading_sheet(int(heading)))
        elif widget.styleSheet():
            widget.setStyleSheet(widget.styleSheet())  # polished again: the sheet's widget takes the new font


HEADING = "canlian_heading"  # a widget's property: its text this many points above the application's


def _heading_sheet(points_above: int) -> str:
    return f"font-weight: bold; font-size: {QApplication.font().pointSize() + points_above}pt;"


def heading(widget: QObject, points_above: int = 4) -> None:
    """Bold text larger than the rest (a wizard's result), growing with 大字体 as the rest does."""
    widget.setProperty(HEADING, points_above)
    widget.setStyleSheet(_heading_sheet(points_above))  # type: ignore[attr-defined]


class FontFollower(QObject):
    """Calls fit() now and after each change of the widget's font (大字体), once the change has reached
    every widget (a table's header changes after the table)."""

    def __init__(self, widget: QObject, fit: Callable[[], None]) -> None:
        super().__init__(widget)
        self.setObjectName("font_follower")
        self.fit = fit
        self._due = False
        widget.installEventFilter(self)
        fit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FontChange and not self._due:
            self._due = True
            QTimer.singleShot(0, self._refit)
        return False

    def _refit(self) -> None:
        self._due = False
        self.fit()


def follow_font(widget: QObject, fit: Callable[[], None]) -> FontFollower:
    """Keep a size measured in the widget's font (a row height, a list's height) as the font changes."""
    return FontFollower(widget, fit)


def size_columns(view: QAbstractItemView, samples: Mapping[int, str], padding: int = 18) -> FontFollower:
    """Column widths that hold their sample text and their whole header (with the sort mark), in the
    current font and again after every change of it: no header is cut in 大字体."""
    def fit() -> None:
        header = view.header() if isinstance(view, QTreeView) else view.horizontalHeader()  # type: ignore[attr-defined]
        metrics = view.fontMetrics()
        for col, sample in samples.items():
            header.resizeSection(col, max(metrics.horizontalAdvance(sample) + padding, header_need(header, col)))

    return FontFollower(view, fit)


def header_need(header: QHeaderView, section: int) -> int:
    """The width a header section needs to show its whole title (and the sort mark)."""
    return header.sectionSizeFromContents(section).width()


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
