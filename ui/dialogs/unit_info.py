"""单位信息: the town, the office and the three people who sign every printout, kept in the database
so the same names appear on every form until the clerk changes them here. Its 经办人 is also the clerk
every change is audited as (the main window hands it to the road when the settings change)."""

from __future__ import annotations

from dataclasses import fields

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from app.services.county.towns import read_county_mode
from app.services.settings import UnitInfo, change_unit_info, read_unit_identity, read_unit_info
from ui import style
from ui.road import Road
from ui.said import say
from ui.screen import ScreenDialog

# Field -> (label, placeholder): the words on the form, in the order a printout uses them.
_FIELDS: dict[str, tuple[str, str]] = {
    "town": ("乡镇", "如：金塔镇"),
    "office": ("单位名称", "不填则印“乡镇名＋残疾人联合会”"),
    "clerk": ("经办人", "表尾“经办人”处印的姓名"),
    "reviewer": ("审核人", "表尾“审核人”处印的姓名"),
    "head": ("负责人", "表尾“负责人”处印的姓名"),
    "phone": ("联系电话", "办公室电话"),
    "code": ("统计用区划代码", "乡镇的12位代码，如620921100000（上报包用它标明本乡镇）"),
}
# The same form in a county's register (县级汇总模式): the unit is the county, its key signs 政策更新包.
_COUNTY_WORDS: dict[str, tuple[str, str]] = {
    "town": ("县（市、区）", "如：金塔县"),
    "office": ("单位名称", "不填则印“县名＋残疾人联合会”"),
    "code": ("统计用区划代码", "本县的12位代码，如620921000000（政策更新包用它标明本县）"),
}


class UnitInfoDialog(ScreenDialog):
    """Edit UnitInfo; 保存 writes it in one transaction and closes, 取消 leaves it as it was."""

    def __init__(self, road: Road, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.road = road
        self.setObjectName("unit_info")
        self.setWindowTitle("单位信息")
        self.setMinimumWidth(540)
        info = road.read(read_unit_info)
        words = {**_FIELDS, **_COUNTY_WORDS} if road.read(read_county_mode) else _FIELDS

        intro = QLabel("这些信息印在每一张打印的表上：标题下的单位名称，表尾的经办人、审核人、负责人。")
        intro.setWordWrap(True)
        form = QFormLayout()
        self.edits: dict[str, QLineEdit] = {}
        for name, (label, hint) in words.items():
            edit = QLineEdit(getattr(info, name))
            edit.setObjectName(name)
            edit.setPlaceholderText(hint)
            edit.setMaxLength(60)
            form.addRow(f"{label}：", edit)
            self.edits[name] = edit
        # the county confirms this by telephone once, before it accepts the town's first 上报包
        fingerprint = road.read(read_unit_identity).fingerprint
        self.fingerprint = QLabel(fingerprint or "保存后生成（本机的签名密钥）")
        self.fingerprint.setObjectName("fingerprint")
        self.fingerprint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow("核对码：", self.fingerprint)

        buttons = style.save_cancel_buttons(self, self.save)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def values(self) -> UnitInfo:
        """What the form holds now."""
        return UnitInfo(**{f.name: self.edits[f.name].text().strip() for f in fields(UnitInfo)})

    def save(self) -> None:
        """Write the form and close; a failure is told in Chinese and the dialog stays open."""
        if self.road.attempt(self, "单位信息", change_unit_info, self.values()) is not None:
            say(self.parentWidget(), "单位信息已保存：此后的打印件都用新的单位名称和签字人。")
            self.accept()
