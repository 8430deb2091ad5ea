"""备份 and 恢复 from the 文件 menu, in the clerk's words. The work is app.services.backup.copies: a backup is
verified before it gets its name, a restore checks the file and keeps the current data beside it.

A restore needs the database file to itself, so restore_backup closes the window's Database; the caller
must then open it again (open_database(db.path)) and refresh every screen, whatever the outcome.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import platformdirs
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QAbstractButton, QFileDialog, QMessageBox, QWidget

from app.db.engine import Database
from app.errors import CanlianError
from app.services.backup.copies import backup_database, check_backup, restore_database
from app.services.backup.facts import BackupFacts, backup_facts
from app.services.register.status_changes import count_on_register
from app.services.settings import unit_info
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


def confirm_text(file: Path, facts: BackupFacts, current: BackupFacts | None = None) -> str:
    """The question before a restore: what the backup holds; for another register's backup, a warning
    naming both registers (current: what the open database holds)."""
    held = f"{file.name}\n{facts.line()}"
    if current is not None:
        return (f"这个备份属于另一个登记册，不是现在打开的这个：\n{held}\n\n"
                f"现在打开的登记册：在册 {current.registered} 人，单位 {current.unit or '（未填写单位信息）'}\n\n"
                "恢复后，现在的数据将被另一个登记册的数据替换（恢复前会另存一份副本）。确定要恢复吗？")
    return (f"现在的全部数据将被这个备份中的数据替换：\n{held}\n\n"
            "现在的数据不会丢失：恢复前会先另存一份副本，放在数据文件旁边，需要时可以再恢复回来。\n\n"
            "确定要恢复吗？")


AGAIN_TEXT = "再确认一次：要用另一个登记册的备份替换现在的全部数据吗？\n如果不确定，请点“取消”，并核对备份的单位和人数。"


def confirm_box(parent: QWidget | None, text: str, *, warning: bool = False,
                button: str = "恢复") -> tuple[QMessageBox, QAbstractButton]:
    """A question before a restore, with 取消 as the default; and its 恢复 button."""
    icon = QMessageBox.Icon.Warning if warning else QMessageBox.Icon.Question
    box = QMessageBox(icon, RESTORE_TITLE, text, parent=parent)
    restore = box.addButton(button, QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(box.addButton("取消", QMessageBox.ButtonRole.RejectRole))
    return box, restore


def _asked(box: QMessageBox, restore: QAbstractButton) -> bool:
    box.exec()
    return box.clickedButton() is restore


def current_facts(db: Database) -> BackupFacts:
    """What the open database holds, said as a backup's facts are (for the other-register warning)."""
    with db.session() as session:
        return BackupFacts(db.path, dt.datetime.now(), count_on_register(session), unit_info(session).unit_name,
                           db.identity)


def ask_to_restore(parent: QWidget | None, db: Database, file: Path) -> tuple[bool, bool]:
    """Ask before replacing the data by `file`, saying what it holds. A backup of another register is
    asked twice. Returns (go ahead, it is another register's)."""
    facts = backup_facts(file)
    another = bool(facts.identity and db.identity and facts.identity != db.identity)
    text = confirm_text(file, facts, current_facts(db) if another else None)
    if not _asked(*confirm_box(parent, text, warning=another)):
        return False, another
    if another and not _asked(*confirm_box(parent, AGAIN_TEXT, warning=True, button="仍然恢复")):
        return False, another
    return True, another


def restore_from(parent: QWidget | None, db: Database, file: Path, *, another_register: bool = False) -> bool:
    """Check the backup, close the database, replace it, and tell the clerk. True when the database was
    closed (the caller must reopen it); False when nothing was touched (the file was refused).
    another_register: the clerk confirmed twice that a backup of another register replaces this one."""
    try:
        check_backup(file)
    except CanlianError as exc:
        QMessageBox.warning(parent, RESTORE_TITLE, str(exc))
        return False
    db.close()
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        kept = restore_database(db.path, file, another_register=another_register)
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
    go, another = ask_to_restore(parent, db, file)
    if not go:
        return False
    return restore_from(parent, db, file, another_register=another)
