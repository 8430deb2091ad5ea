"""发放: choose the person (the register's search) and the items; the dialog says at once what stands in
the way (out of stock: cannot go on), what needs a reason (not the person's category, within the use
period) and what to remember (an assessment first). Issuing asks once (who, what, how many, every warning
and reminder: Enter from any field lands here, never straight on the register) and then prints the 领取单
for the person to sign."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.disability import category_label, grade_label
from app.errors import CanlianError
from app.services.devices import issue, stock
from app.services.devices.issue import IssueCheck, IssueItem
from app.services.devices.printouts import print_receipt
from ui import style
from ui.devices.common import date_edit, day_of, message_label, print_file, type_box
from ui.devices.person_picker import PersonPicker
from ui.road import Road
from ui.screen import ScreenDialog

AUTO_SERIAL = "（自动选库中最早的一件）"


class IssueDialog(ScreenDialog):
    """Issue one or more items to one person on one 领取单."""

    def __init__(self, road: Road, parent: QWidget | None = None, *, person_id: int | None = None,
                 device_type_id: int | None = None) -> None:
        super().__init__(parent)
        self.road = road
        self.setWindowTitle("发放辅助器具")
        self.resize(max(760, self.fontMetrics().horizontalAdvance("中") * 50), 620)  # a line's choices whole
        self.receipt_id: int | None = None
        self.receipt_path: Path | None = None
        self.check: IssueCheck | None = None
        self.picker = PersonPicker(road)
        self.picker.chosen.connect(lambda _pid: self.update_check())
        self.date = date_edit()
        self.date.dateChanged.connect(lambda _d: self.update_check())
        self.items = QTableWidget(0, 4)
        self.items.setObjectName("items")
        self.items.setHorizontalHeaderLabels(["器具", "数量", "型号", "序列号"])
        self.items.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.items.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        style.size_columns(self.items, {1: "9999"}, padding=50)  # a count needs little room: the rest gets it
        self.items.verticalHeader().setVisible(False)
        self.items.setTabKeyNavigation(False)  # Tab leaves the lines for the buttons, not round and round
        add = QPushButton("再加一件")
        add.setObjectName("add_line")
        add.clicked.connect(lambda: self.add_line())
        remove = QPushButton("删除所选")
        remove.setObjectName("remove_line")
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
        self.buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole).setObjectName("cancel")
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
        box, _types = type_box(self.road, f"device_type_{row}")
        if device_type_id is not None and box.findData(device_type_id) >= 0:
            box.setCurrentIndex(box.findData(device_type_id))
        quantity = QSpinBox()
        quantity.setObjectName(f"quantity_{row}")
        quantity.setRange(1, 99)
        model = QLineEdit()
        model.setObjectName(f"model_{row}")
        serial = QComboBox()
        serial.setObjectName(f"serial_{row}")
        box.currentIndexChanged.connect(lambda _i, s=serial, b=box, m=model: self._type_changed(b, s, m))
        quantity.valueChanged.connect(lambda _v: self.update_check())
        serial.currentIndexChanged.connect(lambda _i: self.update_check())
        for col, widget in enumerate((box, quantity, model, serial)):
            self.items.setCellWidget(row, col, widget)
        self._type_changed(box, serial, model)
        return row

    def _type_changed(self, box: QComboBox, serial: QComboBox, model: QLineEdit) -> None:
        """A type chosen: its latest 型号 filled in, its serial numbers in store offered."""
        serial.blockSignals(True)
        serial.clear()
        if box.currentData() is not None:
            store = self.road.read(stock.in_store, box.currentData())
            model.setText(store.model)
            if store.serials:
                serial.addItem(AUTO_SERIAL, "")
                for s in store.serials:
                    serial.addItem(s, s)
        serial.setEnabled(serial.count() > 0)
        serial.blockSignals(False)
        self.update_check()

    def remove_line(self) -> None:
        if self.items.rowCount() > 1:
            self.items.removeRow(max(self.items.currentRow(), 0))
            self.update_check()

    def line_widgets(self, row: int) -> tuple[QComboBox, QSpinBox, QLineEdit, QComboBox]:
        return (self.items.cellWidget(row, 0), self.items.cellWidget(row, 1),  # type: ignore[return-value]
                self.items.cellWidget(row, 2), self.items.cellWidget(row, 3))

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
        self.check = self.road.read(issue.check_issue, person_id, self.chosen_items(), day_of(self.date))
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
        if self.check is not None:
            lines += [f"发放：{item}" for item in self.check.items]
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
            receipt = self.road.write(issue.issue, person_id, self.chosen_items(), day_of(self.date),
                                      reason=self.reason.text())
        except CanlianError as exc:
            self.message.setText(str(exc))
            self.update_check()
            return
        self.receipt_id = receipt.id
        self.receipt_path = print_file(self.parentWidget() or self,
                                       f"辅助器具领取单-{receipt.number}-{receipt.person_name}",
                                       lambda path: self.road.read(print_receipt, receipt.id, path), "领取单")
        self.accept()
