"""载入演示乡镇 as the window and `canlian demo` run it (load_demo), and the person the screenshots show."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from app.db.engine import Database, open_database
from app.db.models import AuditEntry, Person
from app.demo import load_demo, sample_person
from app.errors import DatabaseError, InputError
from tests.factories import add_person

LAST_YEAR = dt.date.today().year - 1


def test_the_town_is_audited_as_demo_data_and_the_planner_knows_its_size(db: Database) -> None:
    db.actor = "王芳"
    counts = load_demo(db, year=LAST_YEAR, persons=60, seed=5)
    assert counts.registered == 60
    with db.session() as s:
        assert set(s.scalars(select(AuditEntry.actor).distinct())) == {"演示数据"}
        assert s.scalar(select(func.count()).select_from(Person)) >= 60
    with sqlite3.connect(db.path) as conn:
        assert conn.execute("select count(*) from sqlite_stat1 where tbl = 'person'").fetchone()[0] > 0


def test_a_register_with_persons_is_refused_and_left_as_it_was(db: Database) -> None:
    with db.transaction() as s:
        add_person(s, "张三")
    with pytest.raises(InputError, match="已有数据"):
        load_demo(db, year=LAST_YEAR, persons=20)
    with db.session() as s:
        assert s.scalars(select(Person.name)).all() == ["张三"]


def test_the_person_shown_lives_in_a_dibao_household_of_several(demo_db: Database, tmp_path: Path) -> None:
    shown = sample_person(demo_db)
    assert shown is not None
    with demo_db.session() as s:
        person = s.get(Person, shown)
        assert person is not None and person.status == "在册"
        assert person.household is not None and person.household.dibao and len(person.household.members) > 1
    with open_database(tmp_path / "空" / "canlian.db") as empty:
        assert sample_person(empty) is None  # an empty register has nobody to show


def test_a_demo_row_pointing_at_nothing_refuses_the_whole_town(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    # the demo's rows are checked once before the commit, not row by row: a broken one must still refuse it all
    import app.demo as demo

    def broken_step(town: demo.DemoTown) -> None:
        town.session.execute(text("insert into status_change (person_id, status, date, reason, recorded_at) "
                                  "values (999999, '在册', '2024-01-01', '新办残疾人证', '2024-01-01 09:30:00')"))

    monkeypatch.setattr(demo, "STEPS", [*demo.STEPS, broken_step])
    with pytest.raises(DatabaseError, match="数据关联不完整.*status_change"):
        load_demo(db, year=LAST_YEAR, persons=20)
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Person)) == 0
        assert s.scalar(text("select count(*) from status_change")) == 0
