"""The first start on an empty register. First the unit information every printout needs (镇名, 经办人,
审核人, 负责人: the fields of 单位信息, saved through its own action), then how to begin: import the office's
roster, load the demo town to look around, or start with an empty register."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from app.services.settings import UnitInfo, change_unit_info, read_unit_info
from ui import style
from ui.road import Road
from ui.screen import ScreenDialog

# The 单位信息 fields asked for here: (field, label, placeholder), in the order a printout uses them.
UNIT_FIELDS = [
    ("town", "镇名", "如：金塔镇（标题下印“金塔镇残疾人联合会”）"),
    ("clerk", "经办人", "表尾“经办人”处印的姓名，一般是您自己"),
    ("reviewer", "审核人", "表尾“审核人”处印的姓名"),
    ("head", "负责人", "表尾“负责人”处印的姓名"),
]

CHOICES = [
    ("import", "导入花名册(&I)", "已有Excel花名册（如县残联下发的名单）：导入后即可使用。"),
    ("demo", "载入演示乡镇(&D)", "先看看程序怎么用：生成一个虚构的乡镇（345人），里面的人和号码都是编的。"
                               "上面不填时，演示乡镇带着虚构的单位信息。"),
    ("empty", "从空白开始(&E)", "一个一个登记：关闭此窗口，在“残疾人登记”中点“新增登记”。"),
]


class WelcomeDialog(ScreenDialog):
    """After exec, choice is "import", "demo" or "empty" (closing the window counts as "empty").

    Importing or starting empty needs the four names first (the clerk is told which are missing and taken
    to the first); the demo town may be loaded without them. Whatever was typed is saved, also on closing."""

    def __init__(self, road: Road, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.road = road
        self.choice = "empty"
        self.setObjectName("welcome")
        self.setWindowTitle("欢迎使用残联工作台")
        self._stored = road.read(read_unit_info)
        title = QLabel("<big><b>欢迎使用残联工作台</b></big>")  # relative size: follows 大字体
        layout = QVBoxLayout(self)
        layout.addWidget(title)

        first = QLabel("<b>第一步：填写单位信息</b>")
        why = QLabel("每一张打印的表（花名册、发放表、领取单、统计表）都要用到：标题下印镇名，"
                     "表尾的经办人、审核人、负责人处印这些姓名。以后可在“设置 → 单位信息”中修改。")
        why.setWordWrap(True)
        layout.addSpacing(4)
        layout.addWidget(first)
        layout.addWidget(why)
        form = QFormLayout()
        self.edits: dict[str, QLineEdit] = {}
        for name, label, hint in UNIT_FIELDS:
            edit = QLineEdit(getattr(self._stored, name))
            edit.setObjectName(name)
            edit.setPlaceholderText(hint)
            edit.setMaxLength(60)
            edit.textEdited.connect(self._edited)
            form.addRow(f"{label}：", edit)
            self.edits[name] = edit
        layout.addLayout(form)
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(style.error_style())
        self.message.hide()
        layout.addWidget(self.message)
        edits = list(self.edits.values())

        second = QLabel("<b>第二步：选择怎样开始</b>（登记册里还没有登记任何人）")
        layout.addSpacing(8)
        layout.addWidget(second)
        self.buttons: dict[str, QPushButton] = {}
        for key, text, explanation in CHOICES:
            button = QPushButton(text)
            button.setObjectName(key)
            button.setMinimumHeight(40)
            button.clicked.connect(lambda _c=False, k=key: self.choose(k))
            note = QLabel(explanation)
            note.setWordWrap(True)
            note.setStyleSheet(style.hint_style())
            layout.addSpacing(4)
            layout.addWidget(button)
            layout.addWidget(note)
            self.buttons[key] = button
        hint = QLabel("以后也可以从“文件 → 导入花名册”导入。")
        hint.setStyleSheet(style.hint_style())
        layout.addSpacing(8)
        layout.addWidget(hint)
        self.resize(560, self.sizeHint().height())
        first_empty = next((e for e in edits if not e.text().strip()), edits[0])
        first_empty.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter in a name goes on to the next one, after the last to 导入花名册: it never starts anything."""
        edits = list(self.edits.values())
        focused = self.focusWidget()
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and focused in edits:
            at = edits.index(focused)
            (edits[at + 1] if at + 1 < len(edits) else self.buttons["import"]).setFocus()
            event.accept()
            return
        super().keyPressEvent(event)

    def unit_info(self) -> UnitInfo:
        """单位信息 as stored, with the four names as typed here (单位名称 and 联系电话 left as they were)."""
        return replace(self._stored, **{name: edit.text().strip() for name, edit in self.edits.items()})

    def missing(self) -> list[str]:
        """The labels of the names still empty."""
        return [label for name, label, _hint in UNIT_FIELDS if not self.edits[name].text().strip()]

    def _edited(self) -> None:
        self.message.hide()

    def save_unit_info(self) -> bool:
        """Save what was typed through 单位信息's action (nothing when unchanged); False if it was refused."""
        info = self.unit_info()
        if info == self._stored:
            return True
        saved = self.road.attempt(self, "单位信息", change_unit_info, info)
        if saved is None:
            return False
        self._stored = saved
        return True

    def choose(self, key: str) -> None:
        missing = self.missing()
        if missing and key != "demo":
            self.message.setText(f"请先填写{'、'.join(missing)}：每一张打印的表都要用到。")
            self.message.show()
            first = next(name for name, label, _hint in UNIT_FIELDS if label == missing[0])
            self.edits[first].setFocus()
            return
        if not self.save_unit_info():
            return
        self.choice = key
        self.accept()

    def reject(self) -> None:
        """Closed without choosing: start empty, keeping what was typed."""
        self.save_unit_info()
        super().reject()
