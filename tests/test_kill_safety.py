"""A program killed during a backup, an export or a roster import (power cut, task manager) leaves the
database and the earlier good backups whole, and nothing with a final-looking name that is incomplete; an
import is all there or not at all. Real subprocesses,
killed with SIGKILL at several points of their work, on a register big enough to take a while."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from app import demo
from app.db.engine import open_database
from app.services.backup.bundle import PARTIAL, PREFIX, export_bundle, verify_bundle
from app.services.backup.copies import BACKUP_PREFIX, backup_database, check_backup
from tests.factories import make_id
from tests.io import hostile

pytestmark = [pytest.mark.slow, pytest.mark.skipif(os.name == "nt", reason="SIGKILL is POSIX")]
YEAR = dt.date.today().year - 1
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path, str]]:
    """A 20,000-person register (the register only: size is what matters here) and a good backup of it."""
    folder = tmp_path_factory.mktemp("kill")
    db_path = folder / "canlian.db"
    steps = demo.STEPS
    demo.STEPS = steps[:1]
    try:
        with open_database(db_path) as db:
            with db.transaction() as s:
                demo.fill_demo(s, year=YEAR, persons=20000, seed=9)
            good = backup_database(db, folder / "以前的备份")
    finally:
        demo.STEPS = steps
    yield db_path, good, _digest(good)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _run_and_kill(args: list[str], when: Callable[[], bool], timeout: float = 20.0) -> None:
    """Start `python -m app ARGS`, wait until `when()` is true (or the program ended), then SIGKILL it."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CANLIAN_BUNDLE_PASSWORD": "kill-test-2026"}
    child = subprocess.Popen([sys.executable, "-m", "app", *args], cwd=ROOT, env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + timeout
    try:
        while child.poll() is None and not when() and time.monotonic() < deadline:
            time.sleep(0.002)
    finally:  # killed and waited for whatever happened here: a program left running holds the file's lock
        if child.poll() is None:
            child.send_signal(signal.SIGKILL)
        child.wait()


def _database_whole(db_path: Path) -> None:
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"
        assert conn.execute("select count(*) from person").fetchone()[0] > 20000
    conn.close()
    open_database(db_path).close()  # opens: the lock went with the killed process


def _after(seconds: float) -> Callable[[], bool]:
    start = time.monotonic()
    return lambda: time.monotonic() - start >= seconds


def _exists(folder: Path, pattern: str) -> Callable[[], bool]:
    def found() -> bool:
        try:
            return any(folder.glob(pattern))
        except FileNotFoundError:  # a temporary folder the pattern looks into went away while being listed
            return False

    return found


def test_kill_during_backup(big: tuple[Path, Path, str], tmp_path: Path) -> None:
    db_path, good, digest = big
    usb = tmp_path / "U盘"
    usb.mkdir()
    for when in (_exists(usb, "*.未完成"), _after(0.6), _after(0.9)):
        _run_and_kill(["--db", str(db_path), "backup", "--to", str(usb)], when)
        _database_whole(db_path)
        assert _digest(good) == digest
        for final in usb.glob(f"{BACKUP_PREFIX}*.db"):
            check_backup(final)  # a file with a final name is a whole, restorable backup
    with open_database(db_path) as db:
        made = backup_database(db, usb)  # the next backup to the same place sweeps what the kills left
    assert not list(usb.glob("*.未完成")) and check_backup(made)


def test_kill_during_export(big: tuple[Path, Path, str], tmp_path: Path) -> None:
    db_path, good, digest = big
    usb = tmp_path / "U盘"
    usb.mkdir()
    partial = f".{PREFIX}-*{PARTIAL}"
    points = (
        _exists(usb, partial),  # the temporary folder was just made
        _exists(db_path.parent, f".导出临时-*/{BACKUP_PREFIX}*.未完成"),  # the database is being copied, off the stick
        _exists(usb, f"{partial}/数据库副本（加密）-*.zip"),  # the copy is being encrypted onto the stick
        _exists(usb, f"{partial}/*年度工作统计.pdf"),  # the yearly summary is being written as a workbook
        _exists(usb, f"{partial}/*.xlsx"),  # the register is being printed
    )
    for when in points:
        _run_and_kill(["--db", str(db_path), "export", "bundle", "--to", str(usb), "--year", str(YEAR),
                       "--with-database"], when)
        _database_whole(db_path)
        assert _digest(good) == digest
        for folder in usb.iterdir():
            if not folder.name.endswith(PARTIAL):
                assert verify_bundle(folder) == [], folder.name  # a final name is a complete export
    left = [p.name for p in usb.iterdir()]
    assert left and all(name.endswith(PARTIAL) for name in left)  # cut off every time: only a temporary folder
    with open_database(db_path) as db:
        done = export_bundle(db, usb, YEAR, database_password="kill-test-2026")
    assert [p.name for p in usb.iterdir()] == [done.name] and verify_bundle(done) == []
    assert not list(db_path.parent.glob(".导出临时-*"))  # no plain copy left beside the database either


def _persons(db_path: Path) -> int:
    with sqlite3.connect(db_path) as conn:
        count: int = conn.execute("select count(*) from person").fetchone()[0]
    conn.close()
    return count


def _writing(db_path: Path, grown: int = 1) -> bool:
    """The import's transaction has written this many bytes to the write-ahead log (it has begun)."""
    wal = db_path.with_name(db_path.name + "-wal")
    return wal.exists() and wal.stat().st_size >= grown


def test_kill_during_import(big: tuple[Path, Path, str], tmp_path: Path) -> None:
    """Killed while checking or writing 6,000 new persons: the register holds all of them or none."""
    db_path, _good, _digest_of_good = big
    days = [dt.date(1950, 1, 1) + dt.timedelta(days=n) for n in range(2000)]
    rows = [(f"新{n}号".translate(str.maketrans("0123456789", "零一二三四五六七八九")),
             make_id(days[n % 2000].strftime("%Y%m%d"), f"{n // 2000:03d}", "620102"), "肢体", "二级", "金塔村")
            for n in range(6000)]
    roster = hostile.roster(tmp_path / "花名册.xlsx", rows)
    before = _persons(db_path)
    for when in (lambda: _writing(db_path), _after(2.0), _after(3.5), lambda: _writing(db_path, 2_000_000)):
        _run_and_kill(["--db", str(db_path), "import", "persons", str(roster)], when, timeout=60)
        _database_whole(db_path)
        assert _persons(db_path) in (before, before + 6000)
        if _persons(db_path) == before + 6000:
            break  # the machine was quicker than the kills: the import is whole
    _run_and_kill(["--db", str(db_path), "import", "persons", str(roster)], lambda: False, timeout=120)
    assert _persons(db_path) == before + 6000
