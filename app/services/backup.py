"""Backups the clerk can trust and restores that cannot lose today's work.

A backup is written under a temporary name by SQLite's online backup (consistent while the program
runs), checked (integrity, and every table's row count equal to the source's), and only then renamed to
its final name: a file named canlian-备份-… is always complete. A restore checks the backup first, keeps
the current database beside it, and only then replaces it."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
from pathlib import Path

from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError

from app.db.engine import Database, alembic_config, copy_sqlite, open_database
from app.db.lock import FileLock
from app.errors import CanlianError, InputError

BACKUP_PREFIX = "canlian-备份-"
_PARTIAL = ".未完成"


def _stamp() -> str:
    return dt.datetime.now().strftime("%Y%m%d-%H%M%S")


def _free_name(folder: Path, stem: str, suffix: str) -> Path:
    """stem+suffix, or stem-2+suffix … when a backup was already made this second."""
    path, n = folder / f"{stem}{suffix}", 2
    while path.exists():
        path, n = folder / f"{stem}-{n}{suffix}", n + 1
    return path


def _tables(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'")
    return sorted(r[0] for r in rows)


def _row_counts(conn: sqlite3.Connection) -> dict[str, int]:
    return {t: conn.execute(f'select count(*) from "{t}"').fetchone()[0] for t in _tables(conn)}


def _integrity_ok(conn: sqlite3.Connection) -> bool:
    return [r[0] for r in conn.execute("pragma integrity_check")] == ["ok"]


def backup_database(db: Database, to_dir: Path) -> Path:
    """A verified copy of the open database in to_dir, named canlian-备份-YYYYMMDD-HHMMSS.db."""
    to_dir = Path(to_dir).expanduser()
    try:
        to_dir.mkdir(parents=True, exist_ok=True)
    except OSError:
        raise InputError(f"无法在 {to_dir} 建立文件夹：请检查U盘是否插好、是否写保护。") from None
    final = _free_name(to_dir, f"{BACKUP_PREFIX}{_stamp()}", ".db")
    partial = final.with_name(final.name + _PARTIAL)
    try:
        with contextlib.closing(sqlite3.connect(db.path)) as source:
            with contextlib.closing(sqlite3.connect(partial)) as target:
                # One read transaction on the source: the copy and the counts see the same state.
                source.execute("begin")
                source.backup(target)
                expected = _row_counts(source)
                source.execute("commit")
                target.execute("pragma journal_mode=delete")
                if not _integrity_ok(target):
                    raise CanlianError("备份文件检查未通过（数据库完整性）：请换一个U盘或文件夹后重试。")
                got = _row_counts(target)
                if got != expected:
                    differ = "、".join(t for t in expected if expected[t] != got.get(t))
                    raise CanlianError(f"备份文件与原数据不一致（{differ}）：请重试备份。")
        os.replace(partial, final)
    except (sqlite3.Error, OSError) as exc:
        partial.unlink(missing_ok=True)
        raise CanlianError(f"备份没有完成（{exc}）：请检查U盘空间和写保护后重试。") from None
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return final


def check_backup(file: Path) -> str:
    """The schema revision of a backup that this program can restore, or InputError saying why not."""
    file = Path(file).expanduser()
    if not file.is_file():
        raise InputError(f"找不到备份文件 {file}：请核对路径。")
    try:
        with contextlib.closing(sqlite3.connect(f"{file.resolve().as_uri()}?mode=ro", uri=True)) as conn:
            if not _integrity_ok(conn):
                raise InputError(f"备份文件 {file.name} 已损坏（完整性检查未通过）：请换一个备份。")
            tables = set(_tables(conn))
            if "alembic_version" not in tables or "person" not in tables:
                raise InputError(f"文件 {file.name} 不是残联工作台的备份：请选择 canlian-备份-….db 文件。")
            row = conn.execute("select version_num from alembic_version").fetchone()
    except sqlite3.Error:
        raise InputError(f"文件 {file.name} 不是残联工作台的备份，或已损坏：请换一个备份。") from None
    revision = row[0] if row else None
    if revision is None:
        raise InputError(f"文件 {file.name} 不是残联工作台的备份：请选择 canlian-备份-….db 文件。")
    try:
        ScriptDirectory.from_config(alembic_config()).get_revision(revision)
    except CommandError:
        raise InputError(
            f"备份 {file.name} 由更新版本的残联工作台创建：请安装新版本后再恢复，当前数据未作任何改动。"
        ) from None
    return str(revision)


def _remove_journal(db_path: Path) -> None:
    for suffix in ("-wal", "-shm", "-journal"):
        db_path.with_name(db_path.name + suffix).unlink(missing_ok=True)


def _keep_current(db_path: Path) -> Path:
    """A full copy of the database about to be replaced, beside it; its WAL is folded in first."""
    kept = _free_name(db_path.parent, f"{db_path.stem}.恢复前-{_stamp()}", db_path.suffix)
    try:
        with contextlib.closing(sqlite3.connect(db_path)) as conn:
            conn.execute("pragma wal_checkpoint(truncate)")
        copy_sqlite(db_path, kept)
    except (sqlite3.Error, OSError) as exc:
        kept.unlink(missing_ok=True)
        raise CanlianError(f"无法先保留当前数据的副本（{exc}），没有恢复：请检查磁盘空间后重试。") from None
    return kept


def restore_database(db_path: Path, file: Path) -> Path:
    """Replace the database at db_path by the backup `file` (checked first; migrated if older).
    Returns the copy kept of the database it replaced (canlian.恢复前-….db beside it); when there was no
    database yet, returns the restored database's own path."""
    check_backup(file)
    db_path = Path(db_path).expanduser().resolve()
    db_path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(db_path)
    lock.acquire()  # refused while the window or another command has the database open
    try:
        kept = db_path
        if db_path.exists():
            kept = _keep_current(db_path)
        incoming = db_path.with_name(db_path.name + _PARTIAL)
        try:
            copy_sqlite(Path(file).expanduser(), incoming)
            with contextlib.closing(sqlite3.connect(incoming)) as conn:
                conn.execute("pragma journal_mode=delete")
            _remove_journal(db_path)
            os.replace(incoming, db_path)
        except (sqlite3.Error, OSError) as exc:
            incoming.unlink(missing_ok=True)
            raise CanlianError(f"恢复没有完成（{exc}）：原数据未改动，另有一份保存在 {kept}。") from None
    finally:
        lock.release()
    open_database(db_path).close()  # migrates a backup made by an older version
    return kept
