"""救助台账: the relief given in a year (临时救助, 医疗救助, 教育补助, 精神残疾药物补助, 危房改造, 康复训练),
with the year's totals per kind; entering an entry and cancelling a wrong one with a reason."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDateEdit, QDialog, QFormLayout, QHBoxLayout, QHeaderView,
    QInputDialog, QLabel, QLineEdit, QMessageBox, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from app.db.engine import Database
from app.domain import money
from app.domain.money import yuan_plain, yuan_text
from app.domain.months import Month
from app.domain.words import BY_HOUSEHOLD, ReliefKind
from app.errors import CanlianError, InputError
from app.services.settings import unit_info
from app.services.subsidies import policies, relief_ledger
from ui import style
from ui.devices.person_picker import PersonPicker
from ui.road import Road

ALL_KINDS = "全部项目"
SHOWN = 1000  # newest entries listed; the totals always count the whole year
HEADERS = ("日期", "项目", "姓名（户主）", "金额（元）", "物品或项目", "审批人", "备注")


class ReliefDialog(QDialog):
    """登记救助: the kind, the person (the household for 危房改造), date, amount or item, approver, note."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setWindowTitle("登记救助")
        self.kind_box = QComboBox()
        self.kind_box.setObjectName("kind")
        self.kind_box.addItems(list(ReliefKind))
        self.kind_box.currentTextChanged.connect(self._default_amount)
        self.picker = PersonPicker(Road(db, self))  # the picker reads through a road (until this page has one)
        self.date_edit = QDateEdit(QDate.currentDate())
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.amount_edit = QLineEdit()
        self.amount_edit.setObjectName("amount")
        self.item_edit = QLineEdit()
        self.item_edit.setObjectName("item")
        self.item_edit.setPlaceholderText("物品、医院、学校等，可不填")
        self.approver_edit = QLineEdit()
        self.approver_edit.setObjectName("approver")
        self.note_edit = QLineEdit()
        self.note_edit.setObjectName("note")
        self.message = QLabel()
        self.message.setStyleSheet(style.error_style())
        self.message.setWordWrap(True)
        with db.session() as session:
            self.approver_edit.setText(unit_info(session).head)
        form = QFormLayout()
        form.addRow("项目：", self.kind_box)
        form.addRow("对象：", self.picker)
        form.addRow("日期：", self.date_edit)
        form.addRow("金额（元）：", self.amount_edit)
        form.addRow("物品或项目：", self.item_edit)
        form.addRow("审批人：", self.approver_edit)
        form.addRow("备注：", self.note_edit)
        buttons = style.save_cancel_buttons(self, self.save)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.resize(560, 480)
        self._default_amount(self.kind_box.currentText())

    def _default_amount(self, kind: str) -> None:
        with self.db.session() as session:
            fen = policies.relief_default_fen(session, kind, Month.of(dt.date.today()))
        self.amount_edit.setText(yuan_plain(fen) if fen else "")

    def save(self) -> bool:
        """Record the entry; a problem is shown in the dialog and nothing is saved."""
        value = self.date_edit.date()
        try:
            person_id = self.picker.person_id()
            if person_id is None:
                raise InputError("请先查找并选中救助对象。")
            with self.db.transaction("救助台账") as session:
                relief_ledger.record_relief(
                    session, self.kind_box.currentText(), person_id=person_id,
                    on=dt.date(value.year(), value.month(), value.day()),
                    amount_fen=money.fen(self.amount_edit.text()), item=self.item_edit.text(),
                    approver=self.approver_edit.text(), note=self.note_edit.text())
        except CanlianError as exc:
            self.message.setText(str(exc))
            return False
        self.accept()
        return True


class LedgerPage(QWidget):
    """The year's entries and totals; 登记 and 作废 under them."""

    changed = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        this_year = dt.date.today().year
        self.year_box = QComboBox()
        self.year_box.setObjectName("ledger_year")
        for year in range(this_year, this_year - 10, -1):
            self.year_box.addItem(f"{year}年", year)
        self.kind_box = QComboBox()
        self.kind_box.setObjectName("ledger_kind")
        self.kind_box.addItems([ALL_KINDS, *ReliefKind])
        self.year_box.currentIndexChanged.connect(lambda _i: self.refresh())
        self.kind_box.currentIndexChanged.connect(lambda _i: self.refresh())
        self.totals_label = QLabel()
        self.totals_label.setObjectName("ledger_totals")
        self.totals_label.setWordWrap(True)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setObjectName("ledger_table")
        self.table.setHorizontalHeaderLabels(list(HEADERS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(6, QHeaderView.ResizeMode.Stretch)
        for col, width in enumerate((100, 130, 110, 100, 150, 80)):
            self.table.setColumnWidth(col, width)
        self.add_button = QPushButton("登记救助…")
        self.add_button.setObjectName("add_relief")
        self.add_button.clicked.connect(self.add)
        self.cancel_button = QPushButton("作废选中记录…")
        self.cancel_button.clicked.connect(self.cancel_selected)
        top = QHBoxLayout()
        for widget in (QLabel("年份："), self.year_box, QLabel("项目："), self.kind_box):
            top.addWidget(widget)
        top.addStretch(1)
        top.addWidget(self.add_button)
        top.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.totals_label)
        layout.addWidget(self.table, 1)
        self.ids: list[int] = []

    def year(self) -> int:
        year: int = self.year_box.currentData()
        return year

    def refresh(self) -> None:
        kind = self.kind_box.currentText()
        with self.db.session() as session:
            rows = relief_ledger.ledger(session, year=self.year(), kind=None if kind == ALL_KINDS else kind,
                                     limit=SHOWN + 1)
            found = relief_ledger.totals(session, dt.date(self.year(), 1, 1), dt.date(self.year(), 12, 31))
        parts = []
        for total in found.values():
            if total.entries:
                who = f"{total.households}户" if total.kind in BY_HOUSEHOLD else f"{total.persons}人"
                amount = f"{yuan_text(total.amount_fen)}元" if total.amount_fen else f"{total.entries}次"
                parts.append(f"{total.kind}{who}，{amount}")
        more = f"（下表只列最近{SHOWN}条，可按项目筛选）" if len(rows) > SHOWN else ""
        rows = rows[:SHOWN]
        self.totals_label.setText(f"{self.year()}年合计：" + ("；".join(parts) if parts else "尚无记录") + more)
        self.table.setRowCount(len(rows))
        self.ids = [row.id for row in rows]
        for r, row in enumerate(rows):
            cells = (row.date.isoformat(), row.kind, row.name, yuan_text(row.amount_fen) if row.amount_fen else "",
                     row.item, row.approver, row.note)
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c == 3:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c, item)

    def add(self) -> None:
        if ReliefDialog(self.db, self).exec() == QDialog.DialogCode.Accepted:
            self.refresh()
            self.changed.emit()

    def cancel_selected(self) -> None:
        row = self.table.currentRow()
        if not 0 <= row < len(self.ids):
            QMessageBox.information(self, "作废记录", "请先在列表中选中要作废的记录。")
            return
        reason, ok = QInputDialog.getText(self, "作废记录", "作废原因（记录会保留，不再计入合计）：")
        if not ok:
            return
        try:
            with self.db.transaction("救助台账") as session:
                relief_ledger.cancel_relief(session, self.ids[row], reason)
        except CanlianError as exc:
            QMessageBox.warning(self, "作废记录", str(exc))
            return
        self.refresh()
