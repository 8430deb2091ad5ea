"""Shared fixtures. Qt runs offscreen: set here, once, before anything imports Qt."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import datetime as dt  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from app.db.engine import Database, open_database  # noqa: E402


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep every test out of the real user's data folder and database."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("CANLIAN_DB", raising=False)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "canlian.db"


@pytest.fixture
def db(db_path: Path) -> Iterator[Database]:
    database = open_database(db_path)
    yield database
    database.close()


@pytest.fixture(scope="session")
def demo_town_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The 345-person demo town of this year (seed 1), built once per test session; tests take a copy."""
    from app.demo import fill_demo

    path = tmp_path_factory.mktemp("demo-town") / "canlian.db"
    database = open_database(path)
    try:
        with database.transaction("演示数据") as session:
            fill_demo(session)
    finally:
        database.close()
    return path


@pytest.fixture
def demo_db(demo_town_file: Path, db_path: Path) -> Iterator[Database]:
    """A copy of the demo town of its own for this test (copying is instant, building it is not)."""
    import shutil

    shutil.copyfile(demo_town_file, db_path)
    database = open_database(db_path)
    yield database
    database.close()


@pytest.fixture
def today() -> dt.date:
    return dt.date.today()
