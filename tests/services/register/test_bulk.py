"""Registering many persons at once (app/services/register/bulk.py) fills SQLite's search index after the
insert instead of through its per-person trigger: the index then holds exactly what the trigger makes, the
trigger is back as it was, and a failure inside the block leaves trigger and index untouched."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from app.db.engine import Database
from app.db.models import Person
from app.io.roster_import import import_roster, read_roster
from app.services.register.bulk import search_index_once
from app.services.register.search import PersonFilter, list_ids
from tests.factories import add_person, make_id
from tests.io import rough_roster

Key = tuple[str, str, int, str, int, str]



@pytest.fixture
def store() -> str:
    return "sqlite"  # SQLite's search index and its insert trigger (PostgreSQL indexes the person rows)


def _triggers(session: Session) -> list[tuple[str, str]]:
    rows = session.execute(text("select name, sql from sqlite_master where type = 'trigger' order by name"))
    return [(str(name), str(sql)) for name, sql in rows]


def _keys_held(session: Session) -> set[Key]:
    rows = session.execute(text("select kind, key, listed, pinyin, person_id, name from person_search_key"))
    return {(str(k), str(key), int(listed), str(p), int(i), str(n)) for k, key, listed, p, i, n in rows}


def _keys_meant(session: Session) -> set[Key]:
    """What the index says of each person, worked out here: each character of the name and each start of
    the initials, with whether the person is off the register, the pinyin and the name."""
    keys: set[Key] = set()
    for pid, name, initials, pinyin, status in session.execute(
            select(Person.id, Person.name, Person.initials, Person.pinyin, Person.status)):
        off = int(status != "在册")
        keys |= {("c", ch, off, pinyin, pid, name) for ch in name}
        keys |= {("i", initials[:n], off, pinyin, pid, name) for n in range(1, len(initials) + 1)}
    return keys


def _id_digits_whole(session: Session) -> None:
    """FTS5's own check that the ID trigram index holds exactly the person table's ID numbers."""
    session.execute(text("insert into person_id_digits (person_id_digits, rank) values ('integrity-check', 1)"))


def test_an_import_indexes_its_persons_as_the_trigger_does(db: Database, tmp_path: Path) -> None:
    with db.transaction() as session:
        rough_roster.register_on_file(session)
        before = _triggers(session)
        on_file = session.scalar(select(Person.id).order_by(Person.id.desc()).limit(1))
    result = import_roster(db, read_roster(rough_roster.write(tmp_path / "花名册.xlsx")), today=rough_roster.TODAY)
    assert result.count("imported") > 200
    with db.session() as session:
        assert _triggers(session) == before
        assert _keys_held(session) == _keys_meant(session)
        _id_digits_whole(session)
        newcomer = session.execute(select(Person.id, Person.name, Person.id_number)
                                   .where(Person.id > on_file).order_by(Person.id).limit(1)).one()
    assert newcomer.id in list_ids(db, PersonFilter(text=newcomer.name))
    assert newcomer.id in list_ids(db, PersonFilter(text=newcomer.id_number[6:14]))
    with db.transaction() as session:  # the trigger is back: a person saved afterwards is indexed by it
        later = add_person(session, "欧阳小燕", id_number=make_id("19920707", "468")).id
    assert list(list_ids(db, PersonFilter(text="燕"))) == [later]
    assert later in list_ids(db, PersonFilter(text="19920707"))
    with db.session() as session:
        assert _keys_held(session) == _keys_meant(session)
        _id_digits_whole(session)


def test_a_failure_inside_the_block_leaves_the_trigger_and_the_index(db: Database) -> None:
    with db.transaction() as session:
        add_person(session, "王秀英", id_number=make_id("19700303", "241"))
        before, keys = _triggers(session), _keys_held(session)
    with pytest.raises(RuntimeError), db.transaction() as session, search_index_once(session):
        add_person(session, "赵秀", id_number=make_id("19810404", "363"))
        raise RuntimeError("stopped halfway")
    with db.session() as session:
        assert _triggers(session) == before and _keys_held(session) == keys
        assert session.scalar(select(Person.name).where(Person.name == "赵秀")) is None
        _id_digits_whole(session)


def test_the_demo_town_is_indexed_as_the_trigger_does(demo_db: Database) -> None:
    with demo_db.session() as session:
        assert [name for name, _sql in _triggers(session)] == [
            "person_search_delete", "person_search_insert", "person_search_update"]
        assert _keys_held(session) == _keys_meant(session)
        _id_digits_whole(session)
