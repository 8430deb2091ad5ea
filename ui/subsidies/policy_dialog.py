"""政策设置: each programme's rules and amounts with the month they take effect. The clerk picks a
programme, sees its versions, edits the amounts and saves them from a month: months before keep the rule
they were paid under; a month already confirmed for payment cannot be changed (the service says so).
Saving is app.services.subsidies.policies.save_policy, through the road."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain import money
from app.domain.disability import CATEGORY_NAMES, GRADE_NAMES
from app.domain.money import yuan_plain
from app.domain.months import Month
from app.domain.words import Programme, ReliefKind
from app.errors import CanlianError, InputError
from app.services.subsidies import policies
from app.services.subsidies.policies import PolicyRecord
from ui import style
from ui.road import Road
from ui.screen import ScreenDialog

CLASSES = ("一类", "二类", "三类", "四类")


def _yuan(fen: int | None) -> str:
    return "" if fen is None else yuan_plain(fen)


def _fen(text: str, what: str) -> int:
    try:
        return money.fen(text)
    except InputError:
        raise InputError(f"{what}的金额“{text}”不对：请写成 100 或 100.00。") from None


class LivingEditor(QWidget):
    def __init__(self) -> None:
        super().__init__()
        form = QFormLayout(self)
        self.class_edits = [QLineEdit() for _ in CLASSES]
        for name, edit in zip(CLASSES, self.class_edits, strict=True):
            edit.setObjectName(f"living_{name}")
            form.addRow(f"低保{name}户（元/月）：", edit)
        self.low_income_box = QCheckBox("本地扩大到低收入户")
        self.low_income_edit = QLineEdit()
        form.addRow(self.low_income_box)
        form.addRow("低收入户（元/月）：", self.low_income_edit)

    def show_rules(self, rules: dict[str, Any]) -> None:
        for index, edit in enumerate(self.class_edits):
            edit.setText(_yuan(rules.get("dibao_class_fen", {}).get(str(index + 1))))
        self.low_income_box.setChecked(bool(rules.get("include_low_income")))
        self.low_income_edit.setText(_yuan(rules.get("low_income_fen", 0)))

    def rules(self) -> dict[str, Any]:
        return {"dibao_class_fen": {str(i + 1): _fen(e.text(), f"低保{CLASSES[i]}户")
                                    for i, e in enumerate(self.class_edits)},
                "include_low_income": self.low_income_box.isChecked(),
                "low_income_fen": _fen(self.low_income_edit.text(), "低收入户")}


class NursingEditor(QWidget):
    """Grades down, categories across; an empty cell is not covered."""

    def __init__(self) -> None:
        super().__init__()
        self.table = QTableWidget(len(GRADE_NAMES), len(CATEGORY_NAMES))
        self.table.setObjectName("nursing_table")
        self.table.setHorizontalHeaderLabels(list(CATEGORY_NAMES.values()))
        self.table.setVerticalHeaderLabels(list(GRADE_NAMES.values()))
        style.size_columns(self.table, dict.fromkeys(range(len(CATEGORY_NAMES)), "100.00"))
        hint = QLabel("每格为每人每月金额（元）；空格表示不在护理补贴范围。多重残疾按最有利的组成类别计。")
        hint.setStyleSheet(style.hint_style())
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addWidget(hint)

    def show_rules(self, rules: dict[str, Any]) -> None:
        table = rules.get("amounts_fen", {})
        for r, grade in enumerate(GRADE_NAMES):
            for c, category in enumerate(CATEGORY_NAMES):
                fen = table.get(str(int(grade)), {}).get(str(int(category)))
                self.table.setItem(r, c, QTableWidgetItem(_yuan(fen)))

    def rules(self) -> dict[str, Any]:
        out: dict[str, dict[str, int]] = {}
        for r, (grade, grade_name) in enumerate(GRADE_NAMES.items()):
            for c, (category, name) in enumerate(CATEGORY_NAMES.items()):
                item = self.table.item(r, c)
                text = item.text().strip() if item else ""
                if text:
                    out.setdefault(str(int(grade)), {})[str(int(category))] = _fen(text, f"{grade_name}{name}")
        return {"amounts_fen": out}


class ReliefEditor(QWidget):
    def __init__(self) -> None:
        super().__init__()
        form = QFormLayout(self)
        self.amount_edit = QLineEdit()
        self.amount_edit.setObjectName("relief_default")
        form.addRow("登记时的默认金额（元）：", self.amount_edit)
        self.per = "person"

    def show_rules(self, rules: dict[str, Any]) -> None:
        self.amount_edit.setText(_yuan(rules.get("default_fen", 0)))
        self.per = str(rules.get("per", "person"))

    def rules(self) -> dict[str, Any]:
        return {"default_fen": _fen(self.amount_edit.text(), "默认"), "per": self.per}


class PolicyDialog(ScreenDialog):
    def __init__(self, road: Road, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.road = road
        self.setWindowTitle("政策设置：补贴和救助标准")
        self.programme_box = QComboBox()
        self.programme_box.setObjectName("programme")
        for key, name in ((p, p.full_name) for p in Programme):
            self.programme_box.addItem(name, key)
        for kind in ReliefKind:
            self.programme_box.addItem(kind, kind)
        self.versions = QListWidget()
        self.versions.setObjectName("versions")
        style.follow_font(self.versions, lambda: self.versions.setMaximumWidth(
            self.versions.fontMetrics().horizontalAdvance("2026-01-01起（现行）") + 40))
        self.note_label = QLabel()
        self.note_label.setWordWrap(True)
        self.note_label.setStyleSheet(style.hint_style())
        self.editors: dict[str, LivingEditor | NursingEditor | ReliefEditor] = {
            "living": LivingEditor(), "nursing": NursingEditor(), "relief": ReliefEditor()}
        self.stack = QStackedWidget()
        for editor in self.editors.values():
            self.stack.addWidget(editor)
        this_month = Month.of(dt.date.today())
        self.month_box = QComboBox()
        self.month_box.setObjectName("effective_month")
        for offset in range(-12, 25):
            self.month_box.addItem(this_month.next(offset).label, this_month.next(offset))
        self.month_box.setCurrentIndex(13)  # next month
        self.new_note = QLineEdit()
        self.new_note.setObjectName("new_note")
        self.new_note.setPlaceholderText("依据的文件，如：甘民发〔2027〕1号")
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setStyleSheet(style.error_style())
        self.message.setWordWrap(True)
        self.save_button = QPushButton("保存为新标准")
        self.save_button.setObjectName("save_policy")
        self.save_button.clicked.connect(self.save)
        close = QPushButton("关闭")
        close.setObjectName("close")
        close.clicked.connect(self.accept)
        form = QFormLayout()
        form.addRow("从哪个月起执行：", self.month_box)
        form.addRow("依据或说明：", self.new_note)
        right = QVBoxLayout()
        right.addWidget(self.stack, 1)
        right.addWidget(self.note_label)
        right.addLayout(form)
        right.addWidget(self.message)
        body = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(QLabel("已有的标准（按执行月份）："))
        left.addWidget(self.versions, 1)
        body.addLayout(left)
        body.addLayout(right, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel("项目："))
        top.addWidget(self.programme_box)
        top.addStretch(1)
        layout.addLayout(top)
        layout.addLayout(body, 1)
        layout.addLayout(buttons)
        self.records: list[PolicyRecord] = []
        self.programme_box.currentIndexChanged.connect(lambda _i: self.load())
        self.versions.currentRowChanged.connect(self.show_version)
        self.resize(max(860, self.fontMetrics().horizontalAdvance("中") * 64), 520)  # the table whole in 大字体
        self.load()

    def programme(self) -> str:
        key: str = self.programme_box.currentData()
        return key

    def editor(self) -> LivingEditor | NursingEditor | ReliefEditor:
        return self.editors.get(self.programme(), self.editors["relief"])

    def load(self) -> None:
        self.records = self.road.read(policies.versions, self.programme())
        self.stack.setCurrentWidget(self.editor())
        self.versions.blockSignals(True)
        self.versions.clear()
        for record in self.records:
            saved = "" if record.id is not None else "（程序默认）"
            self.versions.addItem(f"{record.effective.label}起{saved}")
        self.versions.blockSignals(False)
        self.versions.setCurrentRow(len(self.records) - 1)
        self.show_version(len(self.records) - 1)
        self.message.clear()

    def show_version(self, row: int) -> None:
        if 0 <= row < len(self.records):
            record = self.records[row]
            self.editor().show_rules(record.rules)
            self.note_label.setText(record.note)

    def save(self) -> bool:
        """Save the amounts shown as a version from the chosen month; a problem is shown, nothing saved."""
        month: Month = self.month_box.currentData()
        try:
            rules = self.editor().rules()
            self.road.write(policies.save_policy, self.programme(), month, rules, self.new_note.text())
        except CanlianError as exc:
            self.message.setStyleSheet(style.error_style())
            self.message.setText(str(exc))
            return False
        self.load()
        self.message.setStyleSheet(style.hint_style())
        self.message.setText(f"已保存：{self.programme_box.currentText()}从{month.label}起按新标准执行。")
        return True
