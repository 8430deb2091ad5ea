"""文件 → 自动备份列表: the automatic backups, newest first and already selected, so that restoring the
latest is two clicks (恢复所选备份, then 恢复 in the question); the current data is kept first
(app.services.backup.copies.restore_database). And, at start, the offer of the newest good backup when the
database fails SQLite's integrity check."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.errors import CanlianError
from app.services.backup.automatic import (
    KEEP_LAST,
    backup_folder,
    list_backups,
    newest_good_backup,
    restore_damaged,
)
from app.services.backup.facts import backup_facts
from ui import style
from ui.dialogs.backup import ask_to_restore, restore_from
from ui.road import Road
from ui.screen import ScreenDialog
from ui.tasks import Task

TITLE = "自动备份列表"
log = logging.getLogger("canlian.ui")


def size_text(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{max(1, size // 1024)} KB"


class BackupsDialog(ScreenDialog):
    """The list; 恢复所选备份 asks, then restores through the road (which opens the data again) and closes
    the list; restoring is the Task of that restore, for tests."""

    def __init__(self, road: Road, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.road = road
        self.restoring: Task[Path] | None = None
        self.setObjectName("backups_list")
        self.setWindowTitle(TITLE)
        self.resize(620, 420)
        self.backups = list_backups(road.path, road.identity)
        intro = QLabel(f"程序在每次关闭时（以及运行中每天一次）自动备份到数据文件旁的“自动备份”文件夹，"
                       f"保留最近{KEEP_LAST}份和一年内每月一份。选中一份，点“恢复所选备份”。")
        intro.setWordWrap(True)
        self.table = QTableWidget(len(self.backups), 3)
        self.table.setObjectName("backups")
        self.table.setHorizontalHeaderLabels(["备份时间", "大小", "文件名"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        for row, backup in enumerate(self.backups):
            for col, text in enumerate((f"{backup.made:%Y-%m-%d %H:%M}", size_text(backup.size), backup.path.name)):
                item = QTableWidgetItem(text)
                if col == 1:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, col, item)
        style.size_columns(self.table, {0: "2026-11-30 23:59", 1: "999.9 MB"})  # whole, in 大字体 too, even empty
        self.table.horizontalHeader().setStretchLastSection(True)
        if self.backups:
            self.table.selectRow(0)
        self.empty = QLabel("还没有自动备份：关闭程序时会自动备份一次。")
        self.empty.setVisible(not self.backups)
        self.restore_button = QPushButton("恢复所选备份…")
        self.restore_button.setObjectName("restore")
        self.restore_button.setEnabled(bool(self.backups))
        self.restore_button.clicked.connect(self.restore_chosen)
        folder_button = QPushButton("打开备份文件夹")
        folder_button.clicked.connect(self.open_folder)
        close_button = QPushButton("关闭")
        close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.restore_button)
        buttons.addWidget(folder_button)
        buttons.addStretch(1)
        buttons.addWidget(close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addLayout(buttons)

    def chosen(self) -> Path | None:
        rows = self.table.selectionModel().selectedRows()
        return self.backups[rows[0].row()].path if rows else None

    def confirmed(self, file: Path) -> bool:
        """The list holds only this register's backups: one question, saying what the backup holds."""
        return ask_to_restore(self, self.road, file)[0]

    def restore_chosen(self) -> None:
        file = self.chosen()
        if file is None or not self.confirmed(file):
            return
        self.restoring = restore_from(self.parentWidget(), self.road, file)
        self.accept()

    def open_folder(self) -> None:
        folder = backup_folder(self.road.path)
        folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


def damaged_text(backup: str | None) -> str:
    """backup: what the newest good backup holds (BackupFacts.line), None when there is none."""
    head = "数据文件已损坏（完整性检查未通过），程序没有打开它，以免损坏扩大。"
    if backup is None:
        return (head + "\n\n没有找到完好的自动备份：请用U盘上的备份恢复（命令 canlian restore 备份文件），"
                "或联系技术人员。")
    return (head + f"\n\n最新的完好自动备份：{backup}。\n要用它恢复吗？"
            "损坏的数据文件会改名保留在原处，不会删除。")


def ask_restore(parent: QWidget | None, backup: str) -> bool:
    """用这个备份恢复 or 退出."""
    box = QMessageBox(QMessageBox.Icon.Critical, "数据文件已损坏", damaged_text(backup), parent=parent)
    restore = box.addButton("用这个备份恢复", QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(restore)
    box.addButton("退出", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    return box.clickedButton() is restore


def offer_good_backup(db_path: Path, parent: QWidget | None = None) -> bool:
    """The database failed SQLite's check: offer the newest good automatic backup, saying what it holds
    (when the damaged file no longer says whose it is, it may be any register's in the folder). True when
    it was put in place (open the database now); False when the clerk declined or there is none."""
    newest = newest_good_backup(db_path)
    if newest is None:
        QMessageBox.critical(parent, "数据文件已损坏", damaged_text(None))
        return False
    if not ask_restore(parent, backup_facts(newest.path).line()):
        return False
    try:
        aside = restore_damaged(db_path, newest.path)
    except CanlianError as exc:
        QMessageBox.critical(parent, "数据文件已损坏", str(exc))
        return False
    log.info("damaged database moved to %s, restored from %s", aside, newest.path)
    QMessageBox.information(parent, "已恢复", f"已从 {newest.made:%Y-%m-%d %H:%M} 的自动备份恢复。\n"
                            f"损坏的文件保留为：\n{aside}")
    return True
