"""The criteria the clerk ticks for a campaign's list (saved with the campaign when the list is drawn)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.services.visits.criteria import Criteria


class CriteriaPanel(QGroupBox):
    """特困, 低保, 低收入, 不能自理, 一级二级, 独居 (any of them), 年龄超过 N 岁, 近 N 次慰问过的不列入, and
    one village only (a round the village cadres do one village at a time)."""

    propose_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("慰问对象条件（符合任一项的户列入；名单按特困、低保一类、不能自理……的顺序用预算）", parent)
        self.boxes: dict[str, QCheckBox] = {
            "tekun": QCheckBox("特困供养户"), "dibao": QCheckBox("低保户"), "low_income": QCheckBox("低收入户"),
            "cannot_self_care": QCheckBox("生活不能自理"), "severe": QCheckBox("一级、二级"),
            "lives_alone": QCheckBox("独居"),
        }
        for key, box in self.boxes.items():
            box.setObjectName(key)
        self.age_spin = QSpinBox()
        self.age_spin.setObjectName("older_than")
        self.age_spin.setRange(0, 110)
        self.age_spin.setSpecialValueText("不限")
        self.age_spin.setSuffix(" 岁")
        self.recent_spin = QSpinBox()
        self.recent_spin.setObjectName("skip_recent")
        self.recent_spin.setRange(0, 10)
        self.recent_spin.setSpecialValueText("不限")
        self.recent_spin.setSuffix(" 次")
        self.village_box = QComboBox()
        self.village_box.setObjectName("criteria_village")
        self.village_box.addItem("全部村", None)
        self.propose_button = QPushButton("按条件生成名单")
        self.propose_button.setObjectName("propose")
        self.propose_button.clicked.connect(self.propose_requested.emit)
        # who is in on one line, the limits on the next: one line would not fit 1280 px in 大字体
        groups, limits = QHBoxLayout(), QHBoxLayout()
        for box in self.boxes.values():
            groups.addWidget(box)
        groups.addStretch(1)
        groups.addWidget(self.propose_button)
        limits.addWidget(QLabel("年龄超过"))
        limits.addWidget(self.age_spin)
        limits.addWidget(QLabel("　最近"))
        limits.addWidget(self.recent_spin)
        limits.addWidget(QLabel("慰问过的不列入"))
        limits.addWidget(QLabel("　范围"))
        limits.addWidget(self.village_box)
        limits.addStretch(1)
        rows = QVBoxLayout(self)
        rows.addLayout(groups)
        rows.addLayout(limits)
        self.set_criteria(Criteria())

    def set_criteria(self, criteria: Criteria) -> None:
        for key, box in self.boxes.items():
            box.setChecked(bool(getattr(criteria, key)))
        self.age_spin.setValue(criteria.older_than)
        self.recent_spin.setValue(criteria.skip_recent)
        chosen = criteria.village_ids[0] if len(criteria.village_ids) == 1 else None
        index = self.village_box.findData(chosen)
        self.village_box.setCurrentIndex(max(index, 0))

    def criteria(self) -> Criteria:
        flags = {key: box.isChecked() for key, box in self.boxes.items()}
        village = self.village_box.currentData()
        return Criteria(**flags, older_than=self.age_spin.value(), skip_recent=self.recent_spin.value(),
                        village_ids=(int(village),) if village is not None else ())

    def set_villages(self, villages: list[tuple[int, str]]) -> None:
        """The villages of the register, for limiting the list to one of them."""
        current = self.village_box.currentData()
        self.village_box.blockSignals(True)
        self.village_box.clear()
        self.village_box.addItem("全部村", None)
        for village_id, name in villages:
            self.village_box.addItem(name, village_id)
        self.village_box.setCurrentIndex(max(self.village_box.findData(current), 0))
        self.village_box.blockSignals(False)
