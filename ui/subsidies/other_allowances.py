"""其他待遇: what else a person receives that rules out or limits the two subsidies — 工伤保险生活护理费
(neither subsidy), the orphan allowance (no living subsidy), an old-age / 因公伤残 / 离休 allowance (the
higher one is paid, 择高). Read and saved through the road (app.services.subsidies.applications)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain import money
from app.domain.money import yuan_plain
from app.errors import CanlianError
from app.services.subsidies import applications
from ui import style
from ui.road import Road
from ui.screen import ScreenDialog

KINDS = ("", "高龄津贴", "因公伤残补助", "离休人员护理费", "其他福利性补贴")


class OtherAllowancesDialog(ScreenDialog):
    def __init__(self, road: Road, person_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.road, self.person_id = road, person_id
        self.setWindowTitle("其他待遇")
        current = road.read(applications.other_allowances, person_id)
        self.injury_box = QCheckBox("领取工伤保险生活护理费（不享受两项补贴）")
        self.injury_box.setObjectName("work_injury_care")
        self.injury_box.setChecked(current.work_injury_care)
        self.orphan_box = QCheckBox("领取孤儿或事实无人抚养儿童基本生活费（不享受生活补贴，可享受护理补贴）")
        self.orphan_box.setObjectName("orphan_allowance")
        self.orphan_box.setChecked(current.orphan_allowance)
        self.kind_box = QComboBox()
        self.kind_box.setObjectName("other_kind")
        self.kind_box.setEditable(True)
        self.kind_box.addItems(KINDS)
        self.kind_box.setCurrentText(current.other_allowance_kind)
        self.amount_edit = QLineEdit(yuan_plain(current.other_allowance_fen)
                                     if current.other_allowance_fen else "")
        self.amount_edit.setObjectName("other_amount")
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setStyleSheet(style.error_style())
        self.message.setWordWrap(True)
        hint = QLabel("同时符合两项补贴和高龄、因公伤残、离休等福利性补贴的，择高享受：其他补贴不低于两项补贴时，"
                      "不再发放两项补贴。")
        hint.setWordWrap(True)
        hint.setStyleSheet(style.hint_style())
        form = QFormLayout()
        form.addRow(self.injury_box)
        form.addRow(self.orphan_box)
        form.addRow("其他福利性补贴：", self.kind_box)
        form.addRow("每月金额（元）：", self.amount_edit)
        buttons = style.save_cancel_buttons(self, self.save)
        buttons.button(QDialogButtonBox.StandardButton.Save).setObjectName("save")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def save(self) -> bool:
        try:
            allowances = applications.OtherAllowances(self.injury_box.isChecked(), self.orphan_box.isChecked(),
                                             self.kind_box.currentText(), money.fen(self.amount_edit.text()))
            self.road.write(applications.set_other_allowances, self.person_id, allowances)
        except CanlianError as exc:
            self.message.setText(str(exc))
            return False
        self.accept()
        return True
