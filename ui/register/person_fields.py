"""The person form's fields in six groups (基本信息 / 残疾情况 / 家庭与联系 / 生活与保障 / 银行账户 / 备注), laid out to
fit one screen at 1280x800, in the order Tab moves through them. Only layout and values live here; checking
and saving are the dialog's (ui.register.person_form)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.disability import CATEGORY_NAMES, GRADE_NAMES
from app.domain.register_rules import FIELD_LABELS
from app.domain.words import LaborAbility, SelfCare
from ui import style

ETHNICITIES = ["汉族", "回族", "藏族", "东乡族", "保安族", "撒拉族", "土族", "裕固族", "蒙古族", "满族"]
EDUCATION = ["", "未上学", "小学", "初中", "高中", "中专", "大专", "本科及以上"]
DIBAO_CLASSES = ["", "一类", "二类", "三类", "四类"]
REQUIRED = {"name", "id_number", "category", "grade", "village"}  # category and grade come from the certificate too


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


class PersonFields(QWidget):
    """Every register field of one person; edited(key) says which one the clerk changed."""

    edited = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: dict[str, FieldRow] = {}
        self._loading = False  # fields being filled from the register, not typed
        self._village_groups: dict[str, list[str]] = {}
        self._build()

    def _edited(self, key: str) -> None:
        if not self._loading:
            self.edited.emit(key)

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

        self.labor_box = self._choice("labor_ability", [("", "")] + [(a, a) for a in LaborAbility])
        self.employment_edit = self._line("employment", "如：务农、灵活就业、未就业")
        self.self_care_box = self._choice("self_care", [("", "")] + [(s, s) for s in SelfCare])
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

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(page)

    def set_read_only(self, on: bool) -> None:
        """Shown, not edited (a person off the register until 更正): lines and notes read-only, choices fixed."""
        for line in self.findChildren(QLineEdit):
            if not isinstance(line.parent(), QComboBox):
                line.setReadOnly(on)
        for notes in self.findChildren(QPlainTextEdit):
            notes.setReadOnly(on)
        for choice in [*self.findChildren(QComboBox), *self.findChildren(QCheckBox)]:
            choice.setEnabled(not on)
        # greyed like the fixed choices, so the clerk sees at a glance that nothing here takes typing
        self.setStyleSheet("QLineEdit, QPlainTextEdit { background: palette(window); }" if on else "")

    def set_villages(self, village_groups: dict[str, list[str]]) -> None:
        """The villages on file and their groups, offered in the 村 and 组 lists."""
        self._village_groups = village_groups
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

    # --- values --------------------------------------------------------------------------------
    def raw(self) -> dict[str, Any]:
        """The fields as typed, keyed like a person on the register (what check_person reads)."""
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
        self._loading = True
        try:
            for edit, key in ((self.name_edit, "name"), (self.id_edit, "id_number"),
                              (self.cert_edit, "certificate_number"),
                              (self.components_edit, "components"), (self.issued_edit, "certificate_issued"),
                              (self.address_edit, "address"), (self.phone_edit, "phone"),
                              (self.guardian_edit, "guardian"), (self.guardian_phone_edit, "guardian_phone"),
                              (self.employment_edit, "employment"), (self.bank_name_edit, "bank_name"),
                              (self.bank_account_edit, "bank_account")):
                edit.setText(raw[key])
            for box, key in ((self.ethnicity_box, "ethnicity"), (self.education_box, "education"),
                             (self.village_box, "village"), (self.group_box, "group")):
                box.setEditText(raw[key])
            for box, key in ((self.category_box, "category"), (self.grade_box, "grade"),
                             (self.labor_box, "labor_ability"), (self.self_care_box, "self_care")):
                box.setCurrentIndex(max(box.findData(raw[key]), 0))
            for check, key in ((self.alone_check, "lives_alone"), (self.insurance_check, "medical_insurance"),
                               (self.dibao_check, "dibao")):
                check.setChecked(raw[key] == "是")
            self.dibao_class_box.setCurrentIndex(max(self.dibao_class_box.findText(raw["dibao_class"]), 0))
            self.notes_edit.setPlainText(raw["notes"])
        finally:
            self._loading = False

