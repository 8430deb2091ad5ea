"""Finding persons: the search box (name, pinyin initials or full pinyin, ID or certificate digits,
village) and the register list's filters. Every text condition is written to use an index.

The reads the window and the command line ask for: ``list_start`` (a list's count and first page of ids),
``list_ids`` (a further page, or every id in order), ``list_rows`` (the rows of a page), ``find_persons``
(`canlian find`, pickers), ``count_persons``; ``update_statistics`` after many persons came at once.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, NamedTuple

from sqlalchemy import (
    ARRAY,
    ColumnElement,
    CompoundSelect,
    Integer,
    Select,
    SQLColumnExpression,
    and_,
    any_,
    bindparam,
    case,
    func,
    or_,
    select,
    true,
    union_all,
)
from sqlalchemy import text as sql_text
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session

from app.db.engine import Database
from app.db.models import Household, Person, Village, VillageGroup
from app.domain import idnumber
from app.domain.words import PersonStatus
from app.services.actions import job, query
from app.services.register.finders import MATCH, Ordered, finders

_HIGH = "\U0010ffff"


@dataclass(frozen=True)
class PersonFilter:
    text: str = ""
    village_id: int | None = None
    category: int | None = None
    grade: int | None = None
    status: str | None = None  # None: every status
    dibao: bool | None = None
    self_care: str | None = None
    hard_up: bool | None = None  # in a 低保, 特困 or 低收入 household
    tekun: bool | None = None  # in a 特困供养 household
    any_of: tuple[PersonFilter, ...] = ()  # and also matching at least one of these (a union of lists)


class PersonRow(NamedTuple):
    """A line of the register list: a plain value like the other views (a named tuple: a page makes 200 of
    them on every keystroke)."""

    id: int
    name: str
    sex: str
    id_number: str
    certificate_number: str | None
    category: int
    grade: int
    village: str
    group: str
    status: str
    phone: str
    birth_date: dt.date
    dibao: bool
    self_care: str
    tekun: bool = False  # 特困供养 household
    low_income: bool = False  # 低收入 household


def _prefix(column: SQLColumnExpression[str | None], text: str) -> ColumnElement[bool]:
    """column starts with text, as a range so that an ordinary index serves it (LIKE cannot in SQLite)."""
    return and_(column >= text, column < text + _HIGH)


def _found_by(*finders: Select[int]) -> ColumnElement[bool]:
    """Person.id among the ids the finders return. Each finder reads one narrow index (name, ID, pinyin)
    instead of every wide person row, and hands back ids in rowid order: at 100,000 persons this halves
    the time of a search that matches thousands ("zhang", "张")."""
    return Person.id.in_(finders[0] if len(finders) == 1 else union_all(*finders))


MIN_ID_DIGITS = 4


def list_text(text: str) -> str:
    """The text the register list searches for as the clerk types: one to three digits are the start of an
    ID being typed, too short to tell anyone apart (every ID would be read), so the list waits for more."""
    text = text.strip()
    digits = idnumber.clean(text)
    return "" if re.fullmatch(r"\d[\dX]*", digits) and len(digits) < MIN_ID_DIGITS else text


def dialect_of(session: Session) -> str:
    return session.get_bind().dialect.name


def text_kind(text: str) -> tuple[str, str]:
    """What the search box's text is: ("digits", the digits of an ID or certificate), ("letters", pinyin
    initials or pinyin in lower case) or ("name", a name's part or a village's start)."""
    digits = idnumber.clean(text)
    if re.fullmatch(r"\d[\dX]*", digits):
        return "digits", digits
    if re.fullmatch(r"[A-Za-z]+", text):
        return "letters", text.lower()
    return "name", text


def text_condition(text: str, dialect: str = "sqlite") -> ColumnElement[bool] | None:
    text = text.strip()
    if not text:
        return None
    match = MATCH
    find = finders(dialect)
    kind, value = text_kind(text)
    if kind == "digits":
        if len(value) == 18:
            return or_(Person.id_number == value, _prefix(Person.certificate_number, value))
        if len(value) == 20:
            return Person.certificate_number == value
        # ID digits anywhere (the last four, a birth date): the store's index of the ID numbers
        if find.inline:
            return Person.id_number.contains(value, autoescape=True)
        return _found_by(find.id_numbers(value))
    if find.inline:
        if kind == "letters":
            return or_(find.starts(Person.initials, value), find.starts(Person.pinyin, value))
        # = ANY(ARRAY(…)), not IN (…): the planner then ORs the village index with the name's (BitmapOr)
        villages = select(Village.id).where(Village.name.startswith(text, autoescape=True)).scalar_subquery()
        return or_(find.name(text), Person.village_id == any_(func.array(villages)))
    village_ids = select(Village.id).where(_prefix(Village.name, text))
    if kind == "letters":
        return _found_by(select(match.id).where(find.starts(match.initials, value)),
                         select(match.id).where(find.starts(match.pinyin, value)))
    return _found_by(  # a name containing the text (its start included), or living in a village named so
        find.names(text),
        select(match.id).where(match.village_id.in_(village_ids)),
    )


def _ordered(flt: PersonFilter, session: Session, sort: str, descending: bool) -> Ordered | None:
    """The search read in the list's order from the store's search index, when the list is only a search
    (of everyone, or of those 在册) by name: what the search box asks as the clerk types. None otherwise."""
    text = flt.text.strip()
    if not text or sort != "name" or descending or flt.status not in (None, PersonStatus.ON_REGISTER):
        return None
    if replace(flt, text="", status=None) != PersonFilter():
        return None
    kind, value = text_kind(text)
    return finders(dialect_of(session)).ordered(kind, value, flt.status is not None, session.connection())


def _conditions(flt: PersonFilter, dialect: str) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = []
    text = text_condition(flt.text, dialect)
    if text is not None:
        conds.append(text)
    if flt.village_id is not None:
        conds.append(Person.village_id == flt.village_id)
    if flt.category is not None:
        conds.append(Person.category == flt.category)
    if flt.grade is not None:
        conds.append(Person.grade == flt.grade)
    if flt.status is not None:
        conds.append(Person.status == flt.status)
    if flt.self_care is not None:
        conds.append(Person.self_care == flt.self_care)
    if flt.dibao is not None:
        dibao_households = select(Household.id).where(Household.dibao.is_(True))
        member = Person.household_id.in_(dibao_households)
        conds.append(member if flt.dibao else or_(Person.household_id.is_(None), ~member))
    if flt.hard_up is not None:
        hard_up = select(Household.id).where(or_(Household.dibao.is_(True), Household.tekun.is_(True),
                                                  Household.low_income.is_(True)))
        member = Person.household_id.in_(hard_up)
        conds.append(member if flt.hard_up else or_(Person.household_id.is_(None), ~member))
    if flt.tekun is not None:
        member = Person.household_id.in_(select(Household.id).where(Household.tekun.is_(True)))
        conds.append(member if flt.tekun else or_(Person.household_id.is_(None), ~member))
    if flt.any_of:
        conds.append(or_(*(and_(true(), *_conditions(f, dialect)) for f in flt.any_of)))
    return conds


SORT_COLUMNS = {
    "name": Person.pinyin,  # by full pinyin (cao, chen, …), as a clerk reads a roster
    "id_number": Person.id_number,
    "village": Person.village_id,
    "category": Person.category,
    "grade": Person.grade,
    "status": Person.status,
    "birth_date": Person.birth_date,
}


def matching_ids(
    session: Session, flt: PersonFilter, *, sort: str = "name", descending: bool = False, limit: int | None = None,
    offset: int = 0,
) -> list[int]:
    """The ids of the persons the filter shows, in display order (cheap: rows are fetched by page later);
    limit and offset give one page of them."""
    ordered = _ordered(flt, session, sort, descending)
    if ordered is not None:
        return _ordered_page(session, ordered, limit, offset)
    column = SORT_COLUMNS.get(sort, Person.pinyin)
    order = column.desc() if descending else column.asc()
    stmt: Select[int] = select(Person.id).where(*_conditions(flt, dialect_of(session)))
    if flt.text.strip() and flt.status is None:
        stmt = stmt.order_by(case((Person.status == PersonStatus.ON_REGISTER, 0), else_=1), order, Person.id)
    else:
        stmt = stmt.order_by(order, Person.id)
    if limit is not None:
        stmt = stmt.limit(limit)
    if offset:
        stmt = stmt.offset(offset)
    return list(session.scalars(stmt))


_Part = CompoundSelect[*tuple[Any, ...]] | Select[int, str]  # one part of an ordered search


def _count_of(session: Session, part: _Part, values: dict[str, str]) -> int:
    return session.connection().execute(select(func.count()).select_from(part.subquery()), values).scalar() or 0


@functools.cache
def _paged(part: _Part) -> Select[*tuple[Any, ...]] | CompoundSelect[*tuple[Any, ...]]:
    """A page of a part of an ordered search by pinyin, id, built once (its limit bound: none is -1 in
    SQLite, NULL in PostgreSQL)."""
    return part.order_by(sql_text("pinyin, id")).limit(bindparam("page_limit")).offset(bindparam("page_offset"))


def _ordered_page(session: Session, ordered: Ordered, limit: int | None, offset: int) -> list[int]:
    """A page of ids read from the parts one after the other (those 在册 first), each by pinyin, id."""
    ids: list[int] = []
    for part in ordered.parts:
        wanted = None if limit is None else limit - len(ids)
        if wanted == 0:
            break
        if offset:
            before = _count_of(session, part, ordered.values)
            if offset >= before:  # the page starts in a later part
                offset -= before
                continue
        everything = -1 if dialect_of(session) == "sqlite" else None  # LIMIT -1 in SQLite, LIMIT NULL elsewhere
        page = {**ordered.values, "page_limit": everything if wanted is None else wanted, "page_offset": offset}
        ids.extend(session.connection().execute(_paged(part), page).scalars().all())  # one fetch, not one a row
        offset = 0
    return ids


def count(session: Session, flt: PersonFilter) -> int:
    ordered = _ordered(flt, session, "name", descending=False)
    if ordered is not None:
        return sum(_count_of(session, part, ordered.values) for part in ordered.parts)
    return session.scalar(select(func.count()).select_from(Person).where(*_conditions(flt, dialect_of(session)))) or 0


@functools.cache
def _rows_statement(as_array: bool = False) -> Select[*tuple[Any, ...]]:
    """The list's columns of the persons of :ids, built once (building it again on every page costs more
    than SQLite's reading of the rows). as_array: the ids as one array value (PostgreSQL: `= ANY(:ids)`),
    not 200 values of an IN list each processed and cast (a 200-row page about 19 → 13 ms on the server)."""
    ids = (Person.id == any_(bindparam("ids", type_=ARRAY(Integer))) if as_array
           else Person.id.in_(bindparam("ids", expanding=True)))
    return (
        select(
            Person.id, Person.name, Person.sex, Person.id_number, Person.certificate_number, Person.category,
            Person.grade, func.coalesce(Village.name, ""), func.coalesce(VillageGroup.name, ""), Person.status,
            Person.phone, Person.birth_date, func.coalesce(Household.dibao, False), Person.self_care,
            func.coalesce(Household.tekun, False), func.coalesce(Household.low_income, False),
        )
        .outerjoin(Village, Village.id == Person.village_id)
        .outerjoin(VillageGroup, VillageGroup.id == Person.group_id)
        .outerjoin(Household, Household.id == Person.household_id)
        .where(ids)
    )


def rows_by_ids(session: Session, ids: Sequence[int]) -> list[PersonRow]:
    """The list rows for these ids, in the same order."""
    if not ids:
        return []
    if dialect_of(session) == "sqlite":
        by_id = {row.id: row for row in _sqlite_rows(session, ids)}
    else:
        as_array = dialect_of(session) == "postgresql"
        found = session.connection().execute(_rows_statement(as_array), {"ids": list(ids)}).all()  # at once
        by_id = {row[0]: PersonRow._make(row) for row in found}
    return [by_id[i] for i in ids if i in by_id]


@functools.lru_cache(maxsize=8)
def _sqlite_rows_text(dialect: Dialect, count: int) -> tuple[str, tuple[Any, ...]]:
    """_rows_statement compiled by SQLAlchemy for SQLite with `count` ids, once per page size: its text and
    the parameters that come before the ids (the coalesce defaults; the ids are the statement's last)."""
    state = _rows_statement().compile(dialect=dialect).construct_expanded_state({"ids": list(range(count))})
    names = state.positiontup or []
    assert all(name.startswith("ids_") for name in names[-count:]), names
    return state.statement, tuple(state.parameters[name] for name in names[:-count])


def _sqlite_rows(session: Session, ids: Sequence[int]) -> list[PersonRow]:
    """The SQLite branch of rows_by_ids: the same statement's text run on the driver's connection, its
    values typed here (a date from its ISO text, 0/1 as bool). A page is read on every keystroke, and
    SQLAlchemy's row processing doubled the time of the read itself (2.5 against 1.1 ms for 200 rows at
    100,000 persons); tests/services/register/test_search.py holds both ways to the same rows."""
    sql, leading = _sqlite_rows_text(session.get_bind().dialect, len(ids))
    driver = session.connection().connection.dbapi_connection
    assert driver is not None
    day = dt.date.fromisoformat
    return [
        PersonRow(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10],
                  day(r[11]) if r[11] else r[11], bool(r[12]), r[13], bool(r[14]), bool(r[15]))
        for r in driver.execute(sql, (*leading, *ids)).fetchall()
    ]


def search(session: Session, text: str, *, limit: int = 200, flt: PersonFilter | None = None) -> list[PersonRow]:
    """What `canlian find` and the search box show: persons on the register first, then by pinyin."""
    base = flt or PersonFilter()
    query = PersonFilter(**{**base.__dict__, "text": text})
    return rows_by_ids(session, matching_ids(session, query, limit=limit))


def keep_statistics(session: Session) -> bool:
    """Tell SQLite's planner the register's shape (ANALYZE) when it is missing or the register has changed
    size by a tenth since: with 100,000 persons the list's first page then reads the name index in order
    (4 ms) instead of sorting everyone on the register (140 ms). True if it ran. PostgreSQL's autovacuum
    keeps its own statistics: nothing to do there."""
    if dialect_of(session) != "sqlite":
        return False
    has_stats = session.scalar(sql_text("select count(*) from sqlite_master where name = 'sqlite_stat1'"))
    persons = session.scalar(select(func.count()).select_from(Person)) or 0
    if has_stats:
        stat = session.scalar(sql_text("select stat from sqlite_stat1 where tbl = 'person' limit 1"))
        known = int(str(stat).split()[0]) if stat else 0
        if known and abs(persons - known) * 10 < max(known, 1000):
            return False
    session.execute(sql_text("ANALYZE"))
    return True


@dataclass(frozen=True)
class ListStart:
    """The ids of a list's first page, and how many persons it shows when that is known without counting
    (a list shorter than a page); None otherwise: counting a long list costs as much as reading it, so the
    window shows the page first and counts after (count_persons)."""

    total: int | None
    ids: tuple[int, ...]


@query
def list_start(session: Session, flt: PersonFilter, *, sort: str = "name", descending: bool = False,
               limit: int = 200) -> ListStart:
    ids = matching_ids(session, flt, sort=sort, descending=descending, limit=limit)
    return ListStart(len(ids) if len(ids) < limit else None, tuple(ids))


@query
def list_ids(session: Session, flt: PersonFilter, *, sort: str = "name", descending: bool = False,
             limit: int | None = None, offset: int = 0) -> tuple[int, ...]:
    """The ids of a list in display order: one page of them (limit, offset), or all of them."""
    return tuple(matching_ids(session, flt, sort=sort, descending=descending, limit=limit, offset=offset))


@query
def list_rows(session: Session, ids: Sequence[int]) -> tuple[PersonRow, ...]:
    """The rows of these ids, in the same order (an id no longer on file is left out)."""
    return tuple(rows_by_ids(session, ids))


@query
def village_filter(session: Session) -> tuple[tuple[int, str], ...]:
    """The villages the register list's filter offers, (id, name) in the order villages.village_choices gives
    them, without each village's groups, which the filter never shows: loading some 3,000 groups with their
    villages took half of the register tab's start at 100,000 persons."""
    found = session.execute(select(Village.id, Village.name).order_by(Village.sort_order, Village.name))
    return tuple((village_id, name) for village_id, name in found)


@query
def find_persons(session: Session, text: str, *, limit: int = 200, flt: PersonFilter | None = None
                 ) -> tuple[PersonRow, ...]:
    """What `canlian find` and the search boxes show: persons on the register first, then by pinyin."""
    return tuple(search(session, text, limit=limit, flt=flt))


@query
def count_persons(session: Session, flt: PersonFilter) -> int:
    return count(session, flt)


@job()
def update_statistics(db: Database) -> bool:
    """keep_statistics in a transaction of its own: after an import, a restore or the demo town."""
    with db.transaction() as session:
        return keep_statistics(session)
