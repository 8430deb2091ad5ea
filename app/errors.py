"""Errors the clerk can act on. Their message is one Chinese sentence: what happened and what to do."""

import errno
from pathlib import Path


class CanlianError(Exception):
    """Base of every error the program expects; its text is shown to the clerk as it is."""


class InputError(CanlianError):
    """The input or the request was wrong; nothing was changed (CLI exit 2). field names the input it is
    about ("reason", "date"), when one is, so that the window puts the clerk back in it."""

    def __init__(self, message: str = "", *, field: str = "") -> None:
        super().__init__(message)
        self.field = field


class NotFound(InputError):
    """The person, household or record asked for does not exist."""


class DatabaseError(CanlianError):
    """The database file cannot be used as it is (newer version, in use, damaged)."""


class DamagedDatabase(DatabaseError):
    """The database file fails SQLite's check: it is not opened, so nothing is read wrong or written into it."""

    def __init__(self, path: object) -> None:
        super().__init__(f"数据文件 {path} 已损坏（完整性检查未通过），程序没有打开它，以免损坏扩大："
                         "请用最新的完好备份恢复。")
        self.path = path


_WRITE_PROTECTED = {errno.EROFS, errno.EACCES, errno.EPERM}  # Windows' ERROR_WRITE_PROTECT arrives as EACCES
_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


_GONE = {errno.EIO, errno.ENODEV, errno.ENXIO}  # a stick pulled out while being written


def is_write_protected(exc: OSError) -> bool:
    return exc.errno in _WRITE_PROTECTED


def is_storage_failure(exc: OSError) -> bool:
    """The place written to failed (write-protected, full, gone), not the program."""
    return exc.errno in _WRITE_PROTECTED | _FULL | _GONE


def cannot_write(place: Path | str, exc: OSError) -> InputError:
    """The one sentence for a file that could not be written to a stick or folder, by what the system said."""
    if exc.errno in _WRITE_PROTECTED:
        return InputError(f"“{place}”有写保护（只读），没有写入：请拨开U盘的写保护开关，或换一个U盘或文件夹后重试。")
    if exc.errno in _FULL:
        return InputError(f"“{place}”空间不足，没有写完：请清理空间或换一个U盘后重试。")
    return InputError(f"无法写入“{place}”（{exc.strerror or exc}）：请检查U盘是否插好后重试。")


class ChangedMeanwhile(InputError):
    """Another clerk saved the same record after this clerk opened it: nothing was saved. version is the
    record's version now, so that the form keeping the clerk's typing can save it over that one when they
    choose to (app.services.register.meanwhile)."""

    def __init__(self, message: str, *, version: int) -> None:
        super().__init__(message)
        self.version = version


class StoreBusy(CanlianError):
    """Another clerk's work held the data through every try of a write (ui/road.py tries it again a few
    times first): nothing was saved, and trying again in a moment is all there is to do."""

    def __init__(self) -> None:
        super().__init__("数据正被另一位工作人员保存，这次没有保存成功：请稍等片刻后再试一次。")
