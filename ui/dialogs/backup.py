"""备份 and 恢复 from the 文件 menu, in the clerk's words. The work is app.services.backup.copies: a backup is
verified before it gets its name, a restore checks the file and keeps the current data beside it.

Both run off the GUI thread through the road. A restore needs the database file to itself: the road
closes the store for it and opens the file again afterwards, whatever the outcome, and every screen then
reads it anew (Road.run_closed).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import platformdirs
from PySide6.QtWidgets import QAbstractButton, QFileDialog, QMessageBox, QWidget

from app.services.backup.copies import backup_database, restore_database
from app.services.backup.facts import BackupFacts, backup_facts, register_and_unit
from app.services.backup.server_copies import backup_server
from ui.road import Road
from ui.style import settings
from ui.tasks import Task

BACKUP_FOLDER_KEY = "folders/backup"
RESTORE_TITLE = "从备份恢复"


def _last_folder() -> str:
    return str(settings().value(BACKUP_FOLDER_KEY, "") or platformdirs.user_documents_dir())


def backup_to(parent: QWidget | None, road: Road, folder: Path) -> Task[Path]:
    """Write a verified backup into folder in the background, then say where it is: a copy of the file, or
    on a server a pg_dump of its database (checked table by table as the command line's)."""

    def done(path: Path) -> None:
        QMessageBox.information(parent, "备份", f"备份已完成，文件保存在：\n{path}\n\n"
                                "如果备份到U盘，请先在电脑上“安全弹出”再拔下U盘。")

    return road.run(parent, "备份", backup_server if road.on_server else backup_database, folder, on_done=done)


def backup_now(parent: QWidget | None, road: Road) -> Task[Path] | None:
    """备份…: ask for a folder (a USB stick, usually), remember it, and back up there."""
    chosen = QFileDialog.getExistingDirectory(parent, "选择备份保存的文件夹（如U盘）", _last_folder())
    if not chosen:
        return None
    settings().setValue(BACKUP_FOLDER_KEY, chosen)
    return backup_to(parent, road, Path(chosen))


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


AGAIN_TEXT = ("再确认一次：要用另一个登记册的备份替换现在的全部数据吗？\n"
              "如果不确定，请点“取消”，并核对备份的单位和人数。")


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


def current_facts(road: Road) -> BackupFacts:
    """What the open database holds, said as a backup's facts are (for the other-register warning)."""
    registered, unit = road.read(register_and_unit)
    return BackupFacts(road.path, dt.datetime.now(), registered, unit, road.identity)


def ask_to_restore(parent: QWidget | None, road: Road, file: Path) -> tuple[bool, bool]:
    """Ask before replacing the data by `file`, saying what it holds. A backup of another register is
    asked twice. Returns (go ahead, it is another register's)."""
    facts = backup_facts(file)
    another = bool(facts.identity and road.identity and facts.identity != road.identity)
    text = confirm_text(file, facts, current_facts(road) if another else None)
    if not _asked(*confirm_box(parent, text, warning=another)):
        return False, another
    if another and not _asked(*confirm_box(parent, AGAIN_TEXT, warning=True, button="仍然恢复")):
        return False, another
    return True, another


def restore_from(parent: QWidget | None, road: Road, file: Path, *, another_register: bool = False) -> Task[Path]:
    """Replace the data by the backup `file` (checked first: a file that is no backup of this program is
    refused and nothing is touched), keeping the current data beside it, and tell the clerk; the road opens
    the file again afterwards. another_register: the clerk confirmed twice that a backup of another
    register replaces this one."""

    def done(kept: Path) -> None:
        kept_line = "" if kept == road.path else f"\n恢复前的数据已另存为：\n{kept}\n"
        QMessageBox.information(parent, RESTORE_TITLE,
                                f"已从“{file.name}”恢复。{kept_line}\n程序将重新打开数据，请稍候。")

    return road.run_closed(parent, RESTORE_TITLE, restore_database, file, another_register=another_register,
                           on_done=done)


def restore_backup(parent: QWidget | None, road: Road) -> Task[Path] | None:
    """恢复…: choose a backup file, confirm in plain words, restore (see restore_from); None when the clerk
    cancelled."""
    chosen, _ = QFileDialog.getOpenFileName(parent, "选择备份文件", _last_folder(), "残联工作台备份 (*.db)")
    if not chosen:
        return None
    file = Path(chosen)
    settings().setValue(BACKUP_FOLDER_KEY, str(file.parent))
    go, another = ask_to_restore(parent, road, file)
    if not go:
        return None
    return restore_from(parent, road, file, another_register=another)
