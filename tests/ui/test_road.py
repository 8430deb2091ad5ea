"""The window's road to the data: reads and writes by name, one signal of what changed, retries, errors
told in one place, long work never on the GUI thread."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from app.db.engine import Database
from app.errors import InputError
from app.services.actions import Changes, action, job, long_query, query
from app.services.settings import get_setting, set_setting
from ui.road import ATTEMPTS, LongWorkOnGuiThread, Road
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


class _ServerRefusal(Exception):
    """What psycopg raises for PostgreSQL's refusals: the code in sqlstate (psycopg 3) or pgcode (psycopg2)."""

    def __init__(self, **code: str) -> None:
        super().__init__("could not serialize access due to concurrent update")
        for name, value in code.items():
            setattr(self, name, value)


@pytest.mark.parametrize("held_up", [
    OperationalError("UPDATE", {}, _ServerRefusal(sqlstate="40001")),  # serialization failure
    OperationalError("UPDATE", {}, _ServerRefusal(pgcode="40P01")),  # deadlock detected
    OperationalError("BEGIN IMMEDIATE", {}, sqlite3.OperationalError("database is locked")),
    StaleDataError("UPDATE statement on table 'person' expected to update 1 row(s); 0 were matched."),
], ids=["serialization", "deadlock", "sqlite-busy", "row-saved-meanwhile"])
def test_work_held_up_by_another_clerk_is_tried_again_reads_too(road: Road, held_up: Exception) -> None:
    held: list[int] = []

    @action(Changes.SETTINGS)
    def save(session: Session) -> str:
        held.append(1)
        if len(held) < 3:
            raise held_up
        set_setting(session, "unit.town", "金塔镇")
        return "saved"

    @query
    def look(session: Session) -> str:
        held.append(1)
        if len(held) < 5:
            raise held_up
        return get_setting(session, "unit.town")

    assert road.write(save) == "saved" and len(held) == 3
    assert road.read(look) == "金塔镇" and len(held) == 5


def test_held_up_through_every_try_is_told_in_one_sentence_without_a_traceback(
        road: Road, told: list[str], parent: Any, caplog: pytest.LogCaptureFixture) -> None:
    calls: list[int] = []

    @action(Changes.SETTINGS)
    def always_busy(session: Session) -> None:
        calls.append(1)
        set_setting(session, "unit.town", "金塔镇")
        raise OperationalError("UPDATE", {}, sqlite3.OperationalError("database is locked"))

    assert road.attempt(parent, "单位信息", always_busy) is None
    assert len(calls) == ATTEMPTS
    assert told == ["数据正被另一位工作人员保存，这次没有保存成功：请稍等片刻后再试一次。"]
    assert not [r for r in caplog.records if r.exc_info]  # logged as a note, not as a program error
    assert road.read(town) == ""  # every try rolled back whole


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
