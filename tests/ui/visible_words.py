"""The words a clerk can read on a window or dialog: buttons, titles, labels, tab texts, menu items, table
headers, placeholders, the right-click menu of a text box; and the English words among them (names such as
Excel, PDF, USB and the keys Ctrl, Alt, F1 allowed)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QDateTimeEdit,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListView,
    QMainWindow,
    QMenu,
    QPlainTextEdit,
    QTabBar,
    QTextEdit,
    QToolBar,
    QWidget,
    QWizard,
    QWizardPage,
)

# Names the clerk meets as they are, in Chinese offices too: programs, file kinds, keys, units.
ALLOWED = {
    "excel", "wps", "pdf", "usb", "xlsx", "xls", "csv", "json", "zip", "sha", "aes", "winrar", "winzip",
    "ctrl", "alt", "shift", "tab", "esc", "enter", "pgup", "pgdn", "pgdown",  # keys, as Qt names them
    "kb", "mb", "gb", "tb",
    "canlian", "sqlite",
    "zs",  # the pinyin initials of 张三, what the clerk types to find him
    "lihong",  # the example login a county gives its clerk 李红 (PostgreSQL logins are written in pinyin)
}
# Allowed with what follows or precedes them: 7-Zip, F1 … F12, and a key's fingerprint (8 groups of 4 hex
# digits, read out on the telephone as letters and digits: 6724 7FA5 FBA8 …).
_ALLOWED_PATTERNS = (re.compile(r"7-Zip", re.I), re.compile(r"\bF\d{1,2}\b"),
                     re.compile(r"\b[0-9A-F]{4}(?: [0-9A-F]{4}){7}\b"))
_WORD = re.compile(r"[A-Za-z]{2,}")
_PATH = re.compile(r"(?:[A-Za-z]:)?[\\/][^\s：，。；）)”\"]*")  # a file or folder the clerk's data lives in
_TAG = re.compile(r"<[^>]+>")
_ENTITY = re.compile(r"&(?:nbsp|lt|gt|amp|quot);")


def english_words(text: str) -> list[str]:
    """The English words of a text as the clerk reads it (markup, paths, shortcut marks and allowed names
    left out)."""
    text = _ENTITY.sub(" ", _TAG.sub(" ", text))
    text = _PATH.sub(" ", text).replace("&", "")
    for pattern in _ALLOWED_PATTERNS:
        text = pattern.sub(" ", text)
    return [word for word in _WORD.findall(text) if word.lower() not in ALLOWED]


def _header_texts(view: QAbstractItemView) -> Iterator[str]:
    model = view.model()
    if model is None or isinstance(view, QListView):
        return
    for section in range(model.columnCount(QModelIndex())):
        value = model.headerData(section, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
        if value is not None:
            yield str(value)


def _menu_texts(actions: list[QAction]) -> Iterator[str]:
    for action in actions:
        yield action.text()
        yield action.iconText()
        menu = action.menu()
        if isinstance(menu, QMenu):
            yield menu.title()
            yield from _menu_texts(menu.actions())


def readable_texts(top: QWidget) -> Iterator[tuple[str, str]]:
    """(where, text) for every text the clerk may read on top and the widgets inside it."""
    widgets = [top, *top.findChildren(QWidget)]
    for widget in widgets:
        kind = type(widget).__name__
        where = f"{kind} {widget.objectName() or ''}".strip()
        if widget.isWindow():
            yield where + " title", widget.windowTitle()
        if isinstance(widget, (QLabel, QAbstractButton)):
            yield where, widget.text()
        elif isinstance(widget, QTabBar):
            for i in range(widget.count()):
                yield where + " tab", widget.tabText(i)
        elif isinstance(widget, QGroupBox):
            yield where, widget.title()
        elif isinstance(widget, (QLineEdit, QPlainTextEdit, QTextEdit)):
            yield where + " placeholder", widget.placeholderText()
            menu = widget.createStandardContextMenu()  # 撤消, 复制, 粘贴 … on a right click
            yield from ((where + " right-click menu", t) for t in _menu_texts(menu.actions()))
            menu.deleteLater()
        elif isinstance(widget, QComboBox):
            yield where + " placeholder", widget.placeholderText()  # its entries are the register's data
        elif isinstance(widget, QAbstractItemView):
            for text in _header_texts(widget):
                yield where + " header", text
        if isinstance(widget, QDateTimeEdit):
            yield where, widget.text()  # dates as the locale writes them
        elif isinstance(widget, QAbstractSpinBox):
            for text in (widget.specialValueText(), getattr(widget, "prefix", str)(), getattr(widget, "suffix", str)()):
                yield where, text
        if isinstance(widget, QWizardPage):
            yield where + " title", widget.title()
            yield where + " subtitle", widget.subTitle()
        if isinstance(widget, QWizard):
            for button in QWizard.WizardButton:
                if button.value < QWizard.WizardButton.NButtons.value:
                    yield where + " button", widget.buttonText(button)
        if isinstance(widget, QMainWindow):
            yield from ((where + " menu", t) for t in _menu_texts(widget.menuBar().actions()))
        if isinstance(widget, (QToolBar, QMenu)):
            yield from ((where + " action", t) for t in _menu_texts(widget.actions()))
        tip = widget.toolTip()
        if tip:
            yield where + " tooltip", tip


def english_on(top: QWidget) -> list[str]:
    """Each text on top that holds an English word, as 'where: text'."""
    found = []
    for where, text in readable_texts(top):
        words = english_words(text)
        if words:
            found.append(f"{where}: {text!r} ({', '.join(words)})")
    return sorted(set(found))
