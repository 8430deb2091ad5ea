"""The yearly summary reads SQLite through mapped pages while it counts, and the connection's own setting is put
back afterwards (the window's connection reads as before); on PostgreSQL there is nothing to set."""

from __future__ import annotations

from sqlalchemy import text

from app.db.engine import Database
from app.reports.mapped import MAPPED_BYTES, mapped_reads


def test_mapped_while_the_report_is_written_and_put_back_after(db: Database, store: str) -> None:
    with db.session() as s:
        if store != "sqlite":
            with mapped_reads(s):
                assert s.execute(text("select 1")).scalar() == 1
            return
        before = s.execute(text("PRAGMA mmap_size")).scalar()
        with mapped_reads(s):
            assert s.execute(text("PRAGMA mmap_size")).scalar() == MAPPED_BYTES
        assert s.execute(text("PRAGMA mmap_size")).scalar() == before != MAPPED_BYTES
