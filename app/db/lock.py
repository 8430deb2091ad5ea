"""One program per database file: an OS lock on a file beside it, released when the process ends.

The lock file also tells whether the last program to hold it ended cleanly: it writes "open" there while
it holds the lock and empties it on release. A program killed (power cut, task manager) leaves "open",
and the next one runs SQLite's full integrity check instead of the quick one."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import IO

from app.errors import DatabaseError

_OPEN = b"open"


class FileLock:
    def __init__(self, db_path: Path) -> None:
        self.path = db_path.with_name(db_path.name + ".lock")
        self._handle: IO[bytes] | None = None
        self.unclean_exit = False  # set by acquire: the previous holder did not release it

    def acquire(self) -> None:
        try:
            handle = open(self.path, "a+b")  # noqa: SIM115 - held open for the life of the lock
        except OSError as exc:
            raise DatabaseError(
                f"无法在数据文件旁建立锁文件 {self.path.name}（{exc.strerror}）：请检查文件夹是否只读或已满。"
            ) from None
        try:
            if sys.platform == "win32":
                import msvcrt

                handle.seek(0)
                msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            raise DatabaseError(
                f"数据文件 {self.path.with_suffix('')} 正被另一个残联工作台使用：请先关闭另一个窗口再打开。"
            ) from None
        self._handle = handle
        handle.seek(0)
        self.unclean_exit = handle.read(len(_OPEN)) == _OPEN
        self._mark(_OPEN)

    def _mark(self, text: bytes) -> None:
        assert self._handle is not None
        try:
            self._handle.seek(0)
            self._handle.truncate()
            self._handle.write(text)
            self._handle.flush()
        except OSError:  # a full disk: the mark only decides between the quick and the full check
            pass

    def release(self, *, clean: bool = True) -> None:
        """clean=False keeps the mark of an unclean exit (an open that failed before its full check)."""
        if self._handle is None:
            return
        self._mark(b"" if clean else _OPEN)
        try:
            if sys.platform == "win32":
                import msvcrt

                self._handle.seek(0)
                msvcrt.locking(self._handle.fileno(), msvcrt.LK_UNLCK, 1)
            else:
                import fcntl

                fcntl.flock(self._handle.fileno(), fcntl.LOCK_UN)
        finally:
            self._handle.close()
            self._handle = None
