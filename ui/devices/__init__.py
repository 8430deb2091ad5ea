"""The 康复器材 tab. make_tab(db) builds it; main_window needs of it: a QWidget with an
open_person Signal(int), mark_stale() (the register changed) and set_database(db) (after a restore)."""

from __future__ import annotations

from app.db.engine import Database
from ui.devices.tab import DevicesTab


def make_tab(db: Database) -> DevicesTab:
    return DevicesTab(db)
