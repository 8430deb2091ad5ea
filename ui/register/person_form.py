"""The person form (new and edit): every register field in six groups that fit one screen, checked as
the clerk types (app.domain.person_rules.check_person), with the message at the field it is about.

Saving goes through app.services.registry in one transaction. A new person whose ID is already on the
register is not registered twice: the form offers to open that person instead. Closing with changes
asks 保存 / 放弃 / 取消.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QMessageBox,
    QPlainTextEdit, QPushButton, QTabWidget, QVBoxLayout, QWidget,
)

from app.db.engine import Database
from app.db.models import LABOR_ABILITIES, SELF_CARE
from app.domain import disability, idnumber
from app.domain.disability import CATEGORY_NAMES, GRADE_NAMES
from app.domain.person_rules import FIELD_LABELS, Checked, check_person
from app.errors import CanlianError
from app.services import registry
from ui import style
from ui.register.form_values import BLANK_VALUES, load_person_raw

ETHNICITIES = ["汉族", "回族", "藏族", "东乡族", "保安族", "撒拉族", "土族", "裕固族", "蒙古族", "满族"]
EDUCATION = ["", "未上学", "小学", "初中", "高中", "中专", "大专", "本科及以上"]
DIBAO_CLASSES = ["", "一类", "二类", "三类", "四类"]
REQUIRED = {"name", "id_number", "category", "grade"}  # category and grade come from the certificate too


class FieldRow(QWidget):
    """A field with its message underneath (red, shown only when there is something to fix)."""

    def __init__(self, editor: QWidget) -> None:
        super().__init__()
        self.editor = editor
        self.message = QLabel()
        self.message.setStyleSheet(style.error_style())
        self.message.setWordWrap(True)
        self.message.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(1)
        layout.addWidget(editor)
        layout.addWidget(self.message)

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))


class PersonForm(QDialog):
    """登记表 of one person; person_id None registers a new one. After exec, saved says if anything was
    written and person_id names the person saved."""

    def __init__(self, db: Database, person_id: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.person_id = person_id
        self.saved = False
        self.rows: dict[str, FieldRow] = {}
        self._touched: set[str] = set()
        self._show_all = False
        self._snapshot: dict[str, Any] = {}
        self._village_groups: dict[str, list[str]] = {}
        self.setObjectName("person_form")
        self._build()
        hint = self.sizeHint()
        self.resize(max(hint.width(), 1160), min(max(hint.height(), 560), 760))
        if person_id is not None:
            self.load(person_id)
        else:
            self._set_title()
            self._snapshot = self.raw()
            self.validate()

    # --- layout --------------------------------------------------------------------------------
    def _line(self, key: str, placeholder: str = "") -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(key)
        edit.setPlaceholderText(placeholder)
        edit.textChanged.connect(lambda _t, k=key: self._edited(k))
        return edit

    def _choice(self, key: str, items: list[tuple[str, Any]], editable: bool = False) -> QComboBox:
        box = QComboBox()
        box.setObjectName(key)
        box.setEditable(editable)
        for text, data in items:
            box.addItem(text, data)
        if editable:
            box.editTextChanged.connect(lambda _t, k=key: self._edited(k))
        else:
            box.currentIndexChanged.connect(lambda _i, k=key: self._edited(k))
        return box

    def _check(self, key: str, text: str) -> QCheckBox:
        box = QCheckBox(text)
        box.setObjectName(key)
        box.toggled.connect(lambda _on, k=key: self._edited(k))
        return box

    def _group(self, title: str, fields: list[tuple[str, QWidget]]) -> QGroupBox:
        group = QGroupBox(title)
        form = QFormLayout(group)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.setVerticalSpacing(7)
        for key, editor in fields:
            row = FieldRow(editor)
            self.rows[key] = row
            label = QLabel(FIELD_LABELS.get(key, "") + ("*" if key in REQUIRED else "") + "：")
            label.setBuddy(editor)
            form.addRow(label, row)
        return group

    def _build(self) -> None:
        self.name_edit = self._line("name")
        self.id_edit = self._line("id_number", "18位，末位可为X")
        self.derived_label = QLabel()
        self.derived_label.setObjectName("derived")
        self.derived_label.setStyleSheet(style.hint_style())
        self.ethnicity_box = self._choice("ethnicity", [(e, e) for e in ETHNICITIES], editable=True)
        self.education_box = self._choice("education", [(e, e) for e in EDUCATION], editable=True)
        basic = self._group("基本信息", [("name", self.name_edit), ("id_number", self.id_edit),
                                         ("ethnicity", self.ethnicity_box), ("education", self.education_box)])
        basic.layout().insertRow(2, QLabel("性别/出生："), self.derived_label)  # type: ignore[attr-defined]

        self.cert_edit = self._line("certificate_number", "20位：身份证号＋类别＋等级")
        self.category_box = self._choice("category", [("", None)] + [(n, int(c)) for c, n in CATEGORY_NAMES.items()])
        self.components_edit = self._line("components", "多重残疾时填写，如：肢体、智力")
        self.grade_box = self._choice("grade", [("", None)] + [(n, int(g)) for g, n in GRADE_NAMES.items()])
        self.issued_edit = self._line("certificate_issued", "如 2024-05-01")
        disab = self._group("残疾情况", [("certificate_number", self.cert_edit), ("category", self.category_box),
                                         ("components", self.components_edit), ("grade", self.grade_box),
                                         ("certificate_issued", self.issued_edit)])

        self.village_box = self._choice("village", [], editable=True)
        self.village_box.editTextChanged.connect(self._village_changed)
        self.group_box = self._choice("group", [], editable=True)
        self.address_edit = self._line("address")
        self.phone_edit = self._line("phone")
        self.guardian_edit = self._line("guardian")
        self.guardian_phone_edit = self._line("guardian_phone")
        family = self._group("家庭与联系", [("village", self.village_box), ("group", self.group_box),
                                            ("address", self.address_edit), ("phone", self.phone_edit),
                                            ("guardian", self.guardian_edit),
                                            ("guardian_phone", self.guardian_phone_edit)])

        self.labor_box = self._choice("labor_ability", [("", "")] + [(a, a) for a in LABOR_ABILITIES])
        self.employment_edit = self._line("employment", "如：务农、灵活就业、未就业")
        self.self_care_box = self._choice("self_care", [("", "")] + [(s, s) for s in SELF_CARE])
        self.alone_check = self._check("lives_alone", "是（一人居住）")
        self.insurance_check = self._check("medical_insurance", "已参保")
        self.dibao_check = self._check("dibao", "是低保户（按户认定）")
        self.dibao_class_box = self._choice("dibao_class", [(c, c) for c in DIBAO_CLASSES])
        self.dibao_check.toggled.connect(self.dibao_class_box.setEnabled)
        self.dibao_class_box.setEnabled(False)
        living = self._group("生活与保障", [("labor_ability", self.labor_box), ("employment", self.employment_edit),
                                            ("self_care", self.self_care_box), ("lives_alone", self.alone_check),
                                            ("medical_insurance", self.insurance_check),
                                            ("dibao", self.dibao_check), ("dibao_class", self.dibao_class_box)])

        self.bank_name_edit = self._line("bank_name", "如：农村信用社")
        self.bank_account_edit = self._line("bank_account")
        bank = self._group("银行账户", [("bank_name", self.bank_name_edit), ("bank_account", self.bank_account_edit)])
        self.notes_edit = QPlainTextEdit()
        self.notes_edit.setObjectName("notes")
        self.notes_edit.setTabChangesFocus(True)
        self.notes_edit.textChanged.connect(lambda: self._edited("notes"))
        notes = QGroupBox("备注")
        QVBoxLayout(notes).addWidget(self.notes_edit)
        self.rows["notes"] = FieldRow(QWidget())

        page = QWidget()
        columns = QHBoxLayout(page)
        for widgets in ([basic, disab], [family, bank], [living, notes]):
            column = QVBoxLayout()
            for w in widgets:
                column.addWidget(w)
            column.addStretch(1)
            columns.addLayout(column, 1)

        self.tabs = QTabWidget()
        self.tabs.addTab(page, "登记信息")
        self.history = None

        self.banner = QLabel()
        self.banner.setObjectName("banner")
        self.banner.setStyleSheet(style.error_style())
        self.banner.setWordWrap(True)
        self.banner.hide()
        self.status_label = QLabel()
        self.status_label.setObjectName("status")
        self.status_button = QPushButton("状态变更(&T)…")
        self.status_button.clicked.connect(self.change_status)
        self.household_button = QPushButton("户信息(&H)…")
        self.household_button.clicked.connect(self.show_household)
        self.save_button = QPushButton("保存(&S)")
        self.save_button.setDefault(True)
        self.save_button.setToolTip("Ctrl+S")
        self.save_button.clicked.connect(self.save_and_close)
        self.close_button = QPushButton("关闭")
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
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(buttons)
        self._load_villages()

    def _load_villages(self) -> None:
        with self.db.session() as session:
            self._village_groups = {v.name: [g.name for g in v.groups] for v in registry.villages(session)}
        self.village_box.blockSignals(True)
        self.village_box.addItems([""] + list(self._village_groups))
        self.village_box.blockSignals(False)

    def _village_changed(self, name: str) -> None:
        current = self.group_box.currentText()
        self.group_box.blockSignals(True)
        self.group_box.clear()
        self.group_box.addItems([""] + self._village_groups.get(name.strip(), []))
        self.group_box.setEditText(current)
        self.group_box.blockSignals(False)

    def _set_title(self) -> None:
        name = self.name_edit.text().strip()
        self.setWindowTitle(f"残疾人登记表 - {name}" if self.person_id else "新增残疾人登记")
        editing = self.person_id is not None
        self.status_button.setVisible(editing)
        self.household_button.setVisible(editing)
        self.status_label.setVisible(editing)

    # --- values --------------------------------------------------------------------------------
    def raw(self) -> dict[str, Any]:
        """The fields as typed, keyed like app.db.models.Person (what check_person reads)."""
        return {
            "name": self.name_edit.text(), "id_number": self.id_edit.text(),
            "ethnicity": self.ethnicity_box.currentText(), "education": self.education_box.currentText(),
            "certificate_number": self.cert_edit.text(), "category": self.category_box.currentData(),
            "components": self.components_edit.text(), "grade": self.grade_box.currentData(),
            "certificate_issued": self.issued_edit.text(), "village": self.village_box.currentText(),
            "group": self.group_box.currentText(), "address": self.address_edit.text(),
            "phone": self.phone_edit.text(), "guardian": self.guardian_edit.text(),
            "guardian_phone": self.guardian_phone_edit.text(), "labor_ability": self.labor_box.currentData(),
            "employment": self.employment_edit.text(), "self_care": self.self_care_box.currentData(),
            "lives_alone": "是" if self.alone_check.isChecked() else "否",
            "medical_insurance": "是" if self.insurance_check.isChecked() else "否",
            "dibao": "是" if self.dibao_check.isChecked() else "否",
            "dibao_class": self.dibao_class_box.currentText() if self.dibao_check.isChecked() else "",
            "bank_name": self.bank_name_edit.text(), "bank_account": self.bank_account_edit.text(),
            "notes": self.notes_edit.toPlainText(),
        }

    def fill(self, raw: dict[str, Any]) -> None:
        """Put stored values into the fields (without marking them as typed)."""
        for w in self.findChildren(QWidget):
            w.blockSignals(True)
        self.name_edit.setText(raw["name"])
        self.id_edit.setText(raw["id_number"])
        self.ethnicity_box.setEditText(raw["ethnicity"])
        self.education_box.setEditText(raw["education"])
        self.cert_edit.setText(raw["certificate_number"])
        self.category_box.setCurrentIndex(max(self.category_box.findData(raw["category"]), 0))
        self.components_edit.setText(raw["components"])
        self.grade_box.setCurrentIndex(max(self.grade_box.findData(raw["grade"]), 0))
        self.issued_edit.setText(raw["certificate_issued"])
        self.village_box.setEditText(raw["village"])
        for w in self.findChildren(QWidget):
            w.blockSignals(False)
        self._village_changed(raw["village"])
        for w in self.findChildren(QWidget):
            w.blockSignals(True)
        self.group_box.setEditText(raw["group"])
        self.address_edit.setText(raw["address"])
        self.phone_edit.setText(raw["phone"])
        self.guardian_edit.setText(raw["guardian"])
        self.guardian_phone_edit.setText(raw["guardian_phone"])
        self.labor_box.setCurrentIndex(max(self.labor_box.findData(raw["labor_ability"]), 0))
        self.employment_edit.setText(raw["employment"])
        self.self_care_box.setCurrentIndex(max(self.self_care_box.findData(raw["self_care"]), 0))
        self.alone_check.setChecked(raw["lives_alone"] == "是")
        self.insurance_check.setChecked(raw["medical_insurance"] == "是")
        self.dibao_check.setChecked(raw["dibao"] == "是")
        self.dibao_class_box.setEnabled(raw["dibao"] == "是")
        self.dibao_class_box.setCurrentIndex(max(self.dibao_class_box.findText(raw["dibao_class"]), 0))
        self.bank_name_edit.setText(raw["bank_name"])
        self.bank_account_edit.setText(raw["bank_account"])
        self.notes_edit.setPlainText(raw["notes"])
        for w in self.findChildren(QWidget):
            w.blockSignals(False)

    def load(self, person_id: int) -> None:
        """Show a person from the register (the form becomes the edit form of that person)."""
        with self.db.session() as session:
            person = registry.get_person(session, person_id)
            raw = load_person_raw(person)
            status = f"状态：{person.status}" + (f"（{person.status_date}起）" if person.status_date else "")
        self.person_id = person_id
        self.fill(raw)
        self.status_label.setText(status)
        self._snapshot = self.raw()
        self._touched.clear()
        self._show_all = False
        if self.history is None:
            from ui.register.history import HistoryView

            self.history = HistoryView(self.db, person_id)
            self.tabs.addTab(self.history, "变更记录")
        else:
            self.history.person_id = person_id
            self.history.refresh()
        self._set_title()
        self.validate()

    def is_dirty(self) -> bool:
        return self.raw() != self._snapshot

    # --- checking as the clerk types -----------------------------------------------------------
    def _edited(self, key: str) -> None:
        self._touched.add(key)
        if key == "certificate_number":
            self._fill_from_certificate()
        self.validate()

    def _fill_from_certificate(self) -> None:
        """A valid certificate number gives the category and grade (and the ID, if that is still empty)."""
        try:
            id18, category, grade = disability.parse_certificate(self.cert_edit.text())
        except disability.CodeError:
            return
        self.category_box.setCurrentIndex(self.category_box.findData(int(category)))
        self.grade_box.setCurrentIndex(self.grade_box.findData(int(grade)))
        if not self.id_edit.text().strip():
            self.id_edit.setText(id18)

    def validate(self) -> Checked:
        """Check every field; show each message at its field (typed fields only, until saving is tried)."""
        checked = check_person(self.raw(), dt.date.today())
        for key, row in self.rows.items():
            text = checked.errors.get(key, "")
            row.show_message(text if (self._show_all or key in self._touched) else "")
        self._show_derived(checked)
        return checked

    def show_all_messages(self) -> None:
        """Show every field's message, typed or not (as when saving is tried)."""
        self._show_all = True
        self.validate()

    def _show_derived(self, checked: Checked) -> None:
        id18 = checked.values.get("id_number")
        if not id18:
            self.derived_label.setText("（填写身份证号后自动得出）")
            return
        born = idnumber.birth_date_of(id18)
        age = idnumber.age_on(id18, dt.date.today())
        self.derived_label.setText(f"{idnumber.sex_of(id18)}　{born:%Y年%m月%d日}生　{age}岁")

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
        values = dict(checked.values)
        raw = self.raw()
        for key, blank in BLANK_VALUES.items():
            if key not in values and key not in checked.errors and not str(raw.get(key) or "").strip():
                values[key] = blank
        if not values.get("dibao"):
            values["dibao_class"] = None
        if self.person_id is None and self._offer_existing(values["id_number"]):
            return False
        try:
            with self.db.transaction() as session:
                if self.person_id is None:
                    result = registry.save_person(session, values)
                else:
                    result = registry.update_person(session, registry.get_person(session, self.person_id), values)
                self.person_id = result.person.id
        except CanlianError as exc:
            self.banner.setText(str(exc))
            self.banner.show()
            return False
        self.saved = True
        self.banner.hide()
        self.load(self.person_id)
        return True

    def _offer_existing(self, id18: str) -> bool:
        """A new person whose ID is on the register already: offer to open that one. True if handled."""
        with self.db.session() as session:
            existing = registry.find_person(session, id18)
            if existing is None:
                return False
            who = f"{existing.name}（{existing.village.name if existing.village else '未填村'}，{existing.status}）"
            existing_id = existing.id
        if self.ask_open_existing(who):
            self.load(existing_id)
        return True

    def ask_open_existing(self, who: str) -> bool:
        answer = QMessageBox.question(
            self, "已经登记过",
            f"这个身份证号已登记在{who}名下，不能重复登记。\n是否打开此人的登记表？（刚才填写的内容不会保存）",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def save_and_close(self) -> None:
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
        if StatusDialog(self.db, self.person_id, self).exec():
            self.saved = True
            self._reload_keeping_edits()

    def show_household(self) -> None:
        from ui.register.household import HouseholdDialog

        if self.person_id is None:
            return
        dialog = HouseholdDialog(self.db, self.person_id, self)
        dialog.exec()
        if dialog.changed_something:
            self.saved = True
            self._reload_keeping_edits()

    def _reload_keeping_edits(self) -> None:
        """Read the person again after a change made elsewhere; fields the clerk typed stay as typed."""
        assert self.person_id is not None
        typed = self.raw()
        dirty_keys = {k for k, v in typed.items() if v != self._snapshot.get(k)}
        self.load(self.person_id)
        if dirty_keys:
            merged = self.raw()
            merged.update({k: typed[k] for k in dirty_keys})
            self.fill(merged)
            self._touched |= dirty_keys
            self.validate()
