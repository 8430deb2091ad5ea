"""A write-protected stick or folder: `backup --to` and a report's `--out` say so in one line (exit 2),
leave nothing behind, and the database is as it was."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from app.cli import main
from app.db.engine import open_database
from tests.factories import add_person
from tests.readonly import deny_writes, really_read_only

COMMANDS = {
    "backup": ["backup", "--to"],
    "report pdf": ["report", "registry", "--out", "花名册.pdf"],
    "report xlsx": ["report", "registry", "--out", "花名册.xlsx"],
}


@pytest.fixture
def town(db_path: Path) -> Path:
    with open_database(db_path) as db, db.transaction() as s:
        add_person(s)
    return db_path


def _argv(town: Path, name: str, stick: Path) -> list[str]:
    args = COMMANDS[name]
    if name == "backup":
        return ["--db", str(town), *args, str(stick)]
    return ["--db", str(town), *args[:-1], str(stick / args[-1])]


@pytest.mark.parametrize("code", [errno.EROFS, errno.EACCES])
@pytest.mark.parametrize("name", list(COMMANDS))
def test_write_protected_stick_is_said_in_one_line(
    name: str, code: int, town: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    stick = tmp_path / "U盘"
    stick.mkdir()
    before = town.read_bytes()
    deny_writes(monkeypatch, stick, code)
    assert main(_argv(town, name, stick)) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "写保护" in err and str(stick) in err
    monkeypatch.undo()
    assert list(stick.iterdir()) == []
    assert town.read_bytes() == before


@pytest.mark.parametrize("name", list(COMMANDS))
def test_a_really_read_only_folder(
    name: str, town: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with really_read_only(tmp_path / "U盘") as stick:
        assert main(_argv(town, name, stick)) == 2
        err = capsys.readouterr().err.strip()
        assert "\n" not in err and "写保护" in err
        assert list(stick.iterdir()) == []
