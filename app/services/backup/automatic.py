"""Backups that need no one to remember them: one on closing the program and at most one a day while it
runs, into 自动备份 beside the database, the last 30 kept and one a month for a year.

Each backup is app.services.backup.copies.backup_database (verified under a temporary name, then renamed), so
a file named canlian-备份-… is always whole; a half-written one left by a power cut is swept away by the
next backup. Two databases in one folder share 自动备份: each register sees, keeps and rotates only its
own backups, told apart by the register identity inside each file (app.services.backup.facts), never by
the file name alone. A database that fails SQLite's check is not opened: the window and the command line
name the newest good backup, and the damaged file is kept aside under another name, never deleted."""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from app.db import sqlite_file
from app.db.engine import Database
from app.errors import CanlianError
from app.services.actions import job
from app.services.backup.copies import backup_database, check_backup, restore_database, sweep_partials
from app.services.backup.facts import file_identity, made_from_name

FOLDER_NAME = "自动备份"
KEEP_LAST = 30
KEEP_MONTHS = 12
DAILY = dt.timedelta(days=1)


@dataclass(frozen=True)
class AutoBackup:
    path: Path
    made: dt.datetime  # from the name: the file's time stamp may be changed by a copy
    size: int


def backup_folder(db_path: Path) -> Path:
    """自动备份 beside the database: the data folder the clerk is shown under 帮助 → 数据文件位置."""
    return Path(db_path).expanduser().resolve().parent / FOLDER_NAME


def list_backups(db_path: Path, identity: str | None = None) -> list[AutoBackup]:
    """This register's automatic backups, newest first (only files with a final name: those are
    complete). identity: the register's (Database.identity), else read from the file; when the register
    has none that can be read (a damaged file), every backup in the folder is listed."""
    folder = backup_folder(db_path)
    if not folder.is_dir():
        return []
    own = identity or file_identity(Path(db_path))
    found: list[tuple[tuple[dt.datetime, int], AutoBackup]] = []
    for path in folder.iterdir():
        made = made_from_name(path.name)
        if made is None or not path.is_file():
            continue
        if own is not None and file_identity(path) != own:
            continue  # another register's, or from before registers had an identity: not ours to offer or delete
        found.append((made, AutoBackup(path, made[0], path.stat().st_size)))
    return [backup for _, backup in sorted(found, key=lambda item: item[0], reverse=True)]


def last_backup_time(db_path: Path, identity: str | None = None) -> dt.datetime | None:
    backups = list_backups(db_path, identity)
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


def rotate(db_path: Path, identity: str | None = None) -> list[Path]:
    """Remove this register's backups no longer kept, and half-written ones left by an interrupted
    backup. Returns what was removed."""
    backups = list_backups(db_path, identity)
    keep = to_keep(backups)
    removed = [b.path for b in backups if b.path not in keep]
    for path in removed:
        with contextlib.suppress(OSError):
            path.unlink()
    folder = backup_folder(db_path)
    return removed + (sweep_partials(folder) if folder.is_dir() else [])


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


@job()
def make_backup(db: Database) -> Path:
    """A verified backup into 自动备份 now, then the rotation."""
    path = backup_database(db, backup_folder(db.path))
    rotate(db.path, db.identity)
    return path


@job()
def backup_at_close(db: Database) -> Path | None:
    """On closing: a backup unless the newest one already holds every saved change. A refusal says that
    it is the closing backup that did not finish (the window closes all the same: the data is untouched)."""
    backups = list_backups(db.path, db.identity)
    current = _changes_marker(Path(db.path))
    if backups and current is not None and _changes_marker(backups[0].path) == current:
        rotate(db.path, db.identity)
        return None
    try:
        return make_backup(db)
    except CanlianError as exc:
        raise CanlianError(f"关闭前的自动备份没有完成：{exc}") from exc


@job()
def backup_if_due(db: Database, now: dt.datetime | None = None) -> Path | None:
    """While the program runs: a backup when the newest is a day old or there is none."""
    now = now or dt.datetime.now()
    last = last_backup_time(db.path, db.identity)
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
    if not path.is_file() or not sqlite_file.has_header(path):
        return False
    return not sqlite_file.is_whole(path, full=True)


def damaged_advice(db_path: Path) -> str:
    """The one line the command line says about a damaged database: it was not opened, and which backup
    to restore with which command."""
    head = f"数据文件 {db_path} 已损坏（完整性检查未通过），没有打开，也没有改动"
    newest = newest_good_backup(db_path)
    if newest is None:
        return head + "；没有找到完好的自动备份：请用U盘上的备份恢复（canlian restore 备份文件）。"
    return (head + f"：最新的完好备份是 {newest.path}（{newest.made:%Y-%m-%d %H:%M}），"
            f"请运行 canlian --db \"{db_path}\" restore \"{newest.path}\"（损坏的文件会改名保留）。")


def restore_damaged(db_path: Path, backup: Path) -> Path:
    """Put `backup` in place of a damaged database. The damaged file (and its journal) is renamed to
    canlian.损坏-….db beside it, not copied: SQLite may be unable to read it. Returns that name. The
    clerk was shown what the backup holds (newest_good_backup may offer any register's when the damaged
    file no longer says whose it is)."""
    return restore_database(db_path, backup, another_register=True, current_damaged=True)
