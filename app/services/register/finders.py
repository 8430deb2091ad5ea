"""The ids of the persons whose name contains a text, or whose ID number contains some digits: the searches
that look inside a value, which an ordinary index cannot serve; and, where the store can, the first page of
a search read straight in the list's order (ordered).

Each store plugs in its own way (FINDERS, by SQLAlchemy dialect name): SQLite reads its search index
(app/db/search_index.py: a row per character of a name and per start of the initials, kept in the list's
order, and an FTS5 trigram index of the ID numbers); PostgreSQL serves LIKE '%…%' from its pg_trgm indexes,
one or two characters of a name from the GIN index of each name's characters, and LIKE 'zs%' from its prefix
indexes (search_index.PG_INDEXES, PG_NAME_CHARACTERS); another store reads every person. Every
way finds the same persons in the same order: the index narrows, the name itself decides."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Connection,
    Integer,
    Select,
    SQLColumnExpression,
    String,
    Text,
    and_,
    bindparam,
    cast,
    column,
    func,
    null,
    select,
    union,
)
from sqlalchemy import table as sql_table
from sqlalchemy import text as sql_text
from sqlalchemy.orm import aliased

from app.db import search_index
from app.db.models import Person, Village
from app.domain.words import PersonStatus

MATCH = aliased(Person, name="match")  # inner selects need their own FROM: Person itself would correlate away
HIGH = "\U0010ffff"
_KEYS = sql_table(search_index.SEARCH_KEYS, column("kind", String), column("key", String), column("listed", Integer),
                  column("pinyin", String), column("person_id", Integer), column("name", String))
_ASCII_LETTER = re.compile(r"[A-Za-z]")
_TRIGRAM = 3  # FTS5's trigram tokenizer finds three characters or more


def prefix(col: SQLColumnExpression[str], text: str) -> ColumnElement[bool]:
    """col starts with text, as a range so that an ordinary index serves it (LIKE cannot in SQLite)."""
    return (col >= text) & (col < text + HIGH)


def scan_names(text: str) -> Select[int]:
    return select(MATCH.id).where(MATCH.name.contains(text, autoescape=True))


def scan_id_numbers(digits: str) -> Select[int]:
    return select(MATCH.id).where(MATCH.id_number.contains(digits, autoescape=True))


def _sqlite_names(text: str) -> Select[int]:
    """The persons whose name contains text: among the rows of the search index of its last character (one
    index range), the name carried alongside decides. A text with Latin letters is scanned: LIKE compares them
    without case, the index does not."""
    if _ASCII_LETTER.search(text):
        return scan_names(text)
    rows = select(_KEYS.c.person_id).where(_KEYS.c.kind == "c", _KEYS.c.key == text[-1])
    return rows if len(text) == 1 else rows.where(_KEYS.c.name.contains(text, autoescape=True))


def _sqlite_id_numbers(digits: str) -> Select[int]:
    if len(digits) < _TRIGRAM or not re.fullmatch(r"[\dX]+", digits):
        return scan_id_numbers(digits)
    index = search_index.ID_DIGITS
    return select(column("rowid", Integer)).select_from(sql_table(index)).where(
        sql_text(f"{index} match :digits").bindparams(digits=f'"{digits}"'))


_NOT_ON_REGISTER = [s.value for s in PersonStatus if s != PersonStatus.ON_REGISTER]


def _key_rows(kind: str, listed: int) -> Select[int, str]:
    return select(_KEYS.c.person_id.label("id"), _KEYS.c.pinyin.label("pinyin")).where(
        _KEYS.c.kind == kind, _KEYS.c.key == bindparam("key"), _KEYS.c.listed == listed)


def _person_rows(listed: int, *where: ColumnElement[bool]) -> Select[int, str]:
    # an equality or a short IN list on status lets the (status, pinyin) index serve the pinyin order
    of_status = Person.status == PersonStatus.ON_REGISTER if listed == 0 else Person.status.in_(_NOT_ON_REGISTER)
    return select(Person.id.label("id"), Person.pinyin.label("pinyin")).where(of_status, *where)


def _starts(col: SQLColumnExpression[str]) -> ColumnElement[bool]:
    return and_(col >= bindparam("text"), col < bindparam("text_end"))


@functools.cache
def _ordered_parts(kind: str, several: bool, on_register_only: bool) -> tuple[CompoundSelect[*tuple[Any, ...]], ...]:
    """The statements of _sqlite_ordered, built once for each shape of search (their values are bound)."""
    def part(listed: int) -> CompoundSelect[*tuple[Any, ...]]:
        if kind == "letters":
            return union(_key_rows("i", listed), _person_rows(listed, _starts(Person.pinyin)))
        names = _key_rows("c", listed)
        if several:
            names = names.where(_KEYS.c.name.like(bindparam("pattern"), escape="/"))
        villages = select(Village.id).where(_starts(Village.name))
        return union(names, _person_rows(listed, Person.village_id.in_(villages)))

    return (part(0),) if on_register_only else (part(0), part(1))


@dataclass(frozen=True)
class Ordered:
    """A search read in the list's order: parts to read one after the other, with the values they take."""

    parts: tuple[CompoundSelect[*tuple[Any, ...]] | Select[int, str], ...]
    values: dict[str, str]


_MANY = 2000  # ID digits found this often are read in the list's order, checking each ID; fewer are sorted


def _listed_parts(on_register_only: bool) -> tuple[int, ...]:
    return (0,) if on_register_only else (0, 1)


def _id_digits_match() -> Select[int]:
    index = search_index.ID_DIGITS
    return select(column("rowid", Integer)).select_from(sql_table(index)).where(sql_text(f"{index} match :quoted"))


@functools.cache
def _digit_parts(many: bool, on_register_only: bool) -> tuple[Select[int, str], ...]:
    """Many: each person in the list's order whose ID holds the digits. Few: the FTS5 index's matches,
    sorted; status is compared as an expression there, so that SQLite looks the few up instead of walking
    the (status, pinyin) index past everyone for them."""
    if many:
        return tuple(_person_rows(listed, Person.id_number.like(bindparam("pattern"), escape="/"))
                     for listed in _listed_parts(on_register_only))
    status = func.coalesce(Person.status, "")
    of_status = {0: status == PersonStatus.ON_REGISTER, 1: status.in_(_NOT_ON_REGISTER)}
    return tuple(select(Person.id.label("id"), Person.pinyin.label("pinyin"))
                 .where(of_status[listed], Person.id.in_(_id_digits_match()))
                 for listed in _listed_parts(on_register_only))


@functools.cache
def _digits_found() -> Select[int]:
    return select(func.count()).select_from(_id_digits_match().limit(bindparam("most")).subquery())


def _sqlite_ordered(kind: str, text: str, on_register_only: bool, connection: Connection) -> Ordered | None:
    """The persons the search box finds for text, as parts to be read one after the other (those 在册,
    then unless on_register_only the others), each as rows (id, pinyin) read by pinyin, id a page at a time:
    each piece of a part comes from an index in that order or is small, and SQLite merges them. kind is the
    search's: letters (initials or pinyin), name (or village), digits. None where the text has no such way
    (a name with Latin letters, which LIKE compares without case)."""
    if kind == "digits":  # digits that 2,000 IDs or more hold (6209, a county's region code) are walked
        if not _TRIGRAM <= len(text) < 18 or not re.fullmatch(r"[\dX]+", text):
            return None
        values = {"quoted": f'"{text}"', "pattern": f"%{text}%"}
        many = (connection.execute(_digits_found(), {**values, "most": _MANY}).scalar() or 0) >= _MANY
        return Ordered(_digit_parts(many, on_register_only), values)
    if kind == "name" and _ASCII_LETTER.search(text):
        return None
    if kind not in ("letters", "name"):
        return None
    values = {"text": text, "text_end": text + HIGH, "key": text if kind == "letters" else text[-1]}
    several = kind == "name" and len(text) > 1
    if several:  # a name holding the whole text, among those holding its last character
        escaped = text.replace("/", "//").replace("%", "/%").replace("_", "/_")
        values["pattern"] = f"%{escaped}%"
    return Ordered(_ordered_parts(kind, several, on_register_only), values)


def _pg_starts(col: SQLColumnExpression[str], letters: str) -> ColumnElement[bool]:
    """col starts with letters (a-z only, search.text_kind), as LIKE 'zs%': PostgreSQL serves it from the
    text_pattern_ops index whatever the database's collation, where a range would follow the collation."""
    return col.like(letters + "%")


def _no_order(_kind: str, _text: str, _on_register_only: bool, _connection: Connection) -> None:
    return None


def contains_name(text: str) -> ColumnElement[bool]:
    """The person's own name contains text, on the person row (the inline finders)."""
    return Person.name.contains(text, autoescape=True)


def _pg_contains_name(text: str) -> ColumnElement[bool]:
    """A name of one or two characters, which pg_trgm cannot look up (a trigram is three): its characters
    are looked up in the GIN index of each name's characters (revision 0012), and LIKE decides the order
    they stand in. 张, held by 12,000 of 100,000 persons, is then found without reading the other 88,000
    (plain LIKE reads all). A longer text is looked up in the trigram index."""
    if len(text) >= _TRIGRAM:
        return contains_name(text)
    from sqlalchemy.dialects import postgresql  # here: loading it costs a file's window 0.1-0.2 s at start

    characters = func.string_to_array(Person.name, null(), type_=postgresql.ARRAY(Text))
    wanted = cast(postgresql.array(list(text)), postgresql.ARRAY(Text))  # text[], as string_to_array gives
    return and_(characters.contains(wanted), contains_name(text))


@dataclass(frozen=True)
class Finders:
    names: Callable[[str], Select[int]]
    id_numbers: Callable[[str], Select[int]]
    ordered: Callable[[str, str, bool, Connection], Ordered | None]
    name: Callable[[str], ColumnElement[bool]] = contains_name  # inline: the name contains a text
    starts: Callable[[SQLColumnExpression[str], str], ColumnElement[bool]] = prefix  # initials and pinyin
    # on the person row itself (name LIKE … OR village_id IN …): PostgreSQL's planner ORs the index scans
    # into one bitmap; SQLite reads each narrow index apart, as ids (search._found_by)
    inline: bool = False


SCAN = Finders(scan_names, scan_id_numbers, _no_order)
FINDERS = {
    "sqlite": Finders(_sqlite_names, _sqlite_id_numbers, _sqlite_ordered),
    # LIKE '%…%' itself: the planner takes the pg_trgm index when the text has trigrams to look up
    "postgresql": Finders(scan_names, scan_id_numbers, _no_order, _pg_contains_name, _pg_starts, inline=True),
}


def finders(dialect: str) -> Finders:
    return FINDERS.get(dialect, SCAN)
