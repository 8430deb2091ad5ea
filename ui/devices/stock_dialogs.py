"""入库, 报损 and 退回: each a short form; the rules (serial numbers, stock never below zero, which items
come back) are app.services.devices, whose one-sentence messages appear under the form."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.domain.device_rules import CONDITIONS
from app.errors import CanlianError, InputError
from app.services.devices import issue, stock
from app.services.devices.history import HistoryLine, moved, returnable
from ui import style
from ui.devices.common import date_edit, day_of, message_label, type_box
from ui.devices.person_picker import PersonPicker
from ui.refusal import focus_refused
from ui.road import Road
from ui.said import say
from ui.screen import ScreenDialog

SOURCES = (stock.COUNTY, "市残联调拨", "社会捐赠")


class _Form(ScreenDialog):
    """A titled form with a message line and 确定/取消; subclasses fill `form` and write in save() (one
    action through the road: a refusal stays on the form in its message line)."""

    def __init__(self, road: Road, title: str, ok_text: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.road = road
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)  # long text stays readable
        self.message = message_label()
        self.buttons = QDialogButtonBox()
        self.ok = self.buttons.addButton(ok_text, QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setObjectName("ok")
        self.buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole).setObjectName("cancel")
        self.buttons.accepted.connect(self._save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

    def _save(self) -> None:
        try:
            done = self.save()
        except CanlianError as exc:
            self.message.setText(str(exc))
            focus_refused(self, exc)
            return
        self.accept()
        say(self.parentWidget(), moved(done if isinstance(done, list) else [done]))

    def save(self) -> HistoryLine | list[HistoryLine]:
        raise NotImplementedError


class ReceiveDialog(_Form):
    """入库: from the county's allocation or a donor, with serial numbers where the type has them."""

    def __init__(self, road: Road, parent: QWidget | None = None, device_type_id: int | None = None) -> None:
        super().__init__(road, "器具入库", "入库", parent)
        self.resize(520, 480)
        self.type_box, self.types = type_box(road)
        if device_type_id is not None and self.type_box.findData(device_type_id) >= 0:
            self.type_box.setCurrentIndex(self.type_box.findData(device_type_id))
        self.date = date_edit()
        self.quantity = QSpinBox()
        self.quantity.setObjectName("quantity")
        self.quantity.setRange(1, 9999)
        self.source = QComboBox()
        self.source.setObjectName("source")
        self.source.setEditable(True)
        self.source.addItems(SOURCES)
        self.batch = QLineEdit()
        self.batch.setObjectName("batch")
        self.batch.setPlaceholderText("如：2026年第1批、调拨单号")
        self.model = QLineEdit()
        self.model.setObjectName("model")
        self.serials = QPlainTextEdit()
        self.serials.setObjectName("serials")
        self.serials.setPlaceholderText("每行一个序列号（轮椅、助听器等有编号的器具）；没有可不填")
        self.serial_hint = QLabel()
        self.serial_hint.setStyleSheet(style.hint_style())
        self.type_box.currentIndexChanged.connect(lambda _i: self._serial_hint())
        for label, widget in (("器具：", self.type_box), ("入库日期：", self.date), ("数量：", self.quantity),
                              ("来源：", self.source), ("批次：", self.batch), ("型号：", self.model),
                              ("序列号：", self.serials), ("", self.serial_hint)):
            self.form.addRow(label, widget)
        self._serial_hint()

    def _serial_hint(self) -> None:
        kind = next((t for t in self.types if t.id == self.type_box.currentData()), None)
        has = bool(kind and kind.has_serial)
        self.serials.setEnabled(has)
        self.serial_hint.setText("填了序列号时，个数须与数量相同。" if has else "这种器具不登记序列号。")

    def save(self) -> list[HistoryLine]:
        serials = [s for s in self.serials.toPlainText().split() if s.strip()]
        return self.road.write(stock.receive, self.type_box.currentData(), day_of(self.date), self.quantity.value(),
                        self.source.currentText(), batch=self.batch.text(), model=self.model.text(), serials=serials)


class WriteOffDialog(_Form):
    """报损: broken or lost items leave the stock with a reason."""

    def __init__(self, road: Road, parent: QWidget | None = None, device_type_id: int | None = None) -> None:
        super().__init__(road, "器具报损", "报损", parent)
        self.resize(520, 0)
        self.type_box, _types = type_box(road)
        if device_type_id is not None and self.type_box.findData(device_type_id) >= 0:
            self.type_box.setCurrentIndex(self.type_box.findData(device_type_id))
        self.date = date_edit()
        self.quantity = QSpinBox()
        self.quantity.setObjectName("quantity")
        self.quantity.setRange(1, 9999)
        self.serial = QComboBox()
        self.serial.setObjectName("serial")
        self.reason = QLineEdit()
        self.reason.setObjectName("reason")
        self.reason.setPlaceholderText("如：损坏无法修复、丢失、过期")
        reason = self.reason  # a reason of a dozen characters shows whole, in either text size
        style.follow_font(reason, lambda: reason.setMinimumWidth(reason.fontMetrics().horizontalAdvance("中" * 16)))
        self.type_box.currentIndexChanged.connect(lambda _i: self._fill_serials())
        for label, widget in (("器具：", self.type_box), ("报损日期：", self.date), ("数量：", self.quantity),
                              ("序列号：", self.serial), ("原因：", self.reason)):
            self.form.addRow(label, widget)
        self._fill_serials()

    def _fill_serials(self) -> None:
        self.serial.clear()
        self.serial.addItem("（不指定）", "")
        if self.type_box.currentData() is None:
            return
        for s in self.road.read(stock.in_store, self.type_box.currentData()).serials:
            self.serial.addItem(s, s)

    def save(self) -> HistoryLine:
        return self.road.write(stock.write_off, self.type_box.currentData(), day_of(self.date), self.quantity.value(),
                        self.reason.text(), self.serial.currentData() or "")


class ReturnDialog(_Form):
    """退回: a reusable item the person received comes back, with its condition (报废 is written off)."""

    def __init__(self, road: Road, parent: QWidget | None = None, person_id: int | None = None) -> None:
        super().__init__(road, "器具退回", "退回入库", parent)
        self.resize(max(620, self.fontMetrics().horizontalAdvance("中") * 46), 520)  # a found person's line whole
        self.picker = PersonPicker(road)
        self.picker.chosen.connect(lambda _pid: self._fill_items())
        self.items = QListWidget()
        self.items.setObjectName("returnable")
        self.date = date_edit()
        self.condition = QComboBox()
        self.condition.setObjectName("condition")
        self.condition.addItems(CONDITIONS)
        self.note = QLineEdit()
        self.note.setObjectName("note")
        self.note.setPlaceholderText("如：本人去世家属交回、已康复不再使用")
        for label, widget in (("退回人：", self.picker), ("领过的可收回器具：", self.items),
                              ("退回日期：", self.date), ("状况：", self.condition), ("说明：", self.note)):
            self.form.addRow(label, widget)
        if person_id is not None:
            self.picker.choose(person_id)
        self._fill_items()

    def _fill_items(self) -> None:
        self.items.clear()
        person_id = self.picker.person_id()
        if person_id is None:
            return
        lines = self.road.read(returnable, person_id)
        for line in lines:
            text = f"{line.device_name}　{line.date:%Y-%m-%d}领取" + (f"　序列号{line.serial}" if line.serial else "")
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, line.id)
            self.items.addItem(item)
        if lines:
            self.items.setCurrentRow(0)
        self.message.setText("" if lines else "此人没有未退回的可循环使用器具（轮椅、助行器、坐便椅等）。")

    def save(self) -> HistoryLine:
        item = self.items.currentItem()
        if item is None:
            raise InputError("请先选中要退回的那一件器具。")
        return self.road.write(issue.return_item, item.data(Qt.ItemDataRole.UserRole), day_of(self.date),
                        self.condition.currentText(), self.note.text())

