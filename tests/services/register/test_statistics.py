"""SQLite's planner statistics (ANALYZE) are there after every way many persons come at once: an import, the
demo town (tests/demo/test_load_demo.py) and a migration of an existing register (its new search index
included); without them the list's first page of a county is sorted instead of read in order."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic import command

from app.db.engine import Database, alembic_config, make_engine, open_database
from app.io.roster_import import import_persons
from tests.factories import insert_old_person, make_id

SAMPLE = Path(__file__).resolve().parents[2] / "io" / "data" / "roster_sample.xlsx"


@pytest.fixture
def store() -> str:
    return "sqlite"  # SQLite's own statistics (PostgreSQL's autovacuum keeps its own)


def _analyzed(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        tables = {r[0] for r in conn.execute("select name from sqlite_master where type = 'table'")}
        found = {r[0] for r in conn.execute("select tbl from sqlite_stat1")} if "sqlite_stat1" in tables else set()
    conn.close()
    return found


def test_an_import_leaves_statistics(db: Database) -> None:
    assert "person" not in _analyzed(db.path)
    result = import_persons(db, SAMPLE)
    assert result.count("imported") > 0
    assert "person" in _analyzed(db.path)


def test_a_migration_leaves_statistics_of_the_new_search_index(db_path: Path) -> None:
    engine = make_engine(db_path)
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0006")
    with engine.begin() as conn:  # a register of 0006 holding persons, as that version wrote them
        insert_old_person(conn, "张三", make_id("19800101", "123"))
        insert_old_person(conn, "李四", make_id("19900202", "157"))
    engine.dispose()
    open_database(db_path).close()
    assert {"person", "person_search_key"} <= _analyzed(db_path)
