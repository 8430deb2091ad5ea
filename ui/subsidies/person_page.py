"""个人补贴: one person's two subsidies in the chosen month with the plain-Chinese explanation, their
applications with every step (date and note), and the next step of each: 申请, 初审 … 发放, 不予通过, 停发.
The page shows one read (app.services.subsidies.person_page) and each step is one action through the road."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.months import Month
from app.domain.words import STAGES_IN_ORDER, Programme, Stage
from app.services.subsidies import applications
from app.services.subsidies.person_page import PersonPage as PageView
from app.services.subsidies.person_page import person_page
from ui import style
from ui.devices.person_picker import PersonPicker
from ui.road import Road
from ui.said import say
from ui.screen import ScreenDialog

APPLY, NEXT, REFUSE, STOP = Stage.APPLIED, "下一步", Stage.REFUSED, Stage.STOPPED  # the buttons


def month_choices(around: Month, before: int = 24, after: int = 3) -> list[Month]:
    return [around.next(offset) for offset in range(after, -before - 1, -1)]


class StepDialog(ScreenDialog):
    """The date and note of one step; for 发放 the start month, for 停发 the stop month and reason."""

    def __init__(self, action: str, title: str, month: Month, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.action = action
        self.setWindowTitle(title)
        self.date_edit = QDateEdit(QDate.currentDate())
        self.date_edit.setObjectName("step_date")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.programme_box = QComboBox()
        self.programme_box.setObjectName("programme")
        for key, name in ((p, p.full_name) for p in Programme):
            self.programme_box.addItem(name, key)
        self.month_box = QComboBox()
        self.month_box.setObjectName("month")
        for choice in month_choices(month):
            self.month_box.addItem(choice.label, choice)
        self.month_box.setCurrentIndex(self.month_box.findText(month.label))
        self.reason_box = QComboBox()
        self.reason_box.setObjectName("reason")
        self.reason_box.setEditable(True)
        self.reason_box.addItems(applications.STOP_REASONS)
        self.note_edit = QLineEdit()
        self.note_edit.setObjectName("note")
        form = QFormLayout()
        form.addRow("日期：", self.date_edit)
        if action == APPLY:
            form.addRow("补贴：", self.programme_box)
        if action in (STOP, Stage.PAYING):
            form.addRow("停发起始月：" if action == STOP else "发放起始月：", self.month_box)
        if action == STOP:
            form.addRow("停发原因：", self.reason_box)
        form.addRow("不予通过原因：" if action == REFUSE else "备注：", self.note_edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("确定")
        buttons.button(QDialogButtonBox.StandardButton.Ok).setObjectName("ok")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def day(self) -> dt.date:
        value = self.date_edit.date()
        return dt.date(value.year(), value.month(), value.day())

    def month(self) -> Month:
        chosen: Month = self.month_box.currentData()
        return chosen


class PersonPage(QWidget):
    """Search a person; see their programmes and applications; act on the selected application."""

    open_register = Signal(int)  # the person's 登记表 in the register tab

    def __init__(self, road: Road, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.road = road
        self.month = Month.of(dt.date.today())
        self.shown: PageView | None = None
        self.picker = PersonPicker(road)
        self.picker.chosen.connect(lambda _pid: self.refresh())
        results = self.picker.results  # four lines high, in the font: the steps below get the room (1280×720)
        style.follow_font(results, lambda: results.setMaximumHeight(results.fontMetrics().height() * 4 + 8))
        self.explanation = QLabel("请先查找一个人。")
        self.explanation.setObjectName("explanation")
        self.explanation.setWordWrap(True)
        self.decisions = QLabel()
        self.decisions.setObjectName("decisions")
        self.decisions.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setObjectName("applications")
        self.tree.setHeaderLabels(["补贴 / 步骤", "日期", "情况或备注"])
        style.size_columns(self.tree, {0: "重度残疾人护理补贴 等等", 1: "2026-11-30"}, padding=40)  # the tree's indent
        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        for action, text in ((APPLY, "登记申请…"), (NEXT, "办理下一步…"), (REFUSE, "不予通过…"), (STOP, "停发…")):
            button = QPushButton(text)
            button.setObjectName(f"action_{action}")
            button.clicked.connect(lambda _c=False, a=action: self.act(a))
            self.buttons[action] = button
            row.addWidget(button)
        row.addStretch(1)
        self.other_button = QPushButton("其他待遇…")
        self.other_button.setObjectName("other_allowances")
        self.other_button.clicked.connect(self.edit_other_allowances)
        row.addWidget(self.other_button)
        self.register_button = QPushButton("打开登记表")
        self.register_button.setObjectName("open_register")
        self.register_button.clicked.connect(self._open_register)
        row.addWidget(self.register_button)
        self.relief_label = QLabel()
        self.relief_label.setObjectName("relief_totals")
        self.relief_label.setWordWrap(True)
        self.tree.currentItemChanged.connect(lambda *_: self._enable())
        layout = QVBoxLayout(self)
        layout.addWidget(self.picker)
        layout.addWidget(self.explanation)
        layout.addWidget(self.decisions)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.relief_label)
        layout.addLayout(row)
        self._enable()

    def set_month(self, month: Month) -> None:
        self.month = month
        self.refresh()

    def show_person(self, person_id: int) -> None:
        self.picker.choose(person_id)
        self.refresh()

    def refresh(self) -> None:
        person_id = self.picker.person_id()
        self.tree.clear()
        if person_id is None:
            self.shown = None
            self.explanation.setText("请先查找一个人。")
            self.decisions.clear()
            self.relief_label.clear()
            self._enable()
            return
        page = self.shown = self.road.read(person_page, person_id, self.month)
        for application in page.applications:
            top = QTreeWidgetItem([Programme(application.programme).full_name, application.applied_on.isoformat(),
                                   application.state])
            top.setData(0, 256, application.id)
            for step in application.steps:
                top.addChild(QTreeWidgetItem([f"　{step.step}（{step.who}）", step.date.isoformat(), step.note]))
            self.tree.addTopLevelItem(top)
            top.setExpanded(True)
        self.explanation.setText(f"<b>{self.month.label}：</b>{page.explanation}")
        self.decisions.setText(page.decisions)
        self.relief_label.setText(page.relief)
        if page.applications:
            self.tree.setCurrentItem(self.tree.topLevelItem(0))
        self._enable()

    def selected_application(self) -> int | None:
        item = self.tree.currentItem()
        while item is not None and item.parent() is not None:
            item = item.parent()
        return item.data(0, 256) if item is not None else None

    def _enable(self) -> None:
        has_person = self.picker.person_id() is not None
        self.buttons[APPLY].setEnabled(has_person)
        self.other_button.setEnabled(has_person)
        self.register_button.setEnabled(has_person)
        chosen = self.shown.application(self.selected_application()) if self.shown else None
        stage = chosen.stage if chosen is not None else ""
        self.buttons[NEXT].setEnabled(stage in STAGES_IN_ORDER[:-1])
        self.buttons[REFUSE].setEnabled(stage in STAGES_IN_ORDER[:-1])
        self.buttons[STOP].setEnabled(stage == Stage.PAYING)

    def _open_register(self) -> None:
        person_id = self.picker.person_id()
        if person_id is not None:
            self.open_register.emit(person_id)

    def edit_other_allowances(self) -> None:
        from ui.subsidies.other_allowances import OtherAllowancesDialog

        person_id = self.picker.person_id()
        if person_id is not None:
            OtherAllowancesDialog(self.road, person_id, self).exec()  # saved: the road tells the tab

    def act(self, action: str) -> None:
        person_id, app_id = self.picker.person_id(), self.selected_application()
        if person_id is None:
            return
        step: str = action
        if action == NEXT:
            chosen = self.shown.application(app_id) if self.shown else None
            step = (chosen.next_step if chosen is not None else None) or ""
        dialog = StepDialog(step, f"{step}" if action != APPLY else "登记补贴申请", self.month, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.apply_step(action, person_id, app_id, dialog)

    def apply_step(self, action: str, person_id: int, app_id: int | None, dialog: StepDialog) -> bool:
        """Carry out the dialog's step; a refused step is explained and nothing changes. The road tells the
        tab that the subsidies changed, and the tab reads this page again."""
        note, title = dialog.note_edit.text(), "补贴审批"
        if action == APPLY:
            done = self.road.attempt(self, title, applications.apply_for, person_id,
                                     dialog.programme_box.currentData(), dialog.day(), note)
        elif app_id is None:
            return False
        elif action == NEXT:
            start = dialog.month() if dialog.action == Stage.PAYING else None
            done = self.road.attempt(self, title, applications.advance, app_id, dialog.day(), note, start_month=start)
        elif action == REFUSE:
            done = self.road.attempt(self, title, applications.refuse, app_id, dialog.day(), note)
        elif action == STOP:
            done = self.road.attempt(self, title, applications.stop, app_id, dialog.month(),
                                     dialog.reason_box.currentText(), dialog.day(), note)
        else:
            return False
        person = self.picker.person()
        if done is not None and person is not None:
            say(self, done.line(person.name))
        return done is not None
