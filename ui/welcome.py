"""The first start on an empty register: import the office's roster, load the demo town to look around,
or start with an empty register."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QLabel, QPushButton, QVBoxLayout, QWidget

from ui import style

CHOICES = [
    ("import", "导入花名册(&I)", "已有Excel花名册（如县残联下发的名单）：导入后即可使用。"),
    ("demo", "载入演示乡镇(&D)", "先看看程序怎么用：生成一个虚构的乡镇（345人），里面的人和号码都是编的。"),
    ("empty", "从空白开始(&E)", "一个一个登记：关闭此窗口，在“残疾人登记”中点“新增登记”。"),
]


class WelcomeDialog(QDialog):
    """After exec, choice is "import", "demo" or "empty" (closing the window counts as "empty")."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.choice = "empty"
        self.setObjectName("welcome")
        self.setWindowTitle("欢迎使用残联工作台")
        title = QLabel("<big><b>欢迎使用残联工作台</b></big>")  # relative size: follows 大字体
        intro = QLabel("登记册里还没有登记任何人。请选择怎样开始：")
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(intro)
        self.buttons: dict[str, QPushButton] = {}
        for key, text, explanation in CHOICES:
            button = QPushButton(text)
            button.setObjectName(key)
            button.setMinimumHeight(40)
            button.clicked.connect(lambda _c=False, k=key: self.choose(k))
            note = QLabel(explanation)
            note.setWordWrap(True)
            note.setStyleSheet(style.hint_style())
            layout.addSpacing(8)
            layout.addWidget(button)
            layout.addWidget(note)
            self.buttons[key] = button
        self.buttons["import"].setDefault(True)
        hint = QLabel("以后也可以从“文件 → 导入花名册”导入。")
        hint.setStyleSheet(style.hint_style())
        layout.addSpacing(8)
        layout.addWidget(hint)
        self.resize(520, self.sizeHint().height())

    def choose(self, key: str) -> None:
        self.choice = key
        self.accept()
