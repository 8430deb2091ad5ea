"""The register as the printed roster reads it: on SQLite through the driver (a county's 100,000 rows), on
PostgreSQL through SQLAlchemy; the SQLite branch must give every person exactly as the portable path does."""

from __future__ import annotations

import dataclasses
import datetime as dt

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.db.engine import Database
from app.db.models import Household, Person, Village
from app.services.register import roster
from app.services.register.roster import RosterPerson, roster_persons


def _portable(session: Session, **kwargs: object) -> list[RosterPerson]:
    statement = roster._statement(kwargs.get("village_id"), kwargs.get("person_ids"))  # type: ignore[arg-type]
    chosen = kwargs.get("person_ids")
    return [RosterPerson(*row) for row in session.execute(statement) if chosen is None or row[0] in chosen]


def test_the_roster_reads_every_person_as_the_portable_path_does(demo_db: Database, store: str) -> None:
    with demo_db.transaction("测试") as s:  # a 低保 household with no class, one with a class, a person without one
        households = s.scalars(select(Household.id).order_by(Household.id)).all()
        s.execute(update(Household).where(Household.id == households[0]).values(dibao=True, dibao_class=None))
        s.execute(update(Household).where(Household.id == households[1]).values(dibao=True, dibao_class=2))
    with demo_db.session() as s:
        village = s.scalars(select(Village.id).order_by(Village.id)).first()
        some = s.scalars(select(Person.id).order_by(Person.id).limit(40)).all()
        for kwargs in ({}, {"village_id": village}, {"person_ids": list(some)}, {"person_ids": list(range(1, 2000))}):
            ours = list(roster_persons(s, **kwargs))  # type: ignore[arg-type]
            theirs = _portable(s, **kwargs)
            assert ours == theirs, kwargs
            assert [[type(v) for v in dataclasses.astuple(p)] for p in ours] == \
                [[type(v) for v in dataclasses.astuple(p)] for p in theirs]
        everyone = list(roster_persons(s))
        assert len(everyone) > 300 and all(isinstance(p.birth_date, dt.date) for p in everyone)
        assert {p.dibao for p in everyone} >= {True, False}

