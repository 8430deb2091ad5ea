"""Backups that need no one to remember them: one on closing the program and at most one a day while it
runs, into 自动备份 beside the database, the last 30 kept and one a month for a year.

Each backup is app.services.backup.backup_database (verified under a temporary name, then renamed), so
a file named canlian-备份-… is always whole; a half-written one left by a power cut is swept away here.
A database that fails SQLite's integrity check is not opened: the window offers the newest good backup,
and the damaged file is kept aside under another name, never deleted."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from app.db.engine import Database
from app.errors import CanlianError
from app.services.backup import BACKUP_PREFIX, backup_database, check_backup, restore_database

FOLDER_NAME = "自动备份"
KEEP_LAST = 30
KEEP_MONTHS = 12
DAILY = dt.timedelta(days=1)
_NAME = re.compile(re.escape(BACKUP_PREFIX) + r"(\d{8}-\d{6})(?:-(\d+))?\.db$")
_SQLITE_HEADER = b"SQLite format 3\x00"


@dataclass(frozen=True)
class AutoBackup:
    path: Path
    made: dt.datetime  # from the name: the file's time stamp may be changed by a copy
    size: int


def backup_folder(db_path: Path) -> Path:
    """自动备份 beside the database: the data folder the clerk is shown under 帮助 → 数据文件位置."""
    return Path(db_path).expanduser().resolve().parent / FOLDER_NAME


def _made(name: str) -> tuple[dt.datetime, int] | None:
    match = _NAME.fullmatch(name)
    if match is None:
        return None
    return dt.datetime.strptime(match.group(1), "%Y%m%d-%H%M%S"), int(match.group(2) or 1)


def list_backups(db_path: Path) -> list[AutoBackup]:
    """The automatic backups, newest first (only files with a final name: those are complete)."""
    folder = backup_folder(db_path)
    if not folder.is_dir():
        return []
    found: list[tuple[tuple[dt.datetime, int], AutoBackup]] = []
    for path in folder.iterdir():
        made = _made(path.name)
        if made is not None and path.is_file():
            found.append((made, AutoBackup(path, made[0], path.stat().st_size)))
    return [backup for _, backup in sorted(found, key=lambda item: item[0], reverse=True)]


def last_backup_time(db_path: Path) -> dt.datetime | None:
    backups = list_backups(db_path)
    return backups[0].made if backups else None


def to_keep(backups: list[AutoBackup], keep_last: int = KEEP_LAST, months: int = KEEP_MONTHS) -> set[Path]:
    """The newest keep_last, and the newest of each of the last `months` months that have one."""
    keep = {b.path for b in backups[:keep_last]}
    seen: list[tuple[int, int]] = []
    for backup in backups:  # newest first: the first seen of a month is its newest
        month = (backup.made.year, backup.made.month)
        if month not in seen:
            seen.append(month)
            if len(seen) > months:
                break
            keep.add(backup.path)
    return keep


def rotate(db_path: Path) -> list[Path]:
    """Remove the backups no longer kept, and half-written ones left by an interrupted backup.
    Returns what was removed."""
    backups = list_backups(db_path)
    keep = to_keep(backups)
    removed = [b.path for b in backups if b.path not in keep]
    folder = backup_folder(db_path)
    if folder.is_dir():
        removed += [p for p in folder.glob(f"{BACKUP_PREFIX}*.未完成")]
    for path in removed:
        with contextlib.suppress(OSError):
            path.unlink()
    return removed


def _changes_marker(path: Path) -> tuple[int, int] | None:
    """The newest audit entry's id and the number of rows in all tables: every change saved through the
    program writes an audit row (app.db.audit), and bulk loads add rows. Two databases with the same
    marker hold the same work. None when it cannot be read."""
    try:
        with contextlib.closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as conn:
            audited = conn.execute("select coalesce(max(id), 0) from audit_log").fetchone()[0]
            tables = [r[0] for r in conn.execute(
                "select name from sqlite_master where type = 'table' and name not like 'sqlite_%'")]
            rows = sum(conn.execute(f'select count(*) from "{t}"').fetchone()[0] for t in tables)
    except sqlite3.Error:
        return None
    return int(audited), int(rows)


def make_backup(db: Database) -> Path:
    """A verified backup into 自动备份 now, then the rotation."""
    path = backup_database(db, backup_folder(db.path))
    rotate(db.path)
    return path


def backup_at_close(db: Database) -> Path | None:
    """On closing: a backup unless the newest one already holds every saved change."""
    backups = list_backups(db.path)
    current = _changes_marker(Path(db.path))
    if backups and current is not None and _changes_marker(backups[0].path) == current:
        rotate(db.path)
        return None
    return make_backup(db)


def backup_if_due(db: Database, now: dt.datetime | None = None) -> Path | None:
    """While the program runs: a backup when the newest is a day old or there is none."""
    now = now or dt.datetime.now()
    last = last_backup_time(db.path)
    if last is not None and now - last < DAILY:
        return None
    return make_backup(db)


def newest_good_backup(db_path: Path) -> AutoBackup | None:
    """The newest automatic backup that passes the restore check (integrity, schema), or None."""
    for backup in list_backups(db_path):
        try:
            check_backup(backup.path)
        except CanlianError:
            continue
        return backup
    return None


def database_damaged(db_path: Path) -> bool:
    """True when the database file exists, is an SQLite file, and fails SQLite's integrity check.
    A file that is not SQLite at all is left to open_database, which says so."""
    path = Path(db_path).expanduser()
    if not path.is_file():
        return False
    with open(path, "rb") as handle:
        if handle.read(len(_SQLITE_HEADER)) != _SQLITE_HEADER:
            return False
    try:
        with contextlib.closing(sqlite3.connect(path)) as conn:
            result = [row[0] for row in conn.execute("pragma integrity_check")]
    except sqlite3.DatabaseError:
        return True
    return result != ["ok"]


def restore_damaged(db_path: Path, backup: Path) -> Path:
    """Put `backup` in place of a damaged database. The damaged file (and its journal) is renamed to
    canlian.损坏-….db beside it, not copied: SQLite may be unable to read it. Returns that name."""
    check_backup(backup)
    db_path = Path(db_path).expanduser().resolve()
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    aside = db_path.with_name(f"{db_path.stem}.损坏-{stamp}{db_path.suffix}")
    try:
        os.replace(db_path, aside)
        for suffix in ("-wal", "-shm", "-journal"):
            journal = db_path.with_name(db_path.name + suffix)
            if journal.exists():
                os.replace(journal, aside.with_name(aside.name + suffix))
    except OSError as exc:
        raise CanlianError(f"无法把损坏的数据文件移到一旁（{exc}）：请关闭其他程序后重试。") from None
    restore_database(db_path, backup)
    return aside
