"""A person's history (变更记录 on the person form): every status change, every change of a field and every
festival visit, newest first, as app.services.register.history words them."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services.register.history import person_history
from ui import style
from ui.road import Road


class HistoryView(QWidget):
    """The history of one person, newest first."""

    def __init__(self, road: Road, person_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.road = road
        self.person_id = person_id
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("history")
        self.table.setHorizontalHeaderLabels(["日期", "事项", "内容"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        style.size_columns(self.table, {0: "2026-11-30 23:59", 1: "状态变更"})
        note = QLabel("状态变更和每一项修改都会自动记下，不能删除。")
        note.setStyleSheet(style.hint_style())
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.table)
        self.refresh()

    def rows(self) -> list[tuple[str, str, str]]:
        """(when, what, detail) newest first, as the table shows them."""
        def text(row: int, column: int) -> str:
            item = self.table.item(row, column)
            return item.text() if item is not None else ""

        return [(text(r, 0), text(r, 1), text(r, 2)) for r in range(self.table.rowCount())]

    def refresh(self) -> None:
        lines = self.road.read(person_history, self.person_id)
        self.table.setRowCount(len(lines))
        for r, line in enumerate(lines):
            for c, text in enumerate((line.when, line.what, line.detail)):
                self.table.setItem(r, c, QTableWidgetItem(text))
