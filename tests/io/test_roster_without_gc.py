"""Reading, previewing and importing a roster pause Python's automatic collection for the work (it walked
every row made so far hundreds of times over a county's roster) and give it back as it was: on where it
was on (the command line), off where it was off (the window collects on its own timer)."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from app.db.engine import Database
from app.io import roster_check, roster_import, workbook
from tests.io import rough_roster


def _record_during(monkeypatch: pytest.MonkeyPatch, module: object, name: str, seen: list[bool]) -> None:
    real = getattr(module, name)

    def recorded(*args: object, **kwargs: object) -> object:
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, recorded)


def test_the_work_runs_without_automatic_collection_and_gives_it_back(
        collecting: None, db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[bool] = []
    _record_during(monkeypatch, workbook, "check_workbook", seen)
    _record_during(monkeypatch, roster_check, "check_person", seen)
    path = rough_roster.write(tmp_path / "花名册.xlsx", count=30)
    roster = roster_import.read_roster(path)
    assert gc.isenabled()
    roster_import.preview_import(db, roster, today=rough_roster.TODAY)
    assert gc.isenabled()
    result = roster_import.import_roster(db, roster, today=rough_roster.TODAY)
    assert gc.isenabled()
    assert result.count("imported") > 10
    assert seen and not any(seen)


def test_where_collection_was_off_it_stays_off(db: Database, tmp_path: Path) -> None:
    was = gc.isenabled()
    gc.disable()
    try:
        roster = roster_import.read_roster(rough_roster.write(tmp_path / "花名册.xlsx", count=10))
        roster_import.import_roster(db, roster, today=rough_roster.TODAY)
        assert not gc.isenabled()
    finally:
        if was:
            gc.enable()


def test_the_command_line_loads_its_modules_without_automatic_collection(tmp_path: Path) -> None:
    """`canlian import persons` loads SQLAlchemy, the models and the import's own modules with the automatic
    collection paused (it walked their hundreds of thousands of objects again and again), and collects as
    usual afterwards. In a process of its own: here those modules are loaded already."""
    import subprocess
    import sys

    path = rough_roster.write(tmp_path / "花名册.xlsx", count=10)
    spy = (
        "import gc, sys, importlib.abc\n"
        "seen = []\n"
        "class Spy(importlib.abc.MetaPathFinder):\n"
        "    def find_spec(self, name, path, target=None):\n"
        "        if name in ('sqlalchemy.orm', 'app.db.models', 'app.io.roster_import'):\n"
        "            seen.append(gc.isenabled())\n"
        "        return None\n"
        "sys.meta_path.insert(0, Spy())\n"
        "from app.cli import main\n"
        f"code = main(['--db', {str(tmp_path / 'canlian.db')!r}, 'import', 'persons', {str(path)!r}])\n"
        "print(code, seen, gc.isenabled())\n"
    )
    done = subprocess.run([sys.executable, "-c", spy], capture_output=True, text=True, timeout=120, check=True)
    assert done.stdout.splitlines()[-1] == "0 [False, False, False] True"
