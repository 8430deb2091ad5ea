"""The ids of the persons whose name contains a text, or whose ID number contains some digits: the two
searches that look inside a value, which an ordinary index cannot serve.

Each store plugs in its own way (FINDERS, by SQLAlchemy dialect name): SQLite reads its search index
(app/db/search_index.py: a row per character of a name, an FTS5 trigram index of the ID numbers); a store
without one reads every person (LIKE '%…%'), which PostgreSQL serves from a pg_trgm index of its own. Every
way finds the same persons: the index narrows, the name itself decides."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Select, intersect, select
from sqlalchemy import column as sql_column
from sqlalchemy import table as sql_table
from sqlalchemy import text as sql_text
from sqlalchemy.orm import aliased

from app.db import search_index
from app.db.models import Person

MATCH = aliased(Person, name="match")  # inner selects need their own FROM: Person itself would correlate away
_NAME_CHARS = sql_table(search_index.NAME_CHARS, sql_column("ch"), sql_column("person_id"))
_ASCII_LETTER = re.compile(r"[A-Za-z]")
_TRIGRAM = 3  # FTS5's trigram tokenizer finds three characters or more


def scan_names(text: str) -> Select[tuple[int]]:
    return select(MATCH.id).where(MATCH.name.contains(text, autoescape=True))


def scan_id_numbers(digits: str) -> Select[tuple[int]]:
    return select(MATCH.id).where(MATCH.id_number.contains(digits, autoescape=True))


def _sqlite_names(text: str) -> Select[tuple[int]]:
    """The persons having every character of the text in their name (an index range each), of whom the
    name decides. Latin letters compare without case in LIKE, not in the index: those names are scanned."""
    if _ASCII_LETTER.search(text):
        return scan_names(text)
    having = [select(_NAME_CHARS.c.person_id).where(_NAME_CHARS.c.ch == ch) for ch in sorted(set(text))]
    candidates = having[0] if len(having) == 1 else intersect(*having)
    found = select(MATCH.id).where(MATCH.id.in_(candidates))
    return found if len(text) == 1 else found.where(MATCH.name.contains(text, autoescape=True))


def _sqlite_id_numbers(digits: str) -> Select[tuple[int]]:
    if len(digits) < _TRIGRAM or not re.fullmatch(r"[\dX]+", digits):
        return scan_id_numbers(digits)
    index = search_index.ID_DIGITS
    return select(sql_column("rowid", type_=MATCH.id.type)).select_from(sql_table(index)).where(
        sql_text(f"{index} match :digits").bindparams(digits=f'"{digits}"'))


@dataclass(frozen=True)
class Finders:
    names: Callable[[str], Select[tuple[int]]]
    id_numbers: Callable[[str], Select[tuple[int]]]


SCAN = Finders(scan_names, scan_id_numbers)
FINDERS = {"sqlite": Finders(_sqlite_names, _sqlite_id_numbers)}


def finders(dialect: str) -> Finders:
    return FINDERS.get(dialect, SCAN)
