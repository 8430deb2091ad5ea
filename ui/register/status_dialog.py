"""Status changes: 迁出 / 死亡 / 注销 from 在册, or 恢复在册, each with its date (not after today) and reason.
The change is one action through the road (status_changes.record_status) and shows in the person's history.
Before saving, the dialog says what the change means for the two subsidies: when the payment stops, and money
already paid for later months that is to be recovered (应追回), or the 应追回 a 恢复在册 cancels. Choosing 死亡
for someone holding a device that can come back (a wheelchair) says so, so the clerk can ask the family for it."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.words import PersonStatus, status_text
from app.errors import CanlianError
from app.services.register import status_changes
from ui import style
from ui.refusal import focus_refused
from ui.road import Road
from ui.screen import ScreenDialog

CHOICES_ON_REGISTER = [("迁出（户籍迁走）", PersonStatus.MOVED_OUT), ("死亡", PersonStatus.DEAD),
                       ("注销（证件注销、不再符合等）", PersonStatus.CANCELLED)]
REASON_HINTS = {PersonStatus.MOVED_OUT: "如：迁往某县某镇", PersonStatus.DEAD: "如：病故",
                PersonStatus.CANCELLED: "如：残疾证到期未换领", PersonStatus.ON_REGISTER: "如：迁回本镇"}


class StatusDialog(ScreenDialog):
    """Change one person's status; exec() returns Accepted once the change is recorded."""

    def __init__(self, road: Road, person_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.road = road
        self.person_id = person_id
        self.setObjectName("status_dialog")
        shown = road.read(status_changes.status_form, person_id)
        self.person_name, self.current, since = shown.name, shown.status, shown.since
        self.setWindowTitle(f"状态变更 - {self.person_name}")

        self.recorded: status_changes.StatusRecorded | None = None  # the change, once recorded
        current = QLabel(f"{self.person_name} 现在的状态：{status_text(self.current, since)}")
        self.status_box = QComboBox()
        self.status_box.setObjectName("new_status")
        if self.current == PersonStatus.ON_REGISTER:
            for text, value in CHOICES_ON_REGISTER:
                self.status_box.addItem(text, value)
        else:
            self.status_box.addItem("恢复在册", PersonStatus.ON_REGISTER)
        self.date_edit = QDateEdit(QDate.currentDate())
        self.date_edit.setObjectName("date")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.date_edit.setMaximumDate(QDate.currentDate())
        self.reason_edit = QLineEdit()
        self.reason_edit.setObjectName("reason")
        self.take_back = QLabel(shown.take_back)
        self.take_back.setObjectName("take_back")
        self.take_back.setStyleSheet(style.warning_style())
        self.take_back.setWordWrap(True)
        self.status_box.currentIndexChanged.connect(self._hint)
        self._hint()
        self.notice = QLabel()
        self.notice.setObjectName("subsidy_notice")
        self.notice.setWordWrap(True)
        self.notice.hide()
        self.status_box.currentIndexChanged.connect(lambda _i: self.show_notice())
        self.date_edit.dateChanged.connect(lambda _d: self.show_notice())
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setStyleSheet(style.error_style())
        self.message.setWordWrap(True)
        self.message.hide()

        form = QFormLayout()
        form.addRow("变更为(&B)：", self.status_box)
        form.addRow("变更日期(&D)：", self.date_edit)
        form.addRow("原因(&R)：", self.reason_edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("确定")
        buttons.button(QDialogButtonBox.StandardButton.Ok).setObjectName("ok")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setObjectName("cancel")
        buttons.accepted.connect(self._ok)
        buttons.rejected.connect(self.reject)
        note = QLabel("状态变更会记入此人的变更记录。记错了可以再变更一次改回，两次都会留下记录。")
        note.setStyleSheet(style.hint_style())
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(current)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.notice)
        layout.addWidget(self.take_back)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.show_notice()
        self.resize(520, self.sizeHint().height())

    def _hint(self) -> None:
        chosen = self.status_box.currentData()
        self.reason_edit.setPlaceholderText(REASON_HINTS.get(chosen, ""))
        self.take_back.setVisible(chosen == PersonStatus.DEAD and bool(self.take_back.text()))

    def show_notice(self) -> None:
        """此人正在享受…；2026年9月至11月已发放300.00元，应追回 — for the status and date as chosen, before saving."""
        notice = self.road.read(status_changes.status_notice, self.person_id, self.status_box.currentData(),
                                self.chosen_date())
        self.notice.setText(notice.text)
        self.notice.setStyleSheet(style.error_style() if notice.money else style.hint_style())
        self.notice.setVisible(bool(notice.text))

    def chosen_date(self) -> dt.date:
        qdate = self.date_edit.date()
        return dt.date(qdate.year(), qdate.month(), qdate.day())

    def apply(self) -> bool:
        """Record the change; False, with the reason shown in the dialog, if it cannot be made."""
        try:
            self.recorded = self.road.write(status_changes.record_status, self.person_id, self.status_box.currentData(),
                            self.chosen_date(), self.reason_edit.text())
        except CanlianError as exc:
            self.message.setText(str(exc))
            self.message.show()
            focus_refused(self, exc)
            return False
        return True

    def _ok(self) -> None:
        if self.apply():
            self.accept()
