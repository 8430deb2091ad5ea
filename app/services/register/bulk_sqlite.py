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
_AS_IS = (str, int)  # audit's _text of these is what a format string writes of them (not bool: its own word)
_ROWS_AT_ONCE = 20_000  # rows made at once for one executemany (their columns are held meanwhile)
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


def _bound(values: list[Any], process: Callable[[Any], Any], few: bool) -> list[Any]:
    """One column's values as its bind processor binds them: where a column holds few values (dates,
    stamps, flags), each distinct value of each type is bound once."""
    if not few:  # an equal value of another kind (Decimal 1.0 and 1.00) may bind otherwise: each its own
        return list(map(process, values))
    keys = list(zip(map(type, values), values, strict=True))
    bound = dict.fromkeys(keys)
    for key in bound:
        bound[key] = process(key[1])
    return list(map(bound.__getitem__, keys))


def insert(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """The rows (each with the same keys) inserted by the driver's executemany, each value as
    SQLAlchemy's insert would bind it (its bind processors: on these tables only dates, stamps and flags,
    whose equal values of one type bind alike). Made a column at a time, in chunks: a cell costs a step
    of a C loop instead of a line of Python."""
    if not rows:
        return
    dialect = session.get_bind().dialect
    columns = [c for c in table.columns if c.key in rows[0]]
    processes = [c.type.dialect_impl(dialect).bind_processor(dialect) for c in columns]
    few = [isinstance(c.type, _FEW_VALUES) for c in columns]
    names = ", ".join(f'"{c.name}"' for c in columns)
    statement = f'insert into "{table.name}" ({names}) values ({", ".join("?" * len(columns))})'
    driver = session.connection().connection.driver_connection
    assert driver is not None
    for start in range(0, len(rows), _ROWS_AT_ONCE):
        chunk = rows[start:start + _ROWS_AT_ONCE]
        values = [list(map(itemgetter(c.key), chunk)) for c in columns]
        for index, process in enumerate(processes):
            if process is not None:
                values[index] = _bound(values[index], process, few[index])
        driver.executemany(statement, zip(*values, strict=True))


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
        texts.append("; ".join([f"{key}={value if type(value) in _AS_IS else audit_text(value)}"
                                for key, value in zip(keys, values, strict=True) if value not in _NOTHING]))
    table = AuditEntry.__table__
    assert isinstance(table, Table)
    audit = [{**first, "entity_id": row["id"], "new_value": text} for row, text in zip(rows, texts, strict=True)]
    insert(session, table, audit)
    counted(session, len(audit))
