"""打印花名册 and 导出名单 from the register tab: the PDF or workbook is written off the GUI thread through
the road (a county register takes seconds), then the PDF opens in the system viewer, where the clerk
prints it. The writing itself is app.reports.print_report and app.io.persons_export.export_list_workbook.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import platformdirs
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox, QWidget

from app.reports import ReportRequest, print_report
from ui.road import Road
from ui.style import settings
from ui.tasks import Task

PRINT_FOLDER_KEY = "folders/print"
EXPORT_FOLDER_KEY = "folders/export"
PRINT_SUBFOLDER = "残联工作台打印"


def print_folder() -> Path:
    """Where printouts go: the folder the clerk last chose, else 残联工作台打印 in 文档 (created)."""
    chosen = str(settings().value(PRINT_FOLDER_KEY, "") or "")
    folder = Path(chosen) if chosen else Path(platformdirs.user_documents_dir()) / PRINT_SUBFOLDER
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def free_path(folder: Path, stem: str, suffix: str) -> Path:
    """stem.suffix, or stem(2).suffix …: a printout still open in the viewer is never overwritten."""
    path, n = folder / f"{stem}{suffix}", 2
    while path.exists():
        path, n = folder / f"{stem}({n}){suffix}", n + 1
    return path


def register_pdf_path(today: dt.date | None = None) -> Path:
    today = today or dt.date.today()
    return free_path(print_folder(), f"残疾人花名册-{today:%Y%m%d}", ".pdf")


def open_in_viewer(path: Path) -> bool:
    """Open the file in the system's viewer; never offscreen (tests, screenshots), where none exists."""
    if QGuiApplication.platformName() == "offscreen":
        return False
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def tell(parent: QWidget | None, text: str) -> None:
    """Say where a file went: in the main window's status bar, else in a message box."""
    window = parent.window() if parent is not None else None
    if isinstance(window, QMainWindow):
        window.statusBar().showMessage(text, 15000)
    else:
        QMessageBox.information(parent, "已保存", text)


def print_register(parent: QWidget | None, road: Road, person_ids: list[int] | None = None) -> Task[Path]:
    """Write the 花名册 PDF (everyone on the register, or the persons listed now) and open it for printing."""
    request = ReportRequest(kind="registry", out=register_pdf_path(), person_ids=person_ids)

    def done(written: Path) -> None:
        opened = open_in_viewer(written)
        tell(parent, f"花名册已保存到 {written}" + ("，已打开，可从查看器中打印。" if opened else "。"))

    return road.run(parent, "打印花名册", print_report, request, on_done=done)


def choose_save_path(parent: QWidget | None, title: str, key: str, name: str) -> Path | None:
    """Ask where to save a workbook (starting in the folder last used for this job); None if cancelled."""
    folder = str(settings().value(key, "") or platformdirs.user_documents_dir())
    chosen, _ = QFileDialog.getSaveFileName(parent, title, str(Path(folder) / name), "Excel 工作簿 (*.xlsx)")
    if not chosen:
        return None
    path = Path(chosen if chosen.lower().endswith(".xlsx") else chosen + ".xlsx")
    settings().setValue(key, str(path.parent))
    return path


def export_list(parent: QWidget | None, road: Road, person_ids: list[int] | None) -> Task[Path] | None:
    """导出当前列表到Excel: ask where, write in the background, say where it went; None if cancelled."""
    name = f"残疾人名单-{dt.date.today():%Y%m%d}.xlsx"
    path = choose_save_path(parent, "导出当前列表到Excel", EXPORT_FOLDER_KEY, name)
    if path is None:
        return None
    count = f"{len(person_ids)}人" if person_ids is not None else "全部在册人员"
    from app.io.persons_export import export_list_workbook  # openpyxl: loaded when a list is first exported

    return road.run(parent, "导出名单", export_list_workbook, person_ids, path,
                    on_done=lambda written: tell(parent, f"已把{count}导出到 {written}"))
