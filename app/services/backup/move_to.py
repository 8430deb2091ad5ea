"""迁到服务器 (`canlian move-to postgresql://…`): the whole register of a file copied into an EMPTY PostgreSQL
database, then every table checked on both sides (its row count and a checksum of its rows), so that a
town's years of records reach the county's server whole or not at all.

The server's database is first migrated to the newest schema (as any open does); then, in ONE transaction
on the server: every table in dependency order, rows in key order, the ids kept as they are (every
reference stays right), the sequences set past the highest id, and the check. A difference rolls the
whole copy back. Keys of a cycle (a household's head is a person, a person's household a household) are
written after the rows they point at. The file is only read.

"Empty" is a database no clerk has written: the migrations themselves leave the shipped device catalogue
and the register's identity (written without audit rows, app/db/engine.py); those few rows give way to the
file's own, which hold the same catalogue as the clerk left it and the register's identity, which moves
with it (its backups remain its own)."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Column, Connection, Table, bindparam, delete, func, inspect, select, text, update

from app.db.engine import Database
from app.db.models import DeviceType, Setting
from app.db.schema import Base
from app.db.server import make_server_engine, server_url, shown
from app.errors import DatabaseError, InputError
from app.services.actions import job

_CHUNK = 2000  # rows per executemany
_MADE_BY_MIGRATING = {DeviceType.__tablename__, Setting.__tablename__}


@dataclass(frozen=True)
class TableCheck:
    """One table after the copy: rows on each side and the checksum of each side's rows."""

    table: str
    rows: int
    checksum: str  # sha256 of the rows read back from the server, in key order
    same: bool  # count and checksum equal on both sides

    def line(self) -> str:
        return f"{self.table} {self.rows} {self.checksum[:16]}" + ("" if self.same else " 不一致")


def _tables() -> list[Table]:
    return list(Base.metadata.sorted_tables)


def _key(table: Table) -> list[Column[Any]]:
    return list(table.primary_key.columns)


def _later_columns(table: Table) -> list[str]:
    """Columns whose key closes a cycle (use_alter): written once the rows they point at are there."""
    return [element.parent.name for constraint in table.foreign_key_constraints if constraint.use_alter
            for element in constraint.elements]


def _rows(conn: Connection, table: Table) -> Iterator[dict[str, Any]]:
    result = conn.execute(select(table).order_by(*_key(table))).mappings()
    for row in result:
        yield dict(row)


def _canonical(value: Any) -> str:
    """A value as both stores return it through SQLAlchemy, written the same way whichever it came from."""
    if value is None:
        return "\x00"
    if isinstance(value, bool):
        return "T" if value else "F"
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return repr(value)


def table_checksum(conn: Connection, table: Table) -> tuple[int, str]:
    """How many rows the table holds and the sha256 of them all, in key order, column by column."""
    digest = hashlib.sha256()
    count = 0
    for row in _rows(conn, table):
        count += 1
        digest.update("\x1f".join(_canonical(row[c.name]) for c in table.columns).encode("utf-8"))
        digest.update(b"\x1e")
    return count, digest.hexdigest()


def _refuse_unless_empty(conn: Connection, where: str) -> None:
    present = set(inspect(conn).get_table_names())
    for table in _tables():
        if table.name in _MADE_BY_MIGRATING or table.name not in present:
            continue
        if conn.execute(select(func.count()).select_from(table)).scalar():
            raise InputError(f"服务器上的数据库 {where} 已有数据（{table.name} 表不是空的）："
                             "只能迁入一个新建的空数据库，请另建一个。")


@dataclass(frozen=True)
class _Later:
    """The cycle keys of a table's rows, written once every table is copied."""

    table: Table
    columns: list[str]
    rows: list[dict[str, Any]]

    def write(self, target: Connection) -> None:
        if not self.rows:
            return
        keys = _key(self.table)
        unchanged = {c.name: c for c in self.table.columns if c.onupdate is not None}  # updated_at stays
        stmt = (update(self.table).where(*(c == bindparam(f"k_{c.name}") for c in keys))
                .values({**{n: bindparam(f"v_{n}") for n in self.columns}, **unchanged}))
        target.execute(stmt, self.rows)


def _copy_table(source: Connection, target: Connection, table: Table) -> _Later:
    later = _later_columns(table)
    keys = _key(table)
    chunk: list[dict[str, Any]] = []
    pending: list[dict[str, Any]] = []  # the cycle keys of rows written without them, set afterwards
    for row in _rows(source, table):
        if any(row[name] is not None for name in later):
            pending.append({**{f"k_{c.name}": row[c.name] for c in keys}, **{f"v_{n}": row[n] for n in later}})
            row = {**row, **dict.fromkeys(later)}
        chunk.append(row)
        if len(chunk) >= _CHUNK:
            target.execute(table.insert(), chunk)
            chunk = []
    if chunk:
        target.execute(table.insert(), chunk)
    return _Later(table, later, pending)


def _reset_sequences(target: Connection, table: Table) -> None:
    """Ids were copied as they are: the next row the server numbers comes after the highest."""
    keys = _key(table)
    if len(keys) != 1 or not keys[0].autoincrement or keys[0].type.python_type is not int:
        return
    name = keys[0].name
    target.execute(text(f"select setval(pg_get_serial_sequence('{table.name}', '{name}'), "
                        f"coalesce(max({name}), 1), max({name}) is not null) from {table.name}"))


@job(long=True)
def move_to_server(db: Database, url: str) -> list[TableCheck]:
    """Copy the register of the file db into the empty PostgreSQL database at url and check every table.
    InputError (one sentence) when the target is not empty or not a server; DatabaseError when the check
    finds a difference (nothing is left on the server then)."""
    from app.db.server import is_server_url, open_server

    if not is_server_url(url):
        raise InputError(f"“{url}”不是服务器地址：应写成 postgresql://用户名@服务器:5432/数据库名。")
    if db.on_server:
        raise InputError("当前打开的已经是服务器上的数据库：迁移要从本机的数据文件出发（用 --db 指定文件）。")
    where = shown(server_url(url))
    engine = make_server_engine(server_url(url))
    try:
        with engine.connect() as conn:
            _refuse_unless_empty(conn, where)
    finally:
        engine.dispose()
    open_server(url).close()  # the newest schema, as any open makes it
    engine = make_server_engine(server_url(url))
    checks: list[TableCheck] = []
    try:
        with db.engine.connect() as source, engine.begin() as target:
            _refuse_unless_empty(target, where)
            for table in (DeviceType.__table__, Setting.__table__):  # the migration's own rows give way
                target.execute(delete(table))
            later = [_copy_table(source, target, table) for table in _tables()]
            for keys in later:
                keys.write(target)
            for table in _tables():
                _reset_sequences(target, table)
            for table in _tables():
                rows, theirs = table_checksum(source, table)
                moved, ours = table_checksum(target, table)
                checks.append(TableCheck(table.name, moved, ours, (rows, theirs) == (moved, ours)))
            differing = [c.table for c in checks if not c.same]
            if differing:
                raise DatabaseError(f"迁到服务器后核对不一致（{'、'.join(differing)}）："
                                    "服务器上没有留下任何数据，请联系技术人员。")
    finally:
        engine.dispose()
    return checks
