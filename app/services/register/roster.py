"""The register as a printed roster (残疾人花名册) reads it: everyone on the register with their household's
address and 低保, in print order (village, group with 1组 before 10组, pinyin), streamed so that a county
register never sits in memory whole; and a village's name for a roster's title."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from app.db.models import Household, Person, Village, VillageGroup
from app.domain.words import PersonStatus

IN_LIMIT = 900  # beyond this many chosen persons, filter while reading instead of one huge IN (...)


@dataclass(frozen=True)
class RosterPerson:
    """One person on the register as the roster prints them."""

    id: int
    name: str
    sex: str
    birth_date: dt.date
    id_number: str
    category: int
    components: str
    grade: int
    address: str
    phone: str
    notes: str
    village: str | None  # None: not placed in a village
    group: str | None
    household_address: str | None
    dibao: bool | None
    dibao_class: int | None


def _statement(village_id: int | None, person_ids: Sequence[int] | None) -> Select[*tuple[Any, ...]]:
    stmt = (
        select(
            Person.id, Person.name, Person.sex, Person.birth_date, Person.id_number, Person.category,
            Person.components, Person.grade, Person.address, Person.phone, Person.notes,
            Village.name, VillageGroup.name, Household.address, Household.dibao, Household.dibao_class,
        )
        .outerjoin(Village, Village.id == Person.village_id)
        .outerjoin(VillageGroup, VillageGroup.id == Person.group_id)
        .outerjoin(Household, Household.id == Person.household_id)
        .where(Person.status == PersonStatus.ON_REGISTER)
        .order_by(
            Village.id.is_(None), Village.sort_order, Village.name,
            VillageGroup.id.is_(None), func.length(VillageGroup.name), VillageGroup.name,
            Person.pinyin, Person.id,
        )
    )
    if village_id is not None:
        stmt = stmt.where(Person.village_id == village_id)
    if person_ids is not None and len(person_ids) <= IN_LIMIT:
        stmt = stmt.where(Person.id.in_(list(person_ids)))
    return stmt.execution_options(yield_per=1000)


def roster_persons(session: Session, *, village_id: int | None = None,
                   person_ids: Sequence[int] | None = None) -> Iterator[RosterPerson]:
    """Everyone on the register (of one village, or only person_ids) in print order, read as the caller
    goes (it runs in the caller's session: a report's)."""
    chosen = set(person_ids) if person_ids is not None else None
    statement = _statement(village_id, person_ids)
    on_sqlite = session.get_bind().dialect.name == "sqlite"
    rows = _sqlite_rows(session, statement) if on_sqlite else session.execute(statement)
    for row in rows:
        if chosen is None or row[0] in chosen:
            yield RosterPerson(*row)


def _sqlite_rows(session: Session, statement: Select[*tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
    """The SQLite branch of roster_persons: the same statement's text run on the driver's connection, its
    values typed here (the birth date from its ISO text, 低保 0/1 as bool). A county register's 100,000 rows
    went through SQLAlchemy's row processing at half again the time of the read itself (2.1 against 1.4 s
    with the sort); tests/services/register/test_roster.py holds both ways to the same rows."""
    compiled = statement.compile(dialect=session.get_bind().dialect, compile_kwargs={"render_postcompile": True})
    values = tuple(compiled.params[name] for name in compiled.positiontup or ())
    driver = session.connection().connection.dbapi_connection
    assert driver is not None
    day = dt.date.fromisoformat
    cursor = driver.execute(compiled.string, values)
    while batch := cursor.fetchmany(1000):  # read as the caller goes, as yield_per does on the other path
        for r in batch:
            yield (r[0], r[1], r[2], day(r[3]) if r[3] else r[3], *r[4:14], None if r[14] is None else bool(r[14]),
                   r[15])


def village_name(session: Session, village_id: int) -> str:
    """The village's name, "" when there is no such village."""
    return session.scalar(select(Village.name).where(Village.id == village_id)) or ""
