"""The household (户) of a person: its members and head, 低保 with its class and, when it ends, the day it
ended (低保停止日期: the living subsidy stops the month after, and what was paid for confirmed months after
it is said before saving and recorded as 应追回), 特困供养 and 低收入; moving the person into another household
(found by search) or making them the head of a new one. Each is one action through the road
(app.services.register.households), which gives the person a household first when they have none."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain import idnumber
from app.domain.disability import category_label, grade_label
from app.errors import CanlianError, ChangedMeanwhile
from app.services.register import households, search
from app.services.register.households import HouseholdView
from ui import style
from ui.road import Road
from ui.said import say
from ui.screen import ScreenDialog

DIBAO_CLASSES = [("未分类", None), ("一类", 1), ("二类", 2), ("三类", 3), ("四类", 4)]
_NAME_ROLE = Qt.ItemDataRole.UserRole + 1  # a found person's name, for the message after joining their household


class HouseholdDialog(ScreenDialog):
    """户信息 of one person. changed_something says whether anything was written."""

    def __init__(self, road: Road, person_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.road = road
        self.person_id = person_id
        self.changed_something = False
        self.household_id: int | None = None
        self.had_dibao = self.dated = False  # as loaded: 低保 on, or ended with its date kept
        self.setObjectName("household_dialog")
        self.resize(760, 560)
        self._build()
        self.load()

    def _build(self) -> None:
        self.head_label = QLabel()
        self.head_label.setObjectName("head")
        self.members = QTableWidget(0, 5)
        self.members.setObjectName("members")
        self.members.setHorizontalHeaderLabels(["姓名", "身份证号", "残疾类别", "等级", "状态"])
        self.members.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.members.verticalHeader().setVisible(False)
        self.members.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        for col in (0, 1):  # a name with （户主） and the masked ID number shown whole, in 大字体 too
            self.members.horizontalHeader().setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)

        self.dibao_check = QCheckBox("低保户(&D)")
        self.dibao_check.setObjectName("dibao")
        self.dibao_class = QComboBox()
        self.dibao_class.setObjectName("dibao_class")
        for text, value in DIBAO_CLASSES:
            self.dibao_class.addItem(text, value)
        self.dibao_check.toggled.connect(self.dibao_class.setEnabled)
        self.ended_edit = QDateEdit(QDate.currentDate())
        self.ended_edit.setObjectName("dibao_ended")
        self.ended_edit.setCalendarPopup(True)
        self.ended_edit.setDisplayFormat("yyyy-MM-dd")
        self.ended_edit.setMaximumDate(QDate.currentDate())
        self.ended_label = QLabel("低保停止日期(&E)：")
        self.ended_label.setBuddy(self.ended_edit)
        self.dibao_check.toggled.connect(lambda _on: self.show_notice())
        self.ended_edit.dateChanged.connect(lambda _d: self.show_notice())
        self.tekun_check = QCheckBox("特困供养(&T)")
        self.tekun_check.setObjectName("tekun")
        self.low_income_check = QCheckBox("低收入户(&L)")
        self.low_income_check.setObjectName("low_income")
        self.save_hardship_button = QPushButton("保存户的情况(&S)")
        self.save_hardship_button.setObjectName("save_hardship")
        self.save_hardship_button.clicked.connect(self.save_hardship)
        self.notice = QLabel()
        self.notice.setObjectName("subsidy_notice")
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet(style.error_style())
        self.notice.hide()
        support = QGroupBox("户的情况（由民政认定，这里记录）")
        column = QVBoxLayout(support)
        row = QHBoxLayout()
        for w in (self.dibao_check, QLabel("低保类别："), self.dibao_class, self.ended_label, self.ended_edit,
                  self.tekun_check, self.low_income_check):
            row.addWidget(w)
        row.addStretch(1)
        row.addWidget(self.save_hardship_button)
        column.addLayout(row)
        column.addWidget(self.notice)

        self.find_edit = QLineEdit()
        self.find_edit.setObjectName("find_household")
        self.find_edit.setPlaceholderText("输入另一户某位成员的姓名、拼音首字母或身份证号数字")
        self.find_edit.textChanged.connect(self._find)
        self.found = QListWidget()
        self.found.setObjectName("found")
        self.found.setMaximumHeight(120)
        self.move_button = QPushButton("并入所选人员的户(&M)")
        self.move_button.setObjectName("join_household")
        self.move_button.clicked.connect(self.move_to_selected)
        self.new_button = QPushButton("单独立户（本人为户主）(&N)")
        self.new_button.setObjectName("own_household")
        self.new_button.clicked.connect(self.make_own_household)
        move = QGroupBox("调整户")
        move_layout = QVBoxLayout(move)
        move_layout.addWidget(self.find_edit)
        move_layout.addWidget(self.found)
        buttons = QHBoxLayout()
        buttons.addWidget(self.move_button)
        buttons.addWidget(self.new_button)
        buttons.addStretch(1)
        move_layout.addLayout(buttons)

        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        close = QPushButton("关闭")
        close.setObjectName("close")
        close.clicked.connect(self.accept)
        bottom = QHBoxLayout()
        bottom.addWidget(self.message, 1)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.head_label)
        layout.addWidget(self.members, 1)
        layout.addWidget(support)
        layout.addWidget(move)
        layout.addLayout(bottom)

    def load(self) -> None:
        self.show_household(self.road.read(households.household_of, self.person_id))

    def show_household(self, view: HouseholdView) -> None:
        """Show the household as read (on opening, and as each action returns it)."""
        self.version = view.version
        self.person_name = view.person_name
        self.household_id = view.household_id
        self.setWindowTitle(f"户信息 - {view.person_name}")
        self.head_label.setText(f"{view.person_name}所在的户：户主 {view.head_name or '（未定）'}"
                                + (f"，{view.where}" if view.where else "") + f"，共 {len(view.members)} 人")
        self.members.setRowCount(len(view.members))
        for r, m in enumerate(view.members):
            row = (m.name + ("（户主）" if m.head else ""), m.id_masked, category_label(m.category),
                   grade_label(m.grade), m.status)
            for c, text in enumerate(row):
                self.members.setItem(r, c, QTableWidgetItem(text))
        self.had_dibao, ended = view.dibao, view.dibao_ended
        self.dibao_check.setChecked(view.dibao)
        self.dibao_class.setEnabled(view.dibao)
        self.dibao_class.setCurrentIndex(max(self.dibao_class.findData(view.dibao_class), 0))
        self.tekun_check.setChecked(view.tekun)
        self.low_income_check.setChecked(view.low_income)
        self.dated = ended is not None
        self.ended_edit.setDate(QDate(ended.year, ended.month, ended.day) if ended else QDate.currentDate())
        self.show_notice()
        self._shown = self._hardship()  # as shown: what the clerk then changed is told from it

    def ended_on(self) -> dt.date | None:
        """The 低保停止日期 to save: when 低保 is being switched off, or its kept date corrected."""
        if self.dibao_check.isChecked() or not (self.had_dibao or self.dated):
            return None
        qdate = self.ended_edit.date()
        return dt.date(qdate.year(), qdate.month(), qdate.day())

    def show_notice(self) -> None:
        """What ending 低保 on the chosen day means for members paid the living subsidy, before saving."""
        ended = self.ended_on()
        self.ended_label.setVisible(ended is not None)
        self.ended_edit.setVisible(ended is not None)
        text = ""
        if ended is not None and self.household_id is not None:
            text = self.road.read(households.dibao_notice, self.household_id, ended)
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    def _say(self, text: str, error: bool = False) -> None:
        self.message.setStyleSheet(style.error_style() if error else style.hint_style())
        self.message.setText(text)
        if not error:
            say(self.parentWidget(), text)  # also in the window's status bar, where every action is said

    def _hardship(self) -> dict[str, object]:
        """The household's situation as the ticks now say."""
        return {"dibao": self.dibao_check.isChecked(), "dibao_class": self.dibao_class.currentData(),
                "tekun": self.tekun_check.isChecked(), "low_income": self.low_income_check.isChecked()}

    def _set_hardship(self, values: dict[str, object]) -> None:
        if "dibao" in values:
            self.dibao_check.setChecked(bool(values["dibao"]))
            self.dibao_class.setEnabled(bool(values["dibao"]))
        if "dibao_class" in values:
            self.dibao_class.setCurrentIndex(max(self.dibao_class.findData(values["dibao_class"]), 0))
        if "tekun" in values:
            self.tekun_check.setChecked(bool(values["tekun"]))
        if "low_income" in values:
            self.low_income_check.setChecked(bool(values["low_income"]))
        self.show_notice()

    def save_hardship(self) -> bool:
        dibao = self.dibao_check.isChecked()
        try:
            view = self.road.write(households.set_hardship, self.person_id, dibao=dibao,
                                   dibao_class=self.dibao_class.currentData(), tekun=self.tekun_check.isChecked(),
                                   low_income=self.low_income_check.isChecked(), dibao_ended=self.ended_on(),
                                   version=self.version)
        except ChangedMeanwhile as exc:
            # Another clerk saved the household since it was shown: show their save, with what this clerk
            # changed here kept on top, so saving again applies only that, knowingly.
            changed = {key: value for key, value in self._hardship().items() if value != self._shown[key]}
            self.show_household(self.road.read(households.household_of, self.person_id))
            self._set_hardship(changed)
            self._say(str(exc), error=True)
            return False
        except CanlianError as exc:
            self._say(str(exc), error=True)
            return False
        self.changed_something = True
        self._say("已保存户的情况。")
        self.show_household(view)
        return True

    def _find(self, text: str) -> None:
        self.found.clear()
        if not text.strip():
            return
        for row in self.road.read(search.find_persons, text, limit=20):
            if row.id == self.person_id:
                continue
            shown = f"{row.name}　{row.village}{row.group}　{idnumber.mask(row.id_number)}　{row.status}"
            item = QListWidgetItem(shown)
            item.setData(Qt.ItemDataRole.UserRole, row.id)
            item.setData(_NAME_ROLE, row.name)
            self.found.addItem(item)

    def move_to_selected(self) -> bool:
        item = self.found.currentItem()
        if item is None:
            self._say("请先在上面查找并选中另一户的一位成员。", error=True)
            return False
        try:
            view = self.road.write(households.join_household, self.person_id, int(item.data(Qt.ItemDataRole.UserRole)))
        except CanlianError as exc:
            self._say(str(exc), error=True)
            return False
        self.changed_something = True
        self._say(f"已将{self.person_name}并入{item.data(_NAME_ROLE)}所在的户。")
        self.find_edit.clear()
        self.show_household(view)
        return True

    def make_own_household(self) -> bool:
        if not self.confirm(f"让{self.person_name}单独立户（本人为户主）吗？原户的低保等情况不会带到新户。"):
            return False
        try:
            view = self.road.write(households.own_household, self.person_id)
        except CanlianError as exc:
            self._say(str(exc), error=True)
            return False
        self.changed_something = True
        self._say(f"{self.person_name}已单独立户。")
        self.show_household(view)
        return True

    def confirm(self, text: str) -> bool:
        answer = QMessageBox.question(self, "调整户", text)
        return answer == QMessageBox.StandardButton.Yes
