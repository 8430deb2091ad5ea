"""Backups the clerk can trust and restores that cannot lose today's work.

A backup is written under a temporary name by SQLite's online backup (consistent while the program
runs), checked (integrity, and every table's row count equal to the source's), and only then renamed to
its final name: a file named canlian-备份-… is always complete. A restore checks the backup first, keeps
the current database beside it, and only then replaces it. A restore needs the database file to itself:
it is a function of the file's path, run while nothing has it open (the window: Road.run_closed)."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
from pathlib import Path
from typing import IO

from app.db import sqlite_file
from app.db.engine import Database, copy_sqlite, known_revision, open_database
from app.db.lock import FileLock
from app.errors import CanlianError, InputError, cannot_write, is_write_protected
from app.services.actions import job
from app.services.backup.facts import BACKUP_PREFIX, AnotherRegister, backup_facts, same_register

_PARTIAL = ".未完成"


def _stamp() -> str:
    return dt.datetime.now().strftime("%Y%m%d-%H%M%S")


def _free_name(folder: Path, stem: str, suffix: str) -> Path:
    """stem+suffix, or stem-2+suffix … when a backup was already made (or is being made) this second."""
    path, n = folder / f"{stem}{suffix}", 2
    while path.exists() or path.with_name(path.name + _PARTIAL).exists():
        path, n = folder / f"{stem}-{n}{suffix}", n + 1
    return path


def _tables(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'")
    return sorted(r[0] for r in rows)


def _row_counts(conn: sqlite3.Connection) -> dict[str, int]:
    return {t: conn.execute(f'select count(*) from "{t}"').fetchone()[0] for t in _tables(conn)}


def _integrity_ok(conn: sqlite3.Connection) -> bool:
    return [r[0] for r in conn.execute("pragma integrity_check")] == ["ok"]


def _source(db: Database) -> sqlite3.Connection:
    return sqlite_file.connect_read_only(db.path) if db.read_only else sqlite3.connect(db.path)


def _held(path: Path) -> bool:
    """Whether a backup still being written holds this half-written file (another program backing up
    into the same folder right now). On Windows an open file cannot be removed anyway."""
    if os.name == "nt":
        return False
    import fcntl

    try:
        with open(path, "rb") as handle:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    return False


def _hold(path: Path) -> IO[bytes] | None:
    """Create the half-written file, held (POSIX) until the backup is done: a sweep elsewhere leaves it
    alone. Raises OSError when the folder cannot be written (a write-protected stick says so here)."""
    handle = open(path, "xb")  # noqa: SIM115 - held for the length of the backup
    if os.name == "nt":  # Windows cannot rename a file that is held open
        handle.close()
        return None
    import fcntl

    fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    return handle


def sweep_partials(folder: Path) -> list[Path]:
    """Half-written backups left in folder by a backup that was killed (power cut, stick pulled out,
    task manager); one another program is writing now is left alone. Returns what was removed."""
    removed = []
    for path in Path(folder).glob(f"{BACKUP_PREFIX}*{_PARTIAL}"):
        if path.is_file() and not _held(path):
            with contextlib.suppress(OSError):
                path.unlink()
                removed.append(path)
    return removed


def _discard(path: Path) -> None:
    with contextlib.suppress(OSError):  # on a write-protected stick even this fails: the first error counts
        path.unlink(missing_ok=True)


@job()
def backup_database(db: Database, to_dir: Path) -> Path:
    """A verified copy of the open database in to_dir, named canlian-备份-YYYYMMDD-HHMMSS.db. Half-written
    files left there by a backup that was cut off are swept first. InputError in one sentence when the
    place cannot be written (write-protected, full, gone)."""
    to_dir = Path(to_dir).expanduser()
    try:
        to_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        if is_write_protected(exc):
            raise cannot_write(to_dir, exc) from None
        raise InputError(f"无法在 {to_dir} 建立文件夹：请检查U盘是否插好、是否写保护。") from None
    sweep_partials(to_dir)
    final = _free_name(to_dir, f"{BACKUP_PREFIX}{_stamp()}", ".db")
    partial = final.with_name(final.name + _PARTIAL)
    try:
        hold = _hold(partial)
    except FileExistsError:  # another program took this very name this second
        raise CanlianError("同一秒内有另一个备份正在写入这个文件夹：请稍候重试。") from None
    except OSError as exc:
        raise cannot_write(to_dir, exc) from None
    try:
        with contextlib.closing(_source(db)) as source, contextlib.closing(sqlite3.connect(partial)) as target:
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
    except OSError as exc:
        _discard(partial)
        raise cannot_write(to_dir, exc) from None
    except sqlite3.Error as exc:
        _discard(partial)
        raise CanlianError(f"备份没有完成（{exc}）：请检查U盘空间和写保护后重试。") from None
    except BaseException:
        _discard(partial)
        raise
    finally:
        if hold is not None:
            hold.close()
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
    if not known_revision(str(revision)):
        raise InputError(
            f"备份 {file.name} 由更新版本的残联工作台创建：请安装新版本后再恢复，当前数据未作任何改动。")
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


def _set_aside_damaged(db_path: Path) -> Path:
    """A damaged database (and its journal) renamed to canlian.损坏-….db beside it, not copied: SQLite may
    be unable to read it. Returns that name."""
    aside = _free_name(db_path.parent, f"{db_path.stem}.损坏-{_stamp()}", db_path.suffix)
    try:
        os.replace(db_path, aside)
        for suffix in ("-wal", "-shm", "-journal"):
            journal = db_path.with_name(db_path.name + suffix)
            if journal.exists():
                os.replace(journal, aside.with_name(aside.name + suffix))
    except OSError as exc:
        raise CanlianError(f"无法把损坏的数据文件移到一旁（{exc}）：请关闭其他程序后重试。") from None
    return aside


def restore_database(db_path: Path, file: Path, *, another_register: bool = False,
                     current_damaged: bool = False) -> Path:
    """Replace the database at db_path by the backup `file` (checked first; migrated if older).
    Returns the copy kept of the database it replaced (canlian.恢复前-….db beside it, or canlian.损坏-….db
    when it failed SQLite's check and was renamed aside); when there was no database yet, returns the
    restored database's own path. A backup of another register is refused (AnotherRegister, nothing
    changed) unless another_register says the clerk confirmed it twice."""
    check_backup(file)
    db_path = Path(db_path).expanduser().resolve()
    if not another_register and db_path.exists() and not same_register(db_path, Path(file)):
        raise AnotherRegister(backup_facts(Path(file)))
    db_path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(db_path)
    lock.acquire()  # refused while the window or another command has the database open
    try:
        kept = db_path
        if db_path.exists():
            whole = not current_damaged and sqlite_file.is_whole(db_path)
            kept = _keep_current(db_path) if whole else _set_aside_damaged(db_path)
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
