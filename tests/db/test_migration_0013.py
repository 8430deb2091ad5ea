"""Revision 0013 on a town's file: its villages, their persons and the search index come through the
rebuilt village table unchanged, and a village's name stays unique in the file whether the villages carry a
town or not (the county's server, where two towns may each have one, is tests/db/test_town_security.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.db.engine import alembic_config, make_engine, open_database
from app.db.models import Village
from app.services.register.search import search
from tests.factories import add_person


def _register_of_0012(db_path: Path, town: str | None) -> None:
    """A file at revision 0012 with two villages of the town given (or none) and a person in the second."""
    engine = make_engine(db_path)
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0012_name_characters")
        session = Session(bind=conn, info={"actor": "管理员"})
        session.add_all([Village(id=1, name="金塔村", sort_order=1, town=town),
                         Village(id=2, name="红山村", sort_order=2, town=town)])
        session.flush()
        add_person(session, "张小明", village="红山村")
        session.flush()
    engine.dispose()


@pytest.mark.parametrize("town", ["金塔镇", None])
def test_a_villages_name_stays_unique_in_a_towns_file(db_path: Path, town: str | None) -> None:
    _register_of_0012(db_path, town)
    with open_database(db_path) as db:
        with db.session() as s:
            assert list(s.execute(select(Village.id, Village.name, Village.town).order_by(Village.id))) == [
                (1, "金塔村", town), (2, "红山村", town)]
            assert [(row.name, row.village) for row in search(s, "小明")] == [("张小明", "红山村")]
        with pytest.raises(IntegrityError), db.transaction() as s:
            s.add(Village(name="金塔村", sort_order=3, town=town))
