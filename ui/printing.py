"""Printing and saving, the same for every tab.

打印: the PDF is written (off the GUI thread, through the road) into a folder of this run's printouts, then
shown in 打印预览 (ui.print_preview), from which the clerk prints it on the printer or saves it where they
say (另存为PDF). 导出: every workbook or folder the program hands over asks where, starting in the folder
the clerk last chose for that kind of file (QSettings), and once written offers to open the file or its
folder. The writing itself is app.reports / app.services; this is the asking and the telling."""

from __future__ import annotations

import atexit
import datetime as dt
import shutil
import tempfile
from pathlib import Path
from typing import Any

import platformdirs
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox, QWidget

from app.reports import ReportRequest, print_report
from ui import screen
from ui.print_preview import PrintPreview, preview
from ui.road import Road, Work
from ui.style import settings
from ui.tasks import Task

PRINT_FOLDER_KEY = "folders/print"  # where 另存为PDF last saved
EXPORT_FOLDER_KEY = "folders/export"  # where a workbook was last exported
KINDS = {"xlsx": "Excel 工作簿 (*.xlsx)", "pdf": "PDF 文件 (*.pdf)"}

_printouts: list[Path] = []


def printout_folder() -> Path:
    """This run's printouts, in the system's temporary folder and removed when the program ends: a printout
    the clerk wants to keep is saved with 另存为PDF, so nothing piles up in 文档 unasked."""
    if not _printouts or not _printouts[0].is_dir():
        _printouts[:] = [Path(tempfile.mkdtemp(prefix="canlian-printouts-"))]
        atexit.register(shutil.rmtree, _printouts[0], True)
    return _printouts[0]


def free_path(folder: Path, stem: str, suffix: str) -> Path:
    """stem.suffix, or stem(2).suffix …: a file already there is never overwritten."""
    path, n = folder / f"{stem}{suffix}", 2
    while path.exists():
        path, n = folder / f"{stem}({n}){suffix}", n + 1
    return path


def printout_path(stem: str, suffix: str = ".pdf") -> Path:
    return free_path(printout_folder(), stem, suffix)


def show_printout(parent: QWidget | None, title: str, files: Path | list[Path]) -> PrintPreview:
    """打印预览 of what was written (a roster per village: one job of all the files)."""
    files = [files] if isinstance(files, Path) else sorted(files)
    return preview(parent, title, files, save_name=files[0].name)


def tell(parent: QWidget | None, text: str) -> None:
    """One line of what happened: in the main window's status bar, else in a message box."""
    window = parent.window() if parent is not None else None
    if isinstance(window, QMainWindow):
        window.statusBar().showMessage(text, 15000)
    else:
        QMessageBox.information(parent, "已完成", text)


# --- asking where ---------------------------------------------------------------------------------
def _start_folder(key: str) -> Path:
    chosen = str(settings().value(key, "") or "")
    return Path(chosen) if chosen and Path(chosen).is_dir() else Path(platformdirs.user_documents_dir())


def ask_save_path(parent: QWidget | None, title: str, key: str, name: str, kind: str = "xlsx") -> Path | None:
    """Ask where to save a file (starting in the folder last used for key); None if the clerk cancelled."""
    suffix = f".{kind}"
    chosen, _ = QFileDialog.getSaveFileName(parent, title, str(_start_folder(key) / name), KINDS[kind])
    if not chosen:
        return None
    path = Path(chosen if chosen.lower().endswith(suffix) else chosen + suffix)
    settings().setValue(key, str(path.parent))
    return path


def ask_folder(parent: QWidget | None, title: str, key: str) -> Path | None:
    """Ask for a folder (starting in the one last used for key); None if the clerk cancelled."""
    chosen = QFileDialog.getExistingDirectory(parent, title, str(_start_folder(key)))
    if not chosen:
        return None
    settings().setValue(key, chosen)
    return Path(chosen)


# --- telling where it went ------------------------------------------------------------------------
class SavedBox(QMessageBox):
    """已保存到 …, with 打开文件 / 打开所在文件夹 / 关闭 (a folder: 打开文件夹 / 关闭)."""

    def __init__(self, parent: QWidget | None, title: str, text: str, path: Path) -> None:
        super().__init__(QMessageBox.Icon.Information, title, text, parent=parent)
        self.setObjectName("saved")
        screen.fitted(self)
        self.path = path
        self.open_file = None if path.is_dir() else self.addButton("打开文件(&O)", QMessageBox.ButtonRole.ActionRole)
        self.open_folder = self.addButton("打开所在文件夹(&F)" if not path.is_dir() else "打开文件夹(&F)",
                                          QMessageBox.ButtonRole.ActionRole)
        self.setDefaultButton(self.addButton("关闭", QMessageBox.ButtonRole.RejectRole))

    def ask(self) -> str:
        """Show the box; "file", "folder" or "" as the clerk chose, and open what they chose."""
        self.exec()
        clicked = self.clickedButton()
        if clicked is not None and clicked is self.open_file:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.path)))
            return "file"
        if clicked is self.open_folder:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.path if self.path.is_dir() else self.path.parent)))
            return "folder"
        return ""


def offer_to_open(parent: QWidget | None, title: str, text: str, path: Path) -> str:
    return SavedBox(parent, title, text, path).ask()


def export_file(parent: QWidget | None, road: Road, title: str, name: str, work: Work, *args: Any,
                said: str = "", **kwargs: Any) -> Task[Any] | None:
    """导出…: ask where (name suggested), write work(store, *args, path) in the background, then say where
    it went and offer to open it; None (nothing written) if the clerk cancelled."""
    path = ask_save_path(parent, title, EXPORT_FOLDER_KEY, name, Path(name).suffix.lstrip(".") or "xlsx")
    if path is None:
        return None

    def done(written: Path) -> None:
        offer_to_open(parent, title, f"{said or '已导出'}到 {written}", written)

    return road.run(parent, title, work, *args, path, on_done=done, **kwargs)


def export_folder(parent: QWidget | None, road: Road, title: str, name: str, work: Work, *args: Any,
                  **kwargs: Any) -> Task[Any] | None:
    """导出 several files (one per village) into a new folder named name inside the folder the clerk
    chooses: work(store, *args, new_folder, **kwargs), then offer to open the folder it returns; None if
    the clerk cancelled."""
    chosen = ask_folder(parent, f"{title}：选择保存的位置", EXPORT_FOLDER_KEY)
    if chosen is None:
        return None
    folder = free_path(chosen, name, "")

    def done(written: Path) -> None:
        count = sum(1 for _ in written.iterdir()) if written.is_dir() else 1
        offer_to_open(parent, title, f"已导出{count}个文件到 {written}", written)

    return road.run(parent, title, work, *args, folder, on_done=done, **kwargs)


# --- the register tab's 打印花名册 and 导出当前列表 ------------------------------------------------------
def print_register(parent: QWidget | None, road: Road, person_ids: list[int] | None = None) -> Task[Path]:
    """Write the 花名册 PDF (everyone on the register, or the persons listed now) and preview it."""
    stem = f"残疾人花名册-{dt.date.today():%Y%m%d}"
    request = ReportRequest(kind="registry", out=printout_path(stem), person_ids=person_ids)
    return road.run(parent, "打印花名册", print_report, request,
                    on_done=lambda written: show_printout(parent, "残疾人花名册", written))


def export_list(parent: QWidget | None, road: Road, person_ids: list[int] | None) -> Task[Path] | None:
    """导出当前列表到Excel: ask where, write in the background, say where it went; None if cancelled."""
    from app.io.persons_export import export_list_workbook  # openpyxl: loaded when a list is first exported

    count = f"{len(person_ids)}人" if person_ids is not None else "全部在册人员"
    return export_file(parent, road, "导出当前列表到Excel", f"残疾人名单-{dt.date.today():%Y%m%d}.xlsx",
                       export_list_workbook, person_ids, said=f"已把{count}导出")
