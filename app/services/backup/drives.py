"""Where an export may go: removable drives (USB sticks) first, where the system can tell, then the
documents folder. Windows says so through GetDriveTypeW; Linux desktops mount sticks under
/media/$USER or /run/media/$USER."""

from __future__ import annotations

import getpass
import os
import string
import sys
from pathlib import Path

import platformdirs

DRIVE_REMOVABLE = 2  # GetDriveTypeW


def _windows_removable() -> list[Path]:
    if sys.platform != "win32":  # never so (called on Windows only); tells the checker ctypes.windll is there
        return []
    import ctypes

    kernel32 = ctypes.windll.kernel32
    mask = kernel32.GetLogicalDrives()
    found = []
    for index, letter in enumerate(string.ascii_uppercase):
        if mask >> index & 1:
            root = f"{letter}:\\"
            if kernel32.GetDriveTypeW(ctypes.c_wchar_p(root)) == DRIVE_REMOVABLE:
                found.append(Path(root))
    return found


def _linux_removable(user: str) -> list[Path]:
    found: list[Path] = []
    for base in (Path("/media") / user, Path("/run/media") / user):
        try:
            found += sorted(p for p in base.iterdir() if p.is_dir() and os.access(p, os.W_OK))
        except OSError:
            continue
    return found


def removable_drives() -> list[Path]:
    """Mounted removable drives the clerk can write to (empty when none, or the system cannot tell)."""
    if os.name == "nt":
        try:
            return _windows_removable()
        except (OSError, AttributeError):
            return []
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        return []
    return _linux_removable(user)


def export_places() -> list[Path]:
    """Where to offer an export: the removable drives, then the documents folder."""
    return [*removable_drives(), Path(platformdirs.user_documents_dir())]
