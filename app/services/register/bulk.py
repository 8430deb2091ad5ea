"""Registering many persons at once (a roster import): the rows saving one person at a time would write
(each in a household of their own with them as its head, and their first status 在册), and the same audit
rows, in a few statements of many rows each instead of a flush per person.

Plain SQLAlchemy Core (insert … returning, executemany), so it runs on SQLite and PostgreSQL alike; the
caller owns the transaction, so a failure or a kill leaves the register as it was before."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from typing import Any

from sqlalchemy import Column, Table, bindparam, func, insert, select, text
from sqlalchemy.orm import Session

from app.db import search_index
from app.db.audit import record_added
from app.db.models import Household, Person, StatusChange, Village, VillageGroup, now
from app.db.models.base import Base
from app.domain.names import search_keys
from app.domain.register_rules import REGISTERED_BEFORE_RECORDS
from app.domain.words import PersonStatus
from app.services.register import bulk_sqlite
from app.services.register.households import HOUSEHOLD_FIELDS
from app.services.register.people import PERSON_FIELDS

_CHUNK = 5000  # rows per statement
_STAMPS = ("created_at", "updated_at", "recorded_at")
_PERSON_FIELDS, _HOUSEHOLD_FIELDS = frozenset(PERSON_FIELDS), frozenset(HOUSEHOLD_FIELDS)


@cache
def _keys(name: str) -> tuple[str, str]:
    return search_keys(name)


def table_of(mapped: type[Base]) -> Table:
    table = mapped.__table__
    assert isinstance(table, Table)
    return table


def scalar_default(column: Column[Any]) -> Any:
    """The value an insert that leaves this column out gives it (None for no default or a computed one)."""
    default = column.default
    return getattr(default, "arg", None) if default is not None and default.is_scalar else None


def _defaults(table: Table) -> dict[str, Any]:
    """Every column but the id at its default, as an insert that names only some columns would fill it."""
    stamp = now()
    return {c.key: stamp if c.key in _STAMPS else scalar_default(c) for c in table.columns if c.key != "id"}


def _last_id(session: Session, table: Table) -> int:
    return session.scalar(select(func.max(table.c.id))) or 0


def _insert(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    """Plain executemany, in chunks (insert … returning would go one row at a time to keep the order)."""
    for start in range(0, len(rows), _CHUNK):
        session.execute(insert(table), rows[start:start + _CHUNK])


def _number(session: Session, table: Table, rows: list[dict[str, Any]], key: str, after: int) -> None:
    """Give each row just inserted its id, found by a column that is unique among the new rows."""
    ids = dict(session.execute(select(table.c[key], table.c.id).where(table.c.id > after)).all())
    for row in rows:
        row["id"] = ids[row[key]]


@contextmanager
def search_index_once(session: Session) -> Iterator[None]:
    """Persons inserted inside this block reach SQLite's search index (app/db/search_index.py) by one
    statement per index table after the block instead of its insert trigger running per person (most of a
    county-sized insert's time): the trigger is dropped for the block and made again from its own stored
    text. SQLite's schema changes are part of the transaction, so a failure or a kill leaves trigger and
    index as they were. Another store (no such trigger) inserts as it is."""
    if session.get_bind().dialect.name != "sqlite":
        yield
        return
    trigger = session.scalar(text("select sql from sqlite_master where type = 'trigger' and name = :name"),
                             {"name": search_index.INSERT_TRIGGER})
    if trigger is None:  # a register before revision 0007 has no search index to fill
        yield
        return
    after = _last_id(session, table_of(Person))
    session.execute(text(f"drop trigger {search_index.INSERT_TRIGGER}"))
    yield
    longest = session.scalar(text("select max(max(length(name), length(initials))) from person where id > :after"),
                             {"after": after})
    for statement in search_index.fill_statements(after, int(longest or 0)):
        session.execute(text(statement))
    session.execute(text(trigger))


def make_places(session: Session, places: Sequence[tuple[str, str | None]]) -> None:
    """Make these villages (village, None) and groups (village, group) of villages on file or made here,
    in this order, numbered as village_named and group_named would number them, each with its audit row."""
    table = table_of(Village)
    order = session.scalar(select(func.count()).select_from(table)) or 0
    villages = [{**_defaults(table), "name": v, "sort_order": order + i + 1}
                for i, v in enumerate(v for v, g in places if g is None)]
    after = _last_id(session, table)
    _insert(session, table, villages)
    _number(session, table, villages, "name", after)
    record_added(session, Village, villages)
    ids = dict(session.execute(select(table.c.name, table.c.id)).all())
    groups = [{**_defaults(table_of(VillageGroup)), "village_id": ids[v], "name": g} for v, g in places if g]
    table = table_of(VillageGroup)
    after = _last_id(session, table)
    _insert(session, table, groups)
    found = {(v, g): i for i, v, g in session.execute(
        select(table.c.id, table.c.village_id, table.c.name).where(table.c.id > after))}
    for group in groups:
        group["id"] = found[group["village_id"], group["name"]]
    record_added(session, VillageGroup, groups)


def register_many(session: Session, persons: Sequence[dict[str, Any]], reason: str) -> None:
    """Register new persons from checked values (app.domain.register_rules), each with a village (made
    before: make_places), as save_person registers one: in the register since their certificate was
    issued, else since before the records began."""
    villages = dict(session.execute(select(Village.name, Village.id)).all())
    groups = {(v, g): i for i, v, g in session.execute(select(VillageGroup.id, VillageGroup.village_id,
                                                              VillageGroup.name))}
    person_base, household_base = _defaults(table_of(Person)), _defaults(table_of(Household))
    person_rows: list[dict[str, Any]] = []
    household_rows: list[dict[str, Any]] = []
    dates: list[dt.date] = []
    for values in persons:
        village_id = villages[values["village"]]
        group_id = groups[village_id, values["group"]] if values.get("group") else None
        on = values.get("certificate_issued") or REGISTERED_BEFORE_RECORDS
        dates.append(on)
        # a row's dozen values picked by the keys it has (the fields' names are the columns' own, always there)
        row = person_base.copy()
        household = household_base.copy()
        for key in values.keys() & _PERSON_FIELDS:
            row[key] = values[key]
        for key in values.keys() & _HOUSEHOLD_FIELDS:
            household[key] = values[key]
        row.update(status=PersonStatus.ON_REGISTER, status_date=None if on == REGISTERED_BEFORE_RECORDS else on,
                   village_id=village_id, group_id=group_id)
        row["initials"], row["pinyin"] = _keys(row["name"])
        person_rows.append(row)
        household.update(village_id=village_id, group_id=group_id, address=values.get("address") or "")
        household_rows.append(household)
    if bulk_sqlite.is_sqlite(session):
        _write_sqlite(session, person_rows, household_rows, dates, reason)
        return
    # Persons first, then their households with them as head, then each person's household: every row gets
    # the id saving one by one gives it (both numbered in the rows' order), and each is found by its key.
    people, households, statuses = table_of(Person), table_of(Household), table_of(StatusChange)
    after = _last_id(session, people)
    with search_index_once(session):
        _insert(session, people, person_rows)
    _number(session, people, person_rows, "id_number", after)
    for person, household in zip(person_rows, household_rows, strict=True):
        household["head_person_id"] = person["id"]
    after = _last_id(session, households)
    _insert(session, households, household_rows)
    _number(session, households, household_rows, "head_person_id", after)
    _join_households(session, person_rows, household_rows)
    changes = _status_rows(person_rows, dates, reason)
    after = _last_id(session, statuses)
    _insert(session, statuses, changes)
    _number(session, statuses, changes, "person_id", after)
    record_added(session, Person, person_rows)
    record_added(session, Household, household_rows)
    record_added(session, StatusChange, changes)


def _status_rows(persons: list[dict[str, Any]], dates: list[dt.date], reason: str) -> list[dict[str, Any]]:
    base = _defaults(table_of(StatusChange))
    return [{**base, "person_id": person["id"], "status": PersonStatus.ON_REGISTER, "date": on, "reason": reason}
            for person, on in zip(persons, dates, strict=True)]


def _write_sqlite(session: Session, person_rows: list[dict[str, Any]], household_rows: list[dict[str, Any]],
                  dates: list[dt.date], reason: str) -> None:
    """register_many's writing on SQLite (app.services.register.bulk_sqlite): the same rows and ids."""
    people, households, statuses = table_of(Person), table_of(Household), table_of(StatusChange)
    bulk_sqlite.number(person_rows, _last_id(session, people))
    bulk_sqlite.number(household_rows, _last_id(session, households))
    for person, household in zip(person_rows, household_rows, strict=True):
        household["head_person_id"] = person["id"]
        person["household_id"] = household["id"]
    changes = _status_rows(person_rows, dates, reason)
    bulk_sqlite.number(changes, _last_id(session, statuses))
    bulk_sqlite.defer_foreign_keys(session)
    with bulk_sqlite.larger_cache(session):
        with search_index_once(session):
            bulk_sqlite.insert(session, people, person_rows)
        bulk_sqlite.insert(session, households, household_rows)
        bulk_sqlite.insert(session, statuses, changes)
        bulk_sqlite.record_added(session, Person, person_rows)
        bulk_sqlite.record_added(session, Household, household_rows)
        bulk_sqlite.record_added(session, StatusChange, changes)


def _join_households(session: Session, persons: list[dict[str, Any]], households: list[dict[str, Any]]) -> None:
    """Each new person belongs to the household made for them (set after both exist: each names the other)."""
    table = table_of(Person)
    statement = table.update().where(table.c.id == bindparam("pid")).values(household_id=bindparam("hid"))
    joins = []
    for person, household in zip(persons, households, strict=True):
        person["household_id"] = household["id"]
        joins.append({"pid": person["id"], "hid": household["id"]})
    for start in range(0, len(joins), _CHUNK):
        session.execute(statement, joins[start:start + _CHUNK])
