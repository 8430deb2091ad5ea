"""Small pieces the device dialogs share: a date field that stops at today, the type chooser, the message
line, and writing a printout into the print folder and opening it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QComboBox, QDateEdit, QLabel, QWidget

from app.services.devices.catalogue import DeviceTypeInfo, catalogue_types
from ui import style
from ui.printing import printout_path, show_printout
from ui.road import Road


def date_edit(name: str = "date") -> QDateEdit:
    edit = QDateEdit(QDate.currentDate())
    edit.setObjectName(name)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setMaximumDate(QDate.currentDate())
    return edit


def day_of(edit: QDateEdit) -> dt.date:
    d = edit.date()
    return dt.date(d.year(), d.month(), d.day())


def type_box(road: Road, name: str = "device_type") -> tuple[QComboBox, list[DeviceTypeInfo]]:
    """A chooser of the catalogue's types (active ones), with the list it shows."""
    types = road.read(catalogue_types)
    box = QComboBox()
    box.setObjectName(name)
    for t in types:
        box.addItem(f"{t.name}（{t.unit}）", t.id)
    return box, types


def message_label() -> QLabel:
    label = QLabel()
    label.setObjectName("message")
    label.setWordWrap(True)
    label.setStyleSheet(style.error_style())
    return label


def print_file(parent: QWidget | None, stem: str, write: Callable[[Path], Path], what: str) -> Path:
    """Write a printout (small: done at once) and show it in 打印预览, from which the clerk prints or saves it."""
    path = write(printout_path(stem))
    show_printout(parent, what, path)
    return path
