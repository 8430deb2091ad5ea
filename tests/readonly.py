"""Places the program may not write: a stick with its write-protect switch on, a read-only folder or file.

For real where this machine allows it: as a plain user, chmod; as root (who ignores permissions), a
tmpfs mounted read-only when mounting is allowed. And everywhere, simulated: the OSError the system
gives (EROFS on a read-only mount, EACCES on Windows' write-protected stick) raised at each write call."""

from __future__ import annotations

import builtins
import contextlib
import errno
import io
import os
import shutil
import sqlite3
import stat
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = os.name != "nt" and os.geteuid() == 0


def _inside(path: object, folder: Path) -> bool:
    if isinstance(path, int):
        return False
    text = str(path)
    if text.startswith("file:"):
        text = text[5:].split("?", 1)[0]
    try:
        return Path(os.path.abspath(text)).is_relative_to(folder)
    except (TypeError, ValueError):
        return False


def deny_writes(monkeypatch: pytest.MonkeyPatch, folder: Path, code: int = errno.EROFS) -> None:
    """Every write into folder fails as on a write-protected stick; reading still works."""
    folder = Path(os.path.abspath(folder))

    def refuse(path: object) -> None:
        raise OSError(code, os.strerror(code), str(path))

    real_open, real_os_open, real_connect = builtins.open, os.open, sqlite3.connect

    def fake_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if _inside(file, folder) and any(c in mode for c in "wax+"):
            refuse(file)
        return real_open(file, mode, *args, **kwargs)

    def fake_os_open(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if _inside(path, folder) and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            refuse(path)
        return real_os_open(path, flags, *args, **kwargs)

    def fake_connect(database: Any, *args: Any, **kwargs: Any) -> sqlite3.Connection:
        if _inside(database, folder) and "mode=ro" not in str(database):
            refuse(database)
        return real_connect(database, *args, **kwargs)

    def guard(real: Callable[..., Any]) -> Callable[..., Any]:
        def call(path: Any, *args: Any, **kwargs: Any) -> Any:
            if _inside(path, folder):
                refuse(path)
            return real(path, *args, **kwargs)
        return call

    monkeypatch.setattr(builtins, "open", fake_open)
    monkeypatch.setattr(io, "open", fake_open)
    monkeypatch.setattr(os, "open", fake_os_open)
    monkeypatch.setattr(sqlite3, "connect", fake_connect)
    for name in ("unlink", "remove", "mkdir", "rmdir", "replace", "rename"):
        monkeypatch.setattr(os, name, guard(getattr(os, name)))
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, m, *a, **k: False if (m & os.W_OK and _inside(p, folder))
                        else real_access(p, m, *a, **k))


def _mount_read_only(folder: Path, contents: Path | None) -> bool:
    if shutil.which("mount") is None:
        return False
    folder.mkdir(parents=True, exist_ok=True)
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256m", "tmpfs", str(folder)],
                      capture_output=True).returncode != 0:
        return False
    if contents is not None:
        for item in contents.iterdir():
            shutil.copy2(item, folder / item.name)
    subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True, capture_output=True)
    return True


@contextlib.contextmanager
def really_read_only(folder: Path, contents: Path | None = None) -> Iterator[Path]:
    """folder, holding a copy of the files in contents, that this process truly cannot write. Skips the
    test where the machine offers no way (root without permission to mount)."""
    if ROOT:
        if not _mount_read_only(folder, contents):
            pytest.skip("root ignores permissions and may not mount here: only the simulated test runs")
        try:
            yield folder
        finally:
            subprocess.run(["umount", str(folder)], check=False, capture_output=True)
        return
    folder.mkdir(parents=True, exist_ok=True)
    if contents is not None:
        for item in contents.iterdir():
            shutil.copy2(item, folder / item.name)
            (folder / item.name).chmod(stat.S_IRUSR | stat.S_IRGRP)
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        yield folder
    finally:
        folder.chmod(stat.S_IRWXU)
        for item in folder.iterdir():
            item.chmod(stat.S_IRUSR | stat.S_IWUSR)
