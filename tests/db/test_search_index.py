"""Revision 0007, SQLite's search index (app/db/search_index.py): filled from the persons a register of 0006
already holds, and kept by triggers as persons are added, renamed, given another ID number or removed."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import inspect, select, text, update

from app.db.engine import Database, alembic_config, make_engine, open_database
from app.db.models import Person
from app.services.register.search import PersonFilter, list_ids
from tests.factories import add_person, insert_old_person, make_id


@pytest.fixture
def store() -> str:
    return "sqlite"  # SQLite's own search index; PostgreSQL's is tests/services/register/test_finders_on_postgresql.py


def _found(db: Database, query: str) -> list[int]:
    return list(list_ids(db, PersonFilter(text=query)))


def _indexed(db: Database) -> tuple[int, int]:
    with db.session() as s:
        chars = s.scalar(text("select count(*) from person_search_key where kind = 'c'"))
        ids = s.scalar(text("select count(*) from person_id_digits where person_id_digits match '\"0921\"'"))
    return int(chars or 0), int(ids or 0)


def test_a_register_of_0006_gets_its_persons_indexed(db_path: Path) -> None:
    engine = make_engine(db_path)
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0006")
    with engine.begin() as conn:  # persons written as 0006 knew them: no index yet
        insert_old_person(conn, "张小明", make_id("19850101"))
        insert_old_person(conn, "李明", make_id("19900202", "157"))
        assert "person_search_key" not in inspect(conn).get_table_names()
    engine.dispose()
    with open_database(db_path) as db:
        assert _indexed(db) == (5, 2)  # 张 小 明, 李 明; both IDs are of region 620921
        assert _found(db, "明") == [2, 1]  # by pinyin: liming before zhangxiaoming
        assert _found(db, "小明") == [1] and _found(db, "1985") == [1] and _found(db, "02157") == [2]


def test_the_index_follows_every_change_of_a_person(db: Database) -> None:
    with db.transaction() as s:
        first = add_person(s, "王秀英", id_number=make_id("19700303", "241")).id
        second = add_person(s, "赵秀", id_number=make_id("19810404", "363")).id
    assert _found(db, "秀") == [first, second] and _found(db, "19700303") == [first]
    with db.transaction() as s:
        s.execute(update(Person).where(Person.id == first).values(name="王英", id_number=make_id("19990909", "241")))
    assert _found(db, "秀") == [second] and _found(db, "王英") == [first]
    assert _found(db, "19700303") == [] and _found(db, "19990909") == [first]
    with db.transaction() as s:  # the list shows those 在册 only, the search box everyone
        s.execute(update(Person).where(Person.id == first).values(status="死亡"))
    assert _found(db, "王英") == [first] and list(list_ids(db, PersonFilter(text="王英", status="在册"))) == []
    with contextlib.closing(sqlite3.connect(db.path)) as raw, raw:  # persons are never deleted but by hand
        raw.execute("delete from person where id = ?", (second,))
    assert _found(db, "秀") == [] and _indexed(db)[0] == 2
    with db.session() as s:
        assert s.scalar(select(Person.name).where(Person.id == first)) == "王英"
