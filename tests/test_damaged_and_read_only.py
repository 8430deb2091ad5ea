"""Every entry into the program looks at the database file before using it: a damaged one is refused by
every command (nothing read from it, nothing written into it) with the newest good backup named; a file
of a newer version is refused with not a byte changed; a read-only one is read by the reading commands
and refused in one line by the others, leaving nothing beside it."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from app.cli import main
from app.db.engine import open_database
from app.db.lock import FileLock
from app.demo import fill_demo
from app.services.backup import automatic
from tests.factories import make_id
from tests.readonly import deny_writes, really_read_only

YEAR = dt.date.today().year - 1
ID = make_id("19700505", "246")


def _checkpointed(db_path: Path) -> None:
    with sqlite3.connect(db_path) as conn:
        conn.execute("pragma wal_checkpoint(truncate)")
    conn.close()


@pytest.fixture
def town(db_path: Path) -> Path:
    with open_database(db_path) as db, db.transaction() as s:
        fill_demo(s, year=YEAR, persons=60, seed=7)
    _checkpointed(db_path)
    return db_path


def _corrupt_one_page_in_the_middle(path: Path) -> None:
    data = bytearray(path.read_bytes())
    pages = len(data) // 4096
    middle = pages // 2
    data[middle * 4096: middle * 4096 + 4096] = bytes((i * 37) % 251 for i in range(4096))
    path.write_bytes(bytes(data))


def _commands(town: Path, tmp_path: Path, roster: Path) -> dict[str, list[str]]:
    db = ["--db", str(town)]
    return {
        "summary": [*db, "summary", "--year", str(YEAR)],
        "find": [*db, "find", "张"],
        "export persons": [*db, "export", "persons", str(tmp_path / "名单.xlsx")],
        "status": [*db, "status", ID, "迁出", "--date", f"{YEAR}-12-01"],
        "import": [*db, "import", "persons", str(roster)],
        "export bundle": [*db, "export", "bundle", "--to", str(tmp_path / "U盘"), "--year", str(YEAR)],
        "backup": [*db, "backup", "--to", str(tmp_path / "U盘")],
        "report": [*db, "report", "registry", "--out", str(tmp_path / "花名册.pdf")],
    }


@pytest.fixture
def roster(tmp_path: Path) -> Path:
    from app.io.persons_export import export_persons

    other = tmp_path / "另一个.db"
    with open_database(other) as db, db.session() as s:
        return export_persons(s, tmp_path / "花名册.xlsx")


def test_a_damaged_database_is_refused_by_every_command_naming_the_newest_good_backup(
    town: Path, tmp_path: Path, roster: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with open_database(town) as db:
        good = automatic.make_backup(db)
    _corrupt_one_page_in_the_middle(town)
    damaged = town.read_bytes()
    for name, argv in _commands(town, tmp_path, roster).items():
        assert main(argv) == 2, name
        out = capsys.readouterr()
        assert out.out == "", name
        line = out.err.strip()
        assert "\n" not in line and "已损坏" in line and str(good) in line and "canlian" in line, name
        assert town.read_bytes() == damaged, name
    assert not (tmp_path / "名单.xlsx").exists() and not (tmp_path / "花名册.pdf").exists()
    assert not (tmp_path / "U盘").exists()


def test_restoring_the_named_backup_over_a_damaged_database(
    town: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with open_database(town) as db:
        good = automatic.make_backup(db)
    _corrupt_one_page_in_the_middle(town)
    assert main(["--db", str(town), "restore", str(good)]) == 0
    aside = Path(capsys.readouterr().out.strip())
    assert "损坏" in aside.name and aside.exists()
    assert main(["--db", str(town), "summary", "--year", str(YEAR), "--json"]) == 0


def test_after_an_unclean_exit_the_full_check_runs(town: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.db import sqlite_file

    checks: list[bool] = []
    real = sqlite_file.is_whole
    monkeypatch.setattr(sqlite_file, "is_whole", lambda p, *, full=False: checks.append(full) or real(p, full=full))
    open_database(town).close()
    killed = FileLock(town)
    killed.acquire()
    held, killed._handle = killed._handle, None
    assert held is not None
    held.close()  # the program was killed: the system let its lock go, its mark stayed
    open_database(town).close()
    open_database(town).close()
    assert checks == [False, True, False]


def test_a_refusal_after_an_unclean_exit_keeps_the_full_check_for_next_time(
    town: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.db import sqlite_file
    from app.errors import DamagedDatabase

    killed = FileLock(town)
    killed.acquire()
    held, killed._handle = killed._handle, None
    assert held is not None
    held.close()
    checks: list[bool] = []
    monkeypatch.setattr(sqlite_file, "is_whole", lambda _p, *, full=False: checks.append(full) or not full)
    for _ in range(2):  # damage only the full check finds (an index that disagrees with its table)
        with pytest.raises(DamagedDatabase):
            open_database(town)
    assert checks == [True, True]


def test_a_database_of_a_newer_version_is_not_changed_at_all(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    open_database(db_path).close()
    with sqlite3.connect(db_path) as conn:  # as a backup copied from a stick: not in WAL mode
        conn.execute("pragma journal_mode=delete")
        conn.execute("update alembic_version set version_num = '9999_future'")
    conn.close()
    before = db_path.read_bytes()
    beside = sorted(p.name for p in db_path.parent.iterdir())
    for argv in (["summary", "--year", str(YEAR)], ["init"], ["find", "张"]):
        assert main(["--db", str(db_path), *argv]) == 2
        assert "更新版本" in capsys.readouterr().err
    assert db_path.read_bytes() == before
    assert sorted(p.name for p in db_path.parent.iterdir()) == beside  # no -wal, -shm or lock file either


def _read_only_checks(town: Path, tmp_path: Path, roster: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = town.read_bytes()
    beside = sorted(p.name for p in town.parent.iterdir())
    commands = _commands(town, tmp_path, roster)
    for name in ("summary", "find", "export persons", "report", "backup", "export bundle"):
        assert main(commands[name]) == 0, (name, capsys.readouterr().err)
    assert main(commands["summary"][:-2] + ["--year", str(YEAR), "--json"]) == 0
    out = capsys.readouterr().out
    assert '"registered": ' in out
    for name in ("status", "import"):
        assert main(commands[name]) == 2, name
        line = capsys.readouterr().err.strip()
        assert "\n" not in line and "只读" in line, name
    assert main(["--db", str(town), "demo"]) == 2
    assert "只读" in capsys.readouterr().err
    assert town.read_bytes() == before
    assert sorted(p.name for p in town.parent.iterdir()) == beside  # no -wal, -shm or lock file left


def test_a_read_only_database_simulated(
    town: Path, tmp_path: Path, roster: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    stick = tmp_path / "写保护的U盘"
    stick.mkdir()
    town = town.rename(stick / town.name)
    deny_writes(monkeypatch, stick)
    work = tmp_path / "工作"
    work.mkdir()
    _read_only_checks(town, work, roster, capsys)


def test_a_really_read_only_database(
    town: Path, tmp_path: Path, roster: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "原来的"
    source.mkdir()
    town.rename(source / town.name)
    work = tmp_path / "工作"
    work.mkdir()
    with really_read_only(tmp_path / "写保护的U盘", source) as stick:
        _read_only_checks(stick / "canlian.db", work, roster, capsys)
