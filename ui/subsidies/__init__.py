"""The 补贴资格 tab. make_tab(db) builds it; main_window needs of it: a QWidget with an
open_person Signal(int), mark_stale() (the register changed) and set_database(db) (after a restore)."""

from __future__ import annotations

from app.db.engine import Database
from ui.subsidies.tab import SubsidyTab


def make_tab(db: Database) -> SubsidyTab:
    return SubsidyTab(db)
