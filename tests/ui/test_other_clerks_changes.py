"""Another clerk's changes (another program on the same register) reach this window by a quiet look every
few seconds: the register list reads again, keeping the clerk's selection; this window's own writes are
not told a second time."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from app.db.engine import Database, open_database
from app.services.actions import Changes
from app.services.devices import stock
from app.services.devices.catalogue import catalogue_types
from app.services.register import people
from app.services.settings import set_setting
from tests.factories import add_person, make_id
from ui.register.tab import RegisterTab
from ui.road import Road
from ui.tasks import wait_for_tasks


def _names(tab: RegisterTab) -> list[str]:
    return [tab.model.data(tab.model.index(r, 0)) for r in range(tab.model.rowCount())]


def test_another_clerks_change_refreshes_the_list_and_keeps_the_selection(db: Database, db_path: Path,
                                                                          qtbot: Any) -> None:
    with db.transaction() as s:
        zhang = add_person(s, "张三").id
        li = add_person(s, "李四", id_number=make_id("19600101", "222")).id
    road = Road(db)
    tab = RegisterTab(road)
    qtbot.addWidget(tab)
    tab.show()
    qtbot.waitExposed(tab)
    road.watch(every_ms=50)
    tab.table.selectRow(tab.model.row_of(li))
    assert tab.selected_person_id() == li and "张三" in _names(tab)

    other = open_database(db_path, lock=False)
    try:
        other.actor = "王丽"
        form = people.person_form(other, zhang)
        people.save_form(other, zhang, {**form.fields, "name": "张山"}, version=form.version)
    finally:
        other.close()

    with qtbot.waitSignal(road.changed, timeout=3000) as told:
        pass
    assert told.args == [Changes.REGISTER]
    assert "张山" in _names(tab) and "张三" not in _names(tab)
    assert tab.selected_person_id() == li  # the clerk's selection stays where it was


def test_own_writes_are_not_told_twice_and_each_part_is_told_as_what_it_is(db: Database, db_path: Path,
                                                                            qtbot: Any) -> None:
    road = Road(db)
    road.watch(every_ms=60_000)  # looked at by hand here
    with db.transaction() as s:  # this window's own writes, through the road and beside it on the same store
        add_person(s, "张三")
    road.write(people.save_form, None, {"name": "李四", "id_number": make_id("19600101", "222"),
                                        "certificate_number": make_id("19600101", "222") + "41",
                                        "village": "红光村"})
    with qtbot.assertNotEmitted(road.changed):
        assert road.look_for_others() == Changes.NOTHING

    other = open_database(db_path, lock=False)
    try:
        chair = next(t.id for t in catalogue_types(other) if t.name == "普通轮椅")
        stock.receive(other, chair, dt.date(2025, 3, 10), 1, stock.COUNTY, serials=["A1"])
        assert road.look_for_others() == Changes.DEVICES
        assert road.look_for_others() == Changes.NOTHING  # told once
        with other.transaction() as s:
            set_setting(s, "unit.town", "金塔镇")
        road.write(people.save_form, None, {"name": "王五", "id_number": make_id("19700101", "333"),
                                            "certificate_number": make_id("19700101", "333") + "41",
                                            "village": "红光村"})
        # another clerk's setting and this window's new person since the last look: told, with both parts
        assert road.look_for_others() == Changes.SETTINGS | Changes.REGISTER
    finally:
        other.close()


def test_the_file_opened_again_after_a_restore_is_watched_again(db_path: Path, parent: Any) -> None:
    road = Road.open(db_path)  # the window's road watches from the start
    try:
        assert road.is_watching()
        done: list[str] = []
        road.run_closed(parent, "恢复备份", lambda path: path.name, on_done=done.append)
        assert not road.is_watching()  # nothing is looked at while the file is closed
        assert wait_for_tasks()
        assert done == ["canlian.db"] and road.is_watching()
    finally:
        road.close()
