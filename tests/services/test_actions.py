"""The clerk's actions: one transaction each, audited as the store's clerk, marked with what they change."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.engine import Database
from app.db.models import AuditEntry, Setting
from app.services.actions import Changes, action, job, query
from app.services.settings import get_setting, set_setting


@action(Changes.SETTINGS)
def _name_town(session: Session, town: str, *, fail: bool = False) -> str:
    set_setting(session, "unit.town", town)
    if fail:
        raise ValueError("refused after the write")
    return town


@query
def _town(session: Session) -> str:
    return get_setting(session, "unit.town")


@job(Changes.REGISTER, long=True)
def _path_of(db: Database, suffix: str) -> str:
    return f"{db.where.rsplit('/', 1)[-1]}{suffix}"


def test_an_action_is_one_transaction_audited_as_the_stores_clerk(db: Database) -> None:
    db.actor = "李红梅"
    assert _name_town(db, "金塔镇") == "金塔镇"
    with pytest.raises(ValueError):
        _name_town(db, "鼎新镇", fail=True)
    assert _town(db) == "金塔镇"  # the refused action left nothing
    with db.session() as s:
        actors = s.scalars(select(AuditEntry.actor).where(AuditEntry.entity == "setting")).all()
    assert actors == ["李红梅"]


def test_inside_another_transaction_the_same_work_runs_in_that_session(db: Database) -> None:
    with db.transaction("演示数据") as s:
        _name_town.in_session(s, "金塔镇")
        assert s.scalar(select(Setting.value).where(Setting.key == "unit.town")) == "金塔镇"
    assert _town(db) == "金塔镇"


def test_each_kind_says_what_it_changes_and_whether_it_is_long(db: Database, store: str) -> None:
    assert (_name_town.changes, _name_town.long) == (Changes.SETTINGS, False)
    assert (_town.changes, _town.long) == (Changes.NOTHING, False)
    assert (_path_of.changes, _path_of.long) == (Changes.REGISTER, True)
    assert _path_of(db, "!") == ("canlian.db!" if store == "sqlite" else f"{db.where.rsplit('/', 1)[-1]}!")
    with pytest.raises(ValueError, match="changes something"):
        action(Changes.NOTHING)


def test_a_read_writes_nothing(db: Database) -> None:
    @query
    def sneaky(session: Session) -> None:
        session.add(Setting(key="x", value="y"))
        session.flush()

    with pytest.raises(RuntimeError, match="writes nothing"):
        sneaky(db)
    assert _town(db) == "" and db.session().get(Setting, "x") is None


def test_a_write_outside_a_named_transaction_is_refused(db: Database) -> None:
    """Every audit row says who: a session made by hand has nobody to name."""
    with db.session() as s, pytest.raises(RuntimeError, match="who made it"):
        s.add(Setting(key="x", value="y"))
        s.flush()
