"""A death recorded for someone holding a device that can come back (可收回) says so, in the status dialog
and from `canlian status`, so the clerk can ask the family for it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.cli import main
from app.db.engine import Database
from app.domain.words import Movement
from app.services.devices import issue, stock
from app.services.devices.catalogue import catalogue
from app.services.devices.history import person_history
from app.services.register.people import get_person
from tests.factories import add_person, make_id
from tests.ui.clerk import click, type_into
from ui.register.status_dialog import StatusDialog
from ui.road import Road

NOTE = "此人领用的普通轮椅（可收回）尚未归还，可联系家属收回。"
HOLDER_ID = make_id("19400101", "111")
LAST_WEEK = dt.date.today() - dt.timedelta(days=7)


@pytest.fixture
def persons(db: Database) -> dict[str, int]:
    """王一 holds a wheelchair (can come back) and crutches (do not); 赵二 returned his wheelchair."""
    with db.transaction() as s:
        types = {t.name: t.id for t in catalogue(s)}
        holder = add_person(s, "王一", id_number=HOLDER_ID, category="肢体", grade="二级").id
        returned = add_person(s, "赵二", id_number=make_id("19450101", "333"), category="肢体", grade="一级").id
        stock.receive.in_session(s, types["普通轮椅"], LAST_WEEK, 2, stock.COUNTY)
        stock.receive.in_session(s, types["拐杖"], LAST_WEEK, 1, stock.COUNTY)
        issue.issue.in_session(s, holder, [issue.IssueItem(types["普通轮椅"]), issue.IssueItem(types["拐杖"])],
                               LAST_WEEK)
        issue.issue.in_session(s, returned, [issue.IssueItem(types["普通轮椅"])], LAST_WEEK)
    with db.transaction() as s:
        chair = next(line for line in person_history.in_session(s, returned) if line.kind == Movement.ISSUED)
        issue.return_item.in_session(s, chair.id, LAST_WEEK, "完好")
    return {"holder": holder, "returned": returned}


def test_choosing_death_shows_the_device_to_take_back(qtbot: QtBot, db: Database, persons: dict[str, int]) -> None:
    dialog = StatusDialog(Road(db), persons["holder"])
    qtbot.addWidget(dialog)
    assert dialog.status_box.currentData() == "迁出" and dialog.take_back.isHidden()
    qtbot.keyClick(dialog.status_box, Qt.Key.Key_Down)
    assert dialog.status_box.currentData() == "死亡"
    assert dialog.take_back.text() == NOTE and not dialog.take_back.isHidden()
    type_into(qtbot, dialog, "reason", "bing gu")
    click(qtbot, dialog, "ok")
    with db.session() as s:
        assert get_person(s, persons["holder"]).status == "死亡"


def test_no_note_when_the_device_came_back(qtbot: QtBot, db: Database, persons: dict[str, int]) -> None:
    dialog = StatusDialog(Road(db), persons["returned"])
    qtbot.addWidget(dialog)
    qtbot.keyClick(dialog.status_box, Qt.Key.Key_Down)
    assert dialog.status_box.currentData() == "死亡" and dialog.take_back.isHidden()


def test_the_command_line_says_it_after_the_status_line(db: Database, db_path: Path, persons: dict[str, int],
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    db.close()
    today = dt.date.today().isoformat()
    assert main(["--db", str(db_path), "status", HOLDER_ID, "死亡", "--date", today]) == 0
    assert capsys.readouterr().out == f"王一\t死亡\t{today}\n{NOTE}\n"
    returned = make_id("19450101", "333")
    assert main(["--db", str(db_path), "status", returned, "死亡", "--date", today]) == 0
    assert capsys.readouterr().out == f"赵二\t死亡\t{today}\n"
