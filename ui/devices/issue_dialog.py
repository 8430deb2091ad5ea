"""发放: choose the person (the register's search) and the items; the dialog says at once what stands in
the way (out of stock: cannot go on), what needs a reason (not the person's category, within the use
period) and what to remember (an assessment first). Issuing asks once (who, what, how many, every warning
and reminder: Enter from any field lands here, never straight on the register) and then prints the 领取单
for the person to sign."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QMessageBox,
    QPushButton, QSpinBox, QTableWidget, QVBoxLayout, QWidget,
)

from app.db.engine import Database
from app.domain.disability import category_label, grade_label
from app.errors import CanlianError
from app.reports.device_receipt import write_receipt
from app.services.devices import catalogue, issue, stock
from app.services.devices.issue import IssueCheck, IssueItem
from app.services.settings import unit_info
from ui.devices.common import date_edit, day_of, message_label, print_file, type_box
from ui.devices.person_picker import PersonPicker
from ui.road import Road

AUTO_SERIAL = "（自动选库中最早的一件）"


class IssueDialog(QDialog):
    """Issue one or more items to one person on one 领取单."""

    def __init__(self, db: Database, parent: QWidget | None = None, *, person_id: int | None = None,
                 device_type_id: int | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setWindowTitle("发放辅助器具")
        self.resize(760, 620)
        self.receipt_id: int | None = None
        self.receipt_path: Path | None = None
        self.check: IssueCheck | None = None
        self.picker = PersonPicker(Road(db))  # the devices tab takes the road in its own change
        self.picker.chosen.connect(lambda _pid: self.update_check())
        self.date = date_edit()
        self.date.dateChanged.connect(lambda _d: self.update_check())
        self.items = QTableWidget(0, 4)
        self.items.setObjectName("items")
        self.items.setHorizontalHeaderLabels(["器具", "数量", "型号", "序列号"])
        self.items.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.items.verticalHeader().setVisible(False)
        add = QPushButton("再加一件")
        add.clicked.connect(lambda: self.add_line())
        remove = QPushButton("删除所选")
        remove.clicked.connect(self.remove_line)
        line_buttons = QHBoxLayout()
        line_buttons.addWidget(add)
        line_buttons.addWidget(remove)
        line_buttons.addStretch(1)
        self.warnings = QLabel()
        self.warnings.setObjectName("warnings")
        self.warnings.setWordWrap(True)
        self.reason = QLineEdit()
        self.reason.setObjectName("reason")
        self.reason.setPlaceholderText("有警告时填写继续发放的理由，将记入发放记录和领取单")
        self.reason.textChanged.connect(lambda _t: self._enable())
        self.message = message_label()
        self.buttons = QDialogButtonBox()
        self.ok = self.buttons.addButton("发放并打印领取单", QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setObjectName("issue")
        self.buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.issue)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("领取人：", self.picker)
        form.addRow("发放日期：", self.date)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel("发放的器具（同一人一次领取的可列在一张领取单上）："))
        layout.addWidget(self.items, 1)
        layout.addLayout(line_buttons)
        layout.addWidget(self.warnings)
        layout.addWidget(self.reason)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.add_line(device_type_id)
        if person_id is not None:
            self.picker.choose(person_id)
        self.update_check()

    # --- the lines ---------------------------------------------------------------------------
    def add_line(self, device_type_id: int | None = None) -> int:
        row = self.items.rowCount()
        self.items.insertRow(row)
        box, _types = type_box(self.db)
        if device_type_id is not None and box.findData(device_type_id) >= 0:
            box.setCurrentIndex(box.findData(device_type_id))
        quantity = QSpinBox()
        quantity.setRange(1, 99)
        model = QLineEdit()
        serial = QComboBox()
        box.currentIndexChanged.connect(lambda _i, s=serial, b=box, m=model: self._type_changed(b, s, m))
        quantity.valueChanged.connect(lambda _v: self.update_check())
        serial.currentIndexChanged.connect(lambda _i: self.update_check())
        for col, widget in enumerate((box, quantity, model, serial)):
            self.items.setCellWidget(row, col, widget)
        self._type_changed(box, serial, model)
        return row

    def _type_changed(self, box: QComboBox, serial: QComboBox, model: QLineEdit) -> None:
        if box.currentData() is not None:
            with self.db.session() as session:
                model.setText(stock.latest_model(session, box.currentData()))
        self._fill_serials(box, serial)

    def remove_line(self) -> None:
        if self.items.rowCount() > 1:
            self.items.removeRow(max(self.items.currentRow(), 0))
            self.update_check()

    def line_widgets(self, row: int) -> tuple[QComboBox, QSpinBox, QLineEdit, QComboBox]:
        return (self.items.cellWidget(row, 0), self.items.cellWidget(row, 1),  # type: ignore[return-value]
                self.items.cellWidget(row, 2), self.items.cellWidget(row, 3))

    def _fill_serials(self, box: QComboBox, serial: QComboBox) -> None:
        serial.blockSignals(True)
        serial.clear()
        type_id = box.currentData()
        if type_id is not None:
            with self.db.session() as session:
                serials = stock.serials_in_stock(session, type_id)
            if serials:
                serial.addItem(AUTO_SERIAL, "")
                for s in serials:
                    serial.addItem(s, s)
        serial.setEnabled(serial.count() > 0)
        serial.blockSignals(False)
        self.update_check()

    def chosen_items(self) -> list[IssueItem]:
        out = []
        for row in range(self.items.rowCount()):
            box, quantity, model, serial = self.line_widgets(row)
            if box.currentData() is not None:
                out.append(IssueItem(box.currentData(), quantity.value(), model.text(), serial.currentData() or ""))
        return out

    # --- checking and issuing ----------------------------------------------------------------
    def update_check(self) -> None:
        if not hasattr(self, "ok"):
            return
        person_id = self.picker.person_id()
        if person_id is None:
            self.check = None
            self.warnings.setText("请先查找并选中领取人。")
            self._enable()
            return
        with self.db.session() as session:
            self.check = issue.check_issue(session, person_id, self.chosen_items(), day_of(self.date))
        parts = [f"<p style='color:#b00020'>不能发放：{t}</p>" for t in self.check.refusals]
        parts += [f"<p style='color:#a15c00'>警告：{w.text}</p>" for w in self.check.warnings if w.needs_reason]
        parts += [f"<p style='color:#555555'>提醒：{w.text}</p>" for w in self.check.warnings if not w.needs_reason]
        if self.check.needs_reason and not self.check.refusals:
            parts.append("<p>如确需发放，请在下面填写理由。</p>")
        self.warnings.setText("".join(parts) or "<p style='color:#1b5e20'>符合发放条件。</p>")
        self._enable()

    def _enable(self) -> None:
        check = self.check
        needs = bool(check and check.needs_reason and not check.refusals)
        self.reason.setEnabled(needs)
        ready = check is not None and not check.refusals and (not needs or bool(self.reason.text().strip()))
        self.ok.setEnabled(ready)

    def confirmation(self) -> str:
        """What the question before issuing says: the person, each item with its quantity, and every
        warning and reminder the dialog shows (with the reason given for going on)."""
        person = self.picker.person()
        lines = []
        if person is not None:
            place = person.village + person.group
            lines.append(f"领取人：{person.name}（{category_label(person.category)}{grade_label(person.grade)}"
                         + (f"，{place}" if place else "") + "）")
        with self.db.session() as session:
            for item in self.chosen_items():
                kind = catalogue.device_type(session, item.device_type_id)
                details = [f"型号{item.model.strip()}"] if item.model.strip() else []
                details += [f"序列号{item.serial}"] if item.serial else []
                lines.append(f"发放：{kind.name} {item.quantity}{kind.unit}"
                             + (f"（{'，'.join(details)}）" if details else ""))
        if self.check is not None and self.check.warnings:
            lines.append("")
            lines += [f"{w.level.value}：{w.text}" for w in self.check.warnings]
            if self.check.needs_reason:
                lines.append(f"理由：{self.reason.text().strip()}")
        lines += ["", "确定发放并打印领取单吗？"]
        return "\n".join(lines)

    def question(self, text: str, careful: bool) -> QMessageBox:
        """The question box; with a warning or reminder in it, Enter means 返回修改, so a second Enter
        pressed out of habit does not pass over it."""
        box = QMessageBox(QMessageBox.Icon.Question, "确认发放", text, parent=self)
        go = box.addButton("发放并打印(&F)", QMessageBox.ButtonRole.AcceptRole)
        back = box.addButton("返回修改", QMessageBox.ButtonRole.RejectRole)
        box.setEscapeButton(back)
        box.setDefaultButton(back if careful else go)
        return box

    def ask_to_issue(self, text: str, careful: bool) -> bool:
        box = self.question(text, careful)
        box.exec()
        clicked = box.clickedButton()
        return clicked is not None and box.buttonRole(clicked) == QMessageBox.ButtonRole.AcceptRole

    def issue(self) -> None:
        person_id = self.picker.person_id()
        if person_id is None:
            return
        self.update_check()
        if not self.ok.isEnabled() or self.check is None:
            return
        if not self.ask_to_issue(self.confirmation(), careful=bool(self.check.warnings)):
            return
        try:
            with self.db.transaction() as session:
                unit = unit_info(session)
                receipt = issue.issue(session, person_id, self.chosen_items(), day_of(self.date),
                                     reason=self.reason.text(), clerk=unit.clerk, checker=unit.reviewer)
                self.receipt_id, number = receipt.id, receipt.number
        except CanlianError as exc:
            self.message.setText(str(exc))
            self.update_check()
            return
        name = self.picker.person().name if self.picker.person() else ""
        receipt_id = self.receipt_id

        def write(path: Path) -> Path:
            with self.db.session() as session:
                return write_receipt(session, receipt_id, path)

        self.receipt_path = print_file(self.parentWidget() or self, f"辅助器具领取单-{number}-{name}", write, "领取单")
        self.accept()
