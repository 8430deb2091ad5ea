"""Revision 0011_towns on a town's file: its villages take the town of its 单位信息 (so that a move to the
county's server keeps it), the audit and the clerk table are there and change nothing; a new village takes
the town its register's villages are in; a file without 单位信息's town leaves the town empty."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import select, text

from app.db.engine import alembic_config, make_engine, open_database
from app.db.models import Clerk, Village
from app.services.register.villages import village_named


def _register_of_0007(db_path: Path, *statements: str) -> None:
    engine = make_engine(db_path)
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0007")
        for statement in statements:
            conn.execute(text(statement))
    engine.dispose()


def test_a_towns_villages_take_the_town_of_its_unit_information(db_path: Path) -> None:
    _register_of_0007(db_path, "insert into setting (key, value) values ('unit.town', ' 金塔镇 ')",
                      "insert into village (name, sort_order) values ('金塔村', 1), ('红山村', 2)")
    with open_database(db_path) as db:
        with db.session() as s:
            assert list(s.execute(select(Village.name, Village.town).order_by(Village.id))) == [
                ("金塔村", "金塔镇"), ("红山村", "金塔镇")]
            assert s.scalars(select(Clerk)).all() == []
        with db.transaction() as s:
            assert village_named(s, "新建村").town == "金塔镇"


def test_without_the_unit_informations_town_the_town_stays_empty(db_path: Path) -> None:
    _register_of_0007(db_path, "insert into village (name, sort_order) values ('金塔村', 1)")
    with open_database(db_path) as db, db.transaction() as s:
        assert s.scalar(select(Village.town)) is None
        assert village_named(s, "新建村").town is None


def test_a_new_registers_first_village_takes_the_unit_informations_town(db_path: Path) -> None:
    with open_database(db_path) as db, db.transaction() as s:
        s.execute(text("insert into setting (key, value) values ('unit.town', '东坝镇')"))
        assert village_named(s, "东坝村").town == "东坝镇"
