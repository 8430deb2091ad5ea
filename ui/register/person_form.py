"""The person form (new and edit): every register field in six groups that fit one screen, checked as
the clerk types (app.services.register.people.check_form), with the message at the field it is about.

Saving is one action through the road (people.save_form). A new person whose ID is already on the register is
not registered twice: the form offers to open that person instead. Closing with changes asks
保存 / 放弃 / 取消.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QPushButton, QTabWidget, QVBoxLayout, QWidget

from app.domain import disability, idnumber
from app.domain.register_rules import Checked
from app.errors import CanlianError, ChangedMeanwhile
from app.services.register import people, villages
from ui import style
from ui.register.person_fields import PersonFields
from ui.road import Road
from ui.screen import ScreenDialog

if TYPE_CHECKING:
    from ui.register.history import HistoryView


class PersonForm(ScreenDialog):
    """登记表 of one person; person_id None registers a new one. After exec, saved says if anything was
    written and person_id names the person saved."""

    def __init__(self, road: Road, person_id: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.road = road
        self.person_id = person_id
        self.saved = False
        self.said: list[str] = []  # what each action here did, for the status bar once the form closes
        self.read_only = False
        self._touched: set[str] = set()
        self._show_all = False
        self._snapshot: dict[str, Any] = {}
        self._version: int | None = None  # the person's version as loaded: a save over another clerk's is refused
        self.setObjectName("person_form")
        self._build()
        hint = self.sizeHint()
        self.resize(max(hint.width(), 1160), min(max(hint.height(), 560), 760))
        if person_id is not None:
            self.load(person_id)
        else:
            self._set_title()
            self._snapshot = self.fields.raw()
            self.validate()
        self.fields.name_edit.setFocus()

    def _build(self) -> None:
        self.fields = PersonFields()
        self.fields.edited.connect(self._edited)
        self.rows = self.fields.rows
        self.tabs = QTabWidget()
        self.tabs.addTab(self.fields, "登记信息")
        self.history: HistoryView | None = None

        self.banner = QLabel()
        self.banner.setObjectName("banner")
        self.banner.setStyleSheet(style.error_style())
        self.banner.setWordWrap(True)
        self.banner.hide()
        self.status_label = QLabel()
        self.status_label.setObjectName("status")
        self.status_button = QPushButton("状态变更(&T)…")
        self.status_button.setObjectName("change_status")
        self.status_button.clicked.connect(self.change_status)
        self.household_button = QPushButton("户信息(&U)…")
        self.household_button.setObjectName("household")
        self.household_button.clicked.connect(self.show_household)
        self.save_button = QPushButton("保存(&S)")
        self.save_button.setObjectName("save")
        self.save_button.setDefault(True)
        self.save_button.setToolTip("Ctrl+S")
        self.save_button.clicked.connect(self.save_and_close)
        self.correct_button = QPushButton("更正(&G)")
        self.correct_button.setObjectName("correct")
        self.correct_button.setToolTip("此人已不在册：登记表只能查看，要改正记错的内容请点“更正”")
        self.correct_button.clicked.connect(self.correct)
        self.correct_button.hide()
        self.close_button = QPushButton("关闭")
        self.close_button.setObjectName("close")
        self.close_button.setToolTip("Esc")
        self.close_button.clicked.connect(self.reject)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save_and_close)

        required = QLabel("带 * 的必须填写；填了残疾证号，类别和等级会自动填上。")
        required.setStyleSheet(style.hint_style())
        buttons = QHBoxLayout()
        buttons.addWidget(required)
        buttons.addWidget(self.status_label)
        buttons.addWidget(self.status_button)
        buttons.addWidget(self.household_button)
        buttons.addStretch(1)
        buttons.addWidget(self.correct_button)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(buttons)
        self.fields.set_villages({v.name: list(v.groups) for v in self.road.read(villages.village_choices)})

    def _set_title(self) -> None:
        name = self.fields.name_edit.text().strip()
        self.setWindowTitle(f"残疾人登记表 - {name}" if self.person_id else "新增残疾人登记")
        editing = self.person_id is not None
        self.status_button.setVisible(editing)
        self.household_button.setVisible(editing)
        self.status_label.setVisible(editing)

    def load(self, person_id: int) -> None:
        """Show a person from the register (the form becomes the edit form of that person)."""
        form = self.road.read(people.person_form, person_id)
        self.person_id = person_id
        self._version = form.version
        self.fields.fill(dict(form.fields))
        self.status_label.setText(f"状态：{form.status_text}")
        self._snapshot = self.fields.raw()
        self._touched.clear()
        self._show_all = False
        if self.history is None:
            from ui.register.history import HistoryView

            self.history = HistoryView(self.road, person_id)
            self.tabs.addTab(self.history, "变更记录")
        else:
            self.history.person_id = person_id
            self.history.refresh()
        self._set_title()
        self.validate()
        self.set_read_only(form.read_only, form.status_text)

    def set_read_only(self, on: bool, status: str = "") -> None:
        """A person off the register is shown, not edited, until the clerk chooses 更正."""
        self.read_only = on
        self.fields.set_read_only(on)
        self.save_button.setEnabled(not on)
        self.correct_button.setVisible(on)
        if on:
            self.banner.setStyleSheet(style.hint_style())
            self.banner.setText(f"此人{status}，登记表只能查看。要改正记错的内容，请点“更正”。")
            self.banner.show()
            self.close_button.setDefault(True)
        elif self.banner.styleSheet() == style.hint_style():
            self.banner.hide()
            self.banner.setStyleSheet(style.error_style())

    def correct(self) -> None:
        """更正: the closed record becomes editable; saving it is audited as every save is."""
        self.set_read_only(False)
        self.save_button.setDefault(True)
        self.fields.name_edit.setFocus()
        self.fields.name_edit.selectAll()

    def is_dirty(self) -> bool:
        return self.fields.raw() != self._snapshot

    # --- checking as the clerk types -----------------------------------------------------------
    def _edited(self, key: str) -> None:
        self._touched.add(key)
        if key == "certificate_number":
            self._fill_from_certificate()
        self.validate()

    def _fill_from_certificate(self) -> None:
        """A valid certificate number gives the category and grade (and the ID, if that is still empty)."""
        try:
            id18, category, grade = disability.parse_certificate(self.fields.cert_edit.text())
        except disability.CodeError:
            return
        self.fields.category_box.setCurrentIndex(self.fields.category_box.findData(int(category)))
        self.fields.grade_box.setCurrentIndex(self.fields.grade_box.findData(int(grade)))
        if not self.fields.id_edit.text().strip():
            self.fields.id_edit.setText(id18)

    def validate(self) -> Checked:
        """Check every field; show each message at its field (typed fields only, until saving is tried)."""
        checked = people.check_form(self.fields.raw(), self._stored())
        for key, row in self.rows.items():
            text = checked.errors.get(key, "")
            row.show_message(text if (self._show_all or key in self._touched) else "")
        self._show_derived(checked)
        return checked

    def _stored(self) -> dict[str, Any] | None:
        """The person's values as loaded: a phone or account left as it was is not checked again."""
        return self._snapshot if self.person_id is not None else None

    def show_all_messages(self) -> None:
        """Show every field's message, typed or not (as when saving is tried)."""
        self._show_all = True
        self.validate()

    def _show_derived(self, checked: Checked) -> None:
        id18 = checked.values.get("id_number")
        if not id18:
            self.fields.derived_label.setText("（填写身份证号后自动得出）")
            return
        born = idnumber.birth_date_of(id18)
        age = idnumber.age_on(id18, dt.date.today())
        self.fields.derived_label.setText(f"{idnumber.sex_of(id18)}　{born:%Y年%m月%d日}生　{age}岁")

    # --- saving --------------------------------------------------------------------------------
    def save(self) -> bool:
        """Check and write the form; False (with the reason shown) if nothing was written."""
        self.show_all_messages()
        checked = self.validate()
        if not checked.ok:
            first = next(iter(checked.errors))
            self.banner.setText("有几项需要改正（见红字），改好后再保存。")
            self.banner.show()
            if first in self.rows:
                self.rows[first].editor.setFocus()
            return False
        if self.person_id is None and self._offer_existing(checked.values["id_number"]):
            return False
        try:
            saved = self.road.write(people.save_form, self.person_id, self.fields.raw(),
                                    version=self._version if self.person_id is not None else None)
        except ChangedMeanwhile as exc:
            # Another clerk saved this person since the form opened: the form now shows their save, with
            # what this clerk typed kept on top, so saving again applies the typing to it knowingly.
            self._reload_keeping_edits()
            self.banner.setStyleSheet(style.error_style())
            self.banner.setText(str(exc))
            self.banner.show()
            return False
        except CanlianError as exc:
            self.banner.setText(str(exc))
            self.banner.show()
            return False
        self.person_id = saved.person_id
        self.saved = True
        self.said.append(saved.line)
        self.banner.hide()
        self.load(self.person_id)
        return True

    def _offer_existing(self, id18: str) -> bool:
        """A new person whose ID is on the register already: offer to open that one. True if handled."""
        existing = self.road.read(people.find_by_number, id18)
        if existing is None:
            return False
        if self.ask_open_existing(f"{existing.name}（{existing.village or '未填村'}，{existing.status}）"):
            self.load(existing.id)
        return True

    def ask_open_existing(self, who: str) -> bool:
        answer = QMessageBox.question(
            self, "已经登记过",
            f"这个身份证号已登记在{who}名下，不能重复登记。\n是否打开此人的登记表？（刚才填写的内容不会保存）",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def save_and_close(self) -> None:
        if self.read_only:  # Ctrl+S on a closed record: nothing to save until 更正
            return
        if self.save():
            self.accept()

    # --- closing with changes ------------------------------------------------------------------
    def ask_unsaved(self) -> str:
        """保存 / 放弃 / 取消: "save", "discard" or "cancel"."""
        box = QMessageBox(QMessageBox.Icon.Question, "尚未保存", "登记表有改动还没有保存。要保存吗？", parent=self)
        save = box.addButton("保存", QMessageBox.ButtonRole.AcceptRole)
        discard = box.addButton("放弃改动", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(save)
        box.exec()
        clicked = box.clickedButton()
        return "save" if clicked is save else "discard" if clicked is discard else "cancel"

    def reject(self) -> None:
        if self.is_dirty():
            choice = self.ask_unsaved()
            if choice == "cancel" or (choice == "save" and not self.save()):
                return
            if choice == "save":
                self.accept()
                return
        super().reject()

    # --- status and household ------------------------------------------------------------------
    def change_status(self) -> None:
        from ui.register.status_dialog import StatusDialog

        if self.person_id is None:
            return
        dialog = StatusDialog(self.road, self.person_id, self)
        if dialog.exec() and dialog.recorded is not None:
            self.saved = True
            self.said.append(dialog.recorded.line)
            self._reload_keeping_edits()

    def show_household(self) -> None:
        from ui.register.household import HouseholdDialog

        if self.person_id is None:
            return
        dialog = HouseholdDialog(self.road, self.person_id, self)
        dialog.exec()
        if dialog.changed_something:
            self.saved = True
            self._reload_keeping_edits()

    def _reload_keeping_edits(self) -> None:
        """Read the person again after a change made elsewhere; fields the clerk typed stay as typed."""
        assert self.person_id is not None
        typed = self.fields.raw()
        dirty_keys = {k for k, v in typed.items() if v != self._snapshot.get(k)}
        self.load(self.person_id)
        if dirty_keys:
            merged = self.fields.raw()
            merged.update({k: typed[k] for k in dirty_keys})
            self.fields.fill(merged)
            self._touched |= dirty_keys
            self.set_read_only(False)  # what the clerk typed before the change can still be saved
            self.validate()
