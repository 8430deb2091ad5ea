"""SQLite's fast branch of registering many persons (app.services.register.bulk, whose portable path every
other store takes and the tests compare this one with): the same rows, written through the driver's own
executemany instead of SQLAlchemy's per-row parameter handling (most of a county-sized import's insert
time), with each row's id given beforehand instead of read back.

The ids are those SQLite would give: a table without AUTOINCREMENT numbers a new row one past its largest
id, and the rows are inserted in order inside the import's one transaction (which holds SQLite's write
lock from its start, engine._on_begin), so nobody numbers a row in between. Knowing every id first, each
person is written with their household at once (instead of an UPDATE after both exist): the two name each
other, so the foreign keys are checked at the commit (SQLite's defer_foreign_keys, which the commit or a
rollback ends by itself). Values are typed by SQLAlchemy's own bind processors of each column, so the file
holds exactly what SQLAlchemy's insert would write."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from operator import itemgetter
from typing import Any

from sqlalchemy import Boolean, Date, DateTime, Table, text
from sqlalchemy.orm import Session

from app.db.audit import NOTHING as _NOTHING
from app.db.audit import added_rows, audit_text, counted, described_columns
from app.db.models import AuditEntry


def is_sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def defer_foreign_keys(session: Session) -> None:
    """Foreign keys checked at the commit of this transaction (rows that name each other go in one by one)."""
    session.execute(text("pragma defer_foreign_keys = on"))


_FEW_VALUES = (Date, DateTime, Boolean)  # column types whose bound values insert() keeps, one per value
_NEVER_SEEN: dict[Any, Any] = {}  # the look-up of the other types: empty for ever
_CACHE_KIB = 65_536  # SQLite's page cache while writing many rows (its own default: 2 MB)


@contextmanager
def larger_cache(session: Session) -> Iterator[None]:
    """A page cache big enough for the indexes of a county's register while many rows go in: each new
    person lands at another place of each of the person table's ten indexes, and with SQLite's 2 MB cache
    most of those pages were read again from the file (a third of the insert's time). The connection's
    own size is back afterwards, so the memory is given back."""
    before = session.scalar(text("pragma cache_size"))
    session.execute(text(f"pragma cache_size = -{_CACHE_KIB}"))
    try:
        yield
    finally:
        session.execute(text(f"pragma cache_size = {int(before or -2000)}"))


def number(rows: Sequence[dict[str, Any]], after: int) -> None:
    """Each row's id as SQLite numbers rows inserted in this order after the largest id `after`."""
    for offset, row in enumerate(rows, start=1):
        row["id"] = after + offset


def insert(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """The rows (each with the same keys) inserted by the driver's executemany, each value as
    SQLAlchemy's insert would bind it (its bind processors: on these tables only dates, stamps and flags,
    whose equal values of one type bind alike)."""
    if not rows:
        return
    dialect = session.get_bind().dialect
    columns = [c for c in table.columns if c.key in rows[0]]
    typed: list[tuple[int, Callable[[Any], Any], dict[Any, Any]]] = []
    for index, column in enumerate(columns):
        process = column.type.dialect_impl(dialect).bind_processor(dialect)
        if process is not None:  # an equal value of another kind (Decimal 1.0 and 1.00) may bind otherwise
            typed.append((index, process, {} if isinstance(column.type, _FEW_VALUES) else _NEVER_SEEN))
    cells = itemgetter(*(c.key for c in columns))

    def values(row: dict[str, Any]) -> list[Any]:
        found = list(cells(row)) if len(columns) > 1 else [cells(row)]
        for index, process, seen in typed:  # dates, stamps and flags: a few values, each typed once
            value = found[index]
            try:
                found[index] = seen[type(value), value]
            except KeyError:
                found[index] = process(value)
                if seen is not _NEVER_SEEN:
                    seen[type(value), value] = found[index]
        return found

    names = ", ".join(f'"{c.name}"' for c in columns)
    statement = f'insert into "{table.name}" ({names}) values ({", ".join("?" * len(columns))})'
    driver = session.connection().connection.driver_connection
    assert driver is not None
    driver.executemany(statement, map(values, rows))


def record_added(session: Session, mapped: type[Any], rows: Sequence[dict[str, Any]]) -> None:
    """app.db.audit.record_added's rows, written by the driver's executemany: each row's 新增 text made
    here in one pass over its audited columns (app.db.audit.describe's text: a column that holds
    something, as key=value, in the table's order) instead of a call per column."""
    if not rows:
        counted(session, 0)
        return
    first = added_rows(session, mapped, rows[:1])[0]  # the clerk, the stamp and the entity, as audit gives them
    keys = described_columns(mapped)
    cells = itemgetter(*keys)
    texts = []
    for row in rows:
        values = cells(row) if len(keys) > 1 else (cells(row),)
        texts.append("; ".join([f"{key}={value if type(value) is str else audit_text(value)}"
                                for key, value in zip(keys, values, strict=True) if value not in _NOTHING]))
    table = AuditEntry.__table__
    assert isinstance(table, Table)
    audit = [{**first, "entity_id": row["id"], "new_value": text} for row, text in zip(rows, texts, strict=True)]
    insert(session, table, audit)
    counted(session, len(audit))
