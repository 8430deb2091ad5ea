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
    ("王小明", "ix_person_name_trgm"),  # a name's characters (the database's ctype is UTF-8)
    ("光明", "ix_person_village"),  # … or the persons of a village whose name starts so, ORed with it
    ("1985", "ix_person_id_number_trgm"),  # ID digits anywhere
    ("zs", "ix_person_initials_prefix"),  # the start of the initials
    ("zhang", "ix_person_pinyin_prefix"),  # the start of the pinyin
])
def test_each_search_is_served_by_its_index(db: Database, query: str, index: str) -> None:
    condition = text_condition(query, "postgresql")
    assert condition is not None
    assert index in _plan(db, select(Person.id).where(condition))


@pytest.mark.parametrize("query", ["明", "小明"])
def test_a_name_of_one_or_two_characters_is_looked_up_in_the_index_of_each_names_characters(
        db: Database, query: str) -> None:
    """One or two characters have no trigram for pg_trgm to look up: the GIN index of each name's characters
    (revision 0012) finds their holders instead of every person being read."""
    condition = text_condition(query, "postgresql")
    assert condition is not None
    assert "ix_person_name_chars" in _plan(db, select(Person.id).where(condition))


def test_a_search_run_again_and_again_is_planned_for_its_text_each_time(db: Database) -> None:
    """psycopg prepares a statement run five times, and PostgreSQL then plans it for any text (a generic
    plan), which cannot see that LIKE '%明%' is served by an index: the search box's statements stay unprepared."""
    from app.services.register.search import search

    with db.session() as session:
        for _ in range(12):
            search(session, "明")
        prepared = session.execute(text("select count(*) from pg_prepared_statements")).scalar()
    assert prepared == 0
