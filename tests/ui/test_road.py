"""The window's road to the data: reads and writes by name, one signal of what changed, retries, errors
told in one place, long work never on the GUI thread."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from app.db.engine import Database
from app.errors import InputError
from app.services.actions import Changes, action, job, long_query, query
from app.services.settings import get_setting, set_setting
from ui.road import LongWorkOnGuiThread, Road
from ui.tasks import wait_for_tasks

tries: list[int] = []


@action(Changes.SETTINGS)
def name_town(session: Session, town: str) -> str:
    set_setting(session, "unit.town", town)
    if not town:
        raise InputError("镇名不能为空：请填写镇名。")
    return town


@action(Changes.SETTINGS)
def busy_twice(session: Session) -> int:
    tries.append(1)
    if len(tries) < 3:
        raise OperationalError("UPDATE", {}, sqlite3.OperationalError("database is locked"))
    set_setting(session, "unit.town", "金塔镇")
    return len(tries)


@query
def town(session: Session) -> str:
    return get_setting(session, "unit.town")


@action(Changes.REGISTER, long=True)
def count_to(session: Session, n: int, *, progress: Any) -> int:
    for i in range(n):
        progress(i + 1, n)
    set_setting(session, "counted", str(n))
    return n


@pytest.fixture
def road(db: Database, qtbot: Any) -> Road:
    return Road(db)


def test_a_write_is_audited_as_the_clerk_and_says_what_changed(road: Road, db: Database, qtbot: Any) -> None:
    road.set_clerk("李红梅")
    with qtbot.waitSignal(road.changed) as signal:
        assert road.write(name_town, "金塔镇") == "金塔镇"
    assert signal.args == [Changes.SETTINGS]
    assert road.read(town) == "金塔镇"
    from sqlalchemy import select

    from app.db.models import AuditEntry

    with db.session() as s:
        assert s.scalars(select(AuditEntry.actor)).all() == ["李红梅"]


def test_a_clerk_without_a_name_is_audited_by_login(road: Road, db: Database) -> None:
    road.set_clerk("  ")
    assert road.clerk and road.clerk.strip() == road.clerk


def test_a_refusal_is_told_once_and_nothing_is_written(road: Road, told: list[str], parent: Any,
                                                       qtbot: Any) -> None:
    with qtbot.assertNotEmitted(road.changed):
        assert road.attempt(parent, "单位信息", name_town, "") is None
    assert told == ["镇名不能为空：请填写镇名。"]
    assert road.read(town) == ""


def test_a_write_held_up_by_another_writer_is_tried_again(road: Road) -> None:
    tries.clear()
    assert road.write(busy_twice) == 3
    assert road.read(town) == "金塔镇"


def test_other_errors_are_not_tried_again(road: Road) -> None:
    calls: list[int] = []

    @action(Changes.SETTINGS)
    def broken(session: Session) -> None:
        calls.append(1)
        raise OperationalError("UPDATE", {}, sqlite3.OperationalError("disk I/O error"))

    with pytest.raises(OperationalError):
        road.write(broken)
    assert calls == [1]


def test_long_work_is_refused_on_the_gui_thread(road: Road) -> None:
    @long_query
    def everything(session: Session) -> int:
        return 0

    with pytest.raises(LongWorkOnGuiThread):
        road.write(count_to, 3)
    with pytest.raises(LongWorkOnGuiThread):
        road.read(everything)


def test_long_work_runs_off_the_gui_thread_with_progress_then_tells(road: Road, parent: Any, qtbot: Any) -> None:
    results: list[int] = []
    changes: list[Changes] = []
    road.changed.connect(changes.append)
    task = road.run(parent, "统计", count_to, 50, on_done=results.append)
    assert wait_for_tasks()
    assert task.finished and results == [50] and changes == [Changes.REGISTER]
    assert road.read(town) == ""


def test_a_job_gets_the_store(road: Road, parent: Any) -> None:
    @job(Changes.NOTHING)
    def where(db: Database) -> str:
        return db.path.name

    got: list[str] = []
    road.run(parent, "查看", where, on_done=got.append)
    assert wait_for_tasks() and got == ["canlian.db"]
