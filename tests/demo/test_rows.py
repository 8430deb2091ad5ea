"""The demo's SQLite fast path of writing rows (app.demo.rows) stores exactly what SQLAlchemy's own
executemany stores: the same raw values and SQLite types, given values through the column types' processors
(dates, times with and without microseconds, booleans, None, a str enum) and left-out columns by their
defaults; and a key that is no column is refused as SQLAlchemy refuses it."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert

from app.db.engine import open_database
from app.db.models import Household, ReliefEntry, Village, VillageGroup
from app.demo.rows import insert_rows
from app.domain.words import ReliefKind

TABLES = {"village": Village, "village_group": VillageGroup, "household": Household, "relief_entry": ReliefEntry}
WALL_CLOCK = {"updated_at"}  # a callable default: the time of writing


def _rows() -> dict[str, list[dict[str, Any]]]:
    return {
        "village": [{"id": 1, "name": "金塔村", "sort_order": 1}],
        "village_group": [{"id": 1, "village_id": 1, "name": "一组"}],
        # left out: notes (a value default), updated_at (a callable one), version (value and server default)
        "household": [{"id": i, "village_id": 1, "group_id": 1, "address": f"金塔村一组{i}号", "dibao": i % 2 == 0,
                       "dibao_class": "一类" if i % 2 == 0 else None, "tekun": False, "low_income": i == 3,
                       "created_at": dt.datetime(2024, 3, i, 9, 30, 0, 1 if i == 2 else 0)} for i in range(1, 5)],
        "relief_entry": [{"kind": ReliefKind.TEMPORARY, "person_id": None, "household_id": i,
                          "date": dt.date(2024, 1, i), "amount_fen": 20000 * i, "approver": "王志强",
                          "cancelled": i == 4, "created_at": dt.datetime(2024, 1, i, 11)} for i in range(1, 5)],
    }


def _raw(path: Path, table: str) -> list[list[tuple[Any, str]]]:
    connection = sqlite3.connect(path)
    try:
        names = [r[1] for r in connection.execute(f"pragma table_info({table})") if r[1] not in WALL_CLOCK]
        columns = ", ".join(f"{n}, typeof({n})" for n in names)
        rows = connection.execute(f"select {columns} from {table} order by id").fetchall()
    finally:
        connection.close()
    return [list(zip(row[::2], row[1::2], strict=True)) for row in rows]


def _write(path: Path, fast: bool) -> None:
    with open_database(path) as db, db.transaction() as session:
        for name, rows in _rows().items():
            table = TABLES[name].__table__
            if fast:
                insert_rows(session, table, rows)
            else:
                session.execute(insert(table), rows)


def test_the_fast_path_stores_what_sqlalchemy_stores(sqlite_template: Path, tmp_path: Path) -> None:
    fast, portable = tmp_path / "fast.db", tmp_path / "portable.db"
    shutil.copyfile(sqlite_template, fast)
    shutil.copyfile(sqlite_template, portable)
    _write(fast, fast=True)
    _write(portable, fast=False)
    for name, rows in _rows().items():
        seen = _raw(fast, name)
        assert len(seen) == len(rows)
        assert seen == _raw(portable, name)


def test_a_key_that_is_no_column_is_refused(sqlite_template: Path, tmp_path: Path) -> None:
    path = tmp_path / "canlian.db"
    shutil.copyfile(sqlite_template, path)
    with open_database(path) as db, pytest.raises(KeyError), db.transaction() as session:
        insert_rows(session, Village.__table__, [{"id": 1, "name": "金塔村", "no_such_column": 1}])
    assert _raw(path, "village") == []


def _schema(path: Path) -> list[tuple[str, str, str]]:
    connection = sqlite3.connect(path)
    try:
        query = "select type, name, coalesce(sql, '') from sqlite_master order by type, name"
        return connection.execute(query).fetchall()
    finally:
        connection.close()


def test_the_demo_leaves_every_index_and_trigger_as_the_migrations_made_them(sqlite_template: Path,
                                                                             tmp_path: Path) -> None:
    """The demo drops plain indexes (and the search trigger) while it writes and makes them again."""
    from app.demo import fill_demo

    path = tmp_path / "canlian.db"
    shutil.copyfile(sqlite_template, path)
    with open_database(path) as db, db.transaction("演示数据") as session:
        fill_demo(session, year=2024, persons=60, seed=3)
    assert _schema(path) == _schema(sqlite_template)
    connection = sqlite3.connect(path)
    try:
        assert connection.execute("pragma integrity_check").fetchone() == ("ok",)
    finally:
        connection.close()
