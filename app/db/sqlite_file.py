"""The SQLite file itself, looked at before anything is written into it: what it is (ours, which schema),
whether it is whole (SQLite's quick check, or the full integrity check after an unclean exit), whether
this program may write it. SQLite only: a PostgreSQL store answers these questions its own way.

Every look here is read-only and leaves nothing behind. A read-only connection to a database in WAL mode
creates -wal and -shm files beside it (and leaves them), so when there is no WAL to read the file is
opened as immutable: SQLite then reads the file alone and creates nothing."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

HEADER = b"SQLite format 3\x00"


class NotSqlite(Exception):
    """The file is not an SQLite database."""


@dataclass(frozen=True)
class FileFacts:
    revision: str | None  # the Alembic revision written in the file, None when it has none
    tables: frozenset[str]


def has_header(path: Path) -> bool:
    try:
        with open(path, "rb") as handle:
            return handle.read(len(HEADER)) == HEADER
    except OSError:
        return False


def pending_log(path: Path) -> bool:
    """True when a -wal beside the file holds pages not yet written into it (an unclean exit, or another
    program has it open): those pages are part of the database."""
    wal = path.with_name(path.name + "-wal")
    try:
        return wal.stat().st_size > 0
    except OSError:
        return False


def read_uri(path: Path) -> str:
    """The URI of a read-only connection that writes nothing beside the file (see the module's note)."""
    uri = f"{Path(path).resolve().as_uri()}?mode=ro"
    return uri if pending_log(path) else uri + "&immutable=1"


def connect_read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(read_uri(path), uri=True, check_same_thread=False)


def inspect_file(path: Path) -> FileFacts:
    """What the file says about itself, read without writing a byte. NotSqlite when it is not an SQLite
    file at all; sqlite3.DatabaseError when it is one that cannot be read (damaged)."""
    if not has_header(path):
        raise NotSqlite(str(path))
    with contextlib.closing(connect_read_only(path)) as conn:
        tables = frozenset(r[0] for r in conn.execute("select name from sqlite_master where type = 'table'"))
        revision = None
        if "alembic_version" in tables:
            row = conn.execute("select version_num from alembic_version").fetchone()
            revision = row[0] if row else None
    return FileFacts(revision, tables)


def is_whole(path: Path, *, full: bool = False, live: bool = False) -> bool:
    """SQLite's quick check (pages and their structure: about 1 s for 100,000 persons here), or with
    full=True the integrity check (indexes against their tables too: several times longer). live: the file
    is open in this program and may be written meanwhile, so it is read as a database in use (a snapshot of
    it), never as an unchanging file."""
    pragma = "integrity_check" if full else "quick_check"
    try:
        connection = (sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True) if live
                      else connect_read_only(path))
        with contextlib.closing(connection) as conn:
            return [r[0] for r in conn.execute(f"pragma {pragma}")] == ["ok"]
    except sqlite3.DatabaseError:
        return False


def writable(path: Path) -> bool:
    """Whether this program may write the database: the file (when it exists) and its folder, where the
    -wal and -shm files go. os.access asks the system, so it is False on a read-only mount (a stick with
    its write-protect switch on) for everyone, and for a read-only file unless the user may write anyway."""
    path = Path(path)
    if path.exists() and not os.access(path, os.W_OK):
        return False
    folder = path.parent
    while not folder.exists() and folder != folder.parent:  # a new database in folders still to be made
        folder = folder.parent
    return os.access(folder, os.W_OK)
