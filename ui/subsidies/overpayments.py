"""追回台账: the money paid for months after a subsidy should have stopped (a death, a move or a lost 低保
recorded late), kept as 应追回 until the clerk records what came back (登记追回: date, amount, how; a part
leaves the rest owed) or writes the rest off (核销, with a reason); and the printed 追回通知 for the selected
person, or the 明细 of what is shown. Everything is read, written and printed through the road
(app.services.subsidies: overpayment_ledger, overpayments, printouts)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
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
from app.domain.words import OverpaymentState
from app.errors import CanlianError
from app.services.subsidies import overpayments
from app.services.subsidies.overpayment_ledger import OverpaymentRow, overpayment_page
from app.services.subsidies.printouts import print_overpayments
from ui import style
from ui.printing import printout_path, show_printout
from ui.refusal import focus_refused
from ui.road import Road
from ui.said import say
from ui.screen import ScreenDialog
from ui.tasks import Task

OPEN = "open"  # the filter: only what is still owed
HEADERS = ("记下日期", "姓名", "村", "补贴", "多发月份", "多发金额", "已追回", "核销", "未追回", "状态", "原因",
           "追回、核销记录")
MONEY_COLUMNS = (5, 6, 7, 8)
RECOVER, WRITE_OFF = "追回", "核销"


class SettleDialog(ScreenDialog):
    """登记追回 (date, amount, how) or 核销 (date, reason; what is still owed) of one overpayment."""

    def __init__(self, road: Road, row: OverpaymentRow, action: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.road, self.row, self.action = road, row, action
        self.setWindowTitle(f"{'登记追回' if action == RECOVER else '核销'} - {row.name}")
        what = QLabel(f"{row.name}　{row.programme_name}　{row.months_text}已发放{yuan_text(row.amount_fen)}元，"
                      f"尚欠{yuan_text(row.outstanding_fen)}元（{row.cause}）")
        what.setWordWrap(True)
        self.date_edit = QDateEdit(QDate.currentDate())
        self.date_edit.setObjectName("settle_date")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.date_edit.setMaximumDate(QDate.currentDate())
        self.amount_edit = QLineEdit(yuan_plain(row.outstanding_fen))
        self.amount_edit.setObjectName("settle_amount")
        self.way_box = QComboBox()
        self.way_box.setObjectName("settle_way")
        self.way_box.setEditable(True)
        if action == RECOVER:
            self.way_box.addItems(overpayments.RECOVERY_WAYS)
        else:
            self.way_box.lineEdit().setPlaceholderText("如：经县残联批准，家中无力退还")
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setStyleSheet(style.error_style())
        self.message.setWordWrap(True)
        form = QFormLayout()
        form.addRow("日期(&D)：", self.date_edit)
        if action == RECOVER:
            form.addRow("追回金额（元）(&A)：", self.amount_edit)
            form.addRow("追回方式(&W)：", self.way_box)
            hint = "只追回一部分时，其余仍记为应追回。"
        else:
            form.addRow("核销原因(&R)：", self.way_box)
            hint = f"核销后，尚欠的{yuan_text(row.outstanding_fen)}元不再追回，记录保留。"
        note = QLabel(hint)
        note.setStyleSheet(style.hint_style())
        layout = QVBoxLayout(self)
        layout.addWidget(what)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.message)
        buttons = style.save_cancel_buttons(self, self.save)
        buttons.button(QDialogButtonBox.StandardButton.Save).setObjectName("save")
        layout.addWidget(buttons)
        self.resize(520, self.sizeHint().height())

    def day(self) -> dt.date:
        value = self.date_edit.date()
        return dt.date(value.year(), value.month(), value.day())

    def save(self) -> bool:
        """Record it; a problem is shown in the dialog and nothing is saved."""
        try:
            if self.action == RECOVER:
                row = self.road.write(overpayments.recover, self.row.id, self.day(),
                                      money.fen(self.amount_edit.text()), self.way_box.currentText())
                line = f"已登记{row.name}追回{yuan_text(self.row.outstanding_fen - row.outstanding_fen)}元"
            else:
                row = self.road.write(overpayments.write_off, self.row.id, self.day(), self.way_box.currentText())
                line = f"已核销{row.name}的应追回款{yuan_text(self.row.outstanding_fen)}元"
        except CanlianError as exc:
            self.message.setText(str(exc))
            focus_refused(self, exc, {"reason": self.way_box})
            return False
        rest = f"，尚欠{yuan_text(row.outstanding_fen)}元，仍在“应追回”中。" if row.outstanding_fen else "，已结清。"
        say(self.parentWidget(), line + rest)
        self.accept()
        return True


class OverpaymentPage(QWidget):
    """The overpayments (what is still owed, or all of a year), their totals, and what to do with one."""

    def __init__(self, road: Road, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.road = road
        self.filter_box = QComboBox()
        self.filter_box.setObjectName("overpayment_filter")
        self.filter_box.addItem("尚未追回的", OPEN)
        this_year = dt.date.today().year
        for year in range(this_year, this_year - 6, -1):
            self.filter_box.addItem(f"{year}年记下的", year)
        self.filter_box.currentIndexChanged.connect(lambda _i: self.refresh())
        self.totals_label = QLabel()
        self.totals_label.setObjectName("overpayment_totals")
        self.totals_label.setWordWrap(True)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setObjectName("overpayment_table")
        self.table.setHorizontalHeaderLabels(list(HEADERS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)  # few rows: whole dates, large text too
        header.setSectionResizeMode(11, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._enable)
        self.recover_button = QPushButton("登记追回(&R)…")
        self.recover_button.setObjectName("recover_button")
        self.recover_button.clicked.connect(lambda: self.settle(RECOVER))
        self.write_off_button = QPushButton("核销(&X)…")
        self.write_off_button.setObjectName("write_off_button")
        self.write_off_button.clicked.connect(lambda: self.settle(WRITE_OFF))
        self.notice_button = QPushButton("打印追回通知(&T)")
        self.notice_button.setObjectName("notice_button")
        self.notice_button.clicked.connect(self.print_notice)
        self.list_button = QPushButton("打印明细(&L)")
        self.list_button.setObjectName("list_button")
        self.list_button.clicked.connect(self.print_list)
        shown = QLabel("显示(&V)：")
        shown.setBuddy(self.filter_box)
        top = QHBoxLayout()
        for widget in (shown, self.filter_box):
            top.addWidget(widget)
        top.addStretch(1)
        for button in (self.recover_button, self.write_off_button, self.notice_button, self.list_button):
            top.addWidget(button)
        hint = QLabel("记下死亡、迁出或低保取消时，若日期早于已确认发放的月份，多发的补贴自动记在这里。")
        hint.setStyleSheet(style.hint_style())
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.totals_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(hint)
        self.rows: list[OverpaymentRow] = []
        self._enable()

    def shown(self) -> str | int:
        chosen: str | int = self.filter_box.currentData()
        return chosen

    def refresh(self) -> None:
        shown = self.shown()
        page = self.road.read(overpayment_page, open_only=shown == OPEN, year=shown if isinstance(shown, int) else None)
        self.rows = page.rows
        self.totals_label.setText(page.totals(self.filter_box.currentText()))
        self.table.setRowCount(len(self.rows))
        for r, row in enumerate(self.rows):
            cells = (row.raised_on.isoformat(), row.name, row.village, row.programme_name, row.months_text,
                     yuan_text(row.amount_fen), yuan_text(row.recovered_fen), yuan_text(row.written_off_fen),
                     yuan_text(row.outstanding_fen), row.state, row.cause, row.ways)
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c in MONEY_COLUMNS:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c, item)
        self._enable()

    def select(self, overpayment_id: int) -> None:
        """Show what is still owed and select this one (from the review's 应追回 list)."""
        self.filter_box.setCurrentIndex(0)
        self.refresh()
        for r, row in enumerate(self.rows):
            if row.id == overpayment_id:
                self.table.selectRow(r)

    def selected(self) -> OverpaymentRow | None:
        r = self.table.currentRow()
        return self.rows[r] if 0 <= r < len(self.rows) and self.table.selectedItems() else None

    def _enable(self) -> None:
        row = self.selected()
        owed = row is not None and row.state == OverpaymentState.OWED
        self.recover_button.setEnabled(owed)
        self.write_off_button.setEnabled(owed)
        self.notice_button.setEnabled(row is not None and row.state != OverpaymentState.CANCELLED)
        self.list_button.setEnabled(bool(self.rows))

    def settle(self, action: str) -> bool:
        row = self.selected()
        if row is None:
            QMessageBox.information(self, "追回台账", "请先在列表中选中一笔应追回款。")
            return False
        # saved: the road tells the tab, which reads this page again
        return SettleDialog(self.road, row, action, self).exec() == QDialog.DialogCode.Accepted

    def _print(self, title: str, path: Path, person_ids: list[int] | None = None,
               year: int | None = None) -> Task[Path]:
        return self.road.run(self, title, print_overpayments, path, person_ids=person_ids, year=year,
                             on_done=lambda written: show_printout(self, title.removeprefix("打印"), written))

    def print_notice(self) -> Task[Path] | None:
        row = self.selected()
        if row is None:
            QMessageBox.information(self, "打印追回通知", "请先在列表中选中要通知的人。")
            return None
        path = printout_path(f"追回通知-{row.name}")
        return self._print("打印追回通知", path, person_ids=[row.person_id])

    def print_list(self) -> Task[Path]:
        shown = self.shown()
        year = shown if isinstance(shown, int) else None
        path = printout_path(f"两项补贴应追回明细-{year or '未追回'}")
        return self._print("打印应追回明细", path, year=year)
