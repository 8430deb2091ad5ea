"""器具目录: the device types and their rules (whom a type suits, the use period, assessment first,
reusable, serial numbers, reorder level). A type is never deleted: 停用 hides it from new movements."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.domain.disability import CATEGORY_NAMES, GRADE_NAMES
from app.errors import CanlianError
from app.services.devices.catalogue import (
    CATEGORIES,
    DeviceTypeInfo,
    DeviceTypeValues,
    catalogue_types,
    save_device_type,
)
from ui import style
from ui.devices.common import message_label
from ui.road import Road
from ui.screen import ScreenDialog


class CatalogueDialog(ScreenDialog):
    def __init__(self, road: Road, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.road = road
        self.setWindowTitle("器具目录")
        self.resize(760, 560)
        self.current_id: int | None = None
        self.list = QListWidget()
        self.list.setObjectName("types")
        self.list.currentItemChanged.connect(lambda item, _prev: self._show(item))
        self.name = QLineEdit()
        self.name.setObjectName("name")
        self.category = QComboBox()
        self.category.setObjectName("category")
        self.category.addItems(CATEGORIES)
        self.unit = QLineEdit()
        self.unit.setObjectName("unit")
        self.period = QSpinBox()
        self.period.setObjectName("period")
        self.period.setRange(0, 240)
        self.period.setSuffix(" 个月")
        self.period.setSpecialValueText("不限")
        self.reorder = QSpinBox()
        self.reorder.setObjectName("reorder")
        self.reorder.setRange(0, 9999)
        self.cats = {int(c): _box(name, f"category_{int(c)}") for c, name in CATEGORY_NAMES.items()}
        self.grades = {int(g): _box(name, f"grade_{int(g)}") for g, name in GRADE_NAMES.items()}
        self.reusable = _box("可收回循环使用（如轮椅）", "reusable")
        self.assessment = _box("发放前需评估（验配）", "assessment")
        self.serial = _box("逐件登记序列号", "serial")
        self.active = _box("在用（取消即停用，不再出现在发放、入库中）", "active")
        form = QFormLayout()
        form.addRow("名称：", self.name)
        form.addRow("类别：", self.category)
        form.addRow("单位：", self.unit)
        form.addRow("使用年限：", self.period)
        form.addRow("适用残疾类别：", _row(self.cats.values()))
        form.addRow("适用等级：", _row(self.grades.values()))
        form.addRow("", self.reusable)
        form.addRow("", self.assessment)
        form.addRow("", self.serial)
        form.addRow("补货线（库存不高于此数时提示）：", self.reorder)
        form.addRow("", self.active)
        form.addRow("", _hint())
        self.message = message_label()
        new = QPushButton("新增一种")
        new.setObjectName("new_type")
        new.clicked.connect(self.new_type)
        self.save_button = QPushButton("保存")
        self.save_button.setObjectName("save")
        self.save_button.clicked.connect(self.save)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        close.rejected.connect(self.reject)
        right = QVBoxLayout()
        right.addLayout(form)
        right.addWidget(self.message)
        buttons = QHBoxLayout()
        buttons.addWidget(new)
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        right.addLayout(buttons)
        body = QHBoxLayout()
        types = self.list  # a name with its （停用） shows whole, in 大字体 too
        style.follow_font(types, lambda: types.setMinimumWidth(
            types.fontMetrics().horizontalAdvance("普通轮椅（停用）") + 30))
        body.addWidget(self.list, 1)
        body.addLayout(right, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(body)
        layout.addWidget(close)
        self.types: list[DeviceTypeInfo] = []
        self.reload()

    def reload(self, select_id: int | None = None) -> None:
        self.types = self.road.read(catalogue_types, include_inactive=True)
        self.list.clear()
        for t in self.types:
            item = QListWidgetItem(t.name + ("" if t.active else "（停用）"))
            item.setData(Qt.ItemDataRole.UserRole, t.id)
            self.list.addItem(item)
            if t.id == select_id:
                self.list.setCurrentItem(item)
        if self.list.currentItem() is None and self.list.count():
            self.list.setCurrentRow(0)

    def _show(self, item: QListWidgetItem | None) -> None:
        kind = next((t for t in self.types if item and t.id == item.data(Qt.ItemDataRole.UserRole)), None)
        self.current_id = kind.id if kind else None
        values = kind or DeviceTypeValues("")
        self.name.setText(values.name)
        self.category.setCurrentText(values.category)
        self.unit.setText(values.unit)
        self.period.setValue(values.use_period_months)
        self.reorder.setValue(values.reorder_level)
        for code, box in self.cats.items():
            box.setChecked(code in values.suits_categories)
        for code, box in self.grades.items():
            box.setChecked(code in values.suits_grades)
        self.reusable.setChecked(values.reusable)
        self.assessment.setChecked(values.needs_assessment)
        self.serial.setChecked(values.has_serial)
        self.active.setChecked(values.active)
        self.message.clear()

    def new_type(self) -> None:
        self.list.setCurrentItem(None)
        self._show(None)
        self.name.setFocus()

    def values(self) -> DeviceTypeValues:
        return DeviceTypeValues(
            name=self.name.text(), category=self.category.currentText(), unit=self.unit.text(),
            reusable=self.reusable.isChecked(), use_period_months=self.period.value(),
            suits_categories=tuple(c for c, b in self.cats.items() if b.isChecked()),
            suits_grades=tuple(g for g, b in self.grades.items() if b.isChecked()),
            needs_assessment=self.assessment.isChecked(), has_serial=self.serial.isChecked(),
            reorder_level=self.reorder.value(), active=self.active.isChecked(),
        )

    def save(self) -> bool:
        try:
            saved = self.road.write(save_device_type, self.values(), self.current_id)
        except CanlianError as exc:
            self.message.setText(str(exc))
            return False
        self.reload(saved.id)
        self.message.setText("")
        return True


def _box(text: str, name: str) -> QCheckBox:
    box = QCheckBox(text)
    box.setObjectName(name)
    return box


def _row(boxes: Iterable[QCheckBox]) -> QWidget:
    widget = QWidget()
    layout = QHBoxLayout(widget)
    layout.setContentsMargins(0, 0, 0, 0)
    for box in boxes:
        layout.addWidget(box)
    layout.addStretch(1)
    return widget


def _hint() -> QWidget:
    label = QLabel("不勾选类别或等级表示不限。发给不适用的人、或在使用年限内再次发放时，程序会警告并要求填写理由。")
    label.setWordWrap(True)
    label.setStyleSheet(style.hint_style())
    return label
