"""文件 → 生成上报包: the town's register as of a day in one signed file for the county. The work is
app.services.report_package.package; this is the asking (which day, where: a USB stick first) and the
telling (where the file is, and the fingerprint the county confirms by telephone the first time)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services.backup.drives import export_places, removable_drives
from app.services.report_package.package import export_report_package
from app.services.settings import read_unit_identity
from ui.printing import offer_to_open
from ui.road import Road
from ui.screen import ScreenDialog
from ui.style import settings
from ui.tasks import Task

TITLE = "生成上报包"
FOLDER_KEY = "folders/report_package"  # where the clerk last wrote a package


class ReportPackageDialog(ScreenDialog):
    """Which day and where; shows who the package names as its sender."""

    def __init__(self, road: Road, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self.setObjectName("report_package")
        self.setMinimumWidth(540)
        identity = road.read(read_unit_identity)
        self.as_of = QDateEdit(QDate.currentDate())
        self.as_of.setObjectName("as_of")
        self.as_of.setDisplayFormat("yyyy-MM-dd")
        self.as_of.setCalendarPopup(True)
        self.as_of.setMaximumDate(QDate.currentDate())
        self.place_box = QComboBox()
        self.place_box.setObjectName("place")
        self.place_box.setEditable(True)
        removable = set(removable_drives())
        last = str(settings().value(FOLDER_KEY, "") or "")
        if last and Path(last).is_dir():
            self.place_box.addItem(f"{last}（上次的位置）", last)
        for place in export_places():
            self.place_box.addItem(f"U盘 {place}" if place in removable else f"{place}（本机文件夹）", str(place))
        browse = QPushButton("浏览…")
        browse.clicked.connect(self.browse)
        row = QHBoxLayout()
        row.addWidget(self.place_box, 1)
        row.addWidget(browse)
        form = QFormLayout()
        form.addRow("乡镇：", QLabel(identity.town or "（未填写，请先在“设置 → 单位信息”中填写）"))
        form.addRow("统计用区划代码：", QLabel(identity.code or "（未填写）"))
        fingerprint = QLabel(identity.fingerprint or "（保存单位信息后生成）")
        fingerprint.setObjectName("fingerprint")
        form.addRow("核对码：", fingerprint)
        form.addRow("截止日期：", self.as_of)
        form.addRow("保存到：", row)
        hint = QLabel("上报包是一个文件，内有截止日期当天的登记册、状态变更、两项补贴发放、器具发放和节日慰问，"
                      "以及本乡镇的年度统计，并加上本单位的电子签名（银行账号只在县里要求时才包含）。县残联导入时核对签名，"
                      "首次上报时会电话向您核对上面的核对码。")
        hint.setWordWrap(True)
        buttons = QDialogButtonBox()
        buttons.addButton("生成", QDialogButtonBox.ButtonRole.AcceptRole).setObjectName("write")
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole).setObjectName("cancel")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(buttons)

    def browse(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "选择U盘或文件夹", self.folder())
        if chosen:
            self.place_box.setEditText(chosen)

    def folder(self) -> str:
        index = self.place_box.currentIndex()
        if index >= 0 and self.place_box.currentText() == self.place_box.itemText(index):
            return str(self.place_box.itemData(index))
        return self.place_box.currentText().strip()


def start_package(parent: QWidget | None, road: Road, folder: Path, as_of: QDate) -> Task[Path]:
    """Write the package in the background, then say where it is and offer to open its folder."""
    settings().setValue(FOLDER_KEY, str(folder))
    fingerprint = road.read(read_unit_identity).fingerprint

    def done(path: Path) -> None:
        offer_to_open(parent, TITLE, f"上报包已生成，并已读回核对无误：\n{path}\n\n请交给县残联。首次上报时，"
                      f"县里会电话核对本单位的核对码：{fingerprint}", path.parent)

    return road.run(parent, TITLE, export_report_package, folder, as_of=as_of.toPython(), on_done=done)


def write_report_package(parent: QWidget | None, road: Road) -> Task[Path] | None:
    """文件 → 生成上报包…"""
    dialog = ReportPackageDialog(road, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.folder():
        return None
    return start_package(parent, road, Path(dialog.folder()), dialog.as_of.date())
