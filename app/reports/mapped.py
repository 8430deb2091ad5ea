"""SQLite only: the yearly summary reads the register through memory-mapped pages while it counts.

A county's yearly summary reads the same 100,000 persons and 450,000 payments for each of six periods, in
the order of an index rather than of the file; through SQLite's default reads, each page fetched is a system
call, and those were a quarter of the summary's time (4 of 13 s of CPU). Mapped, the pages are read from
the operating system's cache without one. Nothing read changes: only how SQLite fetches the file's pages.
Only the yearly summary maps: the pages it touches count in the process's resident memory, which the
lists (the register of 100,000 lines must stay under 250 MB) have no time to gain from.
PostgreSQL has nothing of the kind to set; the connection's own setting is put back afterwards, so the
window's connection reads as before once the figures are counted."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session

MAPPED_BYTES = 1 << 30  # SQLite maps at most the file's size; a county's register is some 300 MB


@contextmanager
def mapped_reads(session: Session) -> Iterator[None]:
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        yield
        return
    before = int(connection.exec_driver_sql("PRAGMA mmap_size").scalar() or 0)
    connection.exec_driver_sql(f"PRAGMA mmap_size={MAPPED_BYTES}")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA mmap_size={before}")
