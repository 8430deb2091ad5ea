"""政策更新包 in the window: the county's 县级汇总 → 生成政策更新包… (which standards, where: a USB stick first)
and the town's 文件 → 导入政策更新包… (the file, then what it would change in 政策设置 and 器具目录, the
county's 核对码 to confirm the first time, and 采用 or 取消). The work is app.services.policy_package."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.months import Month
from app.services.backup.drives import export_places, removable_drives
from app.services.policy_package.importing import PolicyPreview, accept_policy_package, preview_policy_package
from app.services.policy_package.package import export_policy_package
from app.services.settings import read_unit_identity
from ui.printing import offer_to_open
from ui.road import Road
from ui.screen import ScreenDialog
from ui.style import settings
from ui.tasks import Task, tell_failure

WRITE_TITLE = "生成政策更新包"
IMPORT_TITLE = "导入政策更新包"
FOLDER_KEY = "folders/policy_package"


class PolicyPackageDialog(ScreenDialog):
    """The county's side: from which month the standards go, and where the file is written."""

    def __init__(self, road: Road, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(WRITE_TITLE)
        self.setObjectName("policy_package")
        self.setMinimumWidth(560)
        identity = road.read(read_unit_identity)
        self.month_box = QComboBox()
        self.month_box.setObjectName("from_month")
        self.month_box.addItem("全部标准（含历年的）", None)
        this_month = Month.of(dt.date.today())
        for offset in range(-12, 25):
            self.month_box.addItem(f"{this_month.next(offset).label}起的标准", this_month.next(offset))
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
        form.addRow("县残联：", QLabel(identity.town or "（未填写，请先在“设置 → 单位信息”中填写）"))
        fingerprint = QLabel(identity.fingerprint or "（保存单位信息后生成）")
        fingerprint.setObjectName("fingerprint")
        form.addRow("核对码：", fingerprint)
        form.addRow("发送的补贴标准：", self.month_box)
        form.addRow("保存到：", row)
        hint = QLabel("政策更新包内有政策设置中的补贴标准（各自的执行月份）和器具目录，加上县残联的电子签名。"
                      "乡镇导入时先看到会改动哪些标准，确认后才采用；第一次导入时，乡镇会电话向您核对上面的核对码。")
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

    def from_month(self) -> Month | None:
        month: Month | None = self.month_box.currentData()
        return month


def write_policy_package(parent: QWidget | None, road: Road) -> Task[Path] | None:
    """县级汇总 → 生成政策更新包…: asked, then written in the background; says where the file is."""
    dialog = PolicyPackageDialog(road, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.folder():
        return None
    folder = Path(dialog.folder())
    settings().setValue(FOLDER_KEY, str(folder))
    fingerprint = road.read(read_unit_identity).fingerprint

    def done(path: Path) -> None:
        offer_to_open(parent, WRITE_TITLE, f"政策更新包已生成，并已读回核对无误：\n{path}\n\n请发给各乡镇。"
                      f"乡镇第一次导入时会电话核对县残联的核对码：{fingerprint}", path.parent)

    return road.run(parent, WRITE_TITLE, export_policy_package, folder, from_month=dialog.from_month(),
                    on_done=done)


class PolicyImportDialog(ScreenDialog):
    """The town's side: each change in the clerk's words; 采用 only once the county's 核对码 is confirmed
    (the first package)."""

    def __init__(self, preview: PolicyPreview, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(IMPORT_TITLE)
        self.setObjectName("policy_import_preview")
        self.setMinimumWidth(640)
        lines = preview.lines()
        layout = QVBoxLayout(self)
        head = QLabel(f"<b>{lines[0]}</b>")
        head.setObjectName("head")
        layout.addWidget(head)
        layout.addWidget(QLabel("采用后，政策设置和器具目录将作如下改动（补贴标准从所写月份起执行，以前的月份不变）："))
        self.changes = QListWidget()
        self.changes.setObjectName("changes")
        self.changes.setWordWrap(True)
        self.changes.addItems(lines[1:])
        layout.addWidget(self.changes, 1)
        self.confirmed = QCheckBox("已电话向县残联核对，核对码一致")
        self.confirmed.setObjectName("confirmed")
        buttons = QDialogButtonBox()
        self.accept_button = buttons.addButton("采用", QDialogButtonBox.ButtonRole.AcceptRole)
        self.accept_button.setObjectName("accept")
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole).setObjectName("cancel")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        if preview.first_package:
            note = QLabel(f"这是本镇第一次导入{preview.county}的政策更新包。请先打电话给县残联，"
                          "请对方念出“生成政策更新包”中的核对码，与下面的一致才采用。")
            note.setWordWrap(True)
            layout.addWidget(note)
            fingerprint = QLabel(f"<b>核对码：{preview.fingerprint}</b>")
            fingerprint.setObjectName("fingerprint")
            layout.addWidget(fingerprint)
            layout.addWidget(self.confirmed)
            self.accept_button.setEnabled(False)
            self.confirmed.toggled.connect(self.accept_button.setEnabled)
        layout.addWidget(buttons)
        self.resize(max(self.width(), self.fontMetrics().horizontalAdvance("中") * 48),
                    self.fontMetrics().height() * 22)


def import_policy_file(parent: QWidget | None, road: Road, path: Path) -> PolicyPreview | None:
    """Check and show the package; accepting writes it (one transaction). Returns what was accepted."""
    try:
        preview = road.read(preview_policy_package, path)
    except Exception as exc:  # noqa: BLE001 - a refusal told in the one place errors are told
        tell_failure(parent, IMPORT_TITLE, exc)
        return None
    if preview.already:
        QMessageBox.information(parent, IMPORT_TITLE, preview.lines()[0])
        return None
    dialog = PolicyImportDialog(preview, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    result = road.attempt(parent, IMPORT_TITLE, accept_policy_package, path, register_key=dialog.confirmed.isChecked())
    if result is not None:
        QMessageBox.information(parent, IMPORT_TITLE, f"已采用{result.county}第{result.sequence}号政策更新包："
                                f"补贴标准{len(result.taken)}项，器具目录{len(result.items)}项。"
                                "在“补贴资格 → 政策设置”中可以看到新标准及其执行月份。")
    return result


def import_policy_package(parent: QWidget | None, road: Road) -> PolicyPreview | None:
    """文件 → 导入政策更新包…"""
    chosen, _ = QFileDialog.getOpenFileName(parent, "选择县残联发来的政策更新包", str(export_places()[0]),
                                            "政策更新包 (*.zip)")
    return import_policy_file(parent, road, Path(chosen)) if chosen else None
