"""备份 and 恢复 from the 文件 menu, in the clerk's words. The work is app.services.backup: a backup is
verified before it gets its name, a restore checks the file and keeps the current data beside it.

A restore needs the database file to itself, so restore_backup closes the window's Database; the caller
must then open it again (open_database(db.path)) and refresh every screen, whatever the outcome.
"""

from __future__ import annotations

import logging
from pathlib import Path

import platformdirs
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QAbstractButton, QFileDialog, QMessageBox, QWidget

from app.db.engine import Database
from app.errors import CanlianError
from app.services.backup import backup_database, check_backup, restore_database
from ui.style import settings
from ui.tasks import Progress, Task, run_task, unexpected_error_text

BACKUP_FOLDER_KEY = "folders/backup"
RESTORE_TITLE = "从备份恢复"

log = logging.getLogger("canlian.ui")


def _last_folder() -> str:
    return str(settings().value(BACKUP_FOLDER_KEY, "") or platformdirs.user_documents_dir())


def backup_to(parent: QWidget | None, db: Database, folder: Path) -> Task[Path]:
    """Write a verified backup into folder in the background, then say where it is."""

    def work(_progress: Progress) -> Path:
        return backup_database(db, folder)

    def done(path: Path) -> None:
        QMessageBox.information(parent, "备份", f"备份已完成，文件保存在：\n{path}\n\n"
                                "如果备份到U盘，请先在电脑上“安全弹出”再拔下U盘。")

    return run_task(parent, "备份", work, done)


def backup_now(parent: QWidget | None, db: Database) -> Task[Path] | None:
    """备份…: ask for a folder (a USB stick, usually), remember it, and back up there."""
    chosen = QFileDialog.getExistingDirectory(parent, "选择备份保存的文件夹（如U盘）", _last_folder())
    if not chosen:
        return None
    settings().setValue(BACKUP_FOLDER_KEY, chosen)
    return backup_to(parent, db, Path(chosen))


def confirm_text(file: Path) -> str:
    return (f"现在的全部数据将被这个备份中的数据替换：\n{file.name}\n\n"
            "现在的数据不会丢失：恢复前会先另存一份副本，放在数据文件旁边，需要时可以再恢复回来。\n\n"
            "确定要恢复吗？")


def confirm_box(parent: QWidget | None, file: Path) -> tuple[QMessageBox, QAbstractButton]:
    """The question asked before a restore, with 取消 as the default; and its 恢复 button."""
    box = QMessageBox(QMessageBox.Icon.Question, RESTORE_TITLE, confirm_text(file), parent=parent)
    restore = box.addButton("恢复", QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(box.addButton("取消", QMessageBox.ButtonRole.RejectRole))
    return box, restore


def _confirmed(parent: QWidget | None, file: Path) -> bool:
    box, restore = confirm_box(parent, file)
    box.exec()
    return box.clickedButton() is restore


def restore_from(parent: QWidget | None, db: Database, file: Path) -> bool:
    """Check the backup, close the database, replace it, and tell the clerk. True when the database was
    closed (the caller must reopen it); False when nothing was touched (the file was refused)."""
    try:
        check_backup(file)
    except CanlianError as exc:
        QMessageBox.warning(parent, RESTORE_TITLE, str(exc))
        return False
    db.close()
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        kept = restore_database(db.path, file)
    except CanlianError as exc:
        QGuiApplication.restoreOverrideCursor()
        QMessageBox.warning(parent, RESTORE_TITLE, str(exc))
        return True
    except Exception:
        QGuiApplication.restoreOverrideCursor()
        log.exception("restore failed")
        QMessageBox.critical(parent, RESTORE_TITLE, unexpected_error_text(RESTORE_TITLE))
        return True
    QGuiApplication.restoreOverrideCursor()
    kept_line = "" if kept == db.path else f"\n恢复前的数据已另存为：\n{kept}\n"
    QMessageBox.information(parent, RESTORE_TITLE,
                            f"已从“{file.name}”恢复。{kept_line}\n程序将重新打开数据，请稍候。")
    return True


def restore_backup(parent: QWidget | None, db: Database) -> bool:
    """恢复…: choose a backup file, confirm in plain words, restore. True when the caller must reopen
    the database (see restore_from); False when the clerk cancelled or the file was refused."""
    chosen, _ = QFileDialog.getOpenFileName(parent, "选择备份文件", _last_folder(), "残联工作台备份 (*.db)")
    if not chosen:
        return False
    file = Path(chosen)
    settings().setValue(BACKUP_FOLDER_KEY, str(file.parent))
    if not _confirmed(parent, file):
        return False
    return restore_from(parent, db, file)
