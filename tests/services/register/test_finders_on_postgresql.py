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



def test_a_name_of_one_character_is_read_in_the_lists_order_from_the_status_pinyin_index(db: Database) -> None:
    """One or two characters have no trigram to look up: each part of the list (在册, then the others) is
    read from the (status, pinyin) index in its order and stops at the page's end."""
    from app.services.register.finders import finders
    from app.services.register.search import _paged

    with db.session() as session:
        ordered = finders("postgresql").ordered("name", "明", False, session.connection())
        longer = finders("postgresql").ordered("name", "王小明", False, session.connection())
    assert ordered is not None and len(ordered.parts) == 2 and longer is None  # three: the trigram index
    assert ordered.values == {"pattern": "%明%", "village_pattern": "明%"}
    page = _paged(ordered.parts[0])
    with db.engine.connect() as conn:
        conn.execute(text("set enable_seqscan = off"))
        compiled = page.compile(conn)
        values = {**compiled.params, **ordered.values, "page_limit": 200, "page_offset": 0}
        plan = "\n".join(conn.exec_driver_sql(f"explain {compiled}", values).scalars())
    assert "ix_person_status_pinyin" in plan and "Limit" in plan
