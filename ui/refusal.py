"""A refused input gets the keys back: the field a refusal names (app.errors.InputError.field) takes the
focus with its text selected, so what the clerk types next goes into it instead of being lost on the
button they pressed."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractSpinBox, QComboBox, QLineEdit, QWidget


def focus_refused(form: QWidget, exc: BaseException, fields: Mapping[str, QWidget] | None = None) -> None:
    """Focus the field exc names: fields[name] if given, else form's child of that object name."""
    name = getattr(exc, "field", "")
    if not name:
        return
    widget = (fields or {}).get(name) or form.findChild(QWidget, name)
    if widget is None or not widget.isEnabled():
        return
    widget.setFocus(Qt.FocusReason.OtherFocusReason)
    line = widget.lineEdit() if isinstance(widget, QComboBox) and widget.isEditable() else widget
    if isinstance(line, (QLineEdit, QAbstractSpinBox)):
        line.selectAll()
