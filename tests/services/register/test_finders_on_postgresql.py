"""PostgreSQL's search indexes (revision 0007's PostgreSQL branch) serve the search box's queries: the
planner can answer each from its index instead of reading every person. (That they find the same persons
as SQLite's search index: test_search_same.py, on both stores.)"""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from app.db.engine import Database
from app.db.models import Person
from app.services.register.search import text_condition


@pytest.fixture
def store() -> str:
    return "postgresql"


def _plan(db: Database, statement: object) -> str:
    with db.engine.connect() as conn:
        conn.execute(text("set enable_seqscan = off"))  # an empty table: show what the index can serve
        compiled = statement.compile(conn, compile_kwargs={"literal_binds": True})  # type: ignore[attr-defined]
        return "\n".join(conn.execute(text(f"explain {compiled}")).scalars())


@pytest.mark.parametrize(("query", "index"), [
    ("小明", "ix_person_name_trgm"),  # a name's characters (the database's ctype is UTF-8)
    ("光明", "ix_person_village"),  # … or the persons of a village whose name starts so, ORed with it
    ("1985", "ix_person_id_number_trgm"),  # ID digits anywhere
    ("zs", "ix_person_initials_prefix"),  # the start of the initials
    ("zhang", "ix_person_pinyin_prefix"),  # the start of the pinyin
])
def test_each_search_is_served_by_its_index(db: Database, query: str, index: str) -> None:
    condition = text_condition(query, "postgresql")
    assert condition is not None
    assert index in _plan(db, select(Person.id).where(condition))

