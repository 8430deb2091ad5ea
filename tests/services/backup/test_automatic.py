import datetime as dt
import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.db.engine import Database, open_database
from app.db.models import Person
from app.services.backup import automatic
from app.services.backup.automatic import AutoBackup, backup_folder, list_backups, to_keep
from app.services.backup.copies import BACKUP_PREFIX
from tests.factories import add_person, make_id


@pytest.fixture
def store() -> str:
    return "sqlite"  # copies of the file kept beside it: a server is backed up by pg_dump


def _fake(folder: Path, when: dt.datetime) -> AutoBackup:
    path = folder / f"{BACKUP_PREFIX}{when:%Y%m%d-%H%M%S}.db"
    return AutoBackup(path, when, 0)


def test_keeps_the_last_thirty_and_one_a_month_for_a_year(tmp_path: Path) -> None:
    start = dt.datetime(2026, 11, 29, 17, 0)
    daily = [_fake(tmp_path, start - dt.timedelta(days=d)) for d in range(500)]  # newest first
    keep = to_keep(daily)
    assert {b.path for b in daily[:30]} <= keep
    older = [b for b in daily[30:] if b.path in keep]
    months = [(b.made.year, b.made.month) for b in older]
    assert len(months) == len(set(months))  # one a month
    assert all((b.made + dt.timedelta(days=1)).day == 1 for b in older)  # the newest of its month
    kept_months = {(b.made.year, b.made.month) for b in daily if b.path in keep}
    assert len(kept_months) == 12 and (2025, 12) in kept_months and (2025, 11) not in kept_months
    assert len(keep) == 30 + len(older) and len(older) == 10  # Oct 2026 back to Dec 2025, Nov/Oct in the 30


def test_close_backs_up_only_when_something_changed(db: Database) -> None:
    with db.transaction() as s:
        add_person(s)
    first = automatic.backup_at_close(db)
    assert first is not None and first.parent == backup_folder(db.path) == db.path.parent / "自动备份"
    assert automatic.backup_at_close(db) is None  # nothing new since
    with db.transaction() as s:
        add_person(s, "李四", id_number=make_id(seq="456"))
    second = automatic.backup_at_close(db)
    assert second is not None and second != first
    assert [b.path for b in list_backups(db.path)] == [second, first]
    with sqlite3.connect(second) as conn:
        assert conn.execute("select count(*) from person").fetchone()[0] == 2
    conn.close()


def test_once_a_day_while_running(db: Database) -> None:
    made = automatic.backup_if_due(db)
    assert made is not None
    last = automatic.last_backup_time(db.path)
    assert last is not None and abs(last - dt.datetime.now()) < dt.timedelta(minutes=1)
    assert automatic.backup_if_due(db, now=last + dt.timedelta(hours=23)) is None
    assert automatic.backup_if_due(db, now=last + dt.timedelta(hours=25)) is not None


def _backups_at(db: Database, times: list[dt.datetime]) -> list[Path]:
    """Backups of this register named as if made at those times (copies of one real backup)."""
    real = automatic.make_backup(db)
    made = []
    for when in times:
        path = real.with_name(f"{BACKUP_PREFIX}{when:%Y%m%d-%H%M%S}.db")
        shutil.copyfile(real, path)
        made.append(path)
    real.unlink()
    return made


def test_rotation_removes_old_and_half_written_files_only(db: Database) -> None:
    folder = backup_folder(db.path)
    _backups_at(db, [dt.datetime(2026, 10, 1) + dt.timedelta(days=day) for day in range(40)])
    half = folder / f"{BACKUP_PREFIX}20261129-120000.db.未完成"
    half.write_bytes(b"half")
    mine = folder / "我的笔记.txt"
    mine.write_text("留着", encoding="utf-8")
    removed = automatic.rotate(db.path)
    assert half in removed and half.exists() is False and mine.exists()
    left = list_backups(db.path)
    assert len(left) == 30  # October's and November's newest are among the last 30
    assert left[-1].made == dt.datetime(2026, 10, 11)


def _persons_in(file: Path) -> int:
    with sqlite3.connect(file) as conn:
        count = int(conn.execute("select count(*) from person").fetchone()[0])
    conn.close()
    return count


def _damage(path: Path) -> None:
    data = bytearray(path.read_bytes())
    for page in range(2, len(data) // 4096):
        data[page * 4096 + 8: page * 4096 + 600] = b"\x17" * 592
    path.write_bytes(bytes(data))


def test_a_damaged_database_is_found_and_replaced_by_the_newest_good_backup(db_path: Path) -> None:
    from app.demo import fill_demo

    with open_database(db_path) as db:
        with db.transaction() as s:
            fill_demo(s, persons=40, seed=2)
        good = automatic.make_backup(db)
        with db.transaction() as s:
            add_person(s, "新来的", id_number=make_id(seq="999"))
        with db.engine.connect() as conn:
            conn.exec_driver_sql("pragma wal_checkpoint(truncate)")
    assert not automatic.database_damaged(db_path)
    broken_backup = good.with_name(f"{BACKUP_PREFIX}29990101-000000.db")  # newer, but damaged
    broken_backup.write_bytes(good.read_bytes())
    _damage(broken_backup)
    _damage(db_path)
    assert automatic.database_damaged(db_path)
    newest = automatic.newest_good_backup(db_path)
    assert newest is not None and newest.path == good
    aside = automatic.restore_damaged(db_path, newest.path)
    assert aside.exists() and "损坏" in aside.name
    assert not automatic.database_damaged(db_path)
    with open_database(db_path) as db, db.session() as s:
        assert s.scalar(select(func.count()).select_from(Person)) == _persons_in(good)
        assert s.scalar(select(func.count()).where(Person.name == "新来的")) == 0


def test_no_database_yet_and_not_a_database_are_not_damaged(tmp_path: Path) -> None:
    assert not automatic.database_damaged(tmp_path / "none.db")
    text = tmp_path / "notes.db"
    text.write_text("不是数据库", encoding="utf-8")
    assert not automatic.database_damaged(text)
    assert automatic.newest_good_backup(tmp_path / "none.db") is None


@pytest.mark.parametrize("hours", [0, 30])
def test_status_time_is_the_newest_backup(db: Database, hours: int) -> None:
    when = dt.datetime(2026, 11, 1, 8, 0) + dt.timedelta(hours=hours)
    _backups_at(db, [when, dt.datetime(2025, 1, 1)])
    assert automatic.last_backup_time(db.path) == when


def test_each_register_sees_and_keeps_only_its_own_backups(tmp_path: Path) -> None:
    """Two databases in one folder share 自动备份: neither shows, offers or rotates away the other's."""
    with open_database(tmp_path / "canlian.db") as ours, open_database(tmp_path / "练习.db") as theirs:
        with ours.transaction() as s:
            add_person(s)
        assert ours.identity and theirs.identity and ours.identity != theirs.identity
        their_backups = _backups_at(theirs, [dt.datetime(2020, 1, d) for d in (1, 2, 3)])
        assert automatic.last_backup_time(ours.path) is None  # a new database shows no 上次备份 of another's
        assert automatic.backup_if_due(ours) is not None  # and so backs itself up
        _backups_at(ours, [dt.datetime(2026, 1, 1) + dt.timedelta(days=d) for d in range(40)])
        assert len(automatic.rotate(ours.path)) == 11
        ours_listed = list_backups(ours.path)
        assert len(ours_listed) == 30 and not set(their_backups) & {b.path for b in ours_listed}
        assert all(path.exists() for path in their_backups)  # keeping the last 30 deleted none of theirs
        assert [b.path for b in list_backups(theirs.path)] == their_backups[::-1]
        assert automatic.newest_good_backup(theirs.path).path == their_backups[-1]


def test_a_register_is_known_by_its_identity_not_its_file_name(tmp_path: Path) -> None:
    with open_database(tmp_path / "canlian.db") as first:
        mine = automatic.make_backup(first)
    (tmp_path / "canlian.db").unlink()
    with open_database(tmp_path / "canlian.db") as newcomer:  # a new register under the same name
        assert list_backups(newcomer.path) == [] and automatic.last_backup_time(newcomer.path) is None
        automatic.make_backup(newcomer)
    assert mine.exists() and [b.path for b in list_backups(tmp_path / "canlian.db")] != [mine]


def test_what_a_backup_holds(db: Database) -> None:
    from app.services.backup.facts import backup_facts
    from app.services.settings import UnitInfo, save_unit_info

    with db.transaction() as s:
        add_person(s)
        add_person(s, "李四", id_number=make_id(seq="456"))
        save_unit_info(s, UnitInfo(town="金塔镇"))
    facts = backup_facts(automatic.make_backup(db))
    assert (facts.registered, facts.unit, facts.identity) == (2, "金塔镇残疾人联合会", db.identity)
    assert facts.line() == f"备份时间 {facts.made:%Y-%m-%d %H:%M}，在册 2 人，单位 金塔镇残疾人联合会"
    assert abs(facts.made - dt.datetime.now()) < dt.timedelta(minutes=1)


def test_restoring_another_registers_backup_needs_saying_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from app.cli import main
    from app.services.backup.copies import restore_database
    from app.services.backup.facts import AnotherRegister

    with open_database(tmp_path / "别处" / "canlian.db") as other:
        with other.transaction() as s:
            add_person(s, "王五")
        theirs = automatic.make_backup(other)
    ours = tmp_path / "canlian.db"
    open_database(ours).close()
    before = ours.read_bytes()
    with pytest.raises(AnotherRegister, match="属于另一个登记册.*在册 1 人"):
        restore_database(ours, theirs)
    assert main(["--db", str(ours), "restore", str(theirs)]) == 2
    assert "--another-register" in capsys.readouterr().err
    assert ours.read_bytes() == before and not list(tmp_path.glob("*恢复前*"))
    assert main(["--db", str(ours), "restore", str(theirs), "--another-register"]) == 0
    with open_database(ours) as db, db.session() as s:
        assert s.scalar(select(func.count()).select_from(Person)) == 1
