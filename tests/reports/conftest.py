"""Seeded towns shared by the report tests that walk every total and every sentence: the demo town (345
persons, seed 1) and two others of other sizes and seeds. Each is built once per test session, closed,
and only read afterwards (the command line opens the files itself)."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.db.engine import open_database
from app.demo import fill_demo
from tests.conftest import STORES


@pytest.fixture(params=STORES)
def store(request: pytest.FixtureRequest) -> str:
    """`db` and `demo_db` here are an SQLite file and a PostgreSQL database in turn."""
    return str(request.param)

TOWNS = {"demo": (345, 1), "seed7": (120, 7), "seed11": (600, 11)}  # name: (persons, seed)


@pytest.fixture(scope="session")
def seeded_towns(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("towns")
    paths = {}
    for name, (persons, seed) in TOWNS.items():
        path = folder / f"{name}.db"
        db = open_database(path)
        try:
            with db.transaction("演示数据") as s:
                fill_demo(s, persons=persons, seed=seed)
        finally:
            db.close()
        paths[name] = path
    return paths
