"""Whose a backup is and what it holds, read from the file itself: the register's identity (a random id
each database gets at its first open, app.db.engine.IDENTITY_KEY), the time it was made, the persons on
its register and its unit. Backups of different registers may share a folder (two databases side by
side, a stick used by two offices): the identity tells them apart where a file name cannot.

Each file is read read-only, writing nothing beside it (app.db.sqlite_file)."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app.db import sqlite_file
from app.db.engine import IDENTITY_KEY
from app.errors import InputError
from app.services.actions import query

BACKUP_PREFIX = "canlian-备份-"
BACKUP_NAME = re.compile(re.escape(BACKUP_PREFIX) + r"(\d{8}-\d{6})(?:-(\d+))?\.db$")

# (path, size, modified) -> identity: the status bar asks after every save, the files do not change.
_identities: dict[tuple[str, int, int], str | None] = {}


def made_from_name(name: str) -> tuple[dt.datetime, int] | None:
    """The time in a backup's name (and its -2, -3 … within one second), None for another name."""
    match = BACKUP_NAME.fullmatch(name)
    if match is None:
        return None
    return dt.datetime.strptime(match.group(1), "%Y%m%d-%H%M%S"), int(match.group(2) or 1)


def file_identity(path: Path) -> str | None:
    """The register identity stored in a database or backup file; None when it has none (made by an
    earlier version) or cannot be read."""
    path = Path(path)
    try:
        stat = path.stat()
    except OSError:
        return None
    key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    if key not in _identities:
        try:
            with contextlib.closing(sqlite_file.connect_read_only(path)) as conn:
                row = conn.execute("select value from setting where key = ?", (IDENTITY_KEY,)).fetchone()
            _identities[key] = str(row[0]) if row and row[0] else None
        except sqlite3.Error:
            _identities[key] = None
    return _identities[key]


@dataclass(frozen=True)
class BackupFacts:
    file: Path
    made: dt.datetime  # from the name; a file not named by the program: when it was last changed
    registered: int  # persons on the register (在册)
    unit: str  # the office named on its printouts, "" when none was entered
    identity: str | None

    def line(self) -> str:
        """备份时间 2026-11-29 17:05，在册 345 人，单位 金塔镇残疾人联合会"""
        return (f"备份时间 {self.made:%Y-%m-%d %H:%M}，在册 {self.registered} 人，"
                f"单位 {self.unit or '（未填写单位信息）'}")


@query
def register_and_unit(session: Session) -> tuple[int, str]:
    """(persons on the register, the unit named on its printouts): what a backup is said to hold, and what
    the open register holds when a backup of another register would replace it."""
    from app.services.register.status_changes import count_on_register
    from app.services.settings import unit_info

    return count_on_register(session), unit_info(session).unit_name


def backup_facts(file: Path) -> BackupFacts:
    """What a backup holds, by the same functions that count and name them in the program."""
    file = Path(file)
    named = made_from_name(file.name)
    made = named[0] if named else dt.datetime.fromtimestamp(file.stat().st_mtime)
    engine = create_engine("sqlite://", creator=lambda: sqlite_file.connect_read_only(file))
    try:
        with Session(engine) as session:
            registered, unit = register_and_unit.in_session(session)
    except SQLAlchemyError:  # an older or odd file: the restore check says what is wrong with it
        registered, unit = 0, ""
    finally:
        engine.dispose()
    return BackupFacts(file, made, registered, unit, file_identity(file))


class AnotherRegister(InputError):
    """The backup belongs to another register than the database it would replace."""

    def __init__(self, facts: BackupFacts) -> None:
        super().__init__(f"备份 {facts.file.name} 属于另一个登记册（{facts.line()}），当前数据未作任何改动："
                         "请核对是否选错了备份。")
        self.facts = facts


def same_register(db_path: Path, file: Path) -> bool:
    """False only when both files name their register and the names differ."""
    ours, theirs = file_identity(db_path), file_identity(file)
    return ours is None or theirs is None or ours == theirs
