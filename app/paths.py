"""Where things are: shipped resources (from source or inside the frozen build) and the user's data."""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import platformdirs

APP_NAME = "canlian"


def resource_path(*parts: str) -> Path:
    """A file under resources/, found both from the source tree and inside a PyInstaller build."""
    base = getattr(sys, "_MEIPASS", None)
    root = Path(base) if base else Path(__file__).resolve().parent.parent
    return root.joinpath("resources", *parts)


def data_dir() -> Path:
    """The user's data folder (created on first use)."""
    path = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_db_path() -> Path:
    """CLI.md: --db, else $CANLIAN_DB, else canlian.db in the user's data folder."""
    env = os.environ.get("CANLIAN_DB")
    if env:
        return Path(env)
    return data_dir() / "canlian.db"


def database_location(given: str | None = None) -> Path | str:
    """CLI.md: --db (given), else $CANLIAN_DB, else the default file. A PostgreSQL URL (postgresql://…)
    stays the text it is, for app.db.engine.open_database; anything else is a file's path."""
    text = given or os.environ.get("CANLIAN_DB")
    if not text:
        return default_db_path()
    return text if is_server_url(text) else Path(text)


def is_server_url(text: str) -> bool:
    """Whether a --db names a PostgreSQL server (postgresql://…, postgres://…) rather than a file."""
    scheme, sep, _rest = text.partition("://")
    return bool(sep) and scheme.split("+")[0].lower() in ("postgresql", "postgres")


def cache_dir() -> Path:
    """The user's cache folder: what the program can always make again (the parsed font)."""
    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def log_path() -> Path:
    return data_dir() / "canlian.log"


def font_path() -> Path:
    return resource_path("fonts", "wqy-microhei.ttc")


# The window lives in ui/, outside the core: app/ names it here and loads it only for `canlian gui` and the
# self-check, so every other command (and every test of app/) runs on a machine without Qt.
WINDOW_ENTRY = "ui.app:run_gui"
# The self-check's question to the window's side: which of Qt's standard buttons still read in English.
CHINESE_CHECK_ENTRY = "ui.language:english_in_standard_dialogs"


def ui_entry(entry: str) -> Callable[..., Any]:
    """The function named "module:name" under ui/, loaded on demand."""
    module, _, name = entry.partition(":")
    function: Callable[..., Any] = getattr(importlib.import_module(module), name)
    return function


def window_entry() -> Callable[..., int]:
    """run_gui(where, screenshots=None, remembered=False) -> exit code, loaded on demand (where: a file's path
    or a server's URL)."""
    return ui_entry(WINDOW_ENTRY)
