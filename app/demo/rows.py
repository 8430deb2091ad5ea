"""How the demo writes its rows in bulk (a county of 100,000 persons is about 1.3 million rows).

Portable path: SQLAlchemy Core's executemany of the table's insert(), in chunks, on any store.
SQLite fast path (a separate branch, the store the office PC uses): the same INSERT sent straight to the
driver's executemany with the values made by the column types' own bind processors, without SQLAlchemy's
per-row parameter handling, which was a third of the demo's time at county size. The values written are
the same: each column's processor, and for a column a row leaves out its default (a value, or the callable
called once per chunk of rows written together, where SQLAlchemy calls it per row: the time of writing, to
the second). tests/demo/test_rows.py compares the two paths table by table."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from operator import itemgetter
from typing import Any

from sqlalchemy import Table, insert, text
from sqlalchemy.orm import Session
from sqlalchemy.sql.schema import CallableColumnDefault, ScalarElementColumnDefault

CHUNK = 5000


def insert_rows(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert rows (dicts with the same keys) into table, in their order, inside the session's transaction."""
    if not rows:
        return
    if session.get_bind().dialect.name == "sqlite" and rows[0] and _same_keys(rows):
        _sqlite_insert(session, table, rows)
        return
    for start in range(0, len(rows), CHUNK):
        session.execute(insert(table), list(rows[start:start + CHUNK]))


def _same_keys(rows: Sequence[dict[str, Any]]) -> bool:
    keys = rows[0].keys()
    return all(map(keys.__eq__, map(dict.keys, rows)))  # compared by C code: a county's tables are 1.3 million rows


Rows = Sequence[dict[str, Any]]
Column = Callable[[int], Sequence[Any]]  # a left-out column's values for a chunk of n rows


def _sqlite_insert(session: Session, table: Table, rows: Rows) -> None:
    dialect = session.get_bind().dialect
    given = [key for key in rows[0] if key in table.c]
    unknown = set(rows[0]) - set(given)
    if unknown:  # as Core does: a key that is no column is an error, not silently dropped
        raise KeyError(f"{table.name} has no column {sorted(unknown)}")
    processed = [(i, _Processed(process)) for i, key in enumerate(given)
                 if (process := table.c[key].type._cached_bind_processor(dialect)) is not None]
    left_out: list[Column] = []
    names = list(given)
    for column in table.columns:
        if column.name in rows[0] or column.default is None:
            continue  # a server default or NULL, as the portable INSERT leaves it
        process = column.type._cached_bind_processor(dialect)
        default = column.default
        if isinstance(default, ScalarElementColumnDefault):
            left_out.append(_fixed(process(default.arg) if process else default.arg))
        elif isinstance(default, CallableColumnDefault):
            left_out.append(_called(default, process))
        else:  # a SQL expression default: leave it to SQLAlchemy
            for start in range(0, len(rows), CHUNK):
                session.execute(insert(table), list(rows[start:start + CHUNK]))
            return
        names.append(column.name)
    quote = dialect.identifier_preparer.quote
    sql = (f"INSERT INTO {quote(table.name)} ({', '.join(quote(n) for n in names)}) "
           f"VALUES ({', '.join('?' for _ in names)})")
    # The values are taken column by column by C code (itemgetter, zip): a row's values one by one in Python
    # cost more than the insert itself. A column with a processor (dates, stamps, booleans) has each distinct
    # value processed once (they repeat across thousands of rows), through a dict's own lookup.
    take = itemgetter(*given)
    cursor = session.connection().connection.cursor()
    try:
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start:start + CHUNK]
            columns: list[Sequence[Any]] = (list(zip(*map(take, chunk), strict=True)) if len(given) > 1
                                            else [list(map(take, chunk))])
            for index, values in processed:
                columns[index] = list(map(values.__getitem__, columns[index]))
            columns += [values(len(chunk)) for values in left_out]
            cursor.executemany(sql, list(zip(*columns, strict=True)))
    finally:
        cursor.close()


class _Processed(dict[Any, Any]):
    """A column's processed values by given value, each processed when first asked for (None stays None)."""

    def __init__(self, process: Callable[[Any], Any]) -> None:
        super().__init__({None: None})
        self.process = process

    def __missing__(self, value: Any) -> Any:
        done = self[value] = self.process(value)
        return done


def _fixed(value: Any) -> Column:
    return lambda n: [value] * n


def _called(default: CallableColumnDefault, process: Callable[[Any], Any] | None) -> Column:
    make = default.arg  # SQLAlchemy wraps it to take the execution context, which `now` does not read

    def value() -> Any:
        made = make(None)  # type: ignore[arg-type]
        return process(made) if process and made is not None else made

    # called once for a chunk's rows, which one statement writes at one time (`now` is to the second): called
    # per row, with its value processed, it was a tenth of writing a county's households
    return lambda n: [value()] * n


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


@contextmanager
def sqlite_indexes_after(session: Session, *names: str) -> Iterator[None]:
    """As indexes_after, for SQLite indexes outside the models (the search index's, app/db/search_index.py):
    dropped for the block and made again after it from their own stored text; on another store, or where
    the register has no such index, the block runs as it is."""
    stored: list[str] = []
    if session.get_bind().dialect.name == "sqlite":
        for name in names:
            sql = session.scalar(text("select sql from sqlite_master where type = 'index' and name = :name"),
                                 {"name": name})
            if sql is not None:
                session.execute(text(f'drop index "{name}"'))
                stored.append(str(sql))
    yield
    for sql in stored:
        session.execute(text(sql))

