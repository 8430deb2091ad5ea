import os
import re
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.db.engine import open_database
from app.db.models import Person
from app.demo import fill_demo
from app.errors import DatabaseError, InputError
from app.services.backup.copies import BACKUP_PREFIX, backup_database, restore_database, sweep_partials
from tests.factories import add_person, make_id


def _persons(db_path: Path) -> int:
    with open_database(db_path) as db, db.session() as s:
        return s.scalar(select(func.count()).select_from(Person)) or 0


@pytest.fixture
def backup(db_path: Path, tmp_path: Path) -> Path:
    """A database of 20 demo persons and a backup of it on the "USB stick"."""
    with open_database(db_path) as db:
        with db.transaction() as s:
            fill_demo(s, persons=20, seed=5)
        return backup_database(db, tmp_path / "U盘")


def test_backup_is_complete_and_named_by_time(backup: Path, db_path: Path) -> None:
    assert re.fullmatch(r"canlian-备份-\d{8}-\d{6}\.db", backup.name)
    assert [p.name for p in backup.parent.iterdir()] == [backup.name]  # no half-written file left
    with sqlite3.connect(backup) as conn:
        assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"
        assert conn.execute("select count(*) from person").fetchone()[0] == _persons(db_path)


def test_restore_brings_the_backup_back_and_keeps_the_replaced_database(backup: Path, db_path: Path) -> None:
    before = _persons(db_path)
    with open_database(db_path) as db, db.transaction() as s:
        add_person(s, "新来的", id_number=make_id(seq="999"))
    kept = restore_database(db_path, backup)
    assert kept.parent == db_path.parent and kept.name.startswith("canlian.恢复前-")
    assert _persons(db_path) == before
    assert _persons(kept) == before + 1


def test_a_damaged_backup_is_refused_and_nothing_changes(backup: Path, db_path: Path) -> None:
    data = bytearray(backup.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)
    backup.write_bytes(bytes(data))
    current = db_path.read_bytes()
    with pytest.raises(InputError, match="损坏|不是残联工作台的备份"):
        restore_database(db_path, backup)
    assert db_path.read_bytes() == current
    assert not list(db_path.parent.glob("*恢复前*"))


def test_a_backup_from_a_newer_version_is_refused(backup: Path, db_path: Path) -> None:
    with sqlite3.connect(backup) as conn:
        conn.execute("update alembic_version set version_num = '9999_future'")
    conn.close()
    current = db_path.read_bytes()
    with pytest.raises(InputError, match="更新版本"):
        restore_database(db_path, backup)
    assert db_path.read_bytes() == current


def test_not_a_backup_and_missing_file(tmp_path: Path, db_path: Path) -> None:
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("create table x (a)")
    conn.close()
    with pytest.raises(InputError, match="不是残联工作台的备份"):
        restore_database(db_path, other)
    with pytest.raises(InputError, match="找不到备份文件"):
        restore_database(db_path, tmp_path / "nothing.db")


def test_restore_waits_for_the_window_to_close(backup: Path, db_path: Path) -> None:
    with open_database(db_path), pytest.raises(DatabaseError, match="正被另一个"):
        restore_database(db_path, backup)


def test_restore_onto_a_new_computer(backup: Path, db_path: Path, tmp_path: Path) -> None:
    fresh = tmp_path / "新电脑" / "canlian.db"
    assert restore_database(fresh, backup) == fresh
    assert _persons(fresh) == _persons(db_path) > 20  # those who died or moved out are kept too


def test_backup_to_a_place_that_cannot_be_a_folder(db_path: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with open_database(db_path) as db, pytest.raises(InputError, match="无法在"):
        backup_database(db, blocker)


def test_the_next_backup_sweeps_what_a_killed_one_left_on_the_stick(backup: Path, db_path: Path) -> None:
    stick = backup.parent
    # a backup killed mid-write leaves this, and nothing else would remove it
    left = stick / f"{backup.stem}-2.db.未完成"
    left.write_bytes(backup.read_bytes()[: len(backup.read_bytes()) // 2])
    mine = stick / "我的文件.未完成"
    mine.write_text("不是备份", encoding="utf-8")
    with open_database(db_path) as db:
        made = backup_database(db, stick)
    assert not left.exists() and mine.exists()
    assert sorted(p.name for p in stick.iterdir()) == sorted([backup.name, made.name, mine.name])


@pytest.mark.skipif(os.name == "nt", reason="Windows cannot remove a file held open: nothing to test")
def test_a_backup_being_written_by_another_program_is_not_swept(backup: Path, db_path: Path) -> None:
    import fcntl

    stick = backup.parent
    busy = stick / f"{BACKUP_PREFIX}20260101-000000.db.未完成"
    with open(busy, "wb") as other:  # another program, backing up into the same folder right now
        fcntl.flock(other.fileno(), fcntl.LOCK_EX)
        with open_database(db_path) as db:
            backup_database(db, stick)
        assert busy.exists()
    assert sweep_partials(stick) == [busy]
