"""Choosing a person in the device dialogs: the register's own search (name, pinyin initials, ID digits,
village), persons on the register first, read through app.services.devices.recipients. ID numbers are
masked in the list."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from app.domain import idnumber
from app.domain.disability import category_label, grade_label
from app.domain.words import PersonStatus
from app.services.devices.recipients import find_recipients, recipient
from app.services.register.search import PersonRow
from ui.road import Road


def describe(row: PersonRow) -> str:
    place = row.village + row.group
    status = "" if row.status == PersonStatus.ON_REGISTER else f"　（{row.status}）"
    return (f"{row.name}　{row.sex}　{category_label(row.category)}{grade_label(row.grade)}　{place}　"
            f"{idnumber.mask(row.id_number)}{status}")


class SearchBox(QLineEdit):
    """The search line: the focus selects the last person's name, however it comes (Tab, a click, the
    dialog opening), so what the clerk types replaces it instead of being added to it."""

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        QTimer.singleShot(0, self.selectAll)  # after a click has placed the cursor


class PersonPicker(QWidget):
    """A search box over a short result list; `chosen` carries the person's id (None when cleared)."""

    chosen = Signal(object)

    def __init__(self, road: Road, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.road = road
        self.search_edit = SearchBox()
        self.search_edit.setObjectName("person_search")
        self.search_edit.setPlaceholderText("输入姓名、拼音首字母或身份证号后几位查找")
        self.search_edit.textChanged.connect(self.find)
        self.results = QListWidget()
        self.results.setObjectName("person_results")
        self.results.setMaximumHeight(130)
        self.results.currentItemChanged.connect(self._changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search_edit)
        layout.addWidget(self.results)
        self.rows: list[PersonRow] = []

    def find(self, text: str) -> None:
        self.results.clear()
        self.rows = []
        if not text.strip():
            self.chosen.emit(None)
            return
        self.rows = self.road.read(find_recipients, text)
        for row in self.rows:
            item = QListWidgetItem(describe(row))
            item.setData(Qt.ItemDataRole.UserRole, row.id)
            self.results.addItem(item)
        if self.rows:
            self.results.setCurrentRow(0)
        else:
            self.chosen.emit(None)

    def choose(self, person_id: int) -> None:
        """Show and select one person (opened from the register or a history line)."""
        found = self.road.read(recipient, person_id)
        rows = [found] if found is not None else []
        self.search_edit.blockSignals(True)
        self.search_edit.setText(rows[0].name if rows else "")
        self.search_edit.blockSignals(False)
        self.results.clear()
        self.rows = rows
        for row in rows:
            item = QListWidgetItem(describe(row))
            item.setData(Qt.ItemDataRole.UserRole, row.id)
            self.results.addItem(item)
        if rows:
            self.results.setCurrentRow(0)

    def person_id(self) -> int | None:
        item = self.results.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def person(self) -> PersonRow | None:
        pid = self.person_id()
        return next((r for r in self.rows if r.id == pid), None)

    def _changed(self, current: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        self.chosen.emit(current.data(Qt.ItemDataRole.UserRole) if current is not None else None)
