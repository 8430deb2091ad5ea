"""A person's history: every status change with its date and reason, and every change of a field
(from the audit rows), in the clerk's words: 2025-03-02 联系电话 由 139… 改为 138…"""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QAbstractItemView, QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from app.db.engine import Database
from app.domain.disability import category_label, grade_label
from app.domain.register_rules import FIELD_LABELS, REGISTERED_BEFORE_RECORDS
from app.services.register import people, status_changes, villages
from app.services.visits.history import visits_of_person
from ui import style

# Fields that are not on the form, named as the clerk would say them.
EXTRA_LABELS = {
    "village_id": "村", "group_id": "组", "household_id": "所在户", "status": "状态", "status_date": "状态日期",
    "birth_date": "出生日期",
}
HIDDEN_FIELDS = {"status", "status_date"}  # shown by the status rows, with their reason


def _value_text(field: str, value: str | None, names: dict[str, dict[str, str]]) -> str:
    if value in (None, ""):
        return "（空）"
    if field == "category":
        return category_label(int(value))
    if field == "grade":
        return grade_label(int(value))
    if field == "components":
        return "、".join(category_label(int(c)) for c in value.split(",") if c)
    if field in names:
        return names[field].get(value, value)
    if field == "household_id":
        return f"第{value}户"
    return value


class HistoryView(QWidget):
    """The history of one person, newest first."""

    def __init__(self, db: Database, person_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.person_id = person_id
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("history")
        self.table.setHorizontalHeaderLabels(["日期", "事项", "内容"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(0, 150)
        self.table.setColumnWidth(1, 120)
        note = QLabel("状态变更和每一项修改都会自动记下，不能删除。")
        note.setStyleSheet(style.hint_style())
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.table)
        self.refresh()

    def rows(self) -> list[tuple[str, str, str]]:
        """(when, what, detail) newest first: what the table shows (tests read it too)."""
        entries: list[tuple[dt.datetime, int, tuple[str, str, str]]] = []
        with self.db.session() as session:
            person = people.get_person(session, self.person_id)
            names = {
                "village_id": {str(v.id): v.name for v in villages.list_villages(session)},
                "group_id": {str(g.id): g.name for v in villages.list_villages(session) for g in v.groups},
            }
            for change in status_changes.status_history(session, person):
                detail = change.status + (f"：{change.reason}" if change.reason else "")
                when = dt.datetime.combine(change.date, dt.time())
                shown = "不详" if change.date == REGISTERED_BEFORE_RECORDS else change.date.isoformat()
                entries.append((change.recorded_at or when, 1, (shown, "状态变更", detail)))
            for entry in people.audit_trail(session, self.person_id):
                if entry.action == "新增":
                    entries.append((entry.at, 0, (entry.at.strftime("%Y-%m-%d %H:%M"), "新登记", "登记入册")))
                    continue
                if entry.field in HIDDEN_FIELDS:
                    continue
                label = FIELD_LABELS.get(entry.field) or EXTRA_LABELS.get(entry.field, entry.field)
                old = _value_text(entry.field, entry.old_value, names)
                new = _value_text(entry.field, entry.new_value, names)
                entries.append((entry.at, 2, (entry.at.strftime("%Y-%m-%d %H:%M"), f"修改{label}", f"由 {old} 改为 {new}")))
            for visit in visits_of_person(session, self.person_id):
                detail = f"{visit.campaign}：{visit.outcome}" + (f"，{visit.given}" if visit.given else "")
                entries.append((dt.datetime.combine(visit.day, dt.time()), 1, (visit.day.isoformat(), "节日慰问", detail)))
        entries.sort(key=lambda e: (e[0], e[1]), reverse=True)
        return [e[2] for e in entries]

    def refresh(self) -> None:
        rows = self.rows()
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                self.table.setItem(r, c, QTableWidgetItem(text))
