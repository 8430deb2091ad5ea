"""The window does not wait for SQLite's quick check (a second for a county's register): Road.open with
check_later opens the file and check_whole_later runs the check on a thread of its own, telling `damaged`
on the GUI thread. A damaged file is still refused by every other opening."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from app.db.engine import open_database
from app.demo import fill_demo
from app.errors import DamagedDatabase
from ui.road import Road


@pytest.fixture
def town(db_path: Path) -> Path:
    with open_database(db_path) as db, db.transaction() as s:
        fill_demo(s, persons=40, seed=3)
    with sqlite3.connect(db_path) as conn:
        conn.execute("pragma wal_checkpoint(truncate)")
    conn.close()
    return db_path


def _damage_the_audit_log(path: Path) -> None:
    """A page the window does not read as it opens (the audit log's first), overwritten."""
    with sqlite3.connect(path) as conn:
        root = conn.execute("select rootpage from sqlite_master where name = 'audit_log'").fetchone()[0]
        size = conn.execute("pragma page_size").fetchone()[0]
    conn.close()
    data = bytearray(path.read_bytes())
    data[(root - 1) * size:root * size] = bytes((i * 37) % 251 for i in range(size))
    path.write_bytes(bytes(data))


def test_a_whole_file_is_checked_meanwhile_and_nothing_is_told(town: Path, qtbot) -> None:
    road = Road.open(town, check_later=True)
    told: list[bool] = []
    road.damaged.connect(lambda: told.append(True))
    road.check_whole_later().join()
    qtbot.wait(50)  # the answer crosses to the GUI thread
    road.close()
    assert told == []


def test_a_damaged_file_opens_for_the_window_and_the_check_meanwhile_tells(town: Path, qtbot) -> None:
    _damage_the_audit_log(town)
    with pytest.raises(DamagedDatabase):
        open_database(town)  # every other opening checks first
    road = Road.open(town, check_later=True)
    with qtbot.waitSignal(road.damaged, timeout=20_000):
        road.check_whole_later()
    road.close()
