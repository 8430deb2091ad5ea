"""The command-line import and reports do not wait for SQLite's quick check of the register (a second for a
county's):
after a clean exit the check runs on a thread of its own while the roster is checked and written, and the
import commits only once the check has said the file is whole; a file that fails it keeps not a byte of the
import and is refused with the newest good backup named. After an unclean exit the full check still runs
first, before anything is read."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.cli import main
from app.db import sqlite_file
from app.db.engine import open_database
from app.db.lock import FileLock
from app.db.models import AuditEntry, Person
from app.demo import fill_demo
from app.services.backup import automatic
from tests.io import rough_roster

Check = tuple[bool, bool]  # (full, live) of each check


@pytest.fixture
def town(db_path: Path) -> Path:
    with open_database(db_path) as db, db.transaction() as s:
        fill_demo(s, persons=40, seed=3)
    return db_path


@pytest.fixture
def roster(tmp_path: Path) -> Path:
    return rough_roster.write(tmp_path / "花名册.xlsx", count=60)


def _counted(path: Path) -> tuple[int, int]:
    with open_database(path) as db, db.session() as s:
        return s.scalar(select(func.count()).select_from(Person)) or 0, s.scalar(
            select(func.count()).select_from(AuditEntry)) or 0


def _checks(monkeypatch: pytest.MonkeyPatch, answer: bool | None = None) -> list[Check]:
    """Record each check; answer, when given, is what the check meanwhile says (the real one otherwise)."""
    seen: list[Check] = []
    real = sqlite_file.is_whole

    def check(path: Path, *, full: bool = False, live: bool = False) -> bool:
        seen.append((full, live))
        return answer if answer is not None and live else real(path, full=full, live=live)

    monkeypatch.setattr(sqlite_file, "is_whole", check)
    return seen


def test_after_a_clean_exit_the_import_checks_meanwhile_and_commits(
        town: Path, roster: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    persons, _ = _counted(town)
    seen = _checks(monkeypatch)
    assert main(["--db", str(town), "import", "persons", str(roster)]) == 0
    assert "imported" in capsys.readouterr().out
    assert seen == [(False, True)]  # no check before the work: the quick one, on the live file, meanwhile
    assert _counted(town)[0] > persons


def test_a_file_failing_the_check_meanwhile_keeps_nothing_of_the_import(
        town: Path, roster: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    with open_database(town) as db:
        good = automatic.make_backup(db)
    before = _counted(town)
    with sqlite3.connect(town) as conn:
        conn.execute("pragma wal_checkpoint(truncate)")
    conn.close()
    kept = town.read_bytes()
    seen = _checks(monkeypatch, answer=False)  # damage the import itself never reads
    assert main(["--db", str(town), "import", "persons", str(roster)]) == 2
    out = capsys.readouterr()
    assert out.out == ""
    line = out.err.strip()
    assert "\n" not in line and "已损坏" in line and str(good) in line, line
    assert seen == [(False, True)]
    assert town.read_bytes() == kept
    monkeypatch.undo()
    assert _counted(town) == before


def test_after_an_unclean_exit_the_import_runs_the_full_check_first(
        town: Path, roster: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    killed = FileLock(town)
    killed.acquire()
    held, killed._handle = killed._handle, None
    assert held is not None
    held.close()  # the program was killed: the system let its lock go, its mark stayed
    seen = _checks(monkeypatch)
    assert main(["--db", str(town), "import", "persons", str(roster)]) == 0
    assert seen[0] == (True, False)  # the full check, before the work
    capsys.readouterr()
    monkeypatch.setattr(sqlite_file, "is_whole", lambda _p, *, full=False, live=False: not full)
    killed.acquire()
    held, killed._handle = killed._handle, None
    assert held is not None
    held.close()
    before = _counted_raw(town)
    assert main(["--db", str(town), "import", "persons", str(roster)]) == 2  # damage only the full check finds
    assert "已损坏" in capsys.readouterr().err
    assert _counted_raw(town) == before


def _counted_raw(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        count = int(conn.execute("select count(*) from person").fetchone()[0])
    conn.close()
    return count


def test_a_report_checks_meanwhile_and_is_not_handed_out_from_a_file_that_fails(
        town: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """A report only reads: it is written while the quick check runs (a second of a county's ten), and a
    file that fails the check has its report deleted and the backup to restore named, as an import does."""
    out = tmp_path / "花名册.pdf"
    seen = _checks(monkeypatch)
    assert main(["--db", str(town), "report", "registry", "--out", str(out)]) == 0
    assert capsys.readouterr().out.strip() == str(out) and out.stat().st_size > 0
    assert seen == [(False, True)]  # no check before the work: the quick one, meanwhile
    out.unlink()
    _checks(monkeypatch, answer=False)
    assert main(["--db", str(town), "report", "registry", "--out", str(out)]) == 2
    said = capsys.readouterr()
    assert said.out == "" and "损坏" in said.err and not out.exists()
