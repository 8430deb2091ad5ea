"""文件 → 导出到U盘 and 校验U盘导出: the year's results in one dated folder on the stick, checked file by
file, and the same check at the county office. The work is app.services.backup.bundle; this is the asking
(which year, which drive: a USB stick first where the system can tell) and the telling."""

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
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.errors import InputError
from app.services.backup.bundle import export_bundle, verify_bundle
from app.services.backup.bundle_database import MIN_PASSWORD, check_password
from app.services.backup.drives import export_places, removable_drives
from ui.printing import offer_to_open
from ui.road import Road
from ui.screen import ScreenDialog
from ui.style import settings
from ui.tasks import Task

TITLE = "导出到U盘"
USB_FOLDER_KEY = "folders/usb"  # where the clerk last exported to
VERIFY_TITLE = "校验U盘导出"


def default_year(today: dt.date | None = None) -> int:
    """The year being reported: in the first half of a year, the one just ended."""
    today = today or dt.date.today()
    return today.year - 1 if today.month <= 6 else today.year


class ExportUsbDialog(ScreenDialog):
    """Which year and where: the removable drives are listed first, then the documents folder."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self.setMinimumWidth(520)
        self.setObjectName("export_usb")
        self.year_box = QSpinBox()
        self.year_box.setObjectName("year")
        self.year_box.setRange(1990, dt.date.today().year)
        self.year_box.setValue(default_year())
        self.year_box.setSuffix(" 年")
        self.place_box = QComboBox()
        self.place_box.setObjectName("place")
        self.place_box.setEditable(True)
        removable = set(removable_drives())
        places = export_places()
        for place in places:
            label = f"U盘 {place}" if place in removable else f"{place}（本机文件夹）"
            self.place_box.addItem(label, str(place))
        last = str(settings().value(USB_FOLDER_KEY, "") or "")
        if last and Path(last).is_dir():  # the place of the last export comes first while it is there
            index = self.place_box.findData(last)
            if index < 0:
                self.place_box.insertItem(0, f"{last}（上次导出的位置）", last)
                index = 0
            self.place_box.setCurrentIndex(index)
        browse = QPushButton("浏览…")
        browse.clicked.connect(self.browse)
        row = QHBoxLayout()
        row.addWidget(self.place_box, 1)
        row.addWidget(browse)
        form = QFormLayout()
        form.addRow("年份：", self.year_box)
        form.addRow("保存到：", row)
        hint = QLabel("将在所选位置建一个带日期的文件夹，放入年度工作统计（PDF和Excel）、花名册、登记表、"
                      "文件清单和说明。写完后逐个读回核对，核对无误才算完成。")
        hint.setWordWrap(True)
        if not removable:
            hint.setText(hint.text() + "\n没有找到U盘：请插好U盘后点“浏览…”选择它。")
        self.with_database = QCheckBox("同时放入数据库副本（加密，县里用密码打开）")
        self.with_database.setObjectName("with_database")
        self.with_database.toggled.connect(self._show_password)
        self.password = QLineEdit()
        self.password_again = QLineEdit()
        self.password_form = QWidget()
        password_form = QFormLayout(self.password_form)
        password_form.setContentsMargins(24, 0, 0, 0)
        self.password.setObjectName("password")
        self.password_again.setObjectName("password_again")
        for box, label in ((self.password, "密码："), (self.password_again, "再输一次：")):
            box.setEchoMode(QLineEdit.EchoMode.Password)
            box.setPlaceholderText(f"至少{MIN_PASSWORD}个字符")
            password_form.addRow(label, box)
        password_note = QLabel("数据库副本含全部身份证号、残疾情况和银行账号，所以加密保存：县里用 7-Zip 或 WinRAR "
                               "输入密码打开。密码请另行告知，不要写在U盘上。")
        password_note.setWordWrap(True)
        password_form.addRow(password_note)
        self.password_form.setVisible(False)
        self.problem = QLabel()
        self.problem.setObjectName("problem")
        self.problem.setStyleSheet("color: #b00020")
        self.problem.setVisible(False)
        buttons = QDialogButtonBox()
        buttons.addButton("导出", QDialogButtonBox.ButtonRole.AcceptRole).setObjectName("export")
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole).setObjectName("cancel")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.with_database)
        layout.addWidget(self.password_form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)

    def _show_password(self, on: bool) -> None:
        self.password_form.setVisible(on)
        self.problem.setVisible(False)
        if on:
            self.password.setFocus()
        self.adjustSize()

    def database_password(self) -> str | None:
        """The password typed twice when the database copy is ticked (None when it is not); InputError
        with the sentence to show when the two differ or it is too short."""
        if not self.with_database.isChecked():
            return None
        return check_password(self.password.text(), self.password_again.text())

    def accept(self) -> None:
        try:
            self.database_password()
        except InputError as exc:
            self.problem.setText(str(exc))
            self.problem.setVisible(True)
            self.password_again.clear()
            self.password_again.setFocus()
            return
        super().accept()

    def browse(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "选择U盘或文件夹", self.folder())
        if chosen:
            self.place_box.setEditText(chosen)

    def folder(self) -> str:
        """The chosen place: a listed one, or what the clerk typed or browsed to."""
        index = self.place_box.currentIndex()
        if index >= 0 and self.place_box.currentText() == self.place_box.itemText(index):
            return str(self.place_box.itemData(index))
        return self.place_box.currentText().strip()


def start_export(parent: QWidget | None, road: Road, folder: Path, year: int,
                 database_password: str | None = None) -> Task[Path]:
    """Write and check the export folder in the background, then say where it is and offer to open it."""
    settings().setValue(USB_FOLDER_KEY, str(folder))

    def done(path: Path) -> None:
        count = sum(1 for p in path.iterdir() if p.is_file())
        copy = ("其中数据库副本已加密，请把密码另行告知县里（用 7-Zip 或 WinRAR 打开）。\n"
                if database_password is not None else "")
        offer_to_open(parent, TITLE, f"导出完成，{count}个文件已逐个核对无误：\n{path}\n\n{copy}"
                      "拔下U盘前，请先在电脑上“安全弹出”。", path)

    return road.run(parent, TITLE, export_bundle, folder, year, database_password=database_password, on_done=done)


def export_to_usb(parent: QWidget | None, road: Road) -> Task[Path] | None:
    """文件 → 导出到U盘…"""
    dialog = ExportUsbDialog(parent)
    if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.folder():
        return None
    return start_export(parent, road, Path(dialog.folder()), dialog.year_box.value(), dialog.database_password())


def verify_text(folder: Path, problems: list[str]) -> str:
    if not problems:
        return f"核对无误：文件夹中的每个文件都与清单一致。\n{folder}"
    shown = "\n".join(problems[:15]) + (f"\n……共{len(problems)}处" if len(problems) > 15 else "")
    return f"这个导出文件夹与清单不一致，请让经办人重新导出：\n{shown}"


def verify_export(parent: QWidget | None) -> list[str] | None:
    """文件 → 校验U盘导出…: choose the folder, check it against its manifest, say what differs."""
    places = export_places()
    chosen = QFileDialog.getExistingDirectory(parent, "选择要校验的导出文件夹", str(places[0]))
    if not chosen:
        return None
    problems = verify_bundle(Path(chosen))
    if problems:
        QMessageBox.warning(parent, VERIFY_TITLE, verify_text(Path(chosen), problems))
    else:
        QMessageBox.information(parent, VERIFY_TITLE, verify_text(Path(chosen), problems))
    return problems
