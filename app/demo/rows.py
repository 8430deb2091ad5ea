"""How the demo writes its rows in bulk (a county of 100,000 persons is about 1.3 million rows).

Portable path: SQLAlchemy Core's executemany of the table's insert(), in chunks, on any store.
SQLite fast path (a separate branch, the store the office PC uses): the same INSERT sent straight to the
driver's executemany with the values made by the column types' own bind processors, without SQLAlchemy's
per-row parameter handling, which was a third of the demo's time at county size. The values written are
the same: each column's processor, and for a column a row leaves out its default (a value, or the callable
called per row as SQLAlchemy calls it). tests/demo/test_rows.py compares the two paths table by table."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Table, insert
from sqlalchemy.orm import Session
from sqlalchemy.sql.schema import CallableColumnDefault, ScalarElementColumnDefault

CHUNK = 5000


def insert_rows(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert rows (dicts with the same keys) into table, in their order, inside the session's transaction."""
    if not rows:
        return
    if session.get_bind().dialect.name == "sqlite" and _same_keys(rows):
        _sqlite_insert(session, table, rows)
        return
    for start in range(0, len(rows), CHUNK):
        session.execute(insert(table), list(rows[start:start + CHUNK]))


def _same_keys(rows: Sequence[dict[str, Any]]) -> bool:
    keys = rows[0].keys()
    return all(row.keys() == keys for row in rows)


Rows = Sequence[dict[str, Any]]
Values = Callable[[Rows], list[Any]]  # one column's values for a chunk of rows


def _sqlite_insert(session: Session, table: Table, rows: Rows) -> None:
    dialect = session.get_bind().dialect
    given = [key for key in rows[0] if key in table.c]
    unknown = set(rows[0]) - set(given)
    if unknown:  # as Core does: a key that is no column is an error, not silently dropped
        raise KeyError(f"{table.name} has no column {sorted(unknown)}")
    columns: list[Values] = [_given(key, table.c[key].type._cached_bind_processor(dialect)) for key in given]
    names = list(given)
    for column in table.columns:
        if column.name in rows[0] or column.default is None:
            continue  # a server default or NULL, as the portable INSERT leaves it
        process = column.type._cached_bind_processor(dialect)
        default = column.default
        if isinstance(default, ScalarElementColumnDefault):
            columns.append(_fixed(process(default.arg) if process else default.arg))
        elif isinstance(default, CallableColumnDefault):
            columns.append(_called(default, process))
        else:  # a SQL expression default: leave it to SQLAlchemy
            for start in range(0, len(rows), CHUNK):
                session.execute(insert(table), list(rows[start:start + CHUNK]))
            return
        names.append(column.name)
    quote = dialect.identifier_preparer.quote
    sql = (f"INSERT INTO {quote(table.name)} ({', '.join(quote(n) for n in names)}) "
           f"VALUES ({', '.join('?' for _ in names)})")
    cursor = session.connection().connection.cursor()
    try:
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start:start + CHUNK]
            cursor.executemany(sql, list(zip(*(values(chunk) for values in columns), strict=True)))
    finally:
        cursor.close()


def _given(key: str, process: Callable[[Any], Any] | None) -> Values:
    """A column's values, column by column (a row's values one by one cost more than the insert itself);
    each distinct value processed once (dates and stamps repeat across thousands of rows)."""
    if process is None:
        return lambda chunk: [row[key] for row in chunk]

    def values(chunk: Rows) -> list[Any]:
        done: dict[Any, Any] = {None: None}
        return [done[v] if v in done else done.setdefault(v, process(v)) for v in (row[key] for row in chunk)]

    return values


def _fixed(value: Any) -> Values:
    return lambda chunk: [value] * len(chunk)


def _called(default: CallableColumnDefault, process: Callable[[Any], Any] | None) -> Values:
    make = default.arg  # SQLAlchemy wraps it to take the execution context, which `now` does not read

    def value() -> Any:
        made = make(None)  # type: ignore[arg-type]
        return process(made) if process and made is not None else made

    return lambda chunk: [value() for _ in chunk]


@contextmanager
def indexes_after(session: Session, *tables: Table) -> Iterator[None]:
    """The tables' plain (non-unique) indexes dropped for the block and made again after it, from the same
    definitions the migrations made them by (tests/db/test_schema.py): an index made once over a million
    rows is far cheaper than kept up row by row. Schema changes are part of the transaction on SQLite and
    PostgreSQL alike, so a failure or a kill leaves every index as it was. Only for the demo's own
    transaction, which fill_demo starts only on an empty register."""
    plain = [index for table in tables for index in sorted(table.indexes, key=lambda i: str(i.name))
             if not index.unique]
    connection = session.connection()
    for index in plain:
        index.drop(connection)
    yield
    for index in plain:
        index.create(connection)
