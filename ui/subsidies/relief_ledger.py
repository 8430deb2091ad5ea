"""救助台账: the relief given in a year (临时救助, 医疗救助, 教育补助, 精神残疾药物补助, 危房改造, 康复训练),
with the year's totals per kind; entering an entry and cancelling a wrong one with a reason. The page and
the dialog read and write through the road (app.services.subsidies.relief_ledger)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain import money
from app.domain.money import yuan_plain, yuan_text
from app.domain.words import ReliefKind
from app.errors import CanlianError, InputError
from app.services.subsidies import relief_ledger
from ui import style
from ui.devices.person_picker import PersonPicker
from ui.road import Road
from ui.said import say
from ui.screen import ScreenDialog

ALL_KINDS = "全部项目"
SHOWN = 1000  # newest entries listed; the totals always count the whole year
HEADERS = ("日期", "项目", "姓名（户主）", "金额（元）", "物品或项目", "审批人", "备注")


class ReliefDialog(ScreenDialog):
    """登记救助: the kind, the person (the household for 危房改造), date, amount or item, approver, note."""

    def __init__(self, road: Road, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.road = road
        self.defaults = road.read(relief_ledger.entry_defaults, dt.date.today())
        self.setWindowTitle("登记救助")
        self.kind_box = QComboBox()
        self.kind_box.setObjectName("kind")
        self.kind_box.addItems(list(ReliefKind))
        self.kind_box.currentTextChanged.connect(self._default_amount)
        self.picker = PersonPicker(road)
        self.date_edit = QDateEdit(QDate.currentDate())
        self.date_edit.setObjectName("date")
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
        self.message.setObjectName("message")
        self.message.setStyleSheet(style.error_style())
        self.message.setWordWrap(True)
        self.approver_edit.setText(self.defaults.approver)
        form = QFormLayout()
        form.addRow("项目：", self.kind_box)
        form.addRow("对象：", self.picker)
        form.addRow("日期：", self.date_edit)
        form.addRow("金额（元）：", self.amount_edit)
        form.addRow("物品或项目：", self.item_edit)
        form.addRow("审批人：", self.approver_edit)
        form.addRow("备注：", self.note_edit)
        buttons = style.save_cancel_buttons(self, self.save)
        buttons.button(QDialogButtonBox.StandardButton.Save).setObjectName("save")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.resize(max(560, self.fontMetrics().horizontalAdvance("中") * 46), 480)  # a found person's line whole
        self._default_amount(self.kind_box.currentText())

    def _default_amount(self, kind: str) -> None:
        fen = self.defaults.amount_fen.get(kind, 0)
        self.amount_edit.setText(yuan_plain(fen) if fen else "")

    def save(self) -> bool:
        """Record the entry; a problem is shown in the dialog and nothing is saved."""
        value = self.date_edit.date()
        try:
            person_id = self.picker.person_id()
            if person_id is None:
                raise InputError("请先查找并选中救助对象。")
            kind = self.kind_box.currentText()
            self.road.write(relief_ledger.record_relief, kind, person_id=person_id,
                            on=dt.date(value.year(), value.month(), value.day()),
                            amount_fen=money.fen(self.amount_edit.text()), item=self.item_edit.text(),
                            approver=self.approver_edit.text(), note=self.note_edit.text())
        except CanlianError as exc:
            self.message.setText(str(exc))
            return False
        person = self.picker.person()
        who = person.name if person is not None else ""
        say(self.parentWidget(), f"已登记{who}的{kind}（{value.year()}年），在本年救助台账中可见。")
        self.accept()
        return True


class LedgerPage(QWidget):
    """The year's entries and totals; 登记 and 作废 under them."""

    def __init__(self, road: Road, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.road = road
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
        style.size_columns(self.table, dict(enumerate(("2026-11-30", "临时救助等等", "欧阳秀兰", "10,000.00",
                                                        "米面油等慰问品", "王审批"))))
        self.add_button = QPushButton("登记救助…")
        self.add_button.setObjectName("add_relief")
        self.add_button.clicked.connect(self.add)
        self.cancel_button = QPushButton("作废选中记录…")
        self.cancel_button.setObjectName("cancel_relief")
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
        page = self.road.read(relief_ledger.ledger_page, self.year(), None if kind == ALL_KINDS else kind, SHOWN)
        rows = page.rows
        more = f"（下表只列最近{SHOWN}条，可按项目筛选）" if page.more else ""
        self.totals_label.setText(page.totals + more)
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
        ReliefDialog(self.road, self).exec()  # saved: the road tells the tab, which reads this page again

    def cancel_selected(self) -> None:
        row = self.table.currentRow()
        if not 0 <= row < len(self.ids):
            QMessageBox.information(self, "作废记录", "请先在列表中选中要作废的记录。")
            return
        reason, ok = QInputDialog.getText(self, "作废记录", "作废原因（记录会保留，不再计入合计）：")
        if not ok:
            return
        cells = (self.table.item(row, column) for column in (0, 2, 1))  # 日期 姓名 项目
        what = " ".join(cell.text() for cell in cells if cell is not None and cell.text())
        if self.road.attempt(self, "作废记录", relief_ledger.cancel_relief, self.ids[row], reason) is not None:
            say(self, f"已作废 {what} 这条记录：记录保留，不再计入合计。")
