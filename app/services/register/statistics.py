"""SQLite's planner statistics of the register, kept up to date after the register grew or shrank at once
(opening a file, an import, the demo town, a restore): with 100,000 persons the list's first page then
reads the name index in order instead of sorting everyone (app.services.register.search.keep_statistics)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.services.actions import job
from app.services.register.search import keep_statistics

if TYPE_CHECKING:
    from app.db.engine import Database


@job()
def keep_register_statistics(db: Database) -> bool:
    """ANALYZE when the register's size changed by a tenth since the last (True if it ran)."""
    with db.transaction() as session:
        return keep_statistics(session)
